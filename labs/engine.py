"""A real Docker engine on demand: use the one that answers, or install and start one.

Where no engine answers and we run as root on Debian, an engine is unpacked into
STATE_DIR/<profile>/root and started with its own data root, so profiles never share images
or containers:

  upstream  Docker Engine and CLI 29 built from upstream's release tags (../shared/engines,
            checked by sha256) with its static runc, Debian unstable's containerd 2.x, Compose
            and buildx, and the containerd image store: what readers install today;
  current   the newest engine Debian has (unstable: docker.io 28.5, containerd 2.1, Compose 2.40,
            buildx 0.29) with the containerd image store;
  classic   Debian 13's engine 26.1 with the overlay2 store, as many distributions ship it.

The upstream profile exists only where its archive does (not in a reader's clone, not on a
hosted runner); `available()` says why not. A Debian profile that cannot be fetched falls back
to the next one, and finally to Debian 12's docker.io. Only one dockerd runs at a time; only a
daemon started here is ever stopped here.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
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

from .apt import apt_install, download_from_suite
from .errors import EngineUnavailable
from .host_facts import image_store

STATE_DIR = Path(os.environ.get("LABS_ENGINE_STATE", "/var/lib/docker-labs-engine"))
# What lives only while an engine runs. A namespace made by labs.isolation has a /run of its own,
# so an engine started there never sees, or is seen by, the one on the machine's default socket.
RUN_DIR = Path("/run/docker-labs-engine")
PID_FILE = RUN_DIR / "dockerd.pid"
CONTAINERD_PID_FILE = RUN_DIR / "containerd.pid"
PROFILE_FILE = RUN_DIR / "profile"
DATA_ROOT_FILE = RUN_DIR / "data-root"
# The running engine's own docker CLI, for commands whose PATH is not ours (`sudo docker ...`:
# ./dev puts this folder first in sudo's secure_path).
CLIENT_LINK = RUN_DIR / "bin" / "docker"
CLI_PLUGINS = Path("/usr/local/lib/docker/cli-plugins")
ENGINE_PACKAGES = ("docker.io", "containerd", "docker-compose", "docker-buildx", "docker-cli")
# Around an upstream engine: containerd (with its runc shim), Compose and buildx.
COMPANION_PACKAGES = ("containerd", "docker-compose", "docker-buildx")
UPSTREAM_DIR = Path(os.environ.get("LABS_UPSTREAM_ENGINES",
                                   Path(__file__).resolve().parent.parent.parent / "shared" / "engines"))
HOST_PACKAGES = ("runc", "iptables", "tini", "ca-certificates")
ANSWER_TIMEOUT = 60


@dataclass(frozen=True)
class UpstreamArchive:
    """An engine built from upstream's release tags, checked before it is unpacked."""
    file_name: str
    sha256: str

    @property
    def path(self) -> Path:
        return UPSTREAM_DIR / self.file_name


@dataclass(frozen=True)
class Profile:
    name: str
    suite: str                # the Debian suite the engine (or its companions) come from
    containerd_store: bool    # images in containerd's snapshotters instead of overlay2
    description: str
    upstream: Optional[UpstreamArchive] = None   # dockerd, docker and runc from upstream's tags
    unpacked: bool = True     # False: the system's own docker.io, installed with apt

    @property
    def folder(self) -> Path:
        """Everything of this profile: root (unpacked engine), data, logs."""
        return STATE_DIR / self.name

    @property
    def root(self) -> Path:
        return self.folder / "root"

    @property
    def data_root(self) -> Path:
        return self.folder / "data"

    @property
    def bin_dir(self) -> Path:
        return self.root / "usr/bin"

    @property
    def dockerd(self) -> Path:
        if not self.unpacked:
            return Path("/usr/sbin/dockerd")
        return self.bin_dir / "dockerd" if self.upstream else self.root / "usr/sbin/dockerd"

    @property
    def packages(self) -> tuple[str, ...]:
        return COMPANION_PACKAGES if self.upstream else ENGINE_PACKAGES


