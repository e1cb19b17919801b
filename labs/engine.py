"""A real Docker engine on demand: use the one that answers, or install and start one.

Where no engine answers and we run as root on Debian, a current engine (with Compose v2
and buildx) is unpacked from the next Debian release's packages into ENGINE_ROOT and
started beside Debian 12's runc; when that cannot be had, Debian 12's docker.io is used.
Only a daemon started here is ever stopped here.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import docker
from docker.errors import DockerException

STATE_DIR = Path(os.environ.get("LABS_ENGINE_STATE", "/var/lib/docker-labs-engine"))
ENGINE_ROOT = STATE_DIR / "root"
PID_FILE = STATE_DIR / "dockerd.pid"
LOG_FILE = STATE_DIR / "dockerd.log"
CLI_PLUGINS = Path("/usr/local/lib/docker/cli-plugins")
NEWER_SUITE = "trixie"
NEWER_PACKAGES = ("docker.io", "containerd", "docker-compose", "docker-buildx", "docker-cli")
HOST_PACKAGES = ("runc", "iptables", "tini", "ca-certificates")
ANSWER_TIMEOUT = 60

Log = Callable[[str], None]


class EngineUnavailable(Exception):
    pass


NOT_RUNNING = """\
도커 엔진이 응답하지 않습니다. 엔진을 먼저 켜 주세요.
  - Linux: sudo systemctl start docker  (또는 이 저장소에서 root로: python -m labs engine up)
  - macOS, Windows: Docker Desktop을 실행하고 고래 아이콘이 'running'이 될 때까지 기다립니다.
  - 원격 엔진을 쓴다면 DOCKER_HOST 값을 확인합니다.
