"""The lab format: what a `lab.yaml` may say, checked field by field."""

from __future__ import annotations

import re
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .kinds import image_tag

LAB_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
RESOURCE_NAME = r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"
# A Docker image reference with an optional registry host:port, path and tag (no digest: a lab
# declares the tags it makes).
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
IMAGE_REFERENCE = rf"^(?:[a-zA-Z0-9.-]+(?::\d+)?/)?{_COMPONENT}(?:/{_COMPONENT})*(?::[\w][\w.-]{{0,127}})?$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HttpCheck(Strict):
    """An HTTP answer on 127.0.0.1, polled until it holds or the timeout passes."""

    url: str
    status: int = 200
    body: Optional[str] = Field(None, description="regular expression the body must match")
    timeout: float = Field(120, gt=0, le=300, description="seconds; a readiness wait, so generous: it costs nothing when the answer comes early")

    @field_validator("url")
    @classmethod
    def _loopback_only(cls, url: str) -> str:
        if not re.match(r"^http://(127\.0\.0\.1|localhost)(:\d+)?/", url):
            raise ValueError("url must start with http://127.0.0.1:PORT/ or http://localhost:PORT/")
        return url

    @field_validator("body")
    @classmethod
    def _body_compiles(cls, pattern: Optional[str]) -> Optional[str]:
        return _compiles(pattern)


class Expect(Strict):
    exit: int = 0
    stdout: Optional[str] = Field(None, description="regular expression searched in stdout")
    stdout_has: list[str] = Field([], description="regular expressions that must each match stdout, in any order")
    stdout_not: Optional[str] = None
    stderr: Optional[str] = None
    stderr_has: list[str] = Field([], description="regular expressions that must each match stderr, in any order")
    same_stdout_as: Optional[str] = Field(None, description="name of an earlier step")
    http: Optional[HttpCheck] = None

    @field_validator("stdout", "stdout_not", "stderr")
    @classmethod
    def _pattern_compiles(cls, pattern: Optional[str]) -> Optional[str]:
        return _compiles(pattern)

    @field_validator("stdout_has", "stderr_has")
    @classmethod
    def _patterns_compile(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            _compiles(pattern)
        return patterns


COMPARE_MODES = ("exact", "unordered", "lines", "exit-code")


class Compare(Strict):
    """How a fresh run's output is held to the record, after host facts and run-to-run parts
    (IDs, times, sizes) are replaced by placeholders on both sides.

    exact      the same text (the default)
    unordered  the same lines in any order (progress lines of parallel work)
    lines      these patterns each match a whole line, in order, in both runs; other lines may differ
               (`*` stands for any text, every other character for itself)
    exit-code  only the exit code; `reason` says why on the page
    """

    mode: str = "exact"
    lines: list[str] = []
    reason: Optional[str] = Field(None, description="shown on the page; required for exit-code")

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value):
        return {"mode": value} if isinstance(value, str) else value

    @model_validator(mode="after")
    def _consistent(self) -> "Compare":
        if self.mode not in COMPARE_MODES:
            raise ValueError(f"mode must be one of {', '.join(COMPARE_MODES)}, not {self.mode!r}")
        if (self.mode == "lines") != bool(self.lines):
            raise ValueError("lines: give the glob patterns exactly when mode is lines")
        if self.mode == "exit-code" and not (self.reason or "").strip():
            raise ValueError("reason: say why only the exit code can be compared (the page shows it)")
        return self


FROM_BASH = "from-bash"
CONTINUATION = {"powershell": "`", "cmd": "^"}


class OtherShells(Strict):
    """The same command for Windows shells, shown beside the bash form; not run by the tests.
    `from-bash` stands for the bash form with its line continuations (` \\`) changed to the
    shell's own (`` ` `` in PowerShell, `^` in cmd); write a form out only where it really differs."""

    powershell: Optional[str] = None
    cmd: Optional[str] = None

    def forms(self, bash: str) -> dict[str, str]:
        """{"powershell": text, "cmd": text} for the shells this step has."""
        found = {}
        for shell in ("powershell", "cmd"):
            text = getattr(self, shell)
            if text is not None:
                found[shell] = from_bash(bash, shell) if text.strip() == FROM_BASH else text
        return found


def from_bash(command: str, shell: str) -> str:
    return command.replace(" \\\n", f" {CONTINUATION[shell]}\n")


# Keys a reader presses, written in braces inside `send:` text.
NAMED_KEYS = {"enter": "\r", "ctrl-c": "\x03", "ctrl-d": "\x04", "ctrl-p": "\x10", "ctrl-q": "\x11"}
KEY_NAMES_KO = {"enter": "Enter", "ctrl-c": "Ctrl+C", "ctrl-d": "Ctrl+D", "ctrl-p": "Ctrl+P", "ctrl-q": "Ctrl+Q"}
NAMED_KEY = re.compile(r"\{(" + "|".join(map(re.escape, NAMED_KEYS)) + r")\}")


