"""An engine profile on a machine of its own, as far as a reader's commands can tell.

`python -m labs isolated PROFILE -- COMMAND...` starts PROFILE's engine and runs COMMAND beside
it inside new network and mount namespaces. There the engine has
  - its own network: host ports such as 8080 or 5001 and its bridge belong to it alone;
  - its own /run: /var/run/docker.sock is its dockerd's, so `docker ps` needs no DOCKER_HOST;
  - its own labs' journal, lab folders (TMPDIR), ~/.docker (logins, buildx state) and build logs;
  - its profile's Compose and buildx as the CLI plugins.
`./dev test` runs the older profiles' labs this way while the whole suite runs on the newest
engine on the machine's own socket, so no profile waits for another and nothing a reader
types changes. The namespaces end with COMMAND; the engine is stopped before that.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Optional

from . import engine, journal
from .engine import CLI_PLUGINS, STATE_DIR

PRIVATE_RUN_MOUNT = "docker-labs-run"
STOP_SECONDS = 60


def run(profile_name: str, command: list[str], log: engine.Log = print) -> int:
    """COMMAND's exit code. The engine is unpacked first, while the machine's network is at hand:
    inside, only loopback exists. Everything in the namespaces (engine, containers, COMMAND) ends
    with them: they have a process namespace of their own whose init is tini. SIGTERM or Ctrl-C
    here stops the engine inside first."""
    if not command:
        raise ValueError("no command to run beside the isolated engine")
    prepared = engine.prepare(profile_name, log)
    if prepared.name != profile_name:
        raise engine.EngineUnavailable(
            f"'{profile_name}' 엔진을 풀지 못했습니다 (could not unpack the {profile_name} engine).")
    if engine.runs_on_data_of(prepared):
        raise engine.EngineUnavailable(
            f"'{profile_name}' 엔진이 이 컴퓨터의 기본 소켓에서 돌고 있어 같은 데이터로 하나 더 켜지 않습니다 "
            f"(the {profile_name} engine runs on this machine's socket; stop it first: python -m labs engine down).")
    package_root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [package_root, os.environ.get("PYTHONPATH")])))
    sys.stdout.flush()
    namespaces = subprocess.Popen(
        ["unshare", "--mount", "--net", "--pid", "--fork", "--kill-child", "--mount-proc", "--propagation", "private",
         "--", init_program(), "-s", "--", sys.executable, "-m", "labs.isolation", profile_name, *command], env=env)
    deadline: list[threading.Timer] = []

    def stop(_signal, _frame) -> None:
        """unshare itself ignores SIGTERM and SIGINT while it waits: ask the namespaces' init,
        which passes the signal on to the runner inside (it stops the engine). If that takes too
        long, kill unshare: its death kills the init and with it every process in the namespaces."""
        if not deadline:
            deadline.append(threading.Timer(STOP_SECONDS, namespaces.kill))
            deadline[0].start()
        for child in _children(namespaces.pid):
            try:
                os.kill(child, signal.SIGTERM)
            except OSError:
                pass

    for stop_signal in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(stop_signal, stop)
    code = namespaces.wait()
    for timer in deadline:
        timer.cancel()
    return code


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def init_program() -> str:
    found = shutil.which("tini") or shutil.which("tini-static")
    if found is None:
        raise engine.EngineUnavailable("tini가 없습니다 (tini is missing): apt-get install tini")
    return found


def private_home(profile_name: str) -> Path:
    """Where the namespace keeps what it mounts over the machine's folders."""
    return STATE_DIR / profile_name / "isolated"


def _mount_private_folders(profile_name: str) -> None:
    """A fresh /run, ~/.docker and plugin folder; the labs' journal of this profile's engine,
    which outlives the namespace so that a run that was killed is finished next time; a folder
    for TMPDIR. /tmp itself stays the machine's: the repository (a CI checkout, say) may live there."""
    home = private_home(profile_name)
    for name in ("docker-config", "cli-plugins", "tmp"):
        shutil.rmtree(home / name, ignore_errors=True)
    _mount(["-t", "tmpfs", "-o", "mode=0755", PRIVATE_RUN_MOUNT, "/run"])
    (home / "tmp").mkdir(parents=True)
    (home / "tmp").chmod(0o1777)
    for name, target, mode in (("journal", journal.JOURNAL_DIR, 0o755),
                               ("docker-config", Path.home() / ".docker", 0o700),
                               ("cli-plugins", CLI_PLUGINS, 0o755)):
        source = home / name
        source.mkdir(parents=True, exist_ok=True)
        source.chmod(mode)
        target.mkdir(parents=True, exist_ok=True)
        _mount(["--bind", str(source), str(target)])


def _finish_interrupted_runs(log: engine.Log) -> None:
    """No runner lives yet in a namespace just made: every journal left is of a killed run."""
    client = engine.client()
    for path in sorted(journal.JOURNAL_DIR.glob("*.json")):
        report = journal.clean(client, path.stem, log=log)
        log(f"중간에 멈춘 실습 {path.stem}을(를) 정리했습니다 (finished an interrupted run): "
            f"{len(report.removed)} removed, {len(report.failed)} failed")


def _mount(arguments: list[str]) -> None:
    subprocess.run(["mount", *arguments], check=True)


def _inside(profile_name: str, command: list[str]) -> int:
    signal.signal(signal.SIGTERM, _stopped)
    if not engine.data_lock(engine.PROFILES[profile_name]):
        print(f"'{profile_name}' 엔진이 다른 네임스페이스에서 이미 돌고 있습니다 "
              f"(the {profile_name} engine already runs in another isolated namespace).", file=sys.stderr)
        return 4
    _mount_private_folders(profile_name)
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    engine.up(profile_name)
    _finish_interrupted_runs(print)
    env = dict(os.environ)
    bin_dir: Optional[Path] = engine.client_bin_dir()
    if bin_dir is not None:
        env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    env.pop("DOCKER_HOST", None)
    env["LABS_IMAGES_LOG_DIR"] = str(private_home(profile_name) / "image-logs")
    # Lab folders (and pytest's) apart from the machine's /tmp, where the suite beside this engine
    # checks that its own killed runs left no lab folder behind.
    env["TMPDIR"] = str(private_home(profile_name) / "tmp")
    try:
        return subprocess.call(command, env=env)
    finally:
        engine.down(log=lambda _line: None)


def _stopped(_signal, _frame) -> None:
    raise SystemExit(128 + signal.SIGTERM)


if __name__ == "__main__":
    sys.exit(_inside(sys.argv[1], sys.argv[2:]))
