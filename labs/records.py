"""Keeps what each run printed: raw runs as artifacts, normalised records in the repository."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Optional

from .loader import Lab
from .normalize import normalize
from .runner import RunResult, StepResult

RUNS_DIR = Path(os.environ.get("LABS_RUNS_DIR", Path(__file__).resolve().parent.parent / ".lab-runs"))


def save_run(result: RunResult, folder: Path = RUNS_DIR) -> Path:
    """Every field of the run, durations included, as the test artifact of record."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{result.lab_id}.json"
    data = dataclasses.asdict(result)
    data["ok"] = result.ok
    data["verified"] = result.verified
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def to_record(result: RunResult) -> dict:
    def shown(step: StepResult) -> dict:
        return {
            "command": step.command,
            "exit_code": step.exit_code,
            "stdout": normalize(step.stdout, result.known_ids),
            "stderr": normalize(step.stderr, result.known_ids),
        }

    return {
        "lab": result.lab_id,
        "recorded_at": result.started_at[:10],
        "engine_version": result.engine_version,
        "images": result.images,
        "steps": [shown(step) for step in result.steps],
        "cleanup": [shown(step) for step in result.cleanup],
    }


def write_record(lab: Lab, result: RunResult) -> Path:
    if not result.verified:
        raise ValueError(f"{lab.id}: only a verified run is recorded: {result.problems() or 'a step failed'}")
    lab.record_path.write_text(json.dumps(to_record(result), ensure_ascii=False, indent=2) + "\n",
                               encoding="utf-8")
    return lab.record_path


def read_record(lab: Lab) -> Optional[dict]:
    if not lab.record_path.exists():
        return None
    return json.loads(lab.record_path.read_text(encoding="utf-8"))
