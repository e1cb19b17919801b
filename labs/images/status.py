"""What the engine holds for each catalog image: official, stand-in or missing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Optional

from ..kinds import Origin
from . import docker_cli
from .catalog import spec
from .hashing import recipe_hash
from .provision import validate


@dataclass(frozen=True)
class ImageStatus:
    name: str
    present: bool
    origin: str                                # an Origin value
    image_id: Optional[str]
    size_bytes: Optional[int]                  # local, uncompressed (docker image inspect .Size)
    recipe_hash: Optional[str]                 # the stand-in's label; None for official or missing
    official_compressed_size: Optional[int]    # published linux/amd64 compressed size (catalog)
    up_to_date: Optional[bool] = None          # stand-in built from the current recipe?


def status(names: Optional[Iterable[str]] = None) -> list[ImageStatus]:
    rows = []
    for name in validate(names):
        entry = spec(name)
        local = docker_cli.inspect(name)
        if local is None:
            rows.append(ImageStatus(name, False, Origin.MISSING.value, None, None, None, entry.official_compressed_size))
        elif local.is_stand_in:
            rows.append(ImageStatus(name, True, Origin.STAND_IN.value, local.id, local.size, local.recipe_hash,
                                    entry.official_compressed_size, local.recipe_hash == recipe_hash(name)))
        else:
            rows.append(ImageStatus(name, True, Origin.OFFICIAL.value, local.id, local.size, None,
                                    entry.official_compressed_size))
    return rows
