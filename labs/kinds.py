"""The kinds of engine object a lab may create, and where an image came from: one table that
every layer reads."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Origin(str, Enum):
    """Where the image a lab used came from."""

    OFFICIAL = "official"
    STAND_IN = "stand-in"      # built here from Debian packages (see labs/images)
    MISSING = "missing"

    @property
    def korean(self) -> str:
        return {"official": "공식 이미지", "stand-in": "로컬 대체 이미지", "missing": "없음"}[self.value]


@dataclass(frozen=True)
class ResourceKind:
    plural: str        # the key under `creates:` and the docker SDK collection
    singular: str
    korean: str
    remove_hint: str   # what a reader types to remove one by hand


CONTAINERS = ResourceKind("containers", "container", "컨테이너", "docker rm -f {name}")
NETWORKS = ResourceKind("networks", "network", "네트워크", "docker network rm {name}")
VOLUMES = ResourceKind("volumes", "volume", "볼륨", "docker volume rm {name}")
IMAGES = ResourceKind("images", "image", "이미지", "docker image rm {name}")

# In removal order: a network or volume is freed by removing its containers first.
RESOURCE_KINDS = (CONTAINERS, NETWORKS, VOLUMES, IMAGES)
KINDS = tuple(kind.plural for kind in RESOURCE_KINDS)
BY_NAME = {kind.plural: kind for kind in RESOURCE_KINDS}


def image_tag(name: str) -> str:
    """The tag Docker means by an image name: `busybox` is `busybox:latest`."""
    return name if ":" in name.rsplit("/", 1)[-1] else f"{name}:latest"
