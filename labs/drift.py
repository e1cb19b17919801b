"""Compares a fresh run with the lab's record.json, so the site never shows stale output."""

from __future__ import annotations

import difflib
from typing import Optional

from .loader import Lab


def differences(lab: Lab, recorded: Optional[dict], fresh: dict) -> list[str]:
    """Unified diffs per step; steps marked `unstable` compare only their exit code."""
    if recorded is None:
        return [f"{lab.id}: record.json가 없습니다 (no record)"]
    if recorded.get("images") != fresh.get("images"):
        return []  # other image origins (official vs stand-in) print other text; see comparable()
    found = []
    definition = lab.definition
    for phase, steps in (("steps", definition.steps), ("cleanup", definition.cleanup)):
        old_steps, new_steps = recorded.get(phase, []), fresh.get(phase, [])
        if len(old_steps) != len(new_steps):
            found.append(f"{phase}: {len(old_steps)} recorded, {len(new_steps)} now")
            continue
        for index, (step, old, new) in enumerate(zip(steps, old_steps, new_steps)):
            label = f"{phase}[{index}] {step.run.splitlines()[0][:60]}"
            if old["command"] != new["command"]:
                found.append(f"{label}: command changed")
            if old["exit_code"] != new["exit_code"]:
                found.append(f"{label}: exit code {old['exit_code']} recorded, {new['exit_code']} now")
            if step.unstable:
                continue
            for stream in ("stdout", "stderr"):
                if old[stream] != new[stream]:
                    diff = difflib.unified_diff(
                        old[stream].splitlines(), new[stream].splitlines(),
                        fromfile=f"{lab.id}/record.json {label} {stream}", tofile=f"this run {stream}",
                        lineterm="",
                    )
                    found.append("\n".join(diff))
    return found


def comparable(recorded: Optional[dict], fresh: dict) -> bool:
    return recorded is not None and recorded.get("images") == fresh.get("images")
