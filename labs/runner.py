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
from docker.errors import DockerException, NotFound
from requests.exceptions import RequestException

from . import journal, preflight
from .checks import http_failures, output_failures
from .engine import client_bin_dir
from .host_facts import HostFacts, collect, observe_networks
from .loader import Lab
from .model import Step
from .resources import KINDS, Foreign, anonymous_volumes, appeared_elsewhere, image_tag, nobody_else, snapshot
from .terminal import run_in_terminal

COMMAND_TIMEOUT = 600
Log = Callable[[str], None]


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM arrived while the lab ran."""


class EngineLost(Exception):
    """The engine stopped answering while the lab ran; the journal keeps what to clean."""


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
    host: Optional[HostFacts]
    images: dict[str, str]
    steps: list[StepResult] = field(default_factory=list)
    cleanup: list[StepResult] = field(default_factory=list)
    safety_net: list[str] = field(default_factory=list)
    undeclared: dict[str, list[str]] = field(default_factory=dict)
    unexpected_files: list[str] = field(default_factory=list)
    known_ids: dict[str, str] = field(default_factory=dict)
    interrupted: Optional[str] = None
    engine_lost: Optional[str] = None
    clean_up_failures: list[str] = field(default_factory=list)
    seconds: float = 0.0
    expected_steps: int = 0

    @property
    def ok(self) -> bool:
        return (self.interrupted is None and self.engine_lost is None
                and len(self.steps) == self.expected_steps and all(step.ok for step in self.steps))

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
        if self.clean_up_failures:
            found.append(f"지우지 못했습니다 (could not remove): {self.clean_up_failures}")
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
                 foreign: Foreign = nobody_else):
        self.lab = lab
        self.engine = engine
        self.log = log
        self.pause = pause
        # Objects of whoever works beside the lab (the caller knows them), which may come and go.
        self.foreign = foreign
        self.own_anonymous_volumes: set[str] = set()
        self.made: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
        self.known_ids: dict[str, str] = {}
        self.workdir: Optional[Path] = None
        self.host: Optional[HostFacts] = None
        self._engine_lost = False

    def run(self) -> RunResult:
        preflight.check(self.lab, self.engine)
        from .images import status

        definition = self.lab.definition
        result = RunResult(
            lab_id=self.lab.id,
            started_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            host=collect(self.engine, self._docker_output),
            images={image.name: image.origin for image in status(definition.images)} if definition.images else {},
            expected_steps=len(definition.steps),
        )
        self.host = result.host
        started = time.monotonic()
        before = snapshot(self.engine)
        with _signals(_raise_interrupted), self._workdir() as workdir:
            journal.begin(self.lab.id, self._declared(), workdir)
            try:
                self._run_steps(definition.steps, "step", result.steps, stop_on_failure=True)
                result.undeclared = self._undeclared(before)
                result.unexpected_files = self._unexpected_files(workdir)
            except Interrupted as interruption:
                result.interrupted = str(interruption)
                self.log(f"중단되었습니다 ({interruption}); 정리합니다 (interrupted; cleaning up).")
            except EngineLost as lost:
                result.engine_lost = str(lost)
            finally:
                with _signals(signal.SIG_IGN):
                    if result.engine_lost is None:
                        self._clean_up(result)
        result.seconds = time.monotonic() - started
        return result

    def _declared(self) -> dict[str, list[str]]:
        return self.lab.definition.creates.engine_names()

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
            if not self._engine_lost:  # else `labs clean` removes it once the engine is back
                shutil.rmtree(folder, ignore_errors=True)

    def _run_steps(self, steps: list[Step], phase: str, results: list[StepResult], stop_on_failure: bool) -> None:
        earlier: dict[str, str] = {}
        for index, step in enumerate(steps):
            label = "정리" if phase == "cleanup" else "단계"
            journal.step_starting(self.lab.id, phase, index)
            self.log(f"[{label} {index + 1}/{len(steps)}] {step.run}")
            outcome = self._run_step(step, phase, index, earlier)
            results.append(outcome)
            if step.name:
                earlier[step.name] = outcome.stdout
            if not outcome.ok:
                self._check_engine()
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
            if step.terminal is not None:
                exit_code, stdout, stderr, problem = self._terminal(step)
            else:
                (exit_code, stdout, stderr), problem = self._shell(step.run, step.input), None
            failures = output_failures(step.expect, exit_code, stdout, stderr, earlier)
            if problem:
                failures.insert(0, problem)
            if not failures and step.expect.http is not None:
                failures = http_failures(step.expect.http)
            seconds = time.monotonic() - started
            if not failures or time.monotonic() >= deadline:
                return StepResult(phase, index, step.run, exit_code, stdout, stderr, seconds, attempts, failures)
            self._check_engine()  # no point waiting for an engine that is gone
            time.sleep(1)

    def _docker_output(self, args: list[str]) -> Optional[str]:
        completed = subprocess.run(["docker", *args], env=_command_env(), capture_output=True, text=True)
        return completed.stdout.strip() if completed.returncode == 0 else None

    def _shell(self, command: str, stdin_text: Optional[str]) -> tuple[Optional[int], str, str]:
        env = _command_env()
        process = subprocess.Popen(
            ["bash", "-c", command], cwd=self.workdir, env=env, text=True,
            stdin=subprocess.PIPE if stdin_text is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        )
        journal.command_started(self.lab.id, process.pid)
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

    def _terminal(self, step: Step) -> tuple[Optional[int], str, str, Optional[str]]:
        """An interactive step: the screen is its standard output (a terminal has one stream)."""
        screen = run_in_terminal(step.run, step.terminal, self.workdir, _command_env(), COMMAND_TIMEOUT,
                                 started=lambda pid: journal.command_started(self.lab.id, pid))
        return screen.exit_code, screen.text, "", screen.problem

    def _check_engine(self) -> None:
        try:
            self.engine.ping()
        except (DockerException, RequestException, OSError) as error:
            self._engine_lost = True
            raise EngineLost(f"{error.__class__.__name__}: {error}") from None

    def _observe(self) -> None:
        try:
            self._observe_engine()
        except (DockerException, RequestException, OSError):
            self._check_engine()
            raise

    def _observe_engine(self) -> None:
        self._collect_ids()
        creates = self.lab.definition.creates
        if self.host is not None:
            observe_networks(self.engine, self.host, creates.containers, creates.networks)
        for name in creates.containers:
            self.own_anonymous_volumes |= anonymous_volumes(self.engine, name)
        names = creates.engine_names()
        names["volumes"] += sorted(self.own_anonymous_volumes)
        for kind, kind_names in names.items():
            for name in kind_names:
                if name not in self.made[kind]:
                    found = journal.identify(self.engine, kind, name)
                    if found:
                        self.made[kind][name] = found
        journal.observed(self.lab.id, self.made, sorted(self.own_anonymous_volumes))

    def _undeclared(self, before) -> dict[str, list[str]]:
        declared = {kind: set(names) for kind, names in self.lab.definition.creates.engine_names().items()}
        declared["volumes"] |= self.own_anonymous_volumes
        appeared = snapshot(self.engine).minus(before)
        undeclared = {}
        for kind in KINDS:
            extra = {name for name in appeared[kind]
                     if not appeared_elsewhere(self.engine, kind, name, declared[kind], self.foreign)}
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
        result.safety_net, result.clean_up_failures = self._remove_leftovers()
        for item in result.safety_net:
            self.log(f"정리 단계가 남긴 것을 지웠습니다 (removed a leftover): {item}")
        if not result.clean_up_failures:
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

    def _remove_leftovers(self) -> tuple[list[str], list[str]]:
        """The journal's clean-up, for what the lab's own clean-up steps left: (removed, failed)."""
        journal.observed(self.lab.id, self.made, sorted(self.own_anonymous_volumes))
        report = journal.clean(self.engine, self.lab.id)
        removed = [item for item in report.removed if not item.startswith("folder ")]
        for failure in report.failed:
            self.log(f"지우지 못했습니다 (could not remove): {failure}")
        return removed, report.failed


def _command_env() -> dict[str, str]:
    """The reader's environment, plain output, and the docker CLI that came with an engine
    started here (so client and server versions match)."""
    env = dict(os.environ, LC_ALL="C.UTF-8", TERM="dumb", NO_COLOR="1")
    bin_dir = client_bin_dir()
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    return env


def _kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _raise_interrupted(signum, _frame):
    raise Interrupted(signal.Signals(signum).name)


@contextmanager
def _signals(handler) -> Iterator[None]:
    """Ctrl-C and SIGTERM go to handler while the block runs (only the main thread can set them)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, previous_handler in previous.items():
            signal.signal(sig, previous_handler)
