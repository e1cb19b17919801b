"""A write-ahead note on disk of what a running lab may create, so `labs clean` can finish the
job after the runner itself was killed (SIGKILL, a closed terminal, a dead engine).

Before the first step the journal names everything the lab declares and its working folder;
before each step it notes which step is starting; after each step it adds the IDs of what
appeared. Clean-up removes only the lab's declared names (and the unnamed volumes of its
containers), containers first, then networks, volumes and images, and leaves alone:
  - an object whose ID differs from the one the journal saw (made later by someone else), and
  - an object the journal never saw that was created before the run began.
The journal stays until every removal succeeded, so a failed clean-up can be run again."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

import docker
from docker.errors import APIError, NotFound

from .kinds import BY_NAME, KINDS
from .resources import remove

JOURNAL_DIR = Path(os.environ.get("LABS_JOURNAL_DIR", "/tmp/docker-labs-journal"))
IN_USE_RETRIES = 5


@dataclass
class CleanReport:
    removed: list[str] = field(default_factory=list)
    left_alone: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    had_journal: bool = False

    @property
    def complete(self) -> bool:
        return not self.failed


def path_for(lab_id: str) -> Path:
    return JOURNAL_DIR / f"{lab_id}.json"


def begin(lab_id: str, declared: dict[str, list[str]], workdir: Path) -> None:
    _write(lab_id, {"lab": lab_id, "pid": os.getpid(), "started_at": _now(), "workdir": str(workdir),
                    "declared": declared, "made": {kind: {} for kind in KINDS}, "step": None})


def step_starting(lab_id: str, phase: str, index: int) -> None:
    entry = read(lab_id)
    if entry:
        entry["step"] = {"phase": phase, "index": index, "started_at": _now()}
        _write(lab_id, entry)


def command_started(lab_id: str, pid: int) -> None:
    """The step's shell runs in its own process group; a killed runner leaves it running."""
    entry = read(lab_id)
    if entry:
        entry["command"] = {"pid": pid, "start": _process_start(pid)}
        _write(lab_id, entry)


def observed(lab_id: str, made: dict[str, dict[str, str]], anonymous_volumes: list[str]) -> None:
    entry = read(lab_id)
    if entry:
        entry["made"] = made
        entry["declared"]["volumes"] = sorted(set(entry["declared"].get("volumes", [])) | set(anonymous_volumes))
        _write(lab_id, entry)


def forget(lab_id: str) -> None:
    path_for(lab_id).unlink(missing_ok=True)


def read(lab_id: str) -> dict:
    try:
        return json.loads(path_for(lab_id).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def interrupted_run(lab_id: str) -> Optional[dict]:
    """The journal of an earlier run of this lab whose runner is gone, if any."""
    entry = read(lab_id)
    if not entry or _alive(entry.get("pid")):
        return None
    return entry


def identify(engine: docker.DockerClient, kind: str, name: str) -> Optional[str]:
    """The ID that tells this resource apart from a later one with the same name."""
    try:
        found = getattr(engine, kind).get(name)
    except NotFound:
        return None
    if kind == "volumes":
        return f"{found.name}@{found.attrs.get('CreatedAt', '')}"
    return found.id


def clean(engine: docker.DockerClient, lab_id: str, log: Callable[[str], None] = lambda _line: None) -> CleanReport:
    """Removes what the journal's lab made, in dependency order; see the module docstring."""
    report = CleanReport()
    entry = read(lab_id)
    if not entry:
        return report
    report.had_journal = True
    _stop_orphaned_command(entry.get("command") or {})
    started = _parse(entry.get("started_at"))
    made = entry.get("made", {})
    for kind in KINDS:
        names = list(dict.fromkeys([*entry.get("declared", {}).get(kind, []), *made.get(kind, {})]))
        for name in names:
            current = identify(engine, kind, name)
            if current is None:
                continue
            seen = made.get(kind, {}).get(name)
            if seen is not None and seen != current:
                report.left_alone.append(f"{BY_NAME[kind].singular} {name}: 실습이 만든 것이 아닙니다 (not the one the lab made)")
                continue
            if seen is None and kind != "images" and not _created_since(engine, kind, name, started):
                report.left_alone.append(f"{BY_NAME[kind].singular} {name}: 실습 전부터 있었습니다 (there before the lab ran)")
                continue
            error = _remove_retrying(engine, kind, name)
            if error is None:
                report.removed.append(f"{BY_NAME[kind].singular} {name}")
                log(f"지웠습니다 (removed): {kind[:-1]} {name}")
            else:
                report.failed.append(f"{BY_NAME[kind].singular} {name}: {error}")
    workdir = Path(entry.get("workdir") or "")
    if _is_lab_workdir(workdir, lab_id) and workdir.exists():
        shutil.rmtree(workdir, ignore_errors=True)
        report.removed.append(f"folder {workdir}")
    if report.complete:
        forget(lab_id)
    return report


def _stop_orphaned_command(command: dict) -> None:
    """A step still running after its runner was killed (`docker compose up` creating things)
    would make objects behind the clean-up's back: stop its process group first."""
    pid = command.get("pid")
    if not pid or _process_start(pid) != command.get("start"):
        return  # finished, or the number now belongs to another process
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _process_start(pid) is not None:
        time.sleep(0.1)


def _process_start(pid: int) -> Optional[str]:
    """When the process started (clock ticks since boot), to tell it apart from a later one."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return None if fields[0] == "Z" else fields[19]


def _remove_retrying(engine: docker.DockerClient, kind: str, name: str) -> Optional[str]:
    """None when removed (or already gone); else the engine's last word. A network or volume
    still "in use" by a container that is going away gets a few more tries."""
    last = ""
    for attempt in range(IN_USE_RETRIES):
        try:
            remove(engine, kind, name)
            return None
        except NotFound:
            return None
        except APIError as error:
            last = str(error.explanation or error)
            if "in use" not in last and "has active endpoints" not in last:
                return last
            time.sleep(1 + attempt)
    return last


def _created_since(engine: docker.DockerClient, kind: str, name: str, started: Optional[dt.datetime]) -> bool:
    if started is None:
        return False
    try:
        attrs = getattr(engine, kind).get(name).attrs
    except NotFound:
        return False
    created = _parse(attrs.get("Created") or attrs.get("CreatedAt"))
    return created is not None and created >= started - dt.timedelta(seconds=2)


def _is_lab_workdir(folder: Path, lab_id: str) -> bool:
    """Only a folder the runner made (mkdtemp's lab-<id>- prefix in the temp folder) is removed."""
    return (folder.name.startswith(f"lab-{lab_id}-") and str(folder.parent) == tempfile.gettempdir())


def _write(lab_id: str, entry: dict) -> None:
    JOURNAL_DIR.mkdir(parents=True, exist_ok=True)
    partial = path_for(lab_id).with_suffix(".partial")
    partial.write_text(json.dumps(entry, indent=1), encoding="utf-8")
    os.replace(partial, path_for(lab_id))


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat()


def _parse(text: Optional[str]) -> Optional[dt.datetime]:
    if not text:
        return None
    text = text.strip().replace("Z", "+00:00")
    if "." in text:  # the engine gives nanoseconds; Python takes at most microseconds
        head, _, rest = text.partition(".")
        digits = "".join(c for c in rest if c.isdigit())
        zone = rest[len(digits):]
        text = f"{head}.{digits[:6]}{zone}"
    try:
        parsed = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.timezone.utc)


def _alive(pid) -> bool:
    try:
        os.kill(int(pid), 0)
        return True
    except (OSError, TypeError, ValueError):
        return False
