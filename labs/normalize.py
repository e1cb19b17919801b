"""Turns what a run printed into what a page shows: the same text with the parts that
change on every run (IDs, digests, times, sizes) replaced by readable placeholders."""

from __future__ import annotations

import re
import unicodedata

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
    (re.compile(r"(?:/[\w.-]+)*/tmp/lab-[a-z0-9-]+-[a-z0-9_]+"), "<실습 폴더>"),
    (re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d+ "
                r"\d\d:\d\d:\d\d( [A-Z]{2,5})? \d{4}\b"), "<시각>"),
    # `ls -l`: "Nov 27 23:26" (this year) or "Nov 27  2025" (older files).
    (re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) +\d{1,2} +(\d\d:\d\d(?!:)|\d{4})\b"), "<날짜>"),
    # Layer lines of push and pull: "c2139a157f98: Pushed".
    (re.compile(r"(?m)^[0-9a-f]{12}(?=: )"), "<레이어 ID>"),
    # A line that is only a short ID: a container's hostname or a `docker ps -q`.
    (re.compile(r"(?m)^[0-9a-f]{12}$"), "<컨테이너 ID>"),
]


TABLE_HEADER = re.compile(r"^[A-Z][A-Z ]*[A-Z](\s{2,}[A-Z][A-Z ]*[A-Z])+\s*$")


def normalize(text: str, known_ids: dict[str, str]) -> str:
    """known_ids maps a full hex ID to its kind ("컨테이너 ID", "이미지 ID")."""
    lines = text.split("\n")
    if lines and TABLE_HEADER.match(lines[0]):
        return _normalize_table(lines, known_ids)
    return _normalize_text(text, known_ids)


def _normalize_table(lines: list[str], known_ids: dict[str, str]) -> str:
    """Docker's tables (`docker ps`, `docker image ls`): cut each row at the header's column
    starts, replace cell by cell, and pad again so the columns still line up."""
    header = lines[0]
    starts = [0] + [match.end() for match in re.finditer(r"\s{2,}(?=\S)", header)]
    titles = [header[start:end].strip() for start, end in zip(starts, starts[1:] + [len(header)])]
    rows = []
    for line in lines:
        if not line.strip():
            rows.append(None)
            continue
        cells = [line[start:end].strip() for start, end in zip(starts, starts[1:] + [len(line)])]
        rows.append([_normalize_cell(cell, title, known_ids) for cell, title in zip(cells, titles)])
    widths = [max(_width(row[index]) for row in rows if row) for index in range(len(starts))]
    out = []
    for row in rows:
        if row is None:
            out.append("")
            continue
        padded = [cell + " " * (width - _width(cell)) for cell, width in zip(row[:-1], widths)] + [row[-1]]
        out.append("   ".join(padded).rstrip())
    return "\n".join(out)


def _normalize_cell(cell: str, title: str, known_ids: dict[str, str]) -> str:
    if re.fullmatch(r"[0-9a-f]{12}", cell) and title in ("IMAGE ID", "CONTAINER ID"):
        return "<이미지 ID>" if title == "IMAGE ID" else "<컨테이너 ID>"
    return _normalize_text(cell, known_ids)


def _width(text: str) -> int:
    """Columns on a terminal: Hangul and other wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _normalize_text(text: str, known_ids: dict[str, str]) -> str:
    for full, kind in sorted(known_ids.items(), key=lambda item: -len(item[0])):
        text = re.sub(rf"\b{full[:12]}[0-9a-f]*\b", f"<{kind}>", text)
    for pattern, placeholder in RULES:
        text = pattern.sub(placeholder, text)
    text = re.sub(r"\b[0-9a-f]{64}\b", "<ID>", text)
    return text
