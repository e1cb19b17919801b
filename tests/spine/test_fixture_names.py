"""Tests that start containers beside the labs name them. An unnamed container gets a
generated name (affectionate_allen) that the labs' residue checks cannot tell from one a lab
left behind; docker-py's `remove=True` removes it only after it exits, so for a moment it is
there without Docker's AutoRemove flag, and a lab's snapshot taken then blames the lab."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STARTS = {"run", "create"}


def unnamed_container_starts(source: str) -> list[int]:
    """Line numbers of `<...>.containers.run(...)` or `.create(...)` calls without `name=`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in STARTS and isinstance(node.func.value, ast.Attribute)
                and node.func.value.attr == "containers"
                and not any(keyword.arg == "name" for keyword in node.keywords)):
            lines.append(node.lineno)
    return lines


def test_every_container_a_test_starts_has_a_name():
    found = []
    for folder in ("tests", "benchmarks"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if "node_modules" in path.parts:
                continue
            found += [f"{path.relative_to(REPO)}:{line}"
                      for line in unnamed_container_starts(path.read_text(encoding="utf-8"))]
    assert not found, "name these containers with a test prefix (tests/neighbours.py):\n" + "\n".join(found)


def test_the_check_finds_an_unnamed_start():
    source = ('engine.containers.run("busybox", ["true"], remove=True)\n'
              'engine.containers.create("busybox", name="spine-named")\n'
              'client.containers.create("busybox")\n')
    assert unnamed_container_starts(source) == [1, 3]
