"""Host packages the root-file-system stand-ins need (debootstrap).

A fresh Debian 12 machine lacks them; they are installed with apt-get (as root),
running `apt-get update` first only when the package lists do not know them yet.
"""

from __future__ import annotations

import os
import shutil
from typing import Callable

from ..apt import AptFailed, apt_install, dpkg_installed
from .errors import ProvisionError
from .failures import archive_unreachable

DEBOOTSTRAP_CANDIDATES = ("/usr/sbin/debootstrap", "/sbin/debootstrap")


def debootstrap_path() -> str | None:
    for candidate in DEBOOTSTRAP_CANDIDATES:
        if os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("debootstrap")


def ensure(packages: list[str], image: str, log: Callable[[str], None]) -> None:
    """apt-get installs the packages (no recommends); ProvisionError naming the image if that fails."""
    names = " ".join(packages)
    if os.geteuid() != 0 and not all(_installed(package) for package in packages):
        raise ProvisionError(
            image, "host-tools",
            f"{image}을(를) 만들려면 호스트에 {names} 패키지가 필요한데, root가 아니라 설치할 수 없습니다"
            f" ({image} needs the host packages {names}; run as root or: apt-get install {names})",
        )
    try:
        apt_install(packages, log, installed=_installed)
    except AptFailed as failure:
        missing = " ".join(failure.packages)
        if archive_unreachable(failure.output):
            message = (f"데비안 패키지 저장소에 닿지 않아 {image}에 필요한 호스트 패키지 {missing}을(를) 설치하지 못했습니다"
                       f" (cannot reach Debian's package archive to install {missing}, needed for {image})")
        else:
            message = (f"{image}에 필요한 호스트 패키지 {missing}을(를) 설치하지 못했습니다"
                       f" (apt-get install {missing} failed; needed for {image})")
        raise ProvisionError(image, "host-tools", message, log_tail=failure.output) from None


def _installed(package: str) -> bool:
    if package == "debootstrap":
        return debootstrap_path() is not None
    return dpkg_installed(package)
