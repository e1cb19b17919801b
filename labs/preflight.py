"""Checks made before a lab touches anything: it refuses rather than overwrite a reader's work."""

from __future__ import annotations

import errno
import socket

import docker
from docker.errors import NotFound

from . import engine as engine_module
from . import journal
from .loader import Lab
from .kinds import BY_NAME
from .resources import exists, image_tag



class LabRefused(Exception):
    """The lab did not start; nothing was created or removed."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def check(lab: Lab, engine: docker.DockerClient) -> None:
    earlier = journal.interrupted_run(lab.id)
    if earlier:
        raise LabRefused([
            f"이 실습의 이전 실행({earlier.get('started_at', '?')[:19]})이 중간에 멈춰 정리되지 않았습니다. "
            f"먼저 정리하세요: python -m labs clean {lab.id} "
            f"(an earlier run of this lab was stopped before it cleaned up; run the clean command first)"])
    problems = missing_features(lab) + missing_images(lab, engine) + names_in_use(lab, engine)
    problems += busy_ports(lab, engine)
    if problems:
        raise LabRefused(problems)


def missing_features(lab: Lab) -> list[str]:
    problems = []
    details = None
    for need in lab.definition.needs:
        details = details or engine_module.info()
        if getattr(details, need) is None:
            problems.append(f"이 실습에는 docker {need}가 필요합니다 (needs docker {need}); "
                            "python -m labs doctor 로 확인하세요.")
    return problems


def missing_images(lab: Lab, engine: docker.DockerClient) -> list[str]:
    problems = []
    for image in lab.definition.images:
        try:
            engine.images.get(image_tag(image))
        except NotFound:
            problems.append(f"이미지 {image}가 없습니다 (image missing): python -m labs images 로 준비하세요.")
    return problems


def names_in_use(lab: Lab, engine: docker.DockerClient) -> list[str]:
    problems = []
    for kind, names in lab.definition.creates.engine_names().items():
        table = BY_NAME[kind]
        for name in names:
            if exists(engine, kind, name):
                problems.append(
                    f"{table.korean} '{name}'이(가) 이미 있습니다. 이 실습이 만든 것이 아니므로 건드리지 않습니다. "
                    f"필요 없다면 직접 지운 뒤 다시 실행하세요: {table.remove_hint.format(name=name)} "
                    f"({table.singular} '{name}' already exists and was not made by this lab; it is left untouched)"
                )
    return problems


def busy_ports(lab: Lab, engine: docker.DockerClient) -> list[str]:
    problems = []
    for port in lab.definition.creates.ports:
        holder = container_publishing(engine, port)
        if holder is not None:
            problems.append(
                f"호스트 포트 {port}을(를) 컨테이너 '{holder}'이(가) 쓰고 있습니다 "
                f"(host port {port} is published by container '{holder}')."
            )
        elif not port_free(port):
            problems.append(
                f"호스트 포트 {port}을(를) 다른 프로그램이 쓰고 있습니다 (host port {port} is in use by another program)."
            )
    return problems


def container_publishing(engine: docker.DockerClient, port: int) -> str | None:
    for container in engine.containers.list(ignore_removed=True):
        for bindings in (container.attrs.get("HostConfig", {}).get("PortBindings") or {}).values():
            if any(str(binding.get("HostPort")) == str(port) for binding in bindings or []):
                return container.name
    return None


def port_free(port: int) -> bool:
    """Docker publishes on every IPv4 and IPv6 address, so a listener on any of them (0.0.0.0,
    127.0.0.1, [::], [::1]) makes the port busy."""
    probes = [(socket.AF_INET, ("0.0.0.0", port))]
    if socket.has_ipv6:
        probes.append((socket.AF_INET6, ("::", port)))
    for family, address in probes:
        try:
            probe = socket.socket(family, socket.SOCK_STREAM)
        except OSError:  # IPv6 switched off on this machine
            continue
        with probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                probe.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    return False
                if error.errno != errno.EADDRNOTAVAIL:
                    raise
    return True
