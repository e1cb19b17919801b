"""Holds one step's output to another run's: redact host facts, then compare by the step's mode."""

from __future__ import annotations

import re
from functools import lru_cache

from .host_facts import HostFacts, redact
from .model import Compare
from .record_model import StepRecord


def comparable_text(step: StepRecord, facts: HostFacts) -> tuple[str, str]:
    return redact(step.stdout, facts), redact(step.stderr, facts)


def same_output(compare: Compare, old: StepRecord, old_facts: HostFacts,
                new: StepRecord, new_facts: HostFacts) -> bool:
    return not mismatches(compare, old, old_facts, new, new_facts)


def mismatches(compare: Compare, old: StepRecord, old_facts: HostFacts,
               new: StepRecord, new_facts: HostFacts) -> list[tuple[str, str, str]]:
    """(stream, old text, new text) for each stream that does not hold; empty when they agree."""
    if compare.mode == "exit-code":
        return []
    old_streams = dict(zip(("stdout", "stderr"), comparable_text(old, old_facts)))
    new_streams = dict(zip(("stdout", "stderr"), comparable_text(new, new_facts)))
    if compare.mode == "lines":
        old_all = old_streams["stdout"] + "\n" + old_streams["stderr"]
        new_all = new_streams["stdout"] + "\n" + new_streams["stderr"]
        missing_old, missing_new = unmatched(compare.lines, old_all), unmatched(compare.lines, new_all)
        if missing_old or missing_new:
            return [("lines", "\n".join(f"pattern not matched in the record: {p}" for p in missing_old),
                     "\n".join(f"pattern not matched in this run: {p}" for p in missing_new))]
        return []
    found = []
    for stream in ("stdout", "stderr"):
        old_text, new_text = old_streams[stream], new_streams[stream]
        if compare.mode == "unordered":
            equal = sorted(old_text.splitlines()) == sorted(new_text.splitlines())
        else:
            equal = old_text == new_text
        if not equal:
            found.append((stream, old_text, new_text))
    return found


def unmatched(patterns: list[str], text: str) -> list[str]:
    """Patterns that do not each match a whole line, in order. In a pattern `*` stands for any
    text and every other character for itself (so `[2/2]` in build output needs no escaping)."""
    lines = text.splitlines()
    position = 0
    missing = []
    for pattern in patterns:
        for index in range(position, len(lines)):
            if _line_pattern(pattern).fullmatch(lines[index]):
                position = index + 1
                break
        else:
            missing.append(pattern)
    return missing


@lru_cache(maxsize=None)
def _line_pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")))
