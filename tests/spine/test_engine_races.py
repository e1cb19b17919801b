"""Only the engine's lost-output race earns a lab a second run; every other failure stands."""

from __future__ import annotations

import pytest

from labs.runner import RunResult, StepResult

from ..engine_races import lost_output_step

FAILED = ["stdout does not match"]


def _result(*steps: StepResult) -> RunResult:
    return RunResult(lab_id="lab", started_at="", host=None, images={}, steps=list(steps))


def _step(command="docker run --rm debian:bookworm-slim cat /etc/os-release", exit_code=0, stdout="", stderr="",
          failures=FAILED) -> StepResult:
    return StepResult("step", 0, command, exit_code, stdout, stderr, 0.5, failures=list(failures))


def test_a_docker_run_that_exited_0_and_printed_nothing_is_the_race():
    lost = _step()
    assert lost_output_step(_result(_step(failures=[], stdout="ok\n"), lost)) is lost


@pytest.mark.parametrize("step", [
    _step(stdout='PRETTY_NAME="Debian GNU/Linux 13 (trixie)"\n'),  # printed something else: drift
    _step(exit_code=125, stderr="Unable to find image"),  # failed for a reason of its own
    _step(exit_code=None),  # timed out
    _step(command="curl -s http://localhost:8080/"),  # not a command whose output the engine relays
    _step(failures=[]),  # passed
], ids=["other-output", "error", "timeout", "not-docker", "passed"])
def test_other_failures_are_not_the_race(step):
    assert lost_output_step(_result(step)) is None
