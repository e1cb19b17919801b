"""A race inside Docker Engine that a lab test may meet, told apart from drift by its signature.

Seen on Debian 13's Docker 26.1.5 (classic profile) under load, once in some dozens of full runs:
`docker run --rm debian:bookworm-slim cat /etc/os-release` exited 0 and printed nothing, on
stdout or stderr. The engine's log showed the container's shim disconnecting before its exit
event was handled, so the output never reached the attached client. A reader's terminal can
meet it too; running the command again prints the output. A real change in what Docker prints
shows up on every run, so one more run of the whole lab (which cleans up after itself) tells
the two apart."""

from __future__ import annotations

from typing import Optional

from labs.runner import RunResult, StepResult

PRINTING_COMMANDS = ("docker run", "docker exec")


def lost_output_step(result: RunResult) -> Optional[StepResult]:
    """The step whose output the engine lost: `docker run`/`docker exec` that failed its checks
    although it exited 0, with nothing at all on stdout or stderr."""
    for step in result.steps:
        if (not step.ok and step.exit_code == 0 and step.stdout == "" and step.stderr == ""
                and step.command.lstrip().startswith(PRINTING_COMMANDS)):
            return step
    return None
