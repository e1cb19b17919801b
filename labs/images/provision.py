"""Pull-or-build: make every image the labs declare available on the engine.

For each image, in catalog order:
  1. present without the stand-in label      -> official, "present" (left alone)
  2. a stand-in whose recipe hash is current -> "cached" (unless rebuild=True names
                                                it: then it is rebuilt without the
                                                engine's build cache; a base pulled in
                                                only as a dependency is not forced)
  3. otherwise `docker pull`                 -> official, "pulled"
       a pull that fails because no registry is reachable leads to step 4 (and
       no further pulls are tried in this run); any other failure (wrong tag,
       refused login) raises ProvisionError: a stand-in never hides it
  4. build the stand-in from its recipe      -> "built"
Stand-ins are built bases first (debian:bookworm-slim before the images built FROM
it), two at a time. One process provisions at a time (a lock file).
"""

from __future__ import annotations

import fcntl
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable, Optional

from ..kinds import Origin
from . import archive_cache, docker_cli
from .builders import as_pulled, build_stand_in, log_dir
from .catalog import CATALOG, canonical, known_images, ordered, spec
from .errors import EngineUnavailable, ImageUnknown, LabsImageError, ProvisionError
from .failures import NETWORK, classify_pull_error
from .hashing import recipe_hash

PARALLEL_BUILDS = 2

OFFICIAL = Origin.OFFICIAL.value
STAND_IN = Origin.STAND_IN.value


@dataclass(frozen=True)
class ProvisionResult:
    name: str
    origin: str      # "official" | "stand-in"
    action: str      # "present" | "pulled" | "built" | "loaded" | "cached"
    seconds: float
    image_id: str


def validate(names: Optional[Iterable[str]]) -> list[str]:
    """Canonical names in catalog order; ImageUnknown for a name no recipe knows."""
    if names is None:
        return list(CATALOG)
    if isinstance(names, str):
        names = [names]
    known = known_images()
    wanted = []
    for name in names:
        if canonical(name) not in known:
            raise ImageUnknown(name, known)
        wanted.append(canonical(name))
    return ordered(wanted)


def provision(names: Optional[Iterable[str]] = None, rebuild: bool = False,
              log: Callable[[str], None] = print) -> list[ProvisionResult]:
    """Makes the images available (all known images when names is None); see the module docstring."""
    wanted = validate(names)
    _check_engine()
    with _exclusive(log):
        return _Run(set(wanted) if rebuild else set(), log).go(wanted)


def _check_engine() -> None:
    result = docker_cli.run(["version", "--format", "{{.Server.Version}}"], timeout=30)
    if result.returncode != 0:
        raise EngineUnavailable(
            "도커 엔진이 응답하지 않습니다 (the Docker engine does not answer): "
            + docker_cli.tail(result.output, 3)
        )


