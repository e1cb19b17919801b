"""The busybox stand-in as the official image is after a pull: a linux/amd64 + linux/arm64
index (the arm64 manifest listed, its content not downloaded) on the containerd image store,
a single linux/amd64 image on the overlay2 store. Debian 13's static BusyBox (1.37, the
official image's line) for both platforms, every applet a symbolic link in /bin."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from ..apt import download_from_suite
from .oci_archive import Entry, ImageConfig, Platform, write_archive

PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
DIRECTORIES = {"/bin": 0o755, "/etc": 0o755, "/home": 0o755, "/root": 0o700, "/tmp": 0o1777, "/usr": 0o755,
               "/usr/sbin": 0o755, "/var": 0o755, "/var/spool": 0o755, "/var/spool/mail": 0o755,
               "/var/www": 0o755}
PRIVATE_FILES = {"etc/shadow": 0o640}


def read_source(recipe_dir: Path) -> dict[str, str]:
    fields = {}
    for line in (recipe_dir / "source.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, value = line.split(":", 1)
            fields[key.strip()] = value.strip()
    return fields


def busybox_binaries(recipe_dir: Path, work: Path, debs_cache: Path) -> dict[str, bytes]:
    """{architecture: the static busybox of Debian's package for it}. The packages are fetched
    once into debs_cache, so every engine profile gets the same binaries, with or without a network."""
    source = read_source(recipe_dir)
    architectures = [source["present"], source["listed"].split("/")[0]]
    debs = sorted(debs_cache.glob("*.deb"))
    if len(debs) != len(architectures):
        packages = [f"{source['package']}:{architecture}" for architecture in architectures]
        fetched = work / "debs"
        download_from_suite(source["suite"], packages, work / "apt", fetched, architectures)
        debs_cache.parent.mkdir(parents=True, exist_ok=True)
        partial = debs_cache.with_name(debs_cache.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        shutil.copytree(fetched, partial)
        shutil.rmtree(debs_cache, ignore_errors=True)
        partial.rename(debs_cache)
        debs = sorted(debs_cache.glob("*.deb"))
    binaries = {}
    for architecture in architectures:
        [deb] = [path for path in debs if path.name.endswith(f"_{architecture}.deb")]
        unpacked = work / f"root-{architecture}"
        subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True)
        binaries[architecture] = (unpacked / "usr/bin/busybox").read_bytes()
    return binaries


def applets(busybox: Path) -> list[str]:
    listed = subprocess.run([str(busybox), "--list"], capture_output=True, text=True, check=True).stdout
    return sorted(name for name in listed.split() if name != "busybox")


def entries_for(binary: bytes, names: list[str], recipe_dir: Path) -> list[Entry]:
    found = [Entry(path, mode, directory=True) for path, mode in DIRECTORIES.items()]
    found.append(Entry("/bin/busybox", 0o755, content=binary))
    found += [Entry(f"/bin/{name}", 0o777, link="/bin/busybox") for name in names]
    rootfs = recipe_dir / "rootfs"
    for path in sorted(rootfs.rglob("*")):
        relative = path.relative_to(rootfs).as_posix()
        if path.is_file():
            found.append(Entry(f"/{relative}", PRIVATE_FILES.get(relative, 0o644), content=path.read_bytes()))
    return found


def write_busybox_archive(recipe_dir: Path, reference: str, labels: dict[str, str], target: Path,
                          multi_platform: bool, debs_cache: Path) -> str:
    """The archive to `docker load`; returns the digest that becomes the image ID."""
    source = read_source(recipe_dir)
    listed_architecture, _, listed_variant = source["listed"].partition("/")
    with tempfile.TemporaryDirectory(prefix="docker-labs-busybox-") as folder:
        work = Path(folder)
        binaries = busybox_binaries(recipe_dir, work, debs_cache)
        present = source["present"]
        names = applets(work / f"root-{present}" / "usr/bin/busybox")
        platforms = [Platform(present, entries_for(binaries[present], names, recipe_dir))]
        if multi_platform:
            platforms.append(Platform(listed_architecture, entries_for(binaries[listed_architecture], names, recipe_dir),
                                      variant=listed_variant, present=False))
        config = ImageConfig(env=[f"PATH={PATH}"], cmd=["sh"], labels=labels)
        return write_archive(target, reference, config, platforms, as_index=multi_platform)
