"""Finds every lab folder, reads its lab.yaml and checks the labs against each other."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Callable, Iterable, Optional

import yaml
from pydantic import ValidationError

from .model import LabDefinition

# LABS_DIR points the CLI at another tree of labs (the tests use it for broken labs).
LABS_ROOT = Path(os.environ.get("LABS_DIR") or Path(__file__).resolve().parent)
DEFINITION = "lab.yaml"
MAX_DEFINITION_BYTES = 256 * 1024  # the longest lab today is about 8 KB
FILES_DIR = "files"
RECORD = "record.json"


MAX_FILE_BYTES = 1024 * 1024


def read_text(path: Path, limit: int) -> str:
    """A lab's text file, or a LabFormatError that names it: unreadable, too large, not UTF-8."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise LabFormatError(path, "(file)", f"{size} 바이트로 너무 큽니다; {limit} 바이트까지 읽습니다 "
                                                 f"(file is {size} bytes; the limit is {limit})")
        data = path.read_bytes()
    except OSError as error:
        raise LabFormatError(path, "(file)", f"읽을 수 없습니다 (cannot read: {error.strerror or error})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise LabFormatError(path, "(file)", f"UTF-8 글자가 아닌 바이트가 {line}번째 줄에 있습니다 "
                                             f"(not UTF-8: byte {error.start}, line {line})") from None


class LabFormatError(Exception):
    """A lab definition that cannot be trusted; names the file and the field."""

    def __init__(self, path: Path, field: str, message: str):
        self.path, self.field, self.message = path, field, message
        super().__init__(f"{_shown(path)}: {field}: {message}")


@dataclass(frozen=True)
class Lab:
    definition: LabDefinition
    folder: Path

    @property
    def id(self) -> str:
        return self.definition.id

    @property
    def record_path(self) -> Path:
        return self.folder / RECORD

    @cached_property
    def files(self) -> dict[str, str]:
        """The files the reader creates, by path relative to the lab's working folder."""
        root = self.folder / FILES_DIR
        if not root.is_dir():
            return {}
        return {
            path.relative_to(root).as_posix(): read_text(path, MAX_FILE_BYTES)
            for path in sorted(root.rglob("*"))
            if path.is_file()
        }


def load_lab(folder: Path) -> Lab:
    path = folder / DEFINITION
    try:
        raw = yaml.safe_load(read_text(path, MAX_DEFINITION_BYTES))
    except yaml.YAMLError as error:
        raise LabFormatError(path, "(yaml)", f"YAML로 읽을 수 없습니다 (not valid YAML): {error}") from None
    if not isinstance(raw, dict):
        raise LabFormatError(path, "(top)", "키와 값의 묶음이어야 합니다 (must be a mapping)")
    try:
        definition = LabDefinition.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(top)"
        message = _describe(first)
        raise LabFormatError(path, field, message) from None
    lab = Lab(definition, folder)
    lab.files  # read now, so a broken file is reported when the lab loads, not halfway through a run
    return lab


def load_labs(
    root: Path = LABS_ROOT,
    known_image: Optional[Callable[[str], bool]] = None,
) -> list[Lab]:
    """Every lab under root, validated alone and against each other."""
    if known_image is None:
        known_image = _catalog_knows
    labs = [load_lab(path.parent) for path in sorted(root.glob(f"*/*/{DEFINITION}"))]
    check_together(labs, known_image)
    return labs


def check_together(labs: Iterable[Lab], known_image: Callable[[str], bool]) -> None:
    owners: dict[tuple[str, str], Lab] = {}
    for lab in labs:
        path = lab.folder / DEFINITION
        if lab.folder.parent.name != lab.definition.chapter:
            raise LabFormatError(
                path, "chapter",
                f"{lab.definition.chapter!r}인데 폴더는 {lab.folder.parent.name!r}입니다 "
                "(chapter must match the chapter folder)",
            )
        for index, image in enumerate(lab.definition.images):
            if not known_image(image):
                raise LabFormatError(
                    path, f"images.{index}",
                    f"{image!r}을(를) 준비하는 방법이 없습니다 (no provisioning recipe knows this image)",
                )
        claims = [("id", lab.id)]
        # Host ports may repeat: the tests run labs one at a time, and preflight refuses a busy port.
        for kind, names in lab.definition.creates.engine_names().items():
            claims += [(kind, name) for name in names]
        for claim in claims:
            other = owners.get(claim)
            if other is not None and other is not lab:
                kind, value = claim
                field = "id" if kind == "id" else f"creates.{kind}"
                raise LabFormatError(
                    path, field,
                    f"{value!r}은(는) 이미 {other.id} 실습이 씁니다 ({_shown(other.folder / DEFINITION)}); "
                    f"두 실습이 같은 이름을 쓰면 한쪽의 정리가 다른 쪽의 것을 지울 수 있습니다 "
                    f"(already declared by another lab; one lab's clean-up could remove the other's)",
                )
            owners[claim] = lab


def find_lab(lab_id: str, labs: Optional[list[Lab]] = None) -> Lab:
    for lab in labs if labs is not None else load_labs():
        if lab.id == lab_id:
            return lab
    raise KeyError(lab_id)


def _catalog_knows(image: str) -> bool:
    from .images.catalog import canonical, known_images

    return canonical(image) in known_images()


def _describe(error: dict) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        return "알 수 없는 키입니다 (unknown key)"
    if kind == "missing":
        return "꼭 있어야 하는 항목입니다 (missing field)"
    return error["msg"]


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
