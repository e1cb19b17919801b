"""What a page says beside recorded output: the reader's own values will differ (host facts),
another engine setup prints something else (from the records), a newer Docker prints
something else (not run here), and a step's own note."""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

import yaml

from labs.commands import usages
from labs.compare import same_output
from labs.host_facts import KINDS, WHY, facts_in
from labs.model import Step
from labs.record_model import Record, StepRecord, Variant

NEWER_ENGINES = Path(__file__).resolve().parent.parent / "labs" / "newer_engines.yaml"
STORE_KO = {"containerd": "containerd 이미지 스토어", "classic": "overlay2 이미지 스토어"}


def setup_name(variant: Variant) -> str:
    return f"Docker Engine {variant.engine_version} ({STORE_KO.get(variant.image_store, variant.image_store)})"


def reader_notes(step: Step, record: Record, phase: str, index: int) -> list[str]:
    """Korean sentences (inline Markdown) for under the primary output."""
    notes = []
    if step.note:
        notes.append(" ".join(step.note.split()))
    primary = record.primary
    recorded = getattr(primary, phase)[index]
    shown = facts_in(recorded.stdout + "\n" + recorded.stderr, primary.host)
    if shown:
        sentences = []
        for group, why in WHY.items():
            labels: dict[str, list[str]] = {}
            for kind, value in shown:
                if KINDS[kind].group == group:
                    labels.setdefault(KINDS[kind].label, []).append(f"`{_short(value)}`")
            if labels:
                listed = ", ".join(f"{label} {'·'.join(values)}" for label, values in labels.items())
                sentences.append(f"{listed}: {why}.")
        notes.append("이 출력에는 기록한 컴퓨터의 값이 들어 있어서, 여러분의 화면에서는 다음 값이 다르게 나옵니다. "
                     + " ".join(sentences))
    if step.compare.mode == "exit-code":
        notes.append(f"자동 검증은 이 단계의 종료 코드만 비교합니다. {' '.join((step.compare.reason or '').split())}")
    return notes


def differing_variants(step: Step, record: Record, phase: str, index: int) -> list[tuple[Variant, StepRecord]]:
    """Other recorded setups whose output for this step differs from the primary's."""
    primary = record.primary
    mine = getattr(primary, phase)[index]
    found = []
    for variant in record.others:
        steps = getattr(variant, phase)
        if index >= len(steps):
            continue
        other = steps[index]
        if other.exit_code != mine.exit_code or not same_output(step.compare, mine, primary.host, other, variant.host):
            found.append((variant, other))
    return found


def newer_engine_notes(step: Step) -> list[str]:
    commands = {usage.command for usage in usages(step.run)}
    return [f"{html.escape(entry['engine'])}에서는 (여기서 실행해 보지 못한 버전이라 기록이 없습니다): "
            + " ".join(entry["note"].split())
            for entry in _newer_engines() if commands & set(entry["commands"])]


def _short(value: str) -> str:
    """A 40-digit commit shortened as git does."""
    return value[:12] if len(value) == 40 and all(c in "0123456789abcdef" for c in value) else value


@lru_cache(maxsize=1)
def _newer_engines() -> list[dict]:
    return yaml.safe_load(NEWER_ENGINES.read_text(encoding="utf-8")) or []
