"""Facts about the machine a lab ran on, and their redaction.

Output that shows a host fact (the kernel, the engine's version, a container's IP address)
is true on the recording machine only. A run records the facts it can see; comparison then
replaces each fact by a named placeholder on both sides, so a record made on one machine
holds on another. Pages still show the real recorded values and say which ones will differ.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
from dataclasses import dataclass
from typing import Callable, Optional

from pydantic import BaseModel, ConfigDict

WHOLE_LINE = "whole-line"   # a short value (a host name) counts only as a line of its own
ANYWHERE = "anywhere"


@dataclass(frozen=True)
class FactKind:
    placeholder: str
    label: str      # Korean name for the page note
    group: str      # facts of one group share one explanation on the page
    scope: str = ANYWHERE


# Why a reader's value differs, by group, in the order a page explains them.
WHY = {
    "kernel": "컨테이너는 호스트의 커널을 그대로 쓰므로 컴퓨터마다 다릅니다",
    "machine": "도커를 설치한 컴퓨터의 이름, 운영체제와 CPU에 따라 다릅니다",
    "versions": "설치한 도커의 버전과 빌드에 따라 다릅니다",
    "setup": "엔진을 어떻게 설치하고 설정했는지에 따라 다릅니다",
    "addresses": "엔진이 그때 비어 있는 주소를 골라 나눠 주므로 실행할 때마다 다를 수 있습니다",
}

KINDS: dict[str, FactKind] = {
    "kernel": FactKind("<커널 버전>", "커널 버전", "kernel"),
    "hostname": FactKind("<호스트 이름>", "호스트 이름", "machine", WHOLE_LINE),
    "os": FactKind("<운영체제>", "운영체제 이름", "machine"),
    "arch": FactKind("<아키텍처>", "CPU 아키텍처", "machine"),
    "engine_version": FactKind("<엔진 버전>", "엔진 버전", "versions"),
    "client_version": FactKind("<CLI 버전>", "docker CLI 버전", "versions"),
    "api_version": FactKind("<API 버전>", "API 버전", "versions"),
    "client_api_version": FactKind("<API 버전>", "API 버전", "versions"),
    "containerd_version": FactKind("<containerd 버전>", "containerd 버전", "versions"),
    "runc_version": FactKind("<runc 버전>", "runc 버전", "versions"),
    "compose_version": FactKind("<Compose 버전>", "Compose 버전", "versions"),
    "go_version": FactKind("<Go 버전>", "Go 버전", "versions"),
    "git_commit": FactKind("<커밋>", "빌드 커밋", "versions"),
    "storage_driver": FactKind("<저장 드라이버>", "저장 드라이버", "setup"),
    "docker_root": FactKind("<도커 데이터 폴더>", "도커 데이터 폴더", "setup"),
    "container_ip": FactKind("<컨테이너 IP>", "컨테이너 IP 주소", "addresses"),
    "subnet": FactKind("<서브넷>", "네트워크 주소 범위", "addresses"),
    "gateway": FactKind("<게이트웨이>", "게이트웨이 주소", "addresses"),
}


class HostFacts(BaseModel):
    """Named values seen on the machine of one run; each list holds every value of its kind."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, list[str]] = {}
    cpus: Optional[int] = None
    memory_bytes: Optional[int] = None
    image_store: str = "classic"

    def add(self, kind: str, value: object) -> None:
        text = str(value or "").strip()
        if kind not in KINDS:
            raise KeyError(kind)
        if text and text not in ("?", "<no value>") and text not in self.values.get(kind, []):
            self.values.setdefault(kind, []).append(text)

    def pairs(self) -> list[tuple[str, str]]:
        """(value, kind), longest value first, so 26.1.5+dfsg1 goes before 26.1; a value two kinds
        share (engine and CLI of one release) is named after the kind listed first in KINDS."""
        order = list(KINDS)
        found = [(value, kind) for kind, values in self.values.items() for value in values]
        return sorted(found, key=lambda pair: (-len(pair[0]), order.index(pair[1])))