PROFILES = {
    "upstream": Profile("upstream", "unstable", True,
                        "Docker Engine 29.7.2 (업스트림 소스에서 빌드), containerd 이미지 스토어 "
                        "(Docker 29 from upstream's tags, containerd image store)",
                        UpstreamArchive("docker-29.7.2-linux-amd64.tar.xz",
                                        "2870b5ad7850aa5f93b8d9bded67b1b423d552732ddc99872308e0941a053378")),
    "current": Profile("current", "unstable", True,
                       "Debian unstable의 최신 엔진, containerd 이미지 스토어 (newest engine, containerd image store)"),
    "classic": Profile("classic", "trixie", False,
                       "Debian 13의 엔진 26.1, overlay2 저장소 (Debian 13's engine, overlay2 store)"),
}
DEFAULT_PROFILE = "current"
FALLBACK_ORDER = ("current", "classic")   # Debian's engines, always fetchable


class ArchiveMismatch(EngineUnavailable):
    pass


def available(profile: Profile) -> Optional[str]:
    """None when this machine can run the profile, else one line that says why not."""
    if profile.upstream is None:
        return None
    if os.uname().machine not in ("x86_64", "amd64"):
        return f"{profile.name}: 업스트림 엔진은 amd64용만 있습니다 (the upstream build is linux/amd64 only)"
    if not profile.upstream.path.is_file():
        return (f"{profile.name}: {profile.upstream.path} 파일이 없어 건너뜁니다 "
                f"(skipped: the engine built from upstream's source is not on this machine)")
    return None

Log = Callable[[str], None]


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
    client_version: Optional[str]
    storage_driver: str
    image_store: str          # "containerd" or "classic"
    compose: Optional[str]
    buildx: Optional[str]
    started_here: bool
    profile: Optional[str]    # the profile started here, None for an engine someone else runs


def info() -> EngineInfo:
    engine = client()
    version = engine.version()
    details = engine.info()
    started_here = _daemon_pid() is not None
    return EngineInfo(
        version=version.get("Version", "?"),
        api_version=version.get("ApiVersion", "?"),
        client_version=_cli_output(["version", "--format", "{{.Client.Version}}"]),
        storage_driver=details.get("Driver", "?"),
        image_store=image_store(details),
        compose=_cli_output(["compose", "version", "--short"]),
        buildx=_cli_output(["buildx", "version"]),
        started_here=started_here,
        profile=running_profile() if started_here else None,
    )


def profile_named(name: Optional[str]) -> Profile:
    """The named profile; without a name, LABS_ENGINE_PROFILE or the newest this machine can run."""
    name = name or os.environ.get("LABS_ENGINE_PROFILE") or default_profile_name()
    if name not in PROFILES:
        raise ValueError(f"unknown engine profile {name!r} (known: {', '.join(PROFILES)})")
    return PROFILES[name]


def default_profile_name() -> str:
    return "upstream" if available(PROFILES["upstream"]) is None else DEFAULT_PROFILE


def up(profile_name: Optional[str] = None, log: Log = print) -> EngineInfo:
    """The engine of that profile answering. An engine someone else runs is used as it is."""
    wanted = profile_named(profile_name)
    why_not = available(wanted)
    if why_not:
        raise EngineUnavailable(why_not)
    if answers():
        if _daemon_pid() is None:
            log("이미 응답하는 도커 엔진을 씁니다 (using the engine that already answers).")
            _ensure_client_tools(log)
            return info()
        if running_profile() == wanted.name:
            return info()
        log(f"엔진을 '{wanted.name}' 프로필로 바꿉니다 (switching the engine to the {wanted.name} profile).")
        down(log)
    started = prepare(wanted.name, log)
    _stop_own_containerd()
    if data_in_use(started):
        raise EngineUnavailable(
            f"'{started.name}' 프로필의 엔진이 따로 떨어진 네임스페이스에서 이미 돌고 있어 켜지 않습니다 "
            f"(the {started.name} engine already runs in an isolated namespace, on the same data: not started).")
    containerd_socket = _start_containerd(started, log) if started.upstream else None
    _start(started, log, containerd_socket)
    _link_client(started)
    _link_cli_plugins(started, log)
    return info()


def prepare(profile_name: Optional[str] = None, log: Log = print) -> Profile:
    """The profile's engine unpacked (fetched while the machine's network is at hand) but not
    started; the profile that was unpacked, which a fallback may have replaced."""
    wanted = profile_named(profile_name)
    why_not = available(wanted)
    if why_not:
        raise EngineUnavailable(why_not)
    if os.geteuid() != 0 or not Path("/etc/debian_version").exists():
        raise EngineUnavailable(NOT_RUNNING)
    apt_install(HOST_PACKAGES, log)
    _forget_single_engine_layout()
    return _install(wanted, log)