@contextmanager
def _exclusive(log):
    with open(log_dir() / "provision.lock", "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log("다른 프로세스가 이미지를 준비하고 있어 기다립니다 (another process is provisioning images; waiting)")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


class _Run:
    def __init__(self, forced: set[str], log: Callable[[str], None]):
        self.forced = forced                # names whose stand-in is rebuilt even when current
        self._log = log
        self._log_lock = threading.Lock()
        self.offline: Optional[str] = None  # why pulls are skipped for the rest of this run
        self.results: dict[str, ProvisionResult] = {}
        self.superseded: list[str] = []     # IDs of stand-ins replaced by a rebuild in this run

    def log(self, line: str) -> None:
        with self._log_lock:
            self._log(line)

    def go(self, wanted: list[str]) -> list[ProvisionResult]:
        to_build: list[str] = []
        for name in wanted:
            self._resolve_or_queue(name, to_build)
        # A stand-in is built FROM its base, which must be there first.
        index = 0
        while index < len(to_build):
            base = spec(to_build[index]).base
            if base and base not in self.results and base not in to_build:
                self._resolve_or_queue(base, to_build)
            index += 1
        try:
            self._build_all(ordered(to_build))
        finally:
            self._remove_superseded()
        return [self.results[name] for name in ordered(self.results)]

    def _remove_superseded(self) -> None:
        # Old stand-ins left untagged by a rebuild; dependents first. A removal the
        # engine refuses (a container still uses the image) is left alone.
        for image_id in reversed(self.superseded):
            if docker_cli.remove_image(image_id).returncode == 0:
                self.log(f"예전 대체 이미지를 지웠습니다 (removed the superseded stand-in {image_id[:19]})")

    def _resolve_or_queue(self, name: str, to_build: list[str]) -> None:
        result = self._resolve(name)
        if result is None:
            to_build.append(name)
        else:
            self.results[name] = result

    def _resolve(self, name: str) -> Optional[ProvisionResult]:
        """A result when the image is there (or was pulled); None when a stand-in must be built."""
        start = time.monotonic()
        local = docker_cli.inspect(name)
        if local is not None and not local.is_stand_in:
            self.log(f"{name}: 공식 이미지가 있습니다 (official image present)")
            return ProvisionResult(name, OFFICIAL, "present", time.monotonic() - start, local.id)
        wanted_hash = recipe_hash(name)
        if local is not None and local.recipe_hash == wanted_hash and name not in self.forced:
            self.log(f"{name}: 대체 이미지가 최신입니다 (stand-in up to date, cached)")
            return ProvisionResult(name, STAND_IN, "cached", time.monotonic() - start, local.id)
        if self.offline is None:
            self.log(f"{name}: 받는 중 (pulling)")
            outcome = docker_cli.pull(name)
            if outcome.returncode == 0:
                pulled = docker_cli.inspect(name)
                self.log(f"{name}: 공식 이미지를 받았습니다 (pulled the official image)")
                return ProvisionResult(name, OFFICIAL, "pulled", time.monotonic() - start,
                                       pulled.id if pulled else "")
            kind = classify_pull_error(outcome.output)
            if kind != NETWORK:
                raise ProvisionError(
                    name, "pull-failed",
                    f"{name}을(를) 받지 못했습니다. 레지스트리에 닿았지만 거절되었으므로 대체 이미지로 덮지 않습니다"
                    f" (docker pull {name} failed for a reason other than no network [{kind}];"
                    f" not replaced by a stand-in): {docker_cli.tail(outcome.output, 3)}",
                )
            self.offline = docker_cli.tail(outcome.output, 1)
            self.log(f"레지스트리에 닿지 않아 대체 이미지를 만듭니다 (no registry reachable: {self.offline})")
        return None

    def _build_all(self, names: list[str]) -> None:
        remaining = list(names)
        with ThreadPoolExecutor(max_workers=PARALLEL_BUILDS, thread_name_prefix="stand-in") as pool:
            while remaining:
                ready = [n for n in remaining if spec(n).base not in remaining]
                ready.sort(key=lambda n: -spec(n).build_weight)
                futures = [(n, pool.submit(self._build, n)) for n in ready]
                errors = []
                for name, future in futures:
                    try:
                        self.results[name] = future.result()
                    except LabsImageError as exc:
                        errors.append(exc)
                if errors:
                    if len(errors) > 1:
                        self.log("다른 실패 (further failures): " + "; ".join(
                            str(e).splitlines()[0] for e in errors[1:]))
                    raise errors[0]
                remaining = [n for n in remaining if n not in ready]

    def _build(self, name: str) -> ProvisionResult:
        entry = spec(name)
        wanted_hash = recipe_hash(name)
        start = time.monotonic()
        old = docker_cli.inspect(name)
        if name not in self.forced and entry.archived:
            loaded = archive_cache.load(name, wanted_hash)
            if loaded is not None:
                loaded = as_pulled(entry, loaded)
                seconds = time.monotonic() - start
                self.log(f"{name}: 저장해 둔 대체 이미지를 불러왔습니다, {seconds:.0f}초 "
                         f"(stand-in loaded from {archive_cache.archive_path(name, wanted_hash)})")
                return ProvisionResult(name, STAND_IN, "loaded", seconds, loaded)
        self.log(f"{name}: 대체 이미지를 만듭니다 (building the stand-in from recipes/{entry.recipe}/;"
                 f" log: {log_dir() / (entry.recipe + '.log')})")
        image_id = build_stand_in(entry, wanted_hash, lambda line: self.log(f"{name}: {line}"),
                                  no_cache=name in self.forced)
        seconds = time.monotonic() - start
        if old is not None and old.is_stand_in and old.id != image_id:
            self.superseded.append(old.id)
        if entry.archived:
            archive_cache.save(name, wanted_hash)
        image_id = as_pulled(entry, image_id)
        self.log(f"{name}: 대체 이미지를 만들었습니다, {seconds:.0f}초 (stand-in built in {seconds:.1f} s)")
        return ProvisionResult(name, STAND_IN, "built", seconds, image_id)
