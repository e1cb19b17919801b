"""The lab format: what a `lab.yaml` may say, checked field by field."""

from __future__ import annotations

import re
from typing import Optional

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

LAB_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
RESOURCE_NAME = r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class HttpCheck(Strict):
    """An HTTP answer on 127.0.0.1, polled until it holds or the timeout passes."""

    url: str
    status: int = 200
    body: Optional[str] = Field(None, description="regular expression the body must match")
    timeout: float = Field(30, gt=0, le=300)

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
    stdout_not: Optional[str] = None
    stderr: Optional[str] = None
    same_stdout_as: Optional[str] = Field(None, description="name of an earlier step")
    http: Optional[HttpCheck] = None

    @field_validator("stdout", "stdout_not", "stderr")
    @classmethod
    def _pattern_compiles(cls, pattern: Optional[str]) -> Optional[str]:
        return _compiles(pattern)


class OtherShells(Strict):
    """The same command for Windows shells, shown beside the bash form; not run by the tests."""

    powershell: Optional[str] = None
    cmd: Optional[str] = None


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
    unstable: Optional[str] = Field(None, description="why this step's output differs between runs")
    other_shells: Optional[OtherShells] = None

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

    @field_validator("containers", "networks", "volumes")
    @classmethod
    def _names(cls, names: list[str]) -> list[str]:
        for name in names:
            if not re.match(RESOURCE_NAME, name):
                raise ValueError(f"{name!r} is not a valid Docker name")
        return names

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
