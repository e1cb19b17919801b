"""An interactive command in a pseudo-terminal, with the keys a reader would type.

`docker run -it` and `docker exec -it` need a terminal, and Ctrl-C, Ctrl-P Ctrl-Q only mean
something there: the terminal turns Ctrl-C into SIGINT for the foreground program, and the
docker CLI reads Ctrl-P Ctrl-Q as "detach". pexpect gives the command a real pseudo-terminal;
what the screen showed (the command's output and the echo of what was typed) is the output.
"""

from __future__ import annotations

import io
import re
import signal
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional, Sequence

import pexpect

from .model import Keys

# Colour, cursor and title sequences a shell or a program may still send with TERM=dumb.
ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b[=>]")
WAIT_SECONDS = 60
END_SECONDS = 120   # after the last key, an interactive command that does not end is a failure


@dataclass
class Screen:
    exit_code: Optional[int]
    text: str
    problem: Optional[str] = None   # a key whose prompt never came, or a command that never ended


def _signals_as_in_a_terminal() -> None:
    """A reader's terminal starts programs with default signal handling. The runner may not have
    it: a job started in the background by a script ignores SIGINT, and Python ignores SIGPIPE;
    ignored signals pass to every program started from there, and Ctrl+C would then do nothing."""
    for number in (signal.SIGINT, signal.SIGQUIT, signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(number, signal.SIG_DFL)


def run_in_terminal(command: str, keys: Sequence[Keys], cwd: Path, env: dict, timeout: float,
                    started: Callable[[int], None] = lambda _pid: None) -> Screen:
    transcript = io.StringIO()
    child = pexpect.spawn("bash", ["-c", command], cwd=str(cwd), env=env, encoding="utf-8",
                          codec_errors="replace", dimensions=(24, 100), timeout=WAIT_SECONDS,
                          preexec_fn=_signals_as_in_a_terminal)
    child.logfile_read = transcript
    started(child.pid)
    problem = None
    try:
        for key in keys:
            if key.wait_for is not None:
                child.expect_exact(key.wait_for)
            if key.delay:
                child.expect(pexpect.TIMEOUT, timeout=key.delay)  # reads the screen while it waits
            child.send(key.keystrokes)
        child.expect(pexpect.EOF, timeout=min(timeout, END_SECONDS))
    except pexpect.TIMEOUT:
        waited = next((key.wait_for for key in keys if key.wait_for and key.wait_for not in transcript.getvalue()),
                      None)
        problem = (f"화면에 다음 글이 나오지 않았습니다 (the terminal never showed it): {waited!r}" if waited
                   else "명령이 끝나지 않았습니다 (the command did not end)")
    except pexpect.EOF:
        problem = "명령이 키를 다 받기 전에 끝났습니다 (the command ended before all keys were typed)"
    finally:
        child.close(force=True)
    # A program ended by a signal is reported as a shell reports it to the reader (`echo $?`):
    # 128 + the signal's number, so Ctrl+C is 130 whether the program exits or dies of SIGINT.
    exit_code = child.exitstatus if child.exitstatus is not None else (
        128 + child.signalstatus if child.signalstatus is not None else None)
    return Screen(exit_code, screen_text(transcript.getvalue()), problem)


def screen_text(raw: str) -> str:
    """The transcript as lines: terminal line endings made plain, escape sequences dropped,
    and a line that a carriage return rewrote shown as it ended up."""
    text = ESCAPES.sub("", raw).replace("\r\n", "\n")
    lines = [line.rstrip("\r").rsplit("\r", 1)[-1] for line in text.split("\n")]
    return "\n".join(line.rstrip() for line in lines)
