"""Shared fixtures: the real engine, and a snapshot helper for residue checks."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(os.environ.get("LABS_ARTIFACTS", REPO / ".artifacts"))
sys.path.insert(0, str(REPO))


@pytest.fixture(scope="session")
def engine():
    from labs.engine import EngineUnavailable, client

    try:
        docker_client = client()
    except EngineUnavailable as error:
        pytest.fail(f"no Docker engine: run `python -m labs engine up` first\n{error}", pytrace=False)
    yield docker_client
    docker_client.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