def redact(text: str, facts: HostFacts) -> str:
    for value, kind in facts.pairs():
        fact = KINDS[kind]
        if fact.scope == WHOLE_LINE:
            text = re.sub(rf"(?m)^{re.escape(value)}$", fact.placeholder, text)
        else:
            text = re.sub(rf"(?<![\w.+-]){re.escape(value)}(?![\w+-]|\.\d)", fact.placeholder, text)
    if facts.cpus is not None:
        text = re.sub(rf"(?m)^(\s*CPUs:\s*){facts.cpus}$", r"\1<CPU 수>", text)
    return text


def image_store(details: dict) -> str:
    """What `docker info` calls driver-type io.containerd.snapshotter.v1 is the containerd store."""
    status = dict(tuple(pair) for pair in details.get("DriverStatus") or [] if len(pair) == 2)
    return "containerd" if "containerd.snapshotter" in status.get("driver-type", "") else "classic"


def facts_in(text: str, facts: HostFacts) -> list[tuple[str, str]]:
    """(kind, value) of each host fact that appears in text, in table order, each value once."""
    found, seen = [], set()
    for kind in KINDS:
        for value in facts.values.get(kind, []):
            if value not in seen and redact(text, HostFacts(values={kind: [value]})) != text:
                found.append((kind, value))
                seen.add(value)
    return found


def collect(engine, cli: Callable[[list[str]], Optional[str]]) -> HostFacts:
    """What the engine and the docker CLI say about this machine. cli runs `docker ARGS`
    the way lab commands do and returns its output, or None."""
    facts = HostFacts()
    details, version = engine.info(), engine.version()
    facts.add("kernel", details.get("KernelVersion"))
    facts.add("kernel", _local_kernel())
    operating_system = details.get("OperatingSystem") or ""
    facts.add("os", operating_system)
    # dockerd adds " (containerized)" when process 1 is not the machine's init (inside a container,
    # or in the process namespace of labs.isolation); the operating system is the same.
    facts.add("os", operating_system.removesuffix(" (containerized)"))
    facts.add("arch", details.get("Architecture"))
    facts.add("engine_version", version.get("Version"))
    facts.add("api_version", version.get("ApiVersion"))
    facts.add("go_version", version.get("GoVersion"))
    facts.add("git_commit", version.get("GitCommit"))
    for component in version.get("Components") or []:
        name = component.get("Name", "").lower()
        if name in ("containerd", "runc"):
            facts.add(f"{name}_version", component.get("Version"))
            facts.add("git_commit", (component.get("Details") or {}).get("GitCommit"))
        elif name == "engine":
            facts.add("go_version", (component.get("Details") or {}).get("GoVersion"))
            facts.add("git_commit", (component.get("Details") or {}).get("GitCommit"))
    facts.add("storage_driver", details.get("Driver"))
    facts.add("docker_root", details.get("DockerRootDir"))
    facts.add("hostname", details.get("Name"))
    facts.add("hostname", socket.gethostname())
    facts.cpus = details.get("NCPU")
    facts.memory_bytes = details.get("MemTotal")
    facts.image_store = image_store(details)
    client = cli(["version", "--format", "{{json .Client}}"])
    if client:
        try:
            data = json.loads(client)
        except json.JSONDecodeError:
            data = {}
        facts.add("client_version", data.get("Version"))
        facts.add("client_api_version", data.get("ApiVersion"))
        facts.add("go_version", data.get("GoVersion"))
        facts.add("git_commit", data.get("GitCommit"))
    facts.add("compose_version", cli(["compose", "version", "--short"]))
    return facts


def observe_networks(engine, facts: HostFacts, containers: list[str], networks: list[str]) -> None:
    """Addresses the engine gave the lab's own containers and networks."""
    for name in containers:
        try:
            attrs = engine.api.inspect_container(name)
        except Exception:  # gone already, or never made
            continue
        for network in ((attrs.get("NetworkSettings") or {}).get("Networks") or {}).values():
            facts.add("container_ip", network.get("IPAddress"))
            facts.add("container_ip", network.get("GlobalIPv6Address"))
            facts.add("gateway", network.get("Gateway"))
    for name in networks:
        try:
            attrs = engine.api.inspect_network(name)
        except Exception:
            continue
        for config in (attrs.get("IPAM") or {}).get("Config") or []:
            facts.add("subnet", config.get("Subnet"))
            facts.add("gateway", config.get("Gateway"))


def _local_kernel() -> str:
    try:
        return subprocess.run(["uname", "-r"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""
