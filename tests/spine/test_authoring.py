"""Authoring tools: `labs check` catches what a real run would only find later, `labs new`
makes a lab that passes it, and the schema editors read matches the model."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from labs.check import check
from labs.loader import load_labs
from labs.schema import SCHEMA_FILE, generate, schema_line_for

from .lab_factory import labs_cli as shared_labs_cli
from .lab_factory import variant, write_lab

REPO = Path(__file__).resolve().parents[2]


def labs_cli(*args, root: Path | None = None):
    return shared_labs_cli(*args, env_extra={"LABS_DIR": str(root)} if root else None, timeout=120)


def problems_for(tmp_path, **changes) -> list[str]:
    folder = write_lab(tmp_path, variant(**changes))
    text = (folder / "lab.yaml").read_text(encoding="utf-8")
    (folder / "lab.yaml").write_text(schema_line_for(folder, tmp_path) + "\n" + text, encoding="utf-8")
    return [str(problem) for problem in check(load_labs(tmp_path, known_image=lambda image: True), tmp_path)]


def test_every_lab_passes_check():
    result = labs_cli("check")
    assert result.returncode == 0, result.stderr


def test_a_clean_lab_has_no_problems(tmp_path):
    assert problems_for(tmp_path, creates={"containers": ["box"]}, steps=[
        {"run": "docker run -d --name box busybox sleep 1", "explain": "x"}]) == []


@pytest.mark.parametrize("command, kind, name", [
    ("docker run -d --name undeclared-box busybox sleep 1", "containers", "undeclared-box"),
    ("docker run -d -p 18080:80 httpd:2.4", "ports", "18080"),
    ("docker run --rm -v secret-vol:/data busybox true", "volumes", "secret-vol"),
    ("docker network create side-net", "networks", "side-net"),
    ("docker tag busybox mine:2", "images", "mine:2"),
    ("docker save -o saved.tar busybox", "files", "saved.tar"),
    ("docker ps > listing.txt", "files", "listing.txt"),
])
def test_an_undeclared_name_in_a_command_is_caught(tmp_path, command, kind, name):
    [problem] = problems_for(tmp_path, steps=[{"run": command, "explain": "x"}])
    assert f"creates.{kind}" in problem and name in problem and "steps.0" in problem


def test_text_inside_a_container_is_not_a_host_file(tmp_path):
    assert problems_for(tmp_path, creates={"containers": ["box"]}, steps=[
        {"run": "docker exec box sh -c 'echo hi > /tmp/x'", "explain": "x"},
        {"run": "docker exec -i box sh <<'EOF'\necho hi > /tmp/y\nEOF", "explain": "x"}]) == []


def test_a_copied_windows_form_should_say_from_bash(tmp_path):
    command = "docker run --rm \\\n  busybox true"
    [problem] = problems_for(tmp_path, steps=[{"run": command, "explain": "x", "other_shells": {
        "powershell": "docker run --rm `\n  busybox true", "cmd": "from-bash"}}])
    assert "other_shells.powershell" in problem and "from-bash" in problem


def test_lookahead_expectations_point_to_the_list_form(tmp_path):
    [problem] = problems_for(tmp_path, steps=[{"run": "docker ps", "explain": "x",
                                               "expect": {"stdout": "(?s)(?=.*a)(?=.*b)"}}])
    assert "stdout_has" in problem


def test_a_missing_schema_line_is_caught(tmp_path):
    write_lab(tmp_path, variant())
    [problem] = [str(p) for p in check(load_labs(tmp_path, known_image=lambda image: True), tmp_path)]
    assert "first line" in problem and "yaml-language-server" in problem


def test_a_missing_command_note_is_caught(tmp_path):
    problems = problems_for(tmp_path, steps=[{"run": "docker frobnicate --hard", "explain": "x"}])
    assert any("docker frobnicate" in problem and "command_notes.yaml" in problem for problem in problems)


def test_a_new_lab_passes_check_and_renders(tmp_path):
    made = labs_cli("new", "ch04/my-first-lab", root=tmp_path)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "ch04" / "my-first-lab" / "lab.yaml").exists()
    assert 'lab("my-first-lab")' in made.stdout
    checked = labs_cli("check", root=tmp_path)
    assert checked.returncode == 0, checked.stderr
    again = labs_cli("new", "ch04/my-first-lab", root=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr

    render = ("from labs.loader import load_labs; from macros import lab_markdown; "
              "print(lab_markdown.whole_lab(load_labs()[0], 3))")
    page = subprocess.run([sys.executable, "-c", render], cwd=REPO, capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, LABS_DIR=str(tmp_path), LABS_ALLOW_UNRECORDED="1"))
    assert page.returncode == 0, page.stderr
    assert "{ #lab-my-first-lab }" in page.stdout and "docker run -d --name my-first-lab-box" in page.stdout


def test_bad_new_lab_names_are_refused(tmp_path):
    result = labs_cli("new", "chapter4/Bad_Name", root=tmp_path)
    assert result.returncode == 2 and "CHAPTER/ID" in result.stderr
    assert not any(tmp_path.iterdir())


def test_the_schema_file_matches_the_model():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == generate(), "run: python -m labs schema"
