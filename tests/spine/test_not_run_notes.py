"""Notes marked "not run here" (labs/newer_engines.yaml) stand only where no record can speak.

Docker Engine 29 once had such a note under `docker image ls`; once an engine profile recorded
29's real output, a hand-written note beside it would be a second, unchecked account."""

from __future__ import annotations

import re

from labs.loader import load_labs
from labs.records import read_record
from macros.variant_notes import _newer_engines, newer_engine_notes


def _recorded_releases() -> dict[str, set[int]]:
    engines, composes = set(), set()
    for lab in load_labs():
        record = read_record(lab)
        for variant in record.variants if record else []:
            engines.add(variant.engine_major)
            compose = variant.fact("compose_version")
            if compose[:1].isdigit():
                composes.add(int(compose.split(".")[0]))
    return {"Docker Engine": engines, "Docker Compose": composes}


def test_no_not_run_note_names_a_release_the_records_cover():
    recorded = _recorded_releases()
    for entry in _newer_engines():
        product, major = re.fullmatch(r"(Docker Engine|Docker Compose) v?(\d+)", entry["engine"]).groups()
        assert int(major) not in recorded[product], (
            f"{entry['engine']} is recorded by an engine profile; show its output, not a note: {entry}")


def test_not_run_notes_stand_only_beside_the_commands_they_name():
    named = {command for entry in _newer_engines() for command in entry["commands"]}
    for lab in load_labs():
        for step in lab.definition.steps + lab.definition.cleanup:
            notes = newer_engine_notes(step)
            mentions = any(command in step.run for command in named)
            assert bool(notes) == mentions, f"{lab.id}: {step.run!r}: {notes}"
