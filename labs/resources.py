"""What exists on the engine, by name: the unit every lab declares and cleans up."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Callable

import docker
from docker.errors import NotFound

from .kinds import KINDS, image_tag  # noqa: F401  (image_tag: callers import it from here too)

# Whether an object of this kind and name belongs to someone working beside the lab; the
# caller knows (the test suite knows its own fixtures' names), the runner does not.
Foreign = Callable[[str, str], bool]


def nobody_else(_kind: str, _name: str) -> bool:
    return False


@dataclass(frozen=True)
class Snapshot:
    containers: frozenset[str] = field(default_factory=frozenset)
    networks: frozenset[str] = field(default_factory=frozenset)
    volumes: frozenset[str] = field(default_factory=frozenset)
    images: frozenset[str] = field(default_factory=frozenset)

    def minus(self, other: "Snapshot") -> dict[str, set[str]]:
        return {kind: set(getattr(self, kind)) - set(getattr(other, kind)) for kind in KINDS}


LISTING_TRIES = 5


def listed(call: Callable[[], list]) -> list:
    """A list call that tolerates an object vanishing while the engine builds the list: the
    containerd image store looks each image up after listing it, and answers the whole call
    with 404 when another client removed one in between. The next call sees a settled list."""
    for attempt in range(LISTING_TRIES):
        try:
            return call()
        except NotFound:
            if attempt == LISTING_TRIES - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def snapshot(engine: docker.DockerClient) -> Snapshot:
    """Containers, networks and volumes by name; images by tag, untagged ones by ID.
    One list call per kind, so nothing is looked up after it may have gone."""
    api = engine.api
    images = set()
    for image in listed(lambda: api.images(all=True)):
        tags = [tag for tag in image.get("RepoTags") or [] if tag != "<none>:<none>"]
        # An untagged image pulled by digest is known by its digest reference (repo@sha256:...).
        # A tagged image's digests are attributes of it, not objects of their own: with the
        # containerd image store every tag adds one, so counting them would make each `docker tag`
        # anywhere on the engine look like a new image.
        digests = [digest for digest in image.get("RepoDigests") or [] if not digest.startswith("<none>")]
        images.update(tags or digests or [image["Id"]])
    return Snapshot(
        containers=frozenset(container["Names"][0].lstrip("/")
                             for container in listed(lambda: api.containers(all=True))),
        networks=frozenset(network["Name"] for network in listed(api.networks)),
        volumes=frozenset(volume["Name"] for volume in listed(lambda: api.volumes().get("Volumes") or [])),
        images=frozenset(images),
    )


GENERATED_NAME = re.compile(r"^[a-z]+_[a-z]+$")


def transient_container(engine: docker.DockerClient, name: str) -> bool:
    """A container made with --rm removes itself; while labs run side by side such
    containers of other labs come and go under generated names (hungry_ramanujan)."""
    if not GENERATED_NAME.match(name):
        return False
    try:
        return bool(engine.api.inspect_container(name)["HostConfig"].get("AutoRemove"))
    except NotFound:
        return True


def exists(engine: docker.DockerClient, kind: str, name: str) -> bool:
    collection = getattr(engine, kind)
    try:
        collection.get(name)
        return True
    except NotFound:
        return False


def remove(engine: docker.DockerClient, kind: str, name: str) -> None:
    """Removes one resource by name; a container goes with its anonymous volumes."""
    if kind == "containers":
        engine.containers.get(name).remove(force=True, v=True)
    elif kind == "volumes":
        engine.volumes.get(name).remove(force=True)
    elif kind == "images":
        engine.images.remove(name)
    else:
        engine.networks.get(name).remove()


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


def covered(kind: str, name: str, declared: set[str], foreign: Foreign = nobody_else) -> bool:
    """Whether a declaration covers this name, or it is someone else's; a pull by digest
    (repo@sha256:...) is covered by a declared tag of the same repository."""
    if name in declared or foreign(kind, name):
        return True
    if kind == "images" and "@" in name:
        repository = name.split("@", 1)[0]
        return any(tag.rsplit(":", 1)[0] == repository for tag in declared)
    return False


def appeared_elsewhere(engine: docker.DockerClient, kind: str, name: str, allowed: set[str],
                       foreign: Foreign = nobody_else) -> bool:
    """Whether something that appeared while a lab ran is accounted for: declared (by the lab
    or the caller says it is someone else's), a self-removing --rm container of someone working
    beside it, or the unnamed volume of a container that is still there."""
    if covered(kind, name, allowed, foreign):
        return True
    if kind == "containers":
        return transient_container(engine, name)
    if kind == "volumes":
        return len(name) == 64 and (bool(engine.api.containers(all=True, filters={"volume": name}))
                                    or _gone_soon(engine, name))
    if kind == "images" and name.startswith("sha256:"):
        return _untagged_by_provisioning(engine, name)
    return False


def _gone_soon(engine: docker.DockerClient, volume: str, seconds: float = 3.0) -> bool:
    """An unnamed volume goes a moment after its `--rm` container (the engine removes the two
    one after the other); one that is still there after a few seconds was really left behind."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            engine.volumes.get(volume)
        except NotFound:
            return True
        time.sleep(0.25)
    return False


def _untagged_by_provisioning(engine: docker.DockerClient, image_id: str) -> bool:
    """An untagged image left for a moment when image provisioning rebuilds a stand-in
    (its tests rebuild one beside the labs): it carries the stand-in label, or is gone."""
    from .images.docker_cli import STAND_IN_LABEL

    try:
        labels = engine.api.inspect_image(image_id)["Config"].get("Labels") or {}
    except NotFound:
        return True
    return labels.get(STAND_IN_LABEL) == "true"


def vanished_elsewhere(kind: str, name: str, allowed: set[str], foreign: Foreign = nobody_else) -> bool:
    """Whether something that disappeared while a lab ran is accounted for. It can no longer be
    inspected, so only its name speaks: declared elsewhere, a fixture's, a generated --rm
    container name, an unnamed volume that went with its container, or an untagged image
    (a rebuilt stand-in's old image, removed by provisioning)."""
    if covered(kind, name, allowed, foreign):
        return True
    if kind == "containers":
        return bool(GENERATED_NAME.match(name))
    if kind == "images":
        return name.startswith("sha256:")  # labs remove images by tag, never by bare ID
    return kind == "volumes" and len(name) == 64