def down(log: Log = print) -> bool:
    pid = _daemon_pid()
    if pid is None:
        _stop_own_containerd()
        log("이 프로젝트가 켠 엔진이 없으므로 아무것도 끄지 않습니다 (no engine started here; nothing stopped).")
        return False
    _terminate(pid)
    CLIENT_LINK.unlink(missing_ok=True)
    PID_FILE.unlink(missing_ok=True)
    PROFILE_FILE.unlink(missing_ok=True)
    DATA_ROOT_FILE.unlink(missing_ok=True)
    _stop_own_containerd()
    log(f"이 프로젝트가 켠 엔진(pid {pid})을 껐습니다 (stopped the engine started here).")
    return True


def _terminate(pid: int, seconds: float = 60) -> None:
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.2)


def _stop_own_containerd() -> None:
    """The containerd started beside an upstream dockerd, after that dockerd is gone."""
    try:
        pid = int(CONTAINERD_PID_FILE.read_text())
    except (OSError, ValueError):
        return
    if _alive(pid):
        _terminate(pid, 30)
    CONTAINERD_PID_FILE.unlink(missing_ok=True)


def runs_on_data_of(profile: Profile) -> bool:
    """An engine started here runs on that profile's data root."""
    try:
        data_root = DATA_ROOT_FILE.read_text().strip()
    except OSError:
        return False
    return _daemon_pid() is not None and data_root == str(profile.data_root)


def switchable() -> bool:
    """Profiles can be switched when no engine answers or the one that answers was started here."""
    return _daemon_pid() is not None or not answers()


def running_profile() -> Optional[str]:
    try:
        return PROFILE_FILE.read_text().strip() or None
    except OSError:
        return None


def client_bin_dir() -> Optional[Path]:
    """The docker CLI that came with the engine started here, so client and server match."""
    name = running_profile() if _daemon_pid() is not None else None
    if name in PROFILES and (PROFILES[name].bin_dir / "docker").exists():
        return PROFILES[name].bin_dir
    return None


def _install(wanted: Profile, log: Log) -> Profile:
    """Unpacks the wanted profile's engine, or the next Debian profile's; the profile that was
    unpacked, or a bare profile for Debian 12's docker.io installed with apt."""
    candidates = [wanted] + [PROFILES[name] for name in FALLBACK_ORDER if name != wanted.name]
    for candidate in candidates:
        try:
            _unpack(candidate, log)
            if candidate is not wanted:
                log(f"'{wanted.name}' 엔진을 받지 못해 '{candidate.name}' 엔진의 패키지를 씁니다 "
                    f"(using the {candidate.name} packages instead).")
            return candidate
        except subprocess.CalledProcessError as error:
            log(f"Debian {candidate.suite}의 엔진 패키지를 받지 못했습니다 (could not fetch: {error}).")
    log("Debian 12의 docker.io를 씁니다 (falling back to Debian 12's docker.io).")
    apt_install(("docker.io",), log)
    return Profile("system", "bookworm", False, "Debian 12 docker.io", unpacked=False)


def _unpack(profile: Profile, log: Log) -> None:
    marker = profile.root / ".unpacked"
    if marker.exists() and profile.dockerd.exists():
        return
    if profile.upstream:
        _check_archive(profile.upstream)
    log(f"Debian {profile.suite}의 패키지를 받습니다 (fetching {', '.join(profile.packages)})...")
    debs = download_from_suite(profile.suite, profile.packages, STATE_DIR / profile.name / "apt",
                               STATE_DIR / profile.name / "debs")
    shutil.rmtree(profile.root, ignore_errors=True)
    profile.root.mkdir(parents=True)
    for package in debs:
        subprocess.run(["dpkg", "-x", str(package), str(profile.root)], check=True)
    unpacked = [package.name for package in debs]
    if profile.upstream:
        # bin/dockerd, docker, docker-proxy and runc; runc first on PATH for containerd's shim.
        subprocess.run(["tar", "-xJf", str(profile.upstream.path), "-C", str(profile.root / "usr"),
                        "--no-same-owner"], check=True)
        unpacked.append(profile.upstream.file_name)
    marker.write_text("\n".join(unpacked) + "\n")


