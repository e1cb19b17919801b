"""The engine goes away in the middle of a lab: one message, exit code 4, no traceback, no
two-minute wait, the journal kept; once the engine is back, `labs clean` leaves nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from labs.loader import load_labs
from labs.resources import snapshot

from ..spine.lab_factory import variant, write_lab
from .engine_proxy import EngineProxy

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.xdist_group("labs")
NAME = "spine-engine-lost"


def test_engine_stops_mid_lab(tmp_path, engine):
    write_lab(tmp_path / "labs", variant(id="engine-lost", creates={"containers": [NAME], "volumes": [f"{NAME}-data"]},
                                         steps=[
        {"run": f"docker volume create {NAME}-data", "explain": "볼륨"},
        {"run": f"docker run -d --name {NAME} -v {NAME}-data:/data busybox sleep 300", "explain": "컨테이너"},
        {"run": f"docker exec {NAME} ls /data/never", "explain": "오지 않는 파일을 기다립니다", "wait": 120},
    ], cleanup=[{"run": f"docker rm -f {NAME}", "explain": "지웁니다"}]))
    assert load_labs(tmp_path / "labs", known_image=lambda image: True)
    proxy = EngineProxy(tmp_path / "engine.sock").start()
    env = dict(os.environ, PYTHONPATH=str(REPO), DOCKER_HOST=proxy.docker_host,
               LABS_DIR=str(tmp_path / "labs"), LABS_JOURNAL_DIR=str(tmp_path / "journal"),
               LABS_RUNS_DIR=str(tmp_path / "runs"))
    process = subprocess.Popen([sys.executable, "-m", "labs", "run", "engine-lost"], cwd=REPO, env=env,
                               text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 60
        while not engine.api.containers(filters={"name": f"^{NAME}$"}) and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(2)  # the wait step is now retrying
        proxy.cut()
        cut_at = time.monotonic()
        stdout, stderr = process.communicate(timeout=110)  # well inside the step's 120 s wait
        waited = time.monotonic() - cut_at
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 4, stdout + stderr
    assert "Traceback" not in stderr and stderr.count("\n") < 15, stderr
    assert "python -m labs engine up" in stderr and "python -m labs clean engine-lost" in stderr
    assert waited < 60, f"the wait step kept retrying {waited:.0f} s after the engine went away"
    assert list((tmp_path / "journal").glob("engine-lost.json")), "the journal must be kept for clean"
    assert NAME in snapshot(engine).containers  # nothing could be cleaned while the engine was gone

    proxy.start()  # the engine is back
    clean = subprocess.run([sys.executable, "-m", "labs", "clean", "engine-lost"], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=120)
    proxy.cut()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    now = snapshot(engine)
    assert NAME not in now.containers and f"{NAME}-data" not in now.volumes
    assert not list((tmp_path / "journal").glob("*.json"))
