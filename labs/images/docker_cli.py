"""The few docker CLI calls provisioning needs (inspect, pull, build, import, remove).

The CLI is used rather than the SDK so that builds go through `docker build` exactly
as a reader's would: the legacy builder, or BuildKit where the buildx plugin exists.
"""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

DOCKER = os.environ.get("LABS_DOCKER_CLI", "docker")
PULL_TIMEOUT = 900
BUILD_TIMEOUT = 1800

STAND_IN_LABEL = "io.docker-labs.stand-in"
HASH_LABEL = "io.docker-labs.recipe-hash"
RECIPE_LABEL = "io.docker-labs.recipe"


@dataclass(frozen=True)
class LocalImage:
    ref: str
    id: str
    size: int
    labels: dict
    repo_digests: tuple

    @property
    def is_stand_in(self) -> bool:
        return self.labels.get(STAND_IN_LABEL) == "true"

    @property
    def recipe_hash(self) -> Optional[str]:
        return self.labels.get(HASH_LABEL) if self.is_stand_in else None


@dataclass(frozen=True)
class CommandResult:
    returncode: int
    output: str


def _env() -> dict:
    env = dict(os.environ)
    env.setdefault("BUILDKIT_PROGRESS", "plain")  # BuildKit: one line per event; the legacy builder ignores it
    return env


def run(args: list[str], timeout: Optional[float] = None, stdin=None) -> CommandResult:
    try:
        completed = subprocess.run(
            [DOCKER, *args], stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, errors="replace", timeout=timeout, env=_env(),
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout or ""
        if isinstance(out, bytes):
            out = out.decode(errors="replace")
        return CommandResult(124, out + f"\n(timed out after {timeout:.0f} s)")
    return CommandResult(completed.returncode, completed.stdout)


def inspect(ref: str) -> Optional[LocalImage]:
    """The local image with this reference, or None."""
    result = run(["image", "inspect", "--format", "{{json .}}", ref], timeout=60)
    if result.returncode != 0:
        return None
    data = json.loads(result.output.strip().splitlines()[0])
    return LocalImage(
        ref=ref,
        id=data.get("Id", ""),
        size=int(data.get("Size") or 0),
        labels=dict((data.get("Config") or {}).get("Labels") or {}),
        repo_digests=tuple(data.get("RepoDigests") or ()),
    )


def pull(ref: str, timeout: float = PULL_TIMEOUT) -> CommandResult:
    return run(["pull", "--quiet", ref], timeout=timeout)


def save(ref: str, archive: Path) -> CommandResult:
    return run(["image", "save", "--output", str(archive), ref], timeout=BUILD_TIMEOUT)


def image_store() -> str:
    """"containerd" or "classic", as `docker info` shows the engine's image store."""
    from ..host_facts import image_store as store_of

    result = run(["info", "--format", "{{json .DriverStatus}}"], timeout=60)
    try:
        pairs = json.loads(result.output.strip().splitlines()[0]) if result.returncode == 0 else []
    except (ValueError, IndexError):
        pairs = []
    return store_of({"DriverStatus": pairs})


def load(archive: Path) -> CommandResult:
    return run(["image", "load", "--quiet", "--input", str(archive)], timeout=BUILD_TIMEOUT)


def remove_image(ref: str) -> CommandResult:
    return run(["image", "rm", ref], timeout=120)


def run_logged(args: list[str], log_file, timeout: float = BUILD_TIMEOUT, stdin=None) -> int:
    """Runs the docker CLI with its output appended to log_file (an open binary file)."""
    try:
        completed = subprocess.run(
            [DOCKER, *args], stdin=stdin, stdout=log_file, stderr=subprocess.STDOUT,
            timeout=timeout, env=_env(),
        )
    except subprocess.TimeoutExpired:
        log_file.write(f"\n(timed out after {timeout:.0f} s)\n".encode())
        return 124
    return completed.returncode


def build(context: Path, tag: str, labels: dict, log_file, dockerfile: Optional[Path] = None,
          no_cache: bool = False) -> int:
    # --force-rm: the legacy builder otherwise keeps the container of a failed step.
    args = ["build", "--force-rm", "--tag", tag]
    if no_cache:
        args.append("--no-cache")
    for key, value in labels.items():
        args += ["--label", f"{key}={value}"]
    if dockerfile is not None:
        args += ["--file", str(dockerfile)]
    args.append(str(context))
    return run_logged(args, log_file)


def tail(text: str, lines: int = 40) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])
