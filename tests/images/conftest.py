"""Fixtures for the stand-in contract tests: provisioned images, unique names that are
always cleaned up, free loopback ports, readiness polling and plain HTTP."""

from __future__ import annotations

from http.client import HTTPConnection
import socket
import time
import uuid
from typing import Callable, Optional

import pytest
from docker.errors import APIError, NotFound


@pytest.fixture(scope="session")
def provisioned(engine):
    """Every catalog image present (pulled or built), with the results of that run."""
    from labs.images import provision

    lines: list[str] = []
    results = provision(log=lines.append)
    return {result.name: result for result in results}


class Resources:
    """Names prefixed imgtest- that this test creates; everything is removed at teardown."""

    def __init__(self, client):
        self.client = client
        self.containers: list[str] = []
        self.networks: list[str] = []
        self.images: list[str] = []
        self.token = uuid.uuid4().hex[:8]

    def name(self, purpose: str) -> str:
        return f"imgtest-{purpose}-{self.token}"

    def container(self, purpose: str) -> str:
        name = self.name(purpose)
        self.containers.append(name)
        return name

    def network(self, purpose: str) -> str:
        name = self.name(purpose)
        self.networks.append(name)
        self.client.networks.create(name)
        return name

    def image_tag(self, ref: str) -> str:
        self.images.append(ref)
        return ref

    def cleanup(self) -> None:
        for name in self.containers:
            try:
                self.client.containers.get(name).remove(force=True, v=True)
            except NotFound:
                pass
        for name in self.networks:
            try:
                self.client.networks.get(name).remove()
            except NotFound:
                pass
        for ref in self.images:
            try:
                self.client.images.remove(ref, noprune=False)
            except (NotFound, APIError):
                pass


@pytest.fixture
def resources(engine):
    made = Resources(engine)
    try:
        yield made
    finally:
        made.cleanup()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(check: Callable[[], Optional[object]], timeout: float, what: str, interval: float = 0.25):
    """Polls check() until it returns something truthy; fails with `what` after timeout seconds."""
    deadline = time.monotonic() + timeout
    last_error: Optional[BaseException] = None
    while time.monotonic() < deadline:
        try:
            value = check()
            if value:
                return value
        except Exception as error:  # noqa: BLE001 - readiness probes fail until ready
            last_error = error
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}"
                         + (f" (last error: {last_error!r})" if last_error else ""))


class Response:
    def __init__(self, status: int, headers: dict, body: str):
        self.status = status
        self.headers = headers
        self.body = body


def http(port: int, path: str = "/", method: str = "GET", form: Optional[dict] = None,
         timeout: float = 10) -> Response:
    """One request to 127.0.0.1:port, redirects not followed."""
    from urllib.parse import urlencode

    connection = HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        body = urlencode(form) if form is not None else None
        headers = {"Host": f"127.0.0.1:{port}"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()},
                        answer.read().decode("utf-8", "replace"))
    finally:
        connection.close()


def exec_ok(container, command) -> tuple[int, str]:
    result = container.exec_run(command)
    return result.exit_code, result.output.decode("utf-8", "replace")
