"""Checks made before a lab touches anything: it refuses rather than overwrite a reader's work."""

from __future__ import annotations

import errno
import socket

import docker
from docker.errors import NotFound

from . import engine as engine_module
from .loader import Lab
from .resources import exists, image_tag

REMOVE_HINT = {
    "containers": "docker rm -f {name}",
    "networks": "docker network rm {name}",
    "volumes": "docker volume rm {name}",
    "images": "docker image rm {name}",
}
KIND_KO = {"containers": "컨테이너", "networks": "네트워크", "volumes": "볼륨", "images": "이미지"}


class LabRefused(Exception):
    """The lab did not start; nothing was created or removed."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def check(lab: Lab, engine: docker.DockerClient) -> None:
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
    creates = lab.definition.creates
    for kind in ("containers", "networks", "volumes", "images"):
        for name in getattr(creates, kind):
            name = image_tag(name) if kind == "images" else name
            if exists(engine, kind, name):
                hint = REMOVE_HINT[kind].format(name=name)
                problems.append(
                    f"{KIND_KO[kind]} '{name}'이(가) 이미 있습니다. 이 실습이 만든 것이 아니므로 건드리지 않습니다. "
                    f"필요 없다면 직접 지운 뒤 다시 실행하세요: {hint} "
                    f"({kind[:-1]} '{name}' already exists and was not made by this lab; it is left untouched)"
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
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("0.0.0.0", port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return False
            raise
    return True
