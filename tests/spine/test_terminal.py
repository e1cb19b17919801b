"""Interactive steps: a real pseudo-terminal, keys typed when the screen shows a prompt."""

from __future__ import annotations

import os
import signal

import pytest
from pydantic import ValidationError

from labs.model import Keys, Step
from labs.terminal import run_in_terminal, screen_text

ENV = dict(os.environ, TERM="dumb", LC_ALL="C.UTF-8")


def test_keys_are_typed_after_the_prompt_and_the_screen_is_the_output(tmp_path):
    screen = run_in_terminal('read -p "이름? " name; echo "안녕하세요, $name"', [Keys(wait_for="이름? ", send="도커{enter}")],
                             tmp_path, ENV, timeout=20)
    assert screen.problem is None and screen.exit_code == 0
    assert screen.text.splitlines() == ["이름? 도커", "안녕하세요, 도커"]


def test_ctrl_c_reaches_the_program_as_sigint(tmp_path):
    command = "trap 'echo 신호를 받았습니다; exit 3' INT; echo 준비; sleep 30 & wait"
    screen = run_in_terminal(command, [Keys(wait_for="준비", send="{ctrl-c}")], tmp_path, ENV, timeout=20)
    assert screen.problem is None
    assert screen.exit_code == 3 and "신호를 받았습니다" in screen.text


def test_a_program_killed_by_ctrl_c_reports_130_as_a_shell_would(tmp_path):
    screen = run_in_terminal("sleep 30", [Keys(delay=0.5, send="{ctrl-c}")], tmp_path, ENV, timeout=20)
    assert screen.problem is None and screen.exit_code == 130


def test_ctrl_c_works_even_when_the_runner_itself_ignores_sigint(tmp_path):
    """A runner started as a background job of a script ignores SIGINT, and so would every program
    it starts; a reader's terminal does not."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        screen = run_in_terminal("sleep 30", [Keys(delay=0.5, send="{ctrl-c}")], tmp_path, ENV, timeout=20)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert screen.problem is None and screen.exit_code == 130


def test_a_prompt_that_never_comes_is_a_clear_failure_not_a_hang(tmp_path, monkeypatch):
    monkeypatch.setattr("labs.terminal.WAIT_SECONDS", 1)
    screen = run_in_terminal("echo 다른 글; sleep 30", [Keys(wait_for="없는 프롬프트", send="x")], tmp_path, ENV,
                             timeout=20)
    assert "없는 프롬프트" in screen.problem


def test_screen_text_drops_terminal_codes_and_keeps_what_a_line_ended_as():
    raw = "\x1b[1;32mgreen\x1b[0m\r\nprogress 10%\rprogress 100%\r\n\x1b]0;title\x07done\r\n"
    assert screen_text(raw) == "green\nprogress 100%\ndone\n"


def test_unknown_key_names_and_two_kinds_of_input_are_refused():
    with pytest.raises(ValidationError, match="unknown key"):
        Keys(send="{ctrl-z}")
    with pytest.raises(ValidationError, match="not both"):
        Step(run="cat", explain="x", input="a", terminal=[Keys(send="b")])
    assert Keys(send="{ctrl-p}{ctrl-q}").keystrokes == "\x10\x11"
