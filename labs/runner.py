"""Runs a lab's steps on the real engine, checks each one, and always cleans up.

Clean-up runs after success, after a failed step, on Ctrl-C and on SIGTERM. It runs the
lab's own clean-up steps (the ones the reader sees) and then removes whatever declared
resource those left, and nothing else: every declared name was checked to be free
before the lab started, so anything by that name now was made by this run.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional

import docker
from docker.errors import APIError, NotFound

from . import journal, preflight
from .checks import http_failures, output_failures
from .loader import Lab
from .model import Step
from .resources import KINDS, anonymous_volumes, appeared_elsewhere, exists, image_tag, remove, snapshot

COMMAND_TIMEOUT = 600
Log = Callable[[str], None]


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM arrived while the lab ran."""


@dataclass
class StepResult:
    phase: str
    index: int
    command: str
    exit_code: Optional[int]
    stdout: str
    stderr: str
    seconds: float
    attempts: int = 1
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


@dataclass
class RunResult:
    lab_id: str
    started_at: str
    engine_version: str
    images: dict[str, str]
    steps: list[StepResult] = field(default_factory=list)
    cleanup: list[StepResult] = field(default_factory=list)
    safety_net: list[str] = field(default_factory=list)
    undeclared: dict[str, list[str]] = field(default_factory=dict)
    unexpected_files: list[str] = field(default_factory=list)
    known_ids: dict[str, str] = field(default_factory=dict)
    interrupted: Optional[str] = None
    seconds: float = 0.0
    expected_steps: int = 0

    @property
    def ok(self) -> bool:
        return (self.interrupted is None and len(self.steps) == self.expected_steps
                and all(step.ok for step in self.steps))

    @property
    def verified(self) -> bool:
        """Every step held, the clean-up steps ran clean and left nothing, and the lab made
        nothing it had not declared: only such a run may be recorded or reported as passed."""
        return (self.ok and not self.undeclared and not self.unexpected_files and not self.safety_net
                and all(step.ok for step in self.cleanup))

    def problems(self) -> list[str]:
        found = []
        if self.undeclared:
            found.append(f"선언하지 않은 자원을 만들었습니다 (undeclared resources): {self.undeclared}")
        if self.unexpected_files:
            found.append(f"선언하지 않은 파일을 만들었습니다 (undeclared files): {self.unexpected_files}")
        if self.safety_net:
            found.append(f"정리 단계가 남긴 것이 있습니다 (clean-up steps left): {self.safety_net}")
        for step in self.cleanup:
            if not step.ok:
                found.append(f"정리 단계 실패 (clean-up step failed): {step.command}: {'; '.join(step.failures)}")
        return found

    @property
    def failed_step(self) -> Optional[StepResult]:
        return next((step for step in self.steps if not step.ok), None)


