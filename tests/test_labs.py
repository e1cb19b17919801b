"""One test per lab folder: run it on the real engine and hold it to its declaration."""

from __future__ import annotations

import pytest

from labs import drift
from labs.loader import load_labs
from labs.records import read_record, save_run, to_record
from labs.resources import (KINDS, TEST_PREFIXES, appeared_elsewhere, declared_by_others, snapshot,
                            vanished_elsewhere)
from labs.runner import LabRunner

LABS = load_labs()


def _describe_failure(result) -> str:
    lines = [f"lab {result.lab_id} failed"]
    for step in result.steps:
        if not step.ok:
            lines += [f"step {step.index + 1}: {step.command}", *step.failures,
                      f"stdout: {step.stdout[-2000:]}", f"stderr: {step.stderr[-2000:]}"]
    return "\n".join(lines)


@pytest.mark.parametrize("lab", LABS, ids=[lab.id for lab in LABS])
def test_lab(lab, engine, artifacts):
    others = declared_by_others(lab.id, LABS)
    before = snapshot(engine)

    result = LabRunner(lab, engine, log=lambda _line: None, others=others, ignored_prefixes=TEST_PREFIXES).run()
    save_run(result, artifacts / "runs")

    assert result.ok, _describe_failure(result)
    assert all(step.ok for step in result.cleanup), [s.failures for s in result.cleanup if not s.ok]
    assert result.undeclared == {}, f"resources the lab made but did not declare: {result.undeclared}"
    assert result.verified, result.problems()
    assert result.unexpected_files == [], f"host files the lab made but did not declare: {result.unexpected_files}"
    assert result.safety_net == [], f"the lab's clean-up steps left these behind: {result.safety_net}"

    after = snapshot(engine)
    for kind in KINDS:
        # Labs running beside this one may add or remove their own declared names meanwhile.
        appeared = {name for name in after.minus(before)[kind]
                    if not appeared_elsewhere(engine, kind, name, others[kind], TEST_PREFIXES)}
        vanished = {name for name in before.minus(after)[kind]
                    if not vanished_elsewhere(kind, name, others[kind], TEST_PREFIXES)}
        assert not appeared, f"left behind {kind}: {sorted(appeared)}"
        assert not vanished, f"removed {kind} it did not create: {sorted(vanished)}"

    recorded, fresh = read_record(lab), to_record(result)
    found = drift.differences(lab, recorded, fresh)
    assert not found, ("the page shows output this run did not print:\n" + "\n".join(found)
                       + f"\n\nre-record with: python -m labs record {lab.id}")
    if not drift.comparable(recorded, fresh):
        print(f"{lab.id}: recorded on {recorded['images']}, ran on {fresh['images']}; output not compared")

