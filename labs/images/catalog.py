"""Every image a lab may declare, with the recipe of its local stand-in.

A stand-in has the same name and tag as the official image and is built here from
Debian's packages when `docker pull` cannot reach a registry. Its recipe is the
folder recipes/<recipe>/ (Dockerfile or root file system script, support files,
CONTRACT.md with the interface the labs rely on).

Official sizes are the compressed (transfer) size of the linux/amd64 image as
published in docker-library/repo-info (repos/<name>/remote/<tag>.md, "Total Size"),
at the commit named in `size_source`; None where no published figure was found.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .errors import ImageUnknown

RECIPES_DIR = Path(__file__).resolve().parent / "recipes"

# How a stand-in is made.
BUSYBOX = "busybox"        # Debian 13's static busybox written as an OCI archive (busybox_image.py)
ROOTFS = "rootfs"          # debootstrap minbase, tarred and `docker import`ed
DOCKERFILE = "dockerfile"  # `docker build` of recipes/<recipe>/ (FROM another stand-in)

DEFAULT_REGISTRY_PREFIXES = ("docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/")


@dataclass(frozen=True)
class ImageSpec:
    name: str                                # canonical name:tag
    recipe: str                              # folder under recipes/
    builder: str                             # BUSYBOX, ROOTFS or DOCKERFILE
    base: Optional[str]                      # stand-in this recipe builds FROM (its hash is part of ours)
    summary: str                             # one line, Korean (English)
    official_compressed_size: Optional[int]  # bytes, linux/amd64, see module docstring
    size_source: Optional[str]               # where that figure was read
    build_weight: int = 1                    # longer builds start first when built in parallel
    archived: bool = True                    # kept as a `docker save` archive for the next engine profile

    @property
    def recipe_dir(self) -> Path:
        return RECIPES_DIR / self.recipe


def _repo_info(path: str, commit: str) -> str:
    return f"docker-library/repo-info {path} @ {commit}"


CATALOG: dict[str, ImageSpec] = {spec.name: spec for spec in (
    ImageSpec(
        "busybox:latest", "busybox", BUSYBOX, None,
        "데비안 13 busybox-static, amd64·arm64 인덱스 (Debian 13 static busybox, multi-platform index)",
        2226327, _repo_info("repos/busybox/remote/latest.md", "01a7054230d5"),
        # Written for each engine's image store (an index on containerd, one platform on overlay2),
        # in seconds: an archive saved from one store would carry the wrong shape to the other.
        archived=False,
    ),
    ImageSpec(
        "debian:bookworm-slim", "debian", ROOTFS, None,
        "debootstrap minbase로 만든 데비안 12 (debootstrap minbase, imported)",
        28232590, _repo_info("repos/debian/remote/bookworm-slim.md", "05f354f0a08a"), build_weight=3,
    ),
    ImageSpec(
        "httpd:2.4", "httpd", DOCKERFILE, "debian:bookworm-slim",
        "데비안 Apache를 공식 이미지 배치로 (Debian's Apache in the official layout)",
        45292773, _repo_info("repos/httpd/remote/2.4.md", "157d40004033"),
    ),
    ImageSpec(
        "nginx:latest", "nginx", DOCKERFILE, "debian:bookworm-slim",
        "데비안 nginx를 공식 이미지 배치로 (Debian's nginx in the official layout)",
        63110572, _repo_info("repos/nginx/remote/latest.md", "07d85259206e"),
    ),
    ImageSpec(
        "mariadb:10.11", "mariadb", DOCKERFILE, "debian:bookworm-slim",
        "데비안 MariaDB 10.11과 공식 이미지식 초기화 (Debian's MariaDB 10.11, official-style init)",
        106472476, _repo_info("repos/mariadb/remote/10.11.md", "1e6022f47f14"), build_weight=2,
    ),
    ImageSpec(
        "wordpress:latest", "wordpress", DOCKERFILE, "debian:bookworm-slim",
        "데비안 Apache + PHP + WordPress (Debian's Apache, PHP and WordPress)",
        274695616, _repo_info("repos/wordpress/remote/latest.md", "04be8516f286"), build_weight=4,
    ),
    ImageSpec(
        "registry:2", "registry", DOCKERFILE, "debian:bookworm-slim",
        "데비안 docker-registry(Distribution) (Debian's Distribution registry)",
        # registry:2 = 2.8.1 in this snapshot (November 2022).
        9197454, _repo_info("repos/registry/remote/2.md", "72e4be79b9c8"),
    ),
    ImageSpec(
        "redmine:latest", "redmine", DOCKERFILE, "debian:bookworm-slim",
        "데비안 Redmine 5.0과 공식 이미지식 시작 스크립트 (Debian's Redmine 5.0, official-style entrypoint)",
        # redmine:latest = 5.0.4 in this snapshot (January 2023), the version Debian 12 ships.
        240506822, _repo_info("repos/redmine/remote/latest.md", "72e4be79b9c8"), build_weight=3,
    ),
)}


def canonical(name: str) -> str:
    """The name as the catalog spells it: docker.io/library/ dropped, ':latest' added when untagged.

    canonical("busybox") == "busybox:latest"; canonical("httpd:2.4") == "httpd:2.4".
    A digest reference (name@sha256:...) is returned unchanged apart from the prefix.
    """
    ref = name.strip()
    for prefix in DEFAULT_REGISTRY_PREFIXES:
        if ref.startswith(prefix):
            ref = ref[len(prefix):]
            break
    if "@" in ref:
        return ref
    last = ref.rsplit("/", 1)[-1]
    if ":" not in last:
        ref += ":latest"
    return ref


def known_images() -> set[str]:
    """Canonical names of every image a recipe knows."""
    return set(CATALOG)


def spec(name: str) -> ImageSpec:
    """The catalog entry for an image (any spelling canonical() accepts); ImageUnknown otherwise."""
    try:
        return CATALOG[canonical(name)]
    except KeyError:
        raise ImageUnknown(name, known_images()) from None


def ordered(names) -> list[str]:
    """Canonical names in catalog order (bases before the images built on them)."""
    wanted = {canonical(n) for n in names}
    return [n for n in CATALOG if n in wanted]