class Keys(Strict):
    """What a reader types into an interactive command, once the screen shows `wait_for`."""

    wait_for: Optional[str] = Field(None, min_length=1, description="text the terminal shows before the keys")
    delay: float = Field(0, ge=0, le=5, description="seconds to wait before typing (where nothing is shown)")
    send: str = Field(min_length=1, description="text to type; {enter}, {ctrl-c}, {ctrl-p}, {ctrl-q}, {ctrl-d}")

    @field_validator("send")
    @classmethod
    def _known_keys(cls, text: str) -> str:
        for name in re.findall(r"\{([^}]*)\}", text):
            if name not in NAMED_KEYS:
                raise ValueError(f"unknown key {{{name}}} (known: {', '.join(NAMED_KEYS)})")
        return text

    @property
    def keystrokes(self) -> str:
        return NAMED_KEY.sub(lambda match: NAMED_KEYS[match.group(1)], self.send)


class Step(Strict):
    run: str = Field(min_length=1)
    explain: str = Field(min_length=1)
    name: Optional[str] = Field(None, pattern=r"^[a-z0-9-]+$")
    expect: Expect = Expect()
    wait: Optional[float] = Field(
        None, gt=0, le=300,
        description="repeat the command until its expectations hold, for at most this many seconds",
    )
    input: Optional[str] = Field(None, description="text fed to the command's standard input")
    terminal: Optional[list[Keys]] = Field(
        None, min_length=1,
        description="run the command in a pseudo-terminal and type these keys; the screen is its output")
    note: Optional[str] = Field(None, description="a remark for the reader, shown under the output")
    compare: Compare = Compare()
    other_shells: Optional[OtherShells] = None

    @model_validator(mode="after")
    def _one_kind_of_input(self) -> "Step":
        if self.input is not None and self.terminal is not None:
            raise ValueError("a step has either input (standard input) or terminal (keys typed), not both")
        return self

    @field_validator("run")
    @classmethod
    def _no_prompt(cls, command: str) -> str:
        if command.lstrip().startswith(("$ ", "# ")):
            raise ValueError("write the command without a shell prompt ($ or #)")
        return command.strip("\n")


class Creates(Strict):
    containers: list[str] = []
    networks: list[str] = []
    volumes: list[str] = []
    images: list[str] = []
    ports: list[int] = []
    files: list[str] = []

    def engine_names(self) -> dict[str, list[str]]:
        """Declared engine objects by kind (labs.kinds.KINDS), images as full tags."""
        return {"containers": list(self.containers), "networks": list(self.networks),
                "volumes": list(self.volumes), "images": [image_tag(name) for name in self.images]}

    @field_validator("containers", "networks", "volumes", "images")
    @classmethod
    def _names(cls, names: list[str], info) -> list[str]:
        pattern, what = ((IMAGE_REFERENCE, "an image reference such as name:tag or host:port/name:tag")
                         if info.field_name == "images" else (RESOURCE_NAME, "a valid Docker name"))
        for name in names:
            if len(name) > 255 or not re.match(pattern, name):
                raise ValueError(f"{name!r} is not {what}")
        return names

    @field_validator("files")
    @classmethod
    def _files_inside_the_working_folder(cls, files: list[str]) -> list[str]:
        for path in files:
            parts = path.split("/")
            if (not path or path.startswith(("/", "~")) or "\\" in path or ".." in parts
                    or not path.strip("/.") or any(ord(char) < 32 for char in path)):
                raise ValueError(f"{path!r} must be a relative path inside the lab's working folder "
                                 "(no leading /, no .., not the folder itself)")
        return files

    @field_validator("ports")
    @classmethod
    def _ports(cls, ports: list[int]) -> list[int]:
        for port in ports:
            if not 1024 <= port <= 65535:
                raise ValueError(f"host port {port} must be between 1024 and 65535")
        return ports


class LabDefinition(Strict):
    id: str = Field(pattern=LAB_ID)
    title: str = Field(min_length=1)
    purpose: str = Field(min_length=1)
    chapter: str = Field(pattern=r"^(ch\d\d|troubleshooting)$")
    section: str = Field(min_length=1)
    images: list[str] = []
    creates: Creates = Creates()
    steps: list[Step] = Field(min_length=1)
    cleanup: list[Step] = []
    needs: list[str] = Field([], description="engine features: compose, buildx")

    @model_validator(mode="after")
    def _step_references(self) -> "LabDefinition":
        seen: set[str] = set()
        for index, step in enumerate(self.steps):
            ref = step.expect.same_stdout_as
            if ref is not None and ref not in seen:
                raise ValueError(f"steps[{index}].expect.same_stdout_as: no earlier step named {ref!r}")
            if step.name:
                if step.name in seen:
                    raise ValueError(f"steps[{index}].name: {step.name!r} is used twice")
                seen.add(step.name)
        for need in self.needs:
            if need not in ("compose", "buildx"):
                raise ValueError(f"needs: unknown feature {need!r} (known: compose, buildx)")
        return self


def _compiles(pattern: Optional[str]) -> Optional[str]:
    if pattern is not None:
        try:
            re.compile(pattern)
        except re.error as error:
            raise ValueError(f"not a valid regular expression: {error}") from None
    return pattern
