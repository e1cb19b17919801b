"""Turns what a run printed into what a page shows: the same text with the parts that
change on every run (IDs, digests, times, sizes) replaced by readable placeholders."""

from __future__ import annotations

import re

RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"sha256:[0-9a-f]{64}"), "sha256:<다이제스트>"),
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?"), "<시각>"),
    (re.compile(r"\b\d{4}-\d\d-\d\d \d\d:\d\d:\d\d( [+-]\d{4})?( [A-Z]{2,5})?"), "<시각>"),
    (re.compile(r"\b(About an?|Less than a|\d+) (second|minute|hour|day|week|month|year)s? ago\b"), "<얼마 전>"),
    (re.compile(r"\bUp (About an?|Less than a|\d+) (second|minute|hour|day)s?\b"), "Up <시간>"),
    (re.compile(r"\b\d+(\.\d+)?(B|kB|KB|MB|GB|KiB|MiB|GiB)\b"), "<크기>"),
    (re.compile(r"\breal\s+\d+m\d+\.\d+s"), "real\t<시간>"),
    (re.compile(r"\buser\s+\d+m\d+\.\d+s"), "user\t<시간>"),
    (re.compile(r"\bsys\s+\d+m\d+\.\d+s"), "sys\t<시간>"),
    (re.compile(r"/tmp/lab-[a-z0-9-]+-[a-z0-9_]+"), "<실습 폴더>"),
]


def normalize(text: str, known_ids: dict[str, str]) -> str:
    """known_ids maps a full hex ID to its kind ("컨테이너 ID", "이미지 ID")."""
    for full, kind in sorted(known_ids.items(), key=lambda item: -len(item[0])):
        text = re.sub(rf"\b{full[:12]}[0-9a-f]*\b", f"<{kind}>", text)
    for pattern, placeholder in RULES:
        text = pattern.sub(placeholder, text)
    text = re.sub(r"\b[0-9a-f]{64}\b", "<ID>", text)
    return text
