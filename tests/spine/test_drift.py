"""The drift check: a record that no longer matches a run fails with a readable diff."""

from __future__ import annotations

import copy

from labs import drift
from labs.loader import load_labs

from .lab_factory import variant, write_lab


def lab_with_steps(tmp_path, steps):
    write_lab(tmp_path, variant(steps=steps))
    [lab] = load_labs(tmp_path, known_image=lambda image: True)
    return lab


def record_for(lab, outputs):
    return {
        "images": {"busybox:latest": "stand-in"},
        "steps": [{"command": step.run, "exit_code": 0, "stdout": out, "stderr": ""}
                  for step, out in zip(lab.definition.steps, outputs)],
        "cleanup": [],
    }


def test_a_changed_port_shows_as_a_unified_diff(tmp_path):
    lab = lab_with_steps(tmp_path, [{"run": "docker port web", "explain": "x"}])
    recorded = record_for(lab, ["80/tcp -> 0.0.0.0:8080\n"])
    fresh = record_for(lab, ["80/tcp -> 0.0.0.0:8079\n"])
    [difference] = drift.differences(lab, recorded, fresh)
    assert "-80/tcp -> 0.0.0.0:8080" in difference and "+80/tcp -> 0.0.0.0:8079" in difference
    assert "record.json" in difference


def test_same_output_is_no_drift(tmp_path):
    lab = lab_with_steps(tmp_path, [{"run": "echo hi", "explain": "x"}])
    recorded = record_for(lab, ["hi\n"])
    assert drift.differences(lab, recorded, copy.deepcopy(recorded)) == []


def test_unstable_steps_compare_only_the_exit_code(tmp_path):
    lab = lab_with_steps(tmp_path, [{"run": "date", "explain": "x", "unstable": "시각이 바뀝니다"}])
    recorded, fresh = record_for(lab, ["Mon\n"]), record_for(lab, ["Tue\n"])
    assert drift.differences(lab, recorded, fresh) == []
    fresh["steps"][0]["exit_code"] = 1
    assert "exit code 0 recorded, 1 now" in drift.differences(lab, recorded, fresh)[0]


def test_a_missing_record_is_drift(tmp_path):
    lab = lab_with_steps(tmp_path, [{"run": "echo hi", "explain": "x"}])
    assert drift.differences(lab, None, record_for(lab, ["hi\n"]))


def test_other_image_origins_are_not_compared(tmp_path):
    lab = lab_with_steps(tmp_path, [{"run": "echo hi", "explain": "x"}])
    recorded, fresh = record_for(lab, ["hi\n"]), record_for(lab, ["other\n"])
    fresh["images"] = {"busybox:latest": "official"}
    assert drift.differences(lab, recorded, fresh) == []
    assert not drift.comparable(recorded, fresh)
