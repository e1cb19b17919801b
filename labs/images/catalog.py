"""Every image a lab may declare, with the recipe of its local stand-in.

A stand-in has the same name and tag as the official image and is built here from
Debian's packages when `docker pull` cannot reach a registry. Its recipe is the
folder recipes/<recipe>/ (Dockerfile or root file system script, support files,
CONTRACT.md with the interface the labs rely on).

`differences` lists what a reader sees in our recorded output that the official image prints
otherwise (a banner, a log line, `docker history`); pages show the sentence under every
recorded output the pattern finds (macros/stand_in_notes.py).

Official sizes are the compressed (transfer) size of the linux/amd64 image as
published in docker-library/repo-info (repos/<name>/remote/<tag>.md, "Total Size"),
at the commit named in `size_source`; None where no published figure was found.
"""

from __future__ import annotations

import re
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
class VisibleDifference:
    """Text a stand-in prints where the official image prints something else."""

    pattern: str   # regular expression (re.MULTILINE) that finds the stand-in's text in a step's stdout or stderr
    official: str  # one Korean sentence: what the official image prints there instead

    def found_in(self, text: str) -> bool:
        return re.search(self.pattern, text, re.MULTILINE) is not None


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
    differences: tuple[VisibleDifference, ...] = ()  # what the records show that the official image prints otherwise

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
        # The official image is BusyBox's defconfig (docker-library/busybox): a quiet shell, `ps` with
        # TIME, the build date in the version line. Debian's configuration differs in all three.
        differences=(
            VisibleDifference(
                r"BusyBox v[\d.]+ \(Debian [^)]*\) built-in shell \(ash\)",
                "공식 busybox 이미지의 셸은 `BusyBox v... (Debian ...) built-in shell (ash)`로 시작하는 안내 두 줄 "
                "없이 바로 `/ #` 프롬프트(prompt)를 띄웁니다."),
            VisibleDifference(
                r"BusyBox v[\d.]+ \(Debian [^)]*\) multi-call binary",
                "공식 busybox 이미지에서는 `BusyBox v... (Debian ...) multi-call binary.` 줄의 괄호 안에 데비안 "
                "패키지의 버전 대신 BusyBox를 빌드한 날짜와 시각이 찍힙니다."),
            VisibleDifference(
                r"^PID\s+USER\s+COMMAND\s*$",
                "공식 busybox 이미지의 `ps`에는 프로세스가 CPU를 쓴 시간을 보여 주는 `TIME` 열(column)이 하나 "
                "더 있어서, 제목 줄이 `PID USER TIME COMMAND`입니다."),
        ),
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
        # The official image compiles upstream Apache into /usr/local/apache2 (docker-library/httpd).
        differences=(
            VisibleDifference(
                r"Apache/2\.4\.\d+ \(Debian\)",
                "공식 httpd 이미지는 아파치(Apache)를 소스 코드에서 직접 빌드하므로, 로그에 `Apache/2.4... (Debian)` "
                "대신 `Apache/2.4... (Unix)`가 찍힙니다."),
            VisibleDifference(
                r"AH00094: Command line: 'httpd -d /usr/local/apache2 -f conf/httpd\.conf",
                "공식 httpd 이미지의 아파치는 서버 폴더와 설정 파일의 위치를 처음부터 알고 있어서, 시작 로그의 "
                "`AH00094: Command line:` 줄이 `-d`와 `-f` 옵션 없이 `'httpd -D FOREGROUND'`로 찍힙니다."),
            VisibleDifference(
                r"COPY httpd apachectl bin/",
                "공식 httpd 이미지의 `docker history`에는 대체 이미지를 만든 단계(`COPY httpd apachectl bin/`, "
                "맨 아래의 `Imported from -`) 대신 아파치 소스를 내려받아 컴파일하는 공식 Dockerfile의 단계"
                "(`ENV HTTPD_VERSION=...`, 긴 `RUN` 단계)와 데비안 기본 이미지를 만든 단계가 나옵니다."),
        ),
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
        # The official image installs MariaDB's own packages for Ubuntu 22.04 (MariaDB/mariadb-docker 10.11).
        differences=(
            VisibleDifference(
                r"Entrypoint script for MariaDB Server \S*\+deb\d+u\d+ started",
                "공식 mariadb 이미지는 데비안 패키지 대신 MariaDB가 직접 배포하는 우분투(Ubuntu)용 패키지를 써서, "
                "`Entrypoint script for MariaDB Server ...` 줄의 버전이 `1:10.11.18+maria~ubu2204`처럼 찍힙니다."),
            VisibleDifference(
                r"Version: '[^']*-MariaDB-[^']*\+deb\d+u\d+'",
                "공식 mariadb 이미지에서는 서버가 준비됐다고 알리는 `Version: ...` 줄의 버전이 `+deb12u1` 대신 "
                "`ubu2204`로 끝나고, 줄 끝의 `Debian 12` 자리에는 `mariadb.org binary distribution`이 찍힙니다."),
        ),
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
