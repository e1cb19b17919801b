"""The upstream engine profile: found, checked and explained without an engine; and, where it
runs, really Docker 29 with its own time namespace per container."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from labs import engine as engine_module
from labs.engine import PROFILES, ArchiveMismatch, UpstreamArchive, available

REPO = Path(__file__).resolve().parents[2]


def test_without_the_archive_the_profile_is_skipped_with_one_line_that_says_why(tmp_path, monkeypatch):
    monkeypatch.setattr(engine_module, "UPSTREAM_DIR", tmp_path)
    why = available(PROFILES["upstream"])
    assert why is not None and "\n" not in why and str(tmp_path) in why
    assert available(PROFILES["current"]) is None and available(PROFILES["classic"]) is None
    assert engine_module.default_profile_name() == "current"

    result = subprocess.run([sys.executable, "-m", "labs", "engine", "available", "--profile", "upstream"],
                            cwd=REPO, env=dict(os.environ, LABS_UPSTREAM_ENGINES=str(tmp_path)),
                            capture_output=True, text=True)
    assert result.returncode == 1 and result.stdout.strip().count("\n") == 0 and "upstream" in result.stdout


def test_an_archive_that_is_not_the_recorded_build_is_refused_before_unpacking(tmp_path, monkeypatch):
    monkeypatch.setattr(engine_module, "UPSTREAM_DIR", tmp_path)
    (tmp_path / "engine.tar.xz").write_bytes(b"not the engine that BUILD.md describes")
    archive = UpstreamArchive("engine.tar.xz", hashlib.sha256(b"the real build").hexdigest())
    with pytest.raises(ArchiveMismatch, match="sha256"):
        engine_module._check_archive(archive)
    good = UpstreamArchive("engine.tar.xz", hashlib.sha256((tmp_path / "engine.tar.xz").read_bytes()).hexdigest())
    engine_module._check_archive(good)


def test_the_pinned_checksum_is_the_one_in_the_build_record():
    build_record = engine_module.UPSTREAM_DIR / "BUILD.md"
    if not build_record.is_file():
        pytest.skip(f"{build_record} is not on this machine")
    upstream = PROFILES["upstream"].upstream
    assert f"{upstream.sha256}  {upstream.file_name}" in build_record.read_text()


def test_docker_29_gives_each_container_a_time_namespace_of_its_own(engine):
    if engine_module.running_profile() != "upstream":
        pytest.skip("the upstream profile is not the running engine")
    assert engine.version()["Version"].startswith("29.")
    inside = engine.containers.run("busybox", ["readlink", "/proc/self/ns/time"], name="spine-time-namespace",
                                   remove=True).decode().strip()
    assert inside.startswith("time:[") and inside != os.readlink("/proc/self/ns/time")
