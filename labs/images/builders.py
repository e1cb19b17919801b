"""Building one stand-in from its recipe; each build's output goes to a log file.

Three kinds of recipe (see catalog.py): busybox on scratch, a debootstrap root file
system imported with `docker import`, and a Dockerfile built FROM another stand-in.
Every stand-in carries the labels io.docker-labs.stand-in=true and
io.docker-labs.recipe-hash=<recipe hash>.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path
from typing import Callable

from . import archive_cache, docker_cli, hosttools
from .busybox_image import write_busybox_archive
from .catalog import BUSYBOX, DOCKERFILE, ROOTFS, ImageSpec
from .errors import ProvisionError
from .pulled_index import list_other_platforms, listed_platforms
from .failures import archive_unreachable

ROOTFS_TIMEOUT = 1200


def log_dir() -> Path:
    folder = Path(os.environ.get("LABS_IMAGES_LOG_DIR") or Path(tempfile.gettempdir()) / "docker-labs-images")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def labels_for(entry: ImageSpec, recipe_hash: str) -> dict:
    return {
        docker_cli.STAND_IN_LABEL: "true",
        docker_cli.HASH_LABEL: recipe_hash,
        docker_cli.RECIPE_LABEL: f"labs/images/recipes/{entry.recipe}",
        "org.opencontainers.image.description":
            f"Local stand-in for {entry.name}, built from Debian packages (not the official image)",
    }


def build_stand_in(entry: ImageSpec, recipe_hash: str, log: Callable[[str], None],
                   no_cache: bool = False) -> str:
    """Builds the stand-in under its official name and returns the new image ID.

    no_cache: do not reuse the engine's build cache (a forced rebuild fetches packages anew).
    """
    log_path = log_dir() / (entry.recipe + ".log")
    with open(log_path, "wb") as log_file:
        log_file.write(f"# stand-in {entry.name}, recipe hash {recipe_hash}\n".encode())
        log_file.flush()
        if entry.builder == BUSYBOX:
            code = _build_busybox(entry, recipe_hash, log_file, log, no_cache)
        elif entry.builder == ROOTFS:
            code = _build_rootfs(entry, recipe_hash, log_file, log)
        elif entry.builder == DOCKERFILE:
            code = docker_cli.build(entry.recipe_dir, entry.name, labels_for(entry, recipe_hash), log_file,
                                    no_cache=no_cache)
        else:  # pragma: no cover - catalog is static
            raise ValueError(entry.builder)
    text = log_path.read_text(errors="replace")
    if code != 0:
        raise _build_error(entry, text, str(log_path))
    image = docker_cli.inspect(entry.name)
    if image is None or image.recipe_hash != recipe_hash:
        raise ProvisionError(
            entry.name, "build-failed",
            f"{entry.name} 빌드가 끝났지만 표시(레이블)가 붙은 이미지가 보이지 않습니다"
            f" (build finished but no labelled image {entry.name} is there)",
            docker_cli.tail(text), str(log_path),
        )
    return image.id


def _build_error(entry: ImageSpec, text: str, log_path: str) -> ProvisionError:
    if archive_unreachable(text):
        return ProvisionError(
            entry.name, "archive-unreachable",
            f"데비안 패키지 저장소에 닿지 않아 대체 이미지 {entry.name}을(를) 만들 수 없습니다"
            f" (cannot reach Debian's package archive while building the stand-in {entry.name})",
            docker_cli.tail(text), log_path,
        )
    return ProvisionError(
        entry.name, "build-failed",
        f"대체 이미지 {entry.name}을(를) 만들지 못했습니다 (building the stand-in {entry.name} failed)",
        docker_cli.tail(text), log_path,
    )


def _build_busybox(entry: ImageSpec, recipe_hash: str, log_file, log, no_cache: bool) -> int:
    """Written as an OCI archive and loaded, as a pull would leave the official image (see busybox_image)."""
    multi_platform = docker_cli.image_store() == "containerd"
    with tempfile.TemporaryDirectory(prefix="docker-labs-busybox-") as folder:
        archive = Path(folder) / "busybox.tar"
        try:
            image_id = write_busybox_archive(entry.recipe_dir, f"docker.io/library/{entry.name}",
                                             labels_for(entry, recipe_hash), archive, multi_platform,
                                             archive_cache.CACHE_DIR / f"busybox-debs-{recipe_hash[:16]}")
        except (OSError, subprocess.CalledProcessError) as error:
            log_file.write(f"{error}\n".encode())
            return 1
        log_file.write(f"# OCI archive, image {image_id}, multi-platform: {multi_platform}\n".encode())
        log_file.flush()
        return docker_cli.run_logged(["image", "load", "--input", str(archive)], log_file)


def _build_rootfs(entry: ImageSpec, recipe_hash: str, log_file, log) -> int:
    hosttools.ensure(["debootstrap"], entry.name, log)
    work = Path(tempfile.mkdtemp(prefix="docker-labs-rootfs-", dir=_rootfs_parent()))
    target = work / "rootfs"
    try:
        script = entry.recipe_dir / "mkrootfs.sh"
        try:
            done = subprocess.run(["sh", str(script), str(target)], stdout=log_file, stderr=subprocess.STDOUT,
                                  timeout=ROOTFS_TIMEOUT)
            code = done.returncode
        except subprocess.TimeoutExpired:
            log_file.write(f"\n(mkrootfs.sh timed out after {ROOTFS_TIMEOUT} s)\n".encode())
            code = 124
        if code != 0:
            return code
        changes = []
        for line in (entry.recipe_dir / "import-changes.txt").read_text().splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                changes += ["--change", line.strip()]
        for key, value in labels_for(entry, recipe_hash).items():
            changes += ["--change", f"LABEL {key}={_quote(value)}"]
        log_file.write(b"\n# tar | docker import\n")
        log_file.flush()
        tar = subprocess.Popen(["tar", "--numeric-owner", "-C", str(target), "-c", "."],
                               stdout=subprocess.PIPE, stderr=log_file)
        try:
            code = docker_cli.run_logged(["import", *changes, "-", entry.name], log_file, stdin=tar.stdout)
        finally:
            tar.stdout.close()
            tar_code = tar.wait()
        return code or tar_code
    finally:
        _remove_tree(work)


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _rootfs_parent() -> str:
    # /var/tmp is on disk on Debian (debootstrap needs device nodes, so not a nodev tmpfs).
    return "/var/tmp" if os.path.isdir("/var/tmp") else tempfile.gettempdir()


def _remove_tree(path: Path) -> None:
    """Removes a debootstrap work directory, never crossing into something mounted inside it."""
    prefix = str(path) + "/"
    with open("/proc/mounts") as mounts:
        inside = [line.split()[1] for line in mounts if line.split()[1].startswith(prefix)]
    for mount_point in sorted(inside, key=len, reverse=True):
        subprocess.run(["umount", "-l", mount_point], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run(["rm", "-rf", "--one-file-system", str(path)], stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)


def as_pulled(entry: ImageSpec, image_id: str) -> str:
    """On the containerd store, the stand-in as a pull leaves its official image: an index that
    also lists the platforms named in the recipe (pulled_index). The image ID it ends with."""
    platforms = listed_platforms(entry.recipe_dir)
    if not platforms or docker_cli.image_store() != "containerd":
        return image_id
    log_path = log_dir() / (entry.recipe + "-index.log")
    with open(log_path, "wb") as log_file:
        listed = list_other_platforms(entry.name, platforms, log_file)
    if listed is None:
        raise ProvisionError(
            entry.name, "index-failed",
            f"대체 이미지 {entry.name}을(를) 여러 플랫폼 인덱스로 바꾸지 못했습니다 "
            f"(could not give the stand-in {entry.name} its multi-platform index)",
            docker_cli.tail(log_path.read_text(errors="replace")), str(log_path))
    return listed
