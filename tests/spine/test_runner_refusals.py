"""The runner refuses rather than touch a reader's things, and always cleans up after itself."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from labs import journal
from labs.loader import load_labs
from labs.preflight import LabRefused
from labs.resources import snapshot
from labs.runner import LabRunner

from ..neighbours import foreign_to, image_of_its_own
from .lab_factory import lab_in, labs_env, variant, write_lab

REPO = Path(__file__).resolve().parents[2]


def cli(args, tmp_path, **popen):
    env = labs_env(LABS_DIR=str(tmp_path), LABS_RUNS_DIR=str(tmp_path / "runs"),
                   LABS_JOURNAL_DIR=str(tmp_path / "journal"))
    return subprocess.Popen([sys.executable, "-m", "labs", *args], cwd=REPO, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def test_readers_container_with_a_lab_name_survives(tmp_path, engine):
    readers = engine.containers.create("busybox", ["sleep", "60"], name="spine-readers-box")
    try:
        lab = lab_in(tmp_path, creates={"containers": ["spine-readers-box"]},
                     steps=[{"run": "docker rm -f spine-readers-box", "explain": "위험한 단계"}])
        with pytest.raises(LabRefused) as refused:
            LabRunner(lab, engine, log=lambda _: None).run()
        assert "spine-readers-box" in str(refused.value) and "docker rm -f spine-readers-box" in str(refused.value)
        survivor = engine.containers.get("spine-readers-box")
        assert survivor.id == readers.id and survivor.status == "created"
    finally:
        readers.remove(force=True)


def test_busy_port_held_by_a_program_is_reported(tmp_path, engine):
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", 0))
        holder.listen()
        port = holder.getsockname()[1]
        if port < 1024:
            pytest.fail("the kernel gave a privileged port")
        lab = lab_in(tmp_path, creates={"ports": [port]})
        with pytest.raises(LabRefused) as refused:
            LabRunner(lab, engine, log=lambda _: None).run()
    assert f"{port}" in str(refused.value) and "another program" in str(refused.value)


def test_busy_port_held_by_a_container_names_it(tmp_path, engine):
    holder = engine.containers.run("busybox", ["sleep", "60"], name="spine-port-holder", detach=True,
                                   ports={"80/tcp": ("0.0.0.0", 18931)})
    try:
        lab = lab_in(tmp_path, creates={"ports": [18931]})
        with pytest.raises(LabRefused) as refused:
            LabRunner(lab, engine, log=lambda _: None).run()
        assert "spine-port-holder" in str(refused.value) and "18931" in str(refused.value)
    finally:
        holder.remove(force=True)


def test_missing_image_is_refused(tmp_path, engine):
    lab = lab_in(tmp_path, images=["spine-no-such-image:0"])
    with pytest.raises(LabRefused) as refused:
        LabRunner(lab, engine, log=lambda _: None).run()
    assert "spine-no-such-image:0" in str(refused.value) and "python -m labs images" in str(refused.value)


def test_failed_step_still_cleans_up(tmp_path, engine):
    lab = lab_in(tmp_path, creates={"containers": ["spine-fails"]}, steps=[
        {"run": "docker run -d --name spine-fails busybox sleep 60", "explain": "만듭니다"},
        {"run": "docker exec spine-fails false", "explain": "실패합니다"},
        {"run": "echo never", "explain": "실행되지 않습니다"},
    ])
    result = LabRunner(lab, engine, log=lambda _: None).run()
    assert not result.ok and len(result.steps) == 2 and result.steps[1].exit_code == 1
    assert result.safety_net == ["container spine-fails"]
    assert "spine-fails" not in snapshot(engine).containers


def test_undeclared_container_fails_the_declaration(tmp_path, engine):
    lab = lab_in(tmp_path, steps=[
        {"run": "docker run -d --name spine-sneaky busybox sleep 60", "explain": "선언하지 않은 컨테이너"},
    ], cleanup=[{"run": "docker rm -f spine-sneaky", "explain": "지웁니다"}])
    # The site's labs and other tests run beside this one; what they make is theirs.
    beside = foreign_to(lab.id, [*load_labs(), lab])
    result = LabRunner(lab, engine, log=lambda _: None,
                       foreign=lambda kind, name: name != "spine-sneaky" and beside(kind, name)).run()
    assert result.steps and result.steps[0].exit_code == 0, result.steps
    assert "spine-sneaky" in result.undeclared.get("containers", []), (result.undeclared, result.steps)


def test_expectations_can_fail(tmp_path, engine):
    lab = lab_in(tmp_path, steps=[
        {"run": "echo hello", "explain": "x", "expect": {"stdout": "goodbye"}},
    ])
    result = LabRunner(lab, engine, log=lambda _: None).run()
    assert not result.ok and "stdout does not match" in result.steps[0].failures[0]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_lab_leaves_nothing_behind(tmp_path, engine, sig):
    name = f"spine-interrupted-{sig.name.lower()}"
    write_lab(tmp_path, variant(id="interrupted", creates={"containers": [name], "volumes": [f"{name}-data"]}, steps=[
        {"run": f"docker volume create {name}-data", "explain": "볼륨"},
        {"run": f"docker run -d --name {name} -v {name}-data:/data busybox sleep 120", "explain": "컨테이너"},
        {"run": "echo started && sleep 60", "explain": "오래 걸리는 단계"},
    ]))
    process = cli(["run", "interrupted"], tmp_path)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if engine.api.containers(filters={"name": f"^{name}$"}):
            break
        time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("the lab never started its container")
    time.sleep(0.5)  # let the runner enter the long step; the assertion below does not depend on timing
    process.send_signal(sig)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stdout + stderr
    assert "중단" in stdout
    assert name not in snapshot(engine).containers
    assert f"{name}-data" not in snapshot(engine).volumes
    assert "Traceback" not in stderr


def test_clean_removes_what_a_killed_run_made_and_nothing_else(tmp_path, engine, monkeypatch):
    monkeypatch.setattr(journal, "JOURNAL_DIR", tmp_path / "journal")
    workdir = Path(tempfile.mkdtemp(prefix="lab-journalled-"))
    journal.begin("journalled", {"containers": ["spine-journal-made"]}, workdir)
    made = engine.containers.create("busybox", ["true"], name="spine-journal-made")
    journal.observed("journalled", {"containers": {"spine-journal-made": made.id}}, [])
    report = journal.clean(engine, "journalled")
    assert report.removed == ["container spine-journal-made", f"folder {workdir}"] and report.complete
    assert "spine-journal-made" not in snapshot(engine).containers and not workdir.exists()
    assert journal.read("journalled") == {}

    later = engine.containers.create("busybox", ["true"], name="spine-journal-made")
    try:
        journal.begin("journalled", {"containers": ["spine-journal-made"]}, workdir)
        journal.observed("journalled", {"containers": {"spine-journal-made": made.id}}, [])
        report = journal.clean(engine, "journalled")
        assert report.removed == [] and "not the one the lab made" in report.left_alone[0]
        assert engine.containers.get("spine-journal-made").id == later.id
    finally:
        later.remove(force=True)


def test_clean_leaves_a_same_named_object_that_predates_the_run(tmp_path, engine, monkeypatch):
    """The journal names what a step may create before it runs; an object by that name that is
    older than the run (the step never got to make its own) is someone else's."""
    monkeypatch.setattr(journal, "JOURNAL_DIR", tmp_path / "journal")
    older = engine.volumes.create("spine-journal-older")
    try:
        time.sleep(2.5)
        journal.begin("journalled", {"volumes": ["spine-journal-older"]}, tmp_path)
        report = journal.clean(engine, "journalled")
        assert report.removed == [] and "there before the lab ran" in report.left_alone[0]
        assert engine.volumes.get("spine-journal-older").id == older.id
    finally:
        older.remove(force=True)


