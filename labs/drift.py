"""Compares a fresh run with the lab's record.json, so the site never shows stale output."""

from __future__ import annotations

import difflib
from typing import Optional

from .compare import mismatches
from .loader import Lab
from .record_model import Record, Variant



def counterpart(recorded: Optional[Record], fresh: Variant) -> Optional[Variant]:
    """The recorded variant made on the same kind of engine setup as this run, if any."""
    return recorded.matching(fresh.setup, fresh.engine_major) if recorded is not None else None


def not_compared_reason(recorded: Optional[Record], fresh: Variant) -> str:
    if recorded is None:
        return "no record.json"
    have = "; ".join(f"{variant.image_store} store, images {dict(variant.setup[1])}" for variant in recorded.variants)
    return (f"no recorded variant for this setup ({fresh.image_store} store, images {dict(fresh.setup[1])}); "
            f"recorded: {have}. Record one with: python -m labs record {recorded.lab}")


def differences(lab: Lab, recorded: Variant, fresh: Variant) -> list[str]:
    """Readable diffs per step, after host facts are redacted on both sides."""
    found = []
    definition = lab.definition
    for phase, steps in (("steps", definition.steps), ("cleanup", definition.cleanup)):
        old_steps, new_steps = getattr(recorded, phase), getattr(fresh, phase)
        if len(old_steps) != len(new_steps):
            found.append(f"{phase}: {len(old_steps)} recorded, {len(new_steps)} now")
            continue
        for index, (step, old, new) in enumerate(zip(steps, old_steps, new_steps)):
            label = f"{phase}[{index}] {step.run.splitlines()[0][:60]}"
            if old.command != new.command:
                found.append(f"{label}: command changed")
            if old.exit_code != new.exit_code:
                found.append(f"{label}: exit code {old.exit_code} recorded, {new.exit_code} now")
            for stream, old_text, new_text in mismatches(step.compare, old, recorded.host, new, fresh.host):
                diff = difflib.unified_diff(
                    old_text.splitlines(), new_text.splitlines(),
                    fromfile=f"{lab.id}/record.json {label} {stream} ({step.compare.mode})",
                    tofile=f"this run {stream}", lineterm="")
                found.append("\n".join(diff))
    return found
