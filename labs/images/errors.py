"""Errors of image provisioning. Messages: Korean first, English in parentheses."""

from __future__ import annotations

from ..errors import EngineUnavailable  # noqa: F401  (one class for every layer)


class LabsImageError(Exception):
    """Base of every error raised by labs.images."""


class ImageUnknown(LabsImageError, KeyError):
    """An image name no recipe in the catalog knows."""

    def __init__(self, name: str, known: "set[str] | None" = None):
        self.name = name
        listed = ", ".join(sorted(known)) if known else ""
        message = (
            f"이미지 {name!r}을(를) 준비하는 방법(레시피)이 없습니다"
            f" (no recipe knows the image {name!r})"
        )
        if listed:
            message += f"; 알려진 이미지 (known images): {listed}"
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would repr() the message
        return self.args[0]




class ProvisionError(LabsImageError):
    """Pulling or building one image failed; the message names the image and why.

    kind is one of:
      "archive-unreachable"  Debian's package archive could not be reached during the build
      "build-failed"         the build failed for another reason (message holds the log tail)
      "pull-failed"          docker pull failed for a reason other than "no network"
      "host-tools"           a host package the build needs could not be installed
    """

    def __init__(self, image: str, kind: str, message: str, log_tail: str = "", log_path: str = ""):
        self.image = image
        self.kind = kind
        self.log_tail = log_tail
        self.log_path = log_path
        text = message
        if log_path:
            text += f"\n빌드 기록 (build log): {log_path}"
        if log_tail:
            text += "\n--- 빌드 기록의 끝 (end of the build log) ---\n" + log_tail
        super().__init__(text)