def test_a_listener_only_on_ipv6_loopback_is_a_busy_port(tmp_path, engine):
    if not socket.has_ipv6:
        pytest.fail("this machine has no IPv6; the check needs it")
    with socket.socket(socket.AF_INET6) as holder:
        holder.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        holder.bind(("::1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        lab = lab_in(tmp_path, creates={"ports": [port]})
        with pytest.raises(LabRefused) as refused:
            LabRunner(lab, engine, log=lambda _: None).run()
    assert f"{port}" in str(refused.value) and "another program" in str(refused.value)


def test_a_readers_image_tag_the_lab_would_create_is_refused(tmp_path, engine):
    image_of_its_own(engine, "localhost:5001/spine-hello", "2")
    try:
        lab = lab_in(tmp_path, creates={"images": ["localhost:5001/spine-hello:2"]}, steps=[
            {"run": "docker tag busybox localhost:5001/spine-hello:2", "explain": "태그"}],
            cleanup=[{"run": "docker image rm localhost:5001/spine-hello:2", "explain": "지웁니다"}])
        with pytest.raises(LabRefused) as refused:
            LabRunner(lab, engine, log=lambda _: None).run()
        assert "localhost:5001/spine-hello:2" in str(refused.value)
        assert "docker image rm localhost:5001/spine-hello:2" in str(refused.value)
        engine.images.get("localhost:5001/spine-hello:2")  # still there
    finally:
        engine.images.remove("localhost:5001/spine-hello:2")


def test_a_lab_whose_last_run_was_killed_asks_for_clean_first(tmp_path, engine, monkeypatch):
    monkeypatch.setattr(journal, "JOURNAL_DIR", tmp_path / "journal")
    lab = lab_in(tmp_path)
    journal.begin(lab.id, {"containers": []}, tmp_path)
    entry = journal.read(lab.id)
    entry["pid"] = 2 ** 22 + 1  # no such process: the runner is gone
    journal._write(lab.id, entry)
    with pytest.raises(LabRefused) as refused:
        LabRunner(lab, engine, log=lambda _: None).run()
    assert f"python -m labs clean {lab.id}" in str(refused.value)
