"""An engine in namespaces of its own (labs.isolation), beside the engine the suite runs on:
its own socket at the default path, its own host ports, one engine per data, and nothing left
running when its runner is stopped.

The isolated engine here is the running profile's, unpacked already, on data of its own (a
state folder under tmp_path whose unpacked root is the real one), so it never meets the
isolated runs that `./dev test` starts beside the suite."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pytest

from labs import engine as engine_module

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def state(engine) -> Iterator[tuple[str, Path]]:
    """(profile, state folder) for an isolated engine that shares nothing but its binaries."""
    profile = engine_module.running_profile()
    if profile is None or not engine_module.PROFILES[profile].root.is_dir():
        pytest.skip("the engine the suite runs on was not started by this project; no unpacked profile to reuse")
    folder = Path(tempfile.mkdtemp(prefix="docker-labs-isolation-test-", dir="/var/tmp"))
    (folder / profile).mkdir(parents=True)
    (folder / profile / "root").symlink_to(engine_module.PROFILES[profile].root)
    yield profile, folder
    shutil.rmtree(folder, ignore_errors=True)


def _isolated(profile: str, folder: Path, *command: str, **options) -> subprocess.Popen:
    env = dict(os.environ, LABS_ENGINE_STATE=str(folder))
    return subprocess.Popen([sys.executable, "-m", "labs", "isolated", profile, "--", *command], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **options)


def _engine_processes(data_root: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if str(data_root).encode() in command:
                found.append(int(entry.name))
    return found


def test_the_isolated_engine_answers_on_the_default_socket_with_its_own_ports(state, engine):
    profile, folder = state
    with socket.create_server(("127.0.0.1", 0)) as taken_here:
        port = taken_here.getsockname()[1]
        script = ("docker info --format 'root={{.DockerRootDir}}'; ls /var/run/docker.sock; "
                  f"python3 -c 'import socket; socket.create_server((\"127.0.0.1\", {port})); print(\"port free\")'")
        run = _isolated(profile, folder, "bash", "-c", script)
        output, _ = run.communicate(timeout=180)
    assert run.returncode == 0, output
    assert f"root={folder / profile / 'data'}" in output, output
    assert "/var/run/docker.sock" in output and "port free" in output, output
    # The suite's own engine, on the machine's socket, is still the one it was.
    assert engine.info()["DockerRootDir"] != str(folder / profile / "data")


def test_one_engine_per_data_and_stopping_the_runner_stops_the_engine(state):
    profile, folder = state
    data_root = folder / profile / "data"
    first = _isolated(profile, folder, "sleep", "600")
    deadline = time.monotonic() + 120
    while not (data_root.is_dir() and _engine_processes(data_root)) and time.monotonic() < deadline:
        assert first.poll() is None, first.communicate()[0]
        time.sleep(0.5)
    try:
        assert _engine_processes(data_root), "the isolated engine did not start"
        second = _isolated(profile, folder, "true")
        output, _ = second.communicate(timeout=120)
        assert second.returncode == 4 and "already runs" in output, output
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=60)
    deadline = time.monotonic() + 30
    while _engine_processes(data_root) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert _engine_processes(data_root) == [], "the isolated engine outlived its runner"

