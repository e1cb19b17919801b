"""What exists on the engine, by name: the unit every lab declares and cleans up."""

from __future__ import annotations

from dataclasses import dataclass, field

import docker
from docker.errors import NotFound

KINDS = ("containers", "networks", "volumes", "images")


@dataclass(frozen=True)
class Snapshot:
    containers: frozenset[str] = field(default_factory=frozenset)
    networks: frozenset[str] = field(default_factory=frozenset)
    volumes: frozenset[str] = field(default_factory=frozenset)
    images: frozenset[str] = field(default_factory=frozenset)

    def minus(self, other: "Snapshot") -> dict[str, set[str]]:
        return {kind: set(getattr(self, kind)) - set(getattr(other, kind)) for kind in KINDS}


def snapshot(engine: docker.DockerClient) -> Snapshot:
    """Containers, networks and volumes by name; images by tag, untagged ones by ID."""
    images = set()
    for image in engine.images.list(all=True):
        images.update(image.tags or [image.id])
    return Snapshot(
        containers=frozenset(c.name for c in engine.containers.list(all=True, ignore_removed=True)),
        networks=frozenset(n.name for n in engine.networks.list()),
        volumes=frozenset(v.name for v in engine.volumes.list()),
        images=frozenset(images),
    )


def exists(engine: docker.DockerClient, kind: str, name: str) -> bool:
    collection = getattr(engine, kind)
    try:
        collection.get(name)
        return True
    except NotFound:
        return False


def anonymous_volumes(engine: docker.DockerClient, container_name: str) -> set[str]:
    """Volumes Docker made for a container's VOLUME paths (they have no name of their own)."""
    try:
        container = engine.containers.get(container_name)
    except NotFound:
        return set()
    named = set()
    for mount in container.attrs.get("Mounts", []):
        if mount.get("Type") == "volume" and len(mount.get("Name", "")) == 64:
            named.add(mount["Name"])
    return named


def image_tag(name: str) -> str:
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"
