"""SIGKILL at awkward moments, then `labs clean`: the engine is exactly as before, the reader's
own objects survive, and no working folder or journal is left.

Kill points are found from what the runner prints: "[단계 k/N]" when step k starts and "→" when
it ends. A boundary kill waits for the end of step k; a mid-step kill comes a moment after step k
starts (long steps such as `docker compose up -d` are killed at several moments)."""

from __future__ import annotations

import glob
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from labs.loader import load_labs
from labs.resources import snapshot

from ..neighbours import KILL_TESTED_LABS, foreign_to, image_of_its_own, residue, worker_group

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.xdist_group(worker_group(KILL_TESTED_LABS[0]))

# (lab, step number, "end" or seconds after the step starts)
KILL_POINTS = [  # every lab here is in KILL_TESTED_LABS
    # a user-defined network, two containers with unnamed volumes
    ("wordpress-mariadb", 1, "end"), ("wordpress-mariadb", 2, 0.2), ("wordpress-mariadb", 2, "end"),
    ("wordpress-mariadb", 3, "end"), ("wordpress-mariadb", 4, 0.3), ("wordpress-mariadb", 4, "end"),
    ("wordpress-mariadb", 6, "end"), ("wordpress-mariadb", 8, "end"),
    # Compose: one long step that makes a network, two volumes and two containers
    ("compose-wordpress", 1, 0.5), ("compose-wordpress", 1, 1.5), ("compose-wordpress", 1, 3.0),
    ("compose-wordpress", 1, "end"), ("compose-wordpress", 3, 0.5), ("compose-wordpress", 3, "end"),
    ("compose-wordpress", 5, "end"),
    # named volumes, a container using one, a backup file in the working folder
    ("named-volume", 1, "end"), ("named-volume", 2, 0.2), ("named-volume", 2, "end"),
    ("named-volume", 4, "end"), ("named-volume", 5, 0.3), ("named-volume", 6, "end"),
    ("named-volume", 7, "end"), ("named-volume", 8, "end"),
]
DECOYS = {"containers": "decoy-reader-box", "volumes": "decoy-reader-vol", "networks": "decoy-reader-net",
          "images": "decoy-reader-img:1"}


@pytest.fixture(scope="module")
def decoys(engine):
    """A reader's own objects, which no clean-up may touch."""
    made = [engine.volumes.create(DECOYS["volumes"]), engine.networks.create(DECOYS["networks"]),
            engine.containers.create("busybox", ["sleep", "1"], name=DECOYS["containers"])]
    image_of_its_own(engine, "decoy-reader-img", "1")
    yield
    for item in made[::-1]:
        item.remove(force=True) if hasattr(item, "attach") else item.remove()
    engine.images.remove(DECOYS["images"])


def _env(tmp_path) -> dict:
    return dict(os.environ, PYTHONPATH=str(REPO), LABS_JOURNAL_DIR=str(tmp_path / "journal"),
                LABS_RUNS_DIR=str(tmp_path / "runs"))


def _run_and_kill(lab_id: str, step: int, moment, env: dict) -> str:
    process = subprocess.Popen([sys.executable, "-m", "labs", "run", lab_id], cwd=REPO, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    seen = []
    started = f"[단계 {step}/"
    inside = False
    for line in process.stdout:
        seen.append(line.rstrip())
        if line.startswith(started):
            inside = True
            if moment != "end":
                time.sleep(moment)
                break
        elif inside and line.lstrip().startswith("→"):
            break
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    process.stdout.close()
    assert inside, f"the run never reached step {step}:\n" + "\n".join(seen[-20:])
    return "\n".join(seen)


@pytest.mark.parametrize("lab_id, step, moment", KILL_POINTS,
                         ids=[f"{lab}-step{step}-{moment}" for lab, step, moment in KILL_POINTS])
def test_sigkill_then_clean_leaves_the_engine_as_it_was(engine, decoys, tmp_path, lab_id, step, moment):
    env = _env(tmp_path)
    before = snapshot(engine)
    folders_before = set(glob.glob(os.path.join(tempfile.gettempdir(), f"lab-{lab_id}-*")))
    try:
        _kill_and_check(engine, tmp_path, env, before, folders_before, lab_id, step, moment)
    finally:
        # Whatever failed above, leave nothing for the next kill point or test to trip over.
        subprocess.run([sys.executable, "-m", "labs", "clean", lab_id], cwd=REPO, env=env,
                       capture_output=True, text=True, timeout=300)


def _kill_and_check(engine, tmp_path, env, before, folders_before, lab_id, step, moment) -> None:
    output = _run_and_kill(lab_id, step, moment, env)

    clean = subprocess.run([sys.executable, "-m", "labs", "clean", lab_id], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=300)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "Traceback" not in clean.stderr

    after = snapshot(engine)
    for kind, (appeared, vanished) in residue(engine, before, after, foreign_to(lab_id, load_labs())).items():
        assert not appeared, f"left behind {kind}: {sorted(appeared)}\n{clean.stdout}\n{output[-1500:]}"
        assert not vanished, f"removed {kind} it did not create: {sorted(vanished)}"
        assert DECOYS[kind] in getattr(after, kind), f"the reader's {kind} object is gone"
    assert not list((tmp_path / "journal").glob("*.json")), "the journal should be gone after a full clean"
    left = set(glob.glob(os.path.join(tempfile.gettempdir(), f"lab-{lab_id}-*"))) - folders_before
    assert not left, f"working folder left behind: {sorted(left)}"

    again = subprocess.run([sys.executable, "-m", "labs", "clean", lab_id], cwd=REPO, env=env,
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and "nothing to clean" in again.stdout


def test_killed_labs_share_their_worker_group():
    """A kill test beside a run of the same lab would see that run's objects as its own."""
    assert {lab for lab, _step, _moment in KILL_POINTS} <= set(KILL_TESTED_LABS)
