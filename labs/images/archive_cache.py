"""Built stand-ins kept as `docker save` archives, keyed by recipe hash.

Each engine profile has its own image store, so the second profile (and a fresh data root)
loads the archive in seconds instead of building again. An archive is only ever loaded
under the recipe hash it was saved with."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Optional

from . import docker_cli

CACHE_DIR = Path(os.environ.get("LABS_IMAGE_CACHE", "/var/cache/docker-labs-images"))


def archive_path(name: str, recipe_hash: str) -> Path:
    return CACHE_DIR / f"{re.sub(r'[^a-z0-9.-]+', '_', name)}-{recipe_hash[:16]}.tar"


def load(name: str, recipe_hash: str) -> Optional[str]:
    """The image ID after loading a matching archive, or None when there is none or it did not load."""
    archive = archive_path(name, recipe_hash)
    if not archive.is_file() or docker_cli.load(archive).returncode != 0:
        return None
    loaded = docker_cli.inspect(name)
    if loaded is None or loaded.recipe_hash != recipe_hash:
        return None
    return loaded.id


def save(name: str, recipe_hash: str) -> None:
    """Best effort: a full disk or a read-only cache only costs a rebuild later."""
    archive = archive_path(name, recipe_hash)
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        for older in CACHE_DIR.glob(archive.name.rsplit("-", 1)[0] + "-*.tar"):
            older.unlink()
        partial = archive.with_suffix(".partial")
        if docker_cli.save(name, partial).returncode == 0:
            partial.rename(archive)
        else:
            partial.unlink(missing_ok=True)
    except OSError:
        pass
