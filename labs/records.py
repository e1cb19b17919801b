"""Keeps what each run printed: raw runs as artifacts, normalised records in the repository."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Optional

from pydantic import ValidationError

from .loader import Lab
from .normalize import normalize
from .record_model import Origin, Record, StepRecord, Variant

if TYPE_CHECKING:  # the site reads records without loading the runner or the docker SDK
    from .runner import RunResult

RUNS_DIR = Path(os.environ.get("LABS_RUNS_DIR", Path(__file__).resolve().parent.parent / ".lab-runs"))


class RecordUnreadable(Exception):
    pass


def save_run(result: "RunResult", folder: Path = RUNS_DIR) -> Path:
    """Every field of the run, durations included, as the test artifact of record."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{result.lab_id}.json"
    data = dataclasses.asdict(result)
    data["host"] = result.host.model_dump() if result.host is not None else None
    data["ok"] = result.ok
    data["verified"] = result.verified
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def to_variant(result: "RunResult") -> Variant:
    def shown(step) -> StepRecord:
        return StepRecord(command=step.command, exit_code=step.exit_code,
                          stdout=normalize(step.stdout, result.known_ids),
                          stderr=normalize(step.stderr, result.known_ids))

    return Variant(
        image_store=result.host.image_store,
        images={name: Origin(origin) for name, origin in result.images.items()},
        recorded_at=result.started_at[:10] or dt.date.today().isoformat(),
        host=result.host,
        steps=[shown(step) for step in result.steps],
        cleanup=[shown(step) for step in result.cleanup],
    )


def write_record(lab: Lab, result: "RunResult") -> Path:
    """Adds (or replaces) the variant of this run's engine setup; other variants are kept."""
    if not result.verified:
        raise ValueError(f"{lab.id}: only a verified run is recorded: {result.problems() or 'a step failed'}")
    variant = to_variant(result)
    try:
        existing = read_record(lab)
    except RecordUnreadable:
        existing = None  # an older format: this run starts the record anew
    if existing is not None and existing.variants and existing.variants[0].commands != variant.commands:
        existing = None  # the lab's commands changed: older variants show other commands
    record = existing.with_variant(variant) if existing else Record(lab=lab.id, variants=[variant])
    lab.record_path.write_text(
        json.dumps(record.model_dump(mode="json"), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return lab.record_path


def read_record(lab: Lab) -> Optional[Record]:
    if not lab.record_path.exists():
        return None
    try:
        return Record.model_validate_json(lab.record_path.read_text(encoding="utf-8"))
    except ValidationError as error:
        raise RecordUnreadable(f"{lab.record_path}: {error.errors()[0]['loc']}: {error.errors()[0]['msg']}; "
                               f"re-record with: python -m labs record {lab.id}") from None
