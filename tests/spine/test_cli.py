"""The reader's command line: help everywhere, clear messages, meaningful exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from .lab_factory import labs_cli, variant, write_lab

REPO = Path(__file__).resolve().parents[2]
COMMANDS = ["list", "show", "run", "clean", "record", "images", "doctor", "engine"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_everywhere(command):
    result = labs_cli(*([command] if command else []), "--help")
    assert result.returncode == 0
    assert "usage: python -m labs" in result.stdout
    assert any("\uac00" <= char <= "\ud7a3" for char in result.stdout), "help should be in Korean"


def test_list_names_every_lab():
    from labs.loader import load_labs

    result = labs_cli("list")
    assert result.returncode == 0
    for lab in load_labs():
        assert lab.id in result.stdout


def test_show_prints_commands_and_cleanup():
    result = labs_cli("show", "lifecycle")
    assert result.returncode == 0
    assert "docker create --name life-demo busybox sleep 3600" in result.stdout
    assert "정리 (clean-up)" in result.stdout


def test_unknown_lab():
    result = labs_cli("run", "no-such-lab")
    assert result.returncode == 2 and "no-such-lab" in result.stderr and "Traceback" not in result.stderr


def test_engine_not_running_gives_one_clear_message():
    result = labs_cli("run", "lifecycle", env_extra={"DOCKER_HOST": "unix:///tmp/no-engine-here.sock"})
    assert result.returncode == 4
    assert "도커 엔진이 응답하지 않습니다" in result.stderr and "Docker Desktop" in result.stderr
    assert "The Docker engine is not answering" in result.stderr
    assert "Traceback" not in result.stderr


def test_malformed_lab_names_file_and_field(tmp_path):
    write_lab(tmp_path, variant(stepz=[]))
    result = labs_cli("list", env_extra={"LABS_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "lab.yaml" in result.stderr and "stepz" in result.stderr and "Traceback" not in result.stderr


def test_doctor_reports_engine_tools_and_images(engine):
    result = labs_cli("doctor")
    assert result.returncode == 0, result.stderr
    assert engine.version()["Version"] in result.stdout
    assert engine.info()["Driver"] in result.stdout
    for name in ("busybox:latest", "httpd:2.4"):
        assert name in result.stdout
    assert "Compose" in result.stdout and "buildx" in result.stdout


def test_run_reports_steps_and_exit_codes(engine, tmp_path):
    write_lab(tmp_path / "labs", variant(id="cli-ok", steps=[
        {"run": "docker run --rm busybox echo hi", "explain": "x", "expect": {"stdout": "hi"}}]))
    write_lab(tmp_path / "labs", variant(id="cli-fails", steps=[
        {"run": "docker run --rm busybox false", "explain": "x"}]))
    env = {"LABS_DIR": str(tmp_path / "labs"), "LABS_RUNS_DIR": str(tmp_path / "runs")}
    passed = labs_cli("run", "cli-ok", env_extra=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "[단계 1/1]" in passed.stdout and "모든 단계가 통과했습니다" in passed.stdout
    assert (tmp_path / "runs" / "cli-ok.json").exists()
    failed = labs_cli("run", "cli-fails", env_extra=env)
    assert failed.returncode == 1 and "docker run --rm busybox false" in failed.stderr

    paused = labs_cli("run", "cli-ok", "--step", env_extra=env, stdin="\n")
    assert paused.returncode == 0, paused.stdout + paused.stderr
    assert "| hi" in paused.stdout and "Enter를 누르면" in paused.stdout


HOSTILE_LABS = {
    "not-utf8": (lambda folder: (folder / "lab.yaml").write_bytes(b"id: not-utf8\ntitle: \xff\xfe\n"),
                 "(file)", "UTF-8"),
    "huge": (lambda folder: (folder / "lab.yaml").write_text("id: huge\n# " + "x" * 17_600_000 + "\n"),
             "(file)", "limit"),
    "shell-in-image": (None, "creates.images", "image reference"),
    "escaping-file": (None, "creates.files", "relative path"),
    "root-file": (None, "creates.files", "relative path"),
    "binary-reader-file": (lambda folder: (folder / "files").mkdir() or (folder / "files" / "index.html")
                           .write_bytes(b"\x89PNG\xff"), "(file)", "UTF-8"),
}
HOSTILE_CREATES = {"shell-in-image": {"images": ["x; rm -rf /"]},
                   "escaping-file": {"files": ["../../../../etc/passwd"]},
                   "root-file": {"files": ["/"]}}


@pytest.mark.parametrize("case", HOSTILE_LABS)
def test_a_hostile_lab_file_is_named_and_touches_nothing(tmp_path, engine, case):
    from labs.resources import snapshot

    write_exact, field, words = HOSTILE_LABS[case]
    folder = write_lab(tmp_path, variant(id=case, creates=HOSTILE_CREATES.get(case, {}), steps=[
        {"run": "docker run -d --name spine-hostile busybox sleep 60", "explain": "x"}]))
    if write_exact:
        write_exact(folder)
    before = snapshot(engine).containers
    for command in (["list"], ["run", case]):
        result = labs_cli(*command, env_extra={"LABS_DIR": str(tmp_path)})
        assert result.returncode == 2, result.stdout + result.stderr
        assert str(folder.name) in result.stderr and field in result.stderr and words in result.stderr
        assert "Traceback" not in result.stderr
    assert "spine-hostile" not in snapshot(engine).containers - before


def test_images_without_an_engine_exits_4_like_every_command():
    result = labs_cli("images", env_extra={"DOCKER_HOST": "unix:///tmp/no-engine-here.sock"})
    assert result.returncode == 4 and "Traceback" not in result.stderr
