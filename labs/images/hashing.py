"""Content hash of a recipe: what decides whether a stand-in must be rebuilt.

sha256 over every file of recipes/<recipe>/ (relative path, executable bit, bytes),
in sorted order, documentation (*.md) left out; a recipe built FROM another stand-in
also covers that base's recipe hash, so changing the base rebuilds its dependents.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .catalog import spec

IGNORED_SUFFIXES = (".md", ".pyc")
IGNORED_DIRS = ("__pycache__",)


def folder_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(
        p for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(IGNORED_SUFFIXES)
        and not any(part in IGNORED_DIRS for part in p.relative_to(folder).parts)
    )
    for path in files:
        relative = path.relative_to(folder).as_posix()
        executable = "x" if os.access(path, os.X_OK) else "-"
        digest.update(f"{relative}\0{executable}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def recipe_hash(name: str) -> str:
    """Recipe hash of the image's stand-in (includes its base's recipe hash)."""
    entry = spec(name)
    digest = hashlib.sha256()
    digest.update(f"{entry.name}\0{entry.builder}\0".encode())
    digest.update(folder_hash(entry.recipe_dir).encode())
    if entry.base:
        digest.update(b"\0base\0" + recipe_hash(entry.base).encode())
    return digest.hexdigest()
