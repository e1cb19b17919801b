"""Two tests per lab folder: run it on the real engine and hold it to its declaration; then
hold what it printed to its record.json (the output the page shows).

Both tests of a lab run in the same worker group (pytest -n 2 --dist loadgroup), one after the
other; see tests/neighbours.py for the groups."""

from __future__ import annotations

import warnings

import pytest

from labs import drift
from labs.loader import load_labs
from labs.record_model import Variant
from labs.records import read_record, save_run, to_variant
from labs.resources import snapshot
from labs.runner import LabRunner

from .engine_races import lost_output_step
from .neighbours import foreign_to, residue, worker_group

LABS = load_labs()
PARAMS = [pytest.param(lab, id=lab.id, marks=pytest.mark.xdist_group(worker_group(lab.id))) for lab in LABS]

# What each verified run printed, for the output test that follows it on the same worker.
FRESH: dict[str, Variant] = {}


def _describe_failure(result) -> str:
    lines = [f"lab {result.lab_id} failed"]
    for step in result.steps:
        if not step.ok:
            lines += [f"step {step.index + 1}: {step.command}", *step.failures,
                      f"stdout: {step.stdout[-2000:]}", f"stderr: {step.stderr[-2000:]}"]
    return "\n".join(lines)


@pytest.mark.parametrize("lab", PARAMS)
def test_lab(lab, engine, artifacts):
    foreign = foreign_to(lab.id, LABS)
    before = snapshot(engine)

    result = LabRunner(lab, engine, log=lambda _line: None, foreign=foreign).run()
    lost = lost_output_step(result)
    if lost is not None:
        warnings.warn(f"{lab.id}: the engine lost the output of step {lost.index + 1} ({lost.command}); "
                      "running the lab once more (tests/engine_races.py)")
        result = LabRunner(lab, engine, log=lambda _line: None, foreign=foreign).run()
    save_run(result, artifacts / "runs")

    assert result.ok, _describe_failure(result)
    assert all(step.ok for step in result.cleanup), [s.failures for s in result.cleanup if not s.ok]
    assert result.undeclared == {}, f"resources the lab made but did not declare: {result.undeclared}"
    assert result.verified, result.problems()
    assert result.unexpected_files == [], f"host files the lab made but did not declare: {result.unexpected_files}"
    assert result.safety_net == [], f"the lab's clean-up steps left these behind: {result.safety_net}"

    # The suite's other tests (image provisioning, the runner's own tests) run beside the labs.
    for kind, (appeared, vanished) in residue(engine, before, snapshot(engine), foreign).items():
        assert not appeared, f"left behind {kind}: {sorted(appeared)}"
        assert not vanished, f"removed {kind} it did not create: {sorted(vanished)}"
    FRESH[lab.id] = to_variant(result)


@pytest.mark.parametrize("lab", PARAMS)
def test_output_matches_record(lab):
    fresh = FRESH.get(lab.id)
    if fresh is None:
        pytest.skip(f"test_lab[{lab.id}] did not produce a verified run to compare")
    recorded = read_record(lab)
    counterpart = drift.counterpart(recorded, fresh)
    if counterpart is None:
        pytest.skip(f"output not compared: {drift.not_compared_reason(recorded, fresh)}")
    found = drift.differences(lab, counterpart, fresh)
    assert not found, ("the page shows output this run did not print:\n" + "\n".join(found)
                       + f"\n\nre-record with: python -m labs record {lab.id}")
