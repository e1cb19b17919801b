"""A note on disk of what a running lab has made, by ID, so `labs clean` can finish the
job if the runner itself was killed, without touching a same-named thing made later."""

from __future__ import annotations

import json
import os
from pathlib import Path

import docker
from docker.errors import APIError, NotFound

from .resources import remove

JOURNAL_DIR = Path(os.environ.get("LABS_JOURNAL_DIR", "/tmp/docker-labs-journal"))


def path_for(lab_id: str) -> Path:
    return JOURNAL_DIR / f"{lab_id}.json"


def write(lab_id: str, made: dict[str, dict[str, str]]) -> None:
    JOURNAL_DIR.mkdir(parents=True, exist_ok=True)
    path_for(lab_id).write_text(json.dumps(made, indent=1), encoding="utf-8")


def forget(lab_id: str) -> None:
    path_for(lab_id).unlink(missing_ok=True)


def read(lab_id: str) -> dict[str, dict[str, str]]:
    try:
        return json.loads(path_for(lab_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def identify(engine: docker.DockerClient, kind: str, name: str) -> str | None:
    """The ID that tells this resource apart from a later one with the same name."""
    try:
        found = getattr(engine, kind).get(name)
    except NotFound:
        return None
    if kind == "volumes":
        return f"{found.name}@{found.attrs.get('CreatedAt', '')}"
    return found.id


def remove_recorded(engine: docker.DockerClient, lab_id: str) -> list[str]:
    """Removes what the journal lists, only where the ID still matches."""
    removed = []
    made = read(lab_id)
    for kind in ("containers", "networks", "volumes", "images"):
        for name, recorded_id in made.get(kind, {}).items():
            if identify(engine, kind, name) != recorded_id:
                continue
            try:
                remove(engine, kind, name)
                removed.append(f"{kind[:-1]} {name}")
            except (APIError, NotFound):
                pass
    forget(lab_id)
    return removed
