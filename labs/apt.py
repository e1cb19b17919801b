"""Debian packages: the one place that installs with apt-get or fetches from another suite."""

from __future__ import annotations

import os
import subprocess
import threading
from pathlib import Path
from typing import Callable, Iterable

Log = Callable[[str], None]
_lock = threading.Lock()


class AptFailed(Exception):
    def __init__(self, packages: list[str], output: str):
        self.packages = packages
        self.output = output
        super().__init__(f"apt-get install {' '.join(packages)} failed:\n{output}")


def dpkg_installed(package: str) -> bool:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    return result.returncode == 0 and "install ok installed" in result.stdout


def apt_install(packages: Iterable[str], log: Log = print,
                installed: Callable[[str], bool] = dpkg_installed) -> None:
    """Installs what is missing (no recommends), running `apt-get update` only when the
    first attempt fails, as on a fresh machine whose package lists are empty or old.
    AptFailed carries the last 30 lines of apt's output."""
    with _lock:
        missing = [name for name in packages if not installed(name)]
        if not missing:
            return
        log(f"Debian 패키지를 설치합니다 (installing): {' '.join(missing)}")
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
        if _run(install, env).returncode == 0:
            return
        update = _run(["apt-get", "update", "-q"], env)
        second = _run(install, env)
        if second.returncode != 0:
            raise AptFailed(missing, "\n".join((update.stdout + second.stdout).splitlines()[-30:]))


def download_from_suite(suite: str, packages: Iterable[str], state_dir: Path, target: Path,
                        architectures: Iterable[str] = ()) -> list[Path]:
    """Fetches packages of another Debian suite into target with a private package list, so the
    system's own sources never name that suite. Returns the .deb files. architectures: others
    than the machine's own whose lists are fetched too (name a package `busybox-static:arm64`)."""
    lists, cache = state_dir / "lists", state_dir / "cache"
    for folder in (lists / "partial", cache / "archives/partial", target):
        folder.mkdir(parents=True, exist_ok=True)
    sources = state_dir / "sources.list"
    sources.write_text(
        f"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] {debian_mirror()} {suite} main\n")
    options = ["-o", f"Dir::Etc::SourceList={sources}", "-o", "Dir::Etc::SourceParts=/nonexistent",
               "-o", f"Dir::State::Lists={lists}", "-o", f"Dir::Cache={cache}",
               "-o", "APT::Sandbox::User=root", "-q"]
    for architecture in architectures:
        options += ["-o", f"APT::Architectures::={architecture}"]
    subprocess.run(["apt-get", *options, "update"], check=True, stdout=subprocess.DEVNULL)
    for old in target.glob("*.deb"):
        old.unlink()
    subprocess.run(["apt-get", *options, "download", *packages], cwd=target, check=True,
                   stdout=subprocess.DEVNULL)
    return sorted(target.glob("*.deb"))


def debian_mirror() -> str:
    """The archive the system already uses, so no host name is written in this project."""
    deb822 = Path("/etc/apt/sources.list.d/debian.sources")
    if deb822.exists():
        for line in deb822.read_text().splitlines():
            if line.startswith("URIs:") and "security" not in line:
                return line.split()[1]
    legacy = Path("/etc/apt/sources.list")
    if legacy.exists():
        for line in legacy.read_text().splitlines():
            parts = line.split()
            if parts[:1] == ["deb"] and "security" not in line:
                return next(part for part in parts[1:] if "://" in part)
    raise AptFailed([], "Debian 패키지 저장소 설정을 찾지 못했습니다 (no Debian archive configured).")


def _run(command: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