def _check_archive(archive: UpstreamArchive) -> None:
    with open(archive.path, "rb") as stream:
        digest = hashlib.file_digest(stream, "sha256")
    if digest.hexdigest() != archive.sha256:
        raise ArchiveMismatch(
            f"{archive.path}의 sha256이 기록과 다릅니다. 풀지 않습니다 (checksum mismatch; not unpacked).\n"
            f"  기대 (expected): {archive.sha256}\n  실제 (actual):   {digest.hexdigest()}\n"
            f"  BUILD.md와 같은 폴더의 build.sh로 다시 빌드하세요 (rebuild with build.sh, see BUILD.md).")


def _forget_single_engine_layout() -> None:
    """Before profiles, one engine lived in STATE_DIR/root and its plugins were copied, not
    linked, into CLI_PLUGINS; those copies would shadow the running profile's plugins."""
    old_root = STATE_DIR / "root"
    if not (old_root / ".unpacked").exists():
        return
    for plugin in (old_root / "usr/libexec/docker/cli-plugins").glob("docker-*"):
        copy = CLI_PLUGINS / plugin.name
        if copy.is_file() and not copy.is_symlink() and copy.stat().st_size == plugin.stat().st_size:
            copy.unlink()
    for folder in (old_root, STATE_DIR / "apt", STATE_DIR / "debs"):
        shutil.rmtree(folder, ignore_errors=True)


def _ensure_client_tools(log: Log) -> None:
    """An engine may answer (CI's own, a socket mounted into a container) while this machine
    lacks the docker CLI or Compose: take them from the default profile's packages."""
    missing = shutil.which("docker") is None or _cli_output(["compose", "version", "--short"]) is None
    if missing and os.geteuid() == 0 and Path("/etc/debian_version").exists():
        profile = PROFILES[DEFAULT_PROFILE]
        _unpack(profile, log)
        _link_cli_plugins(profile, log)
        if shutil.which("docker") is None:
            Path("/usr/local/bin/docker").symlink_to(profile.bin_dir / "docker")


def _link_client(profile: Profile) -> None:
    CLIENT_LINK.unlink(missing_ok=True)
    if profile.unpacked and (profile.bin_dir / "docker").exists():
        CLIENT_LINK.parent.mkdir(parents=True, exist_ok=True)
        CLIENT_LINK.symlink_to(profile.bin_dir / "docker")


def _link_cli_plugins(profile: Profile, log: Log) -> None:
    """`docker compose` and `docker buildx` of the running profile, for whichever CLI runs them.
    A plugin someone else installed there is left alone."""
    source = profile.root / "usr/libexec/docker/cli-plugins"
    if not source.is_dir() or os.geteuid() != 0:
        return
    CLI_PLUGINS.mkdir(parents=True, exist_ok=True)
    for plugin in source.iterdir():
        target = CLI_PLUGINS / plugin.name
        if target.is_symlink() and STATE_DIR in Path(os.readlink(target)).parents:
            target.unlink()
        if not target.exists() and not target.is_symlink():
            target.symlink_to(plugin)
        elif not target.is_symlink():
            log(f"{target}은(는) 다른 곳에서 설치한 플러그인이라 그대로 둡니다 (left alone: installed by someone else).")


def _engine_path(profile: Profile) -> dict:
    paths = [profile.root / "usr/bin", profile.root / "usr/sbin"] if profile.unpacked else []
    return dict(os.environ, PATH=os.pathsep.join([*map(str, paths), "/usr/sbin", "/usr/bin", "/sbin", "/bin"]))


_HELD_LOCKS: dict[str, int] = {}