class LabRunner:
    def __init__(self, lab: Lab, engine: docker.DockerClient, log: Log = print,
                 pause: Optional[Callable[[StepResult], None]] = None,
                 others: Optional[dict[str, set[str]]] = None, ignored_prefixes: tuple[str, ...] = ()):
        self.lab = lab
        self.engine = engine
        self.log = log
        self.pause = pause
        # Names that other labs declare: they may appear while labs run side by side.
        self.others = others or {kind: set() for kind in KINDS}
        # Names the test suite's own fixtures use while labs run beside them.
        self.ignored_prefixes = ignored_prefixes
        self.own_anonymous_volumes: set[str] = set()
        self.made: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        self.known_ids: dict[str, str] = {}
        self.workdir: Optional[Path] = None

    def run(self) -> RunResult:
        preflight.check(self.lab, self.engine)
        from .images import status

        definition = self.lab.definition
        result = RunResult(
            lab_id=self.lab.id,
            started_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            engine_version=self.engine.version().get("Version", "?"),
            images={image.name: image.origin for image in status(definition.images)} if definition.images else {},
            expected_steps=len(definition.steps),
        )
        started = time.monotonic()
        before = snapshot(self.engine)
        with _signals_raise_interrupted(), self._workdir() as workdir:
            try:
                self._run_steps(definition.steps, "step", result.steps, stop_on_failure=True)
                result.undeclared = self._undeclared(before)
                result.unexpected_files = self._unexpected_files(workdir)
            except Interrupted as interruption:
                result.interrupted = str(interruption)
                self.log(f"중단되었습니다 ({interruption}); 정리합니다 (interrupted; cleaning up).")
            finally:
                with _signals_ignored():
                    self._clean_up(result)
        result.seconds = time.monotonic() - started
        return result

    @contextmanager
    def _workdir(self) -> Iterator[Path]:
        folder = Path(tempfile.mkdtemp(prefix=f"lab-{self.lab.id}-"))
        for relative, content in self.lab.files.items():
            target = folder / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
        self.workdir = folder
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def _run_steps(self, steps: list[Step], phase: str, results: list[StepResult], stop_on_failure: bool) -> None:
        earlier: dict[str, str] = {}
        for index, step in enumerate(steps):
            label = "정리" if phase == "cleanup" else "단계"
            self.log(f"[{label} {index + 1}/{len(steps)}] {step.run}")
            outcome = self._run_step(step, phase, index, earlier)
            results.append(outcome)
            if step.name:
                earlier[step.name] = outcome.stdout
            self._observe()
            mark = "통과 (ok)" if outcome.ok else "실패 (failed)"
            self.log(f"    → {mark}, 종료 코드 {outcome.exit_code}, {outcome.seconds:.1f}초")
            for failure in outcome.failures:
                self.log(f"      - {failure}")
            if not outcome.ok and stop_on_failure:
                return
            if self.pause is not None and phase == "step":
                self.pause(outcome)

    def _run_step(self, step: Step, phase: str, index: int, earlier: dict[str, str]) -> StepResult:
        deadline = time.monotonic() + (step.wait or 0)
        attempts = 0
        while True:
            attempts += 1
            started = time.monotonic()
            exit_code, stdout, stderr = self._shell(step.run, step.input)
            failures = output_failures(step.expect, exit_code, stdout, stderr, earlier)
            if not failures and step.expect.http is not None:
                failures = http_failures(step.expect.http)
            seconds = time.monotonic() - started
            if not failures or time.monotonic() >= deadline:
                return StepResult(phase, index, step.run, exit_code, stdout, stderr, seconds, attempts, failures)
            time.sleep(1)

    def _shell(self, command: str, stdin_text: Optional[str]) -> tuple[Optional[int], str, str]:
        env = dict(os.environ, LC_ALL="C.UTF-8", TERM="dumb", NO_COLOR="1")
        process = subprocess.Popen(
            ["bash", "-c", command], cwd=self.workdir, env=env, text=True,
            stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        )
        try:
            stdout, stderr = process.communicate(stdin_text, timeout=COMMAND_TIMEOUT)
            return process.returncode, stdout, stderr
        except subprocess.TimeoutExpired:
            _kill_group(process)
            stdout, stderr = process.communicate()
            return None, stdout, stderr + f"\n({COMMAND_TIMEOUT}초 안에 끝나지 않아 멈췄습니다; timed out)"
        except BaseException:
            _kill_group(process)
            process.communicate()
            raise

    def _observe(self) -> None:
        self._collect_ids()
        creates = self.lab.definition.creates
        for name in creates.containers:
            self.own_anonymous_volumes |= anonymous_volumes(self.engine, name)
        names = {
            "containers": creates.containers, "networks": creates.networks,
            "volumes": [*creates.volumes, *sorted(self.own_anonymous_volumes)],
            "images": [image_tag(name) for name in creates.images],
        }
        for kind, kind_names in names.items():
            for name in kind_names:
                if name not in self.made[kind]:
                    found = journal.identify(self.engine, kind, name)
                    if found:
                        self.made[kind][name] = found
        journal.write(self.lab.id, self.made)

    def _undeclared(self, before) -> dict[str, list[str]]:
        creates = self.lab.definition.creates
        declared = {
            "containers": set(creates.containers), "networks": set(creates.networks),
            "volumes": set(creates.volumes) | self.own_anonymous_volumes,
            "images": {image_tag(name) for name in creates.images},
        }
        appeared = snapshot(self.engine).minus(before)
        undeclared = {}
        for kind in KINDS:
            allowed = declared[kind] | self.others.get(kind, set())
            extra = {name for name in appeared[kind]
                     if not appeared_elsewhere(self.engine, kind, name, allowed, self.ignored_prefixes)}
            if extra:
                undeclared[kind] = sorted(extra)
        return undeclared

    def _unexpected_files(self, workdir: Path) -> list[str]:
        allowed = set(self.lab.files) | set(self.lab.definition.creates.files)
        present = {p.relative_to(workdir).as_posix() for p in workdir.rglob("*") if p.is_file()}
        return sorted(path for path in present - allowed
                      if not any(path.startswith(f"{folder.rstrip('/')}/") for folder in allowed))

    def _clean_up(self, result: RunResult) -> None:
        self._collect_ids()
        result.known_ids = dict(self.known_ids)
        if self.lab.definition.cleanup:
            self.log("정리 단계를 실행합니다 (running the clean-up steps).")
            self._run_steps(self.lab.definition.cleanup, "cleanup", result.cleanup, stop_on_failure=False)
        result.safety_net = self._remove_leftovers()
        for item in result.safety_net:
            self.log(f"정리 단계가 남긴 것을 지웠습니다 (removed a leftover): {item}")
        journal.forget(self.lab.id)

    def _collect_ids(self) -> None:
        """IDs of what this run made and used, so recorded output names them instead of showing hex."""
        creates = self.lab.definition.creates
        for name in creates.containers:
            try:
                container = self.engine.containers.get(name)
            except NotFound:
                continue
            self.known_ids[container.id] = "컨테이너 ID"
        for name in [*creates.images, *self.lab.definition.images]:
            try:
                image = self.engine.images.get(image_tag(name))
            except NotFound:
                continue
            self.known_ids[image.id.split(":", 1)[-1]] = "이미지 ID"

    def _remove_leftovers(self) -> list[str]:
        creates = self.lab.definition.creates
        plan = [("containers", creates.containers), ("networks", creates.networks),
                ("volumes", [*creates.volumes, *sorted(self.own_anonymous_volumes)]),
                ("images", [image_tag(name) for name in creates.images])]
        removed = []
        for kind, names in plan:
            for name in names:
                if not exists(self.engine, kind, name):
                    continue
                try:
                    remove(self.engine, kind, name)
                    removed.append(f"{kind[:-1]} {name}")
                except (APIError, NotFound) as error:
                    self.log(f"지우지 못했습니다 (could not remove): {error}")
        return removed


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@contextmanager
def _signals_raise_interrupted() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def _signals_ignored() -> Iterator[None]:
    """Clean-up is not itself interrupted by a second Ctrl-C."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
