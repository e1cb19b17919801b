"""Host packages the root-file-system stand-ins need (busybox-static, debootstrap).

A fresh Debian 12 machine lacks them; they are installed with apt-get (as root),
running `apt-get update` first only when the package lists do not know them yet.
"""

from __future__ import annotations

import os
import shutil
import struct
from typing import Callable

from ..apt import AptFailed, apt_install, dpkg_installed
from .errors import ProvisionError
from .failures import archive_unreachable

BUSYBOX = "/bin/busybox"
DEBOOTSTRAP_CANDIDATES = ("/usr/sbin/debootstrap", "/sbin/debootstrap")

def is_static_elf(path: str) -> bool:
    """True for an ELF executable without a program interpreter (statically linked)."""
    try:
        with open(path, "rb") as f:
            header = f.read(64)
            if header[:4] != b"\x7fELF":
                return False
            is64 = header[4] == 2
            endian = "<" if header[5] == 1 else ">"
            if is64:
                phoff, = struct.unpack_from(endian + "Q", header, 0x20)
                phentsize, phnum = struct.unpack_from(endian + "HH", header, 0x36)
            else:
                phoff, = struct.unpack_from(endian + "I", header, 0x1C)
                phentsize, phnum = struct.unpack_from(endian + "HH", header, 0x2A)
            for index in range(phnum):
                f.seek(phoff + index * phentsize)
                p_type, = struct.unpack(endian + "I", f.read(4))
                if p_type == 3:  # PT_INTERP
                    return False
            return True
    except OSError:
        return False


def busybox_ready() -> bool:
    return is_static_elf(BUSYBOX)


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
    if package == "busybox-static":
        return busybox_ready()
    if package == "debootstrap":
        return debootstrap_path() is not None
    return dpkg_installed(package)