The Docker engine is not answering. Start it first: on Linux `sudo systemctl start docker`
(or, as root in this repository, `python -m labs engine up`); on macOS and Windows start
Docker Desktop and wait until it says it is running; check DOCKER_HOST if you use a remote engine."""


def client(timeout: int = 120) -> docker.DockerClient:
    """A client for the engine that answers now, or EngineUnavailable."""
    try:
        engine = docker.from_env(timeout=timeout)
        engine.ping()
        return engine
    except (DockerException, OSError) as error:
        raise EngineUnavailable(f"{NOT_RUNNING}\n({error.__class__.__name__}: {error})") from None


def answers() -> bool:
    try:
        client(timeout=3).close()
        return True
    except EngineUnavailable:
        return False


@dataclass
class EngineInfo:
    version: str
    api_version: str
    storage_driver: str
    compose: Optional[str]
    buildx: Optional[str]
    started_here: bool


def info() -> EngineInfo:
    engine = client()
    version = engine.version()
    details = engine.info()
    return EngineInfo(
        version=version.get("Version", "?"),
        api_version=version.get("ApiVersion", "?"),
        storage_driver=details.get("Driver", "?"),
        compose=_plugin_version(["compose", "version", "--short"]),
        buildx=_plugin_version(["buildx", "version"]),
        started_here=_daemon_pid() is not None,
    )


def up(log: Log = print) -> EngineInfo:
    if answers():
        log("이미 응답하는 도커 엔진을 씁니다 (using the engine that already answers).")
        _ensure_client_tools(log)
        return info()
    if os.geteuid() != 0 or not Path("/etc/debian_version").exists():
        raise EngineUnavailable(NOT_RUNNING)
    dockerd = _install(log)
    _start(dockerd, log)
    return info()


def down(log: Log = print) -> bool:
    pid = _daemon_pid()
    if pid is None:
        log("이 프로젝트가 켠 엔진이 없으므로 아무것도 끄지 않습니다 (no engine started here; nothing stopped).")
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)
    PID_FILE.unlink(missing_ok=True)
    log(f"이 프로젝트가 켠 엔진(pid {pid})을 껐습니다 (stopped the engine started here).")
    return True


def _install(log: Log) -> Path:
    _apt_install(HOST_PACKAGES, log)
    try:
        _unpack_newer_engine(log)
        _install_cli_plugins(log)
        return ENGINE_ROOT / "usr/sbin/dockerd"
    except subprocess.CalledProcessError as error:
        log(f"{NEWER_SUITE} 엔진을 받지 못해 Debian 12의 docker.io를 씁니다 "
            f"(could not fetch the newer engine: {error}); falling back to docker.io.")
        _apt_install(("docker.io",), log)
        return Path("/usr/sbin/dockerd")


def _apt_install(packages: tuple[str, ...], log: Log) -> None:
    missing = [name for name in packages if not _dpkg_installed(name)]
    if not missing:
        return
    log(f"Debian 패키지를 설치합니다 (installing): {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-q", "--no-install-recommends", *missing]
    if subprocess.run(install, env=env, stdout=subprocess.DEVNULL).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], env=env, stdout=subprocess.DEVNULL, check=True)
        subprocess.run(install, env=env, stdout=subprocess.DEVNULL, check=True)


def _unpack_newer_engine(log: Log) -> None:
    marker = ENGINE_ROOT / ".unpacked"
    if marker.exists() and (ENGINE_ROOT / "usr/sbin/dockerd").exists():
        return
    apt_dir = STATE_DIR / "apt"
    debs = STATE_DIR / "debs"
    for folder in (apt_dir / "lists/partial", apt_dir / "cache/archives/partial", debs):
        folder.mkdir(parents=True, exist_ok=True)
    sources = apt_dir / "sources.list"
    sources.write_text(
        f"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] {_debian_mirror()} {NEWER_SUITE} main\n"
    )
    # A private list directory keeps the newer release out of the system's own sources.
    options = [
        "-o", f"Dir::Etc::SourceList={sources}",
        "-o", "Dir::Etc::SourceParts=/nonexistent",
        "-o", f"Dir::State::Lists={apt_dir / 'lists'}",
        "-o", f"Dir::Cache={apt_dir / 'cache'}",
        "-o", "APT::Sandbox::User=root",
        "-q",
    ]
    log(f"Debian {NEWER_SUITE}의 도커 엔진 패키지를 받습니다 (fetching the engine packages)...")
    subprocess.run(["apt-get", *options, "update"], check=True, stdout=subprocess.DEVNULL)
    for old in debs.glob("*.deb"):
        old.unlink()
    subprocess.run(["apt-get", *options, "download", *NEWER_PACKAGES], cwd=debs, check=True,
                   stdout=subprocess.DEVNULL)
    shutil.rmtree(ENGINE_ROOT, ignore_errors=True)
    ENGINE_ROOT.mkdir(parents=True)
    for package in sorted(debs.glob("*.deb")):
        subprocess.run(["dpkg", "-x", str(package), str(ENGINE_ROOT)], check=True)
    marker.write_text("\n".join(sorted(p.name for p in debs.glob("*.deb"))) + "\n")


def _ensure_client_tools(log: Log) -> None:
    """An engine may answer (CI's own, a socket mounted into a container) while this machine
    lacks the docker CLI or Compose v2: take them from the same packages as the engine."""
    missing = shutil.which("docker") is None or _plugin_version(["compose", "version", "--short"]) is None
    if missing and os.geteuid() == 0 and Path("/etc/debian_version").exists():
        _unpack_newer_engine(log)
    _install_cli_plugins(log)


def _install_cli_plugins(log: Log) -> None:
    """Make `docker compose` and `docker buildx` work with whichever CLI is on PATH."""
    source = ENGINE_ROOT / "usr/libexec/docker/cli-plugins"
    if not source.is_dir() or os.geteuid() != 0:
        return
    CLI_PLUGINS.mkdir(parents=True, exist_ok=True)
    for plugin in source.iterdir():
        target = CLI_PLUGINS / plugin.name
        if not target.exists():
            shutil.copy2(plugin, target)
            log(f"CLI 플러그인을 설치했습니다 (installed CLI plugin): {target}")
    if shutil.which("docker") is None and (ENGINE_ROOT / "usr/bin/docker").exists():
        Path("/usr/local/bin/docker").symlink_to(ENGINE_ROOT / "usr/bin/docker")


def _start(dockerd: Path, log: Log) -> None:
    STATE_DIR.mkdir(parents=True, exist_ok=True)
    paths = [ENGINE_ROOT / "usr/bin", ENGINE_ROOT / "usr/sbin"] if dockerd.is_relative_to(ENGINE_ROOT) else []
    env = dict(os.environ, PATH=os.pathsep.join([*map(str, paths), "/usr/sbin", "/usr/bin", "/sbin", "/bin"]))
    command = [str(dockerd), "--pidfile", "/var/run/docker.pid"]
    init = shutil.which("tini-static") or shutil.which("docker-init")
    if init:
        command += ["--init-path", init]
    log(f"dockerd를 켭니다 (starting dockerd); 로그(log): {LOG_FILE}")
    started = time.monotonic()
    with open(LOG_FILE, "ab") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=env,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    PID_FILE.write_text(str(process.pid))
    deadline = started + ANSWER_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            PID_FILE.unlink(missing_ok=True)
            raise EngineUnavailable(
                f"dockerd가 곧바로 멈췄습니다 (dockerd exited with {process.returncode}). "
                f"로그를 보세요 (see the log): {LOG_FILE}\n{_tail(LOG_FILE)}"
            )
        if answers():
            log(f"엔진이 {time.monotonic() - started:.1f}초 만에 응답합니다 (engine answering).")
            return
        time.sleep(0.25)
    raise EngineUnavailable(f"엔진이 {ANSWER_TIMEOUT}초 안에 응답하지 않았습니다 (no answer in time). "
                            f"로그(log): {LOG_FILE}\n{_tail(LOG_FILE)}")


def _debian_mirror() -> str:
    """The archive the system already uses, so no host name is written here."""
    for source in [Path("/etc/apt/sources.list.d/debian.sources")]:
        if source.exists():
            for line in source.read_text().splitlines():
                if line.startswith("URIs:") and "security" not in line:
                    return line.split()[1]
    for line in Path("/etc/apt/sources.list").read_text().splitlines():
        parts = line.split()
        if parts[:1] == ["deb"] and "security" not in line:
            return next(part for part in parts[1:] if "://" in part)
    raise EngineUnavailable("Debian 패키지 저장소 설정을 찾지 못했습니다 (no Debian archive configured).")


def _daemon_pid() -> Optional[int]:
    try:
        pid = int(PID_FILE.read_text())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split()[2] == "Z")


def _dpkg_installed(package: str) -> bool:
    result = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package],
                            capture_output=True, text=True)
    return result.returncode == 0 and "install ok installed" in result.stdout


def _plugin_version(args: list[str]) -> Optional[str]:
    if shutil.which("docker") is None:
        return None
    result = subprocess.run(["docker", *args], capture_output=True, text=True)
    return result.stdout.strip() or None if result.returncode == 0 else None


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