def data_lock(profile: Profile) -> bool:
    """Takes, for as long as this process lives, the lock on the profile's data that says its
    engine runs apart from this machine's socket (labs.isolation takes it for its namespace);
    False when another process holds it. Not inherited, so no engine process keeps it."""
    if profile.name in _HELD_LOCKS:
        return True
    folder = STATE_DIR / profile.name
    folder.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(folder / "engine.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(descriptor)
        return False
    _HELD_LOCKS[profile.name] = descriptor
    return True


def data_in_use(profile: Profile) -> bool:
    """Another process runs this profile's engine apart (see data_lock)."""
    if profile.name in _HELD_LOCKS:
        return False
    if not data_lock(profile):
        return True
    os.close(_HELD_LOCKS.pop(profile.name))
    return False


def _start_containerd(profile: Profile, log: Log) -> Path:
    """containerd as a process of its own, as Docker's packages run it: dockerd 29 sets its own
    umask to 0, and a containerd it started would hand that to every `docker exec` process."""
    folder = STATE_DIR / profile.name
    socket_path = RUN_DIR / profile.name / "containerd.sock"
    config = folder / "containerd.toml"
    config.write_text(
        "version = 3\n"
        f'root = "{folder / "containerd"}"\n'
        f'state = "{socket_path.parent / "state"}"\n'
        "[grpc]\n"
        f'  address = "{socket_path}"\n')
    socket_path.parent.mkdir(parents=True, exist_ok=True)
    socket_path.unlink(missing_ok=True)
    log_path = profile.folder / "containerd.log"
    log(f"containerd를 따로 켭니다 (starting containerd on its own); 로그(log): {log_path}")
    with open(log_path, "ab") as log_file:
        process = subprocess.Popen([str(profile.bin_dir / "containerd"), "--config", str(config)],
                                   stdout=log_file, stderr=subprocess.STDOUT, env=_engine_path(profile),
                                   stdin=subprocess.DEVNULL, start_new_session=True,
                                   preexec_fn=lambda: os.umask(0o022))
    CONTAINERD_PID_FILE.write_text(str(process.pid))
    deadline = time.monotonic() + ANSWER_TIMEOUT
    while not socket_path.is_socket():
        if process.poll() is not None or time.monotonic() > deadline:
            _stop_own_containerd()
            raise EngineUnavailable(f"containerd가 켜지지 않았습니다 (containerd did not start). "
                                    f"로그(log): {log_path}\n{_tail(log_path)}")
        time.sleep(0.1)
    return socket_path


def _start(profile: Profile, log: Log, containerd_socket: Optional[Path] = None) -> None:
    folder = STATE_DIR / profile.name
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "daemon.json"
    config.write_text(json.dumps({"features": {"containerd-snapshotter": profile.containerd_store}}) + "\n")
    command = [str(profile.dockerd), "--pidfile", "/var/run/docker.pid", "--config-file", str(config),
               "--data-root", str(profile.data_root)]
    if containerd_socket is not None:
        command += ["--containerd", str(containerd_socket)]
    init = shutil.which("tini-static") or shutil.which("docker-init")
    if init:
        command += ["--init-path", init]
    log_path = profile.folder / "dockerd.log"
    log(f"dockerd를 켭니다 (starting dockerd, profile {profile.name}); 로그(log): {log_path}")
    started = time.monotonic()
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    with open(log_path, "ab") as log_file:
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT, env=_engine_path(profile),
                                   stdin=subprocess.DEVNULL, start_new_session=True)
    PID_FILE.write_text(str(process.pid))
    PROFILE_FILE.write_text(profile.name + "\n")
    DATA_ROOT_FILE.write_text(f"{profile.data_root}\n")
    deadline = started + ANSWER_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            PID_FILE.unlink(missing_ok=True)
            PROFILE_FILE.unlink(missing_ok=True)
            DATA_ROOT_FILE.unlink(missing_ok=True)
            _stop_own_containerd()
            raise EngineUnavailable(
                f"dockerd가 곧바로 멈췄습니다 (dockerd exited with {process.returncode}). "
                f"로그를 보세요 (see the log): {log_path}\n{_tail(log_path)}"
            )
        if answers():
            log(f"엔진이 {time.monotonic() - started:.1f}초 만에 응답합니다 (engine answering).")
            return
        time.sleep(0.25)
    raise EngineUnavailable(f"엔진이 {ANSWER_TIMEOUT}초 안에 응답하지 않았습니다 (no answer in time). "
                            f"로그(log): {log_path}\n{_tail(log_path)}")


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


def _cli_output(args: list[str]) -> Optional[str]:
    """What the docker CLI prints (the engine's own CLI when it was started here), or None."""
    bin_dir = client_bin_dir()
    docker_cli = str(bin_dir / "docker") if bin_dir else shutil.which("docker")
    if docker_cli is None:
        return None
    result = subprocess.run([docker_cli, *args], capture_output=True, text=True)
    return (result.stdout.strip() or None) if result.returncode == 0 else None


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
