"""The layers stay apart: lab data, then the runner and the engine, then pages. Building the
site needs no engine, so it must not even import the runner or the docker SDK."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LABS = REPO / "labs"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(REPO).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of the modules a file imports, relative imports resolved."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            found.add(name)
            found |= {f"{name}.{alias.name}" for alias in node.names}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(path): path for path in LABS.rglob("*.py")}
    return {name: {target for target in _imports(path) if target in modules and target != name}
            for name, path in modules.items()}


def test_labs_imports_neither_tests_nor_benchmarks():
    offenders = {_module_name(path): sorted(name for name in _imports(path)
                                            if name.split(".")[0] in ("tests", "benchmarks"))
                 for path in LABS.rglob("*.py")}
    assert not {name: found for name, found in offenders.items() if found}


def test_no_import_cycle_in_labs():
    graph = _graph()
    # A package's __init__ importing its own modules is how packages are built, not a cycle.
    graph = {name: {target for target in targets if not name.startswith(target + ".") or target.count(".") >= name.count(".")}
             for name, targets in graph.items()}
    visiting, done, cycles = set(), set(), []

    def visit(node: str, trail: list[str]) -> None:
        if node in done:
            return
        if node in visiting:
            cycles.append(trail[trail.index(node):] + [node])
            return
        visiting.add(node)
        for target in sorted(graph.get(node, ())):
            visit(target, trail + [node])
        visiting.discard(node)
        done.add(node)

    for node in sorted(graph):
        visit(node, [])
    assert not cycles, " ; ".join(" -> ".join(cycle) for cycle in cycles)


def test_the_cycle_check_can_fail(tmp_path, monkeypatch):
    """Two modules that import each other are reported."""
    package = tmp_path / "labs"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("from .a import thing\n")
    monkeypatch.setattr(sys.modules[__name__], "REPO", tmp_path)
    monkeypatch.setattr(sys.modules[__name__], "LABS", package)
    try:
        test_no_import_cycle_in_labs()
    except AssertionError as error:
        assert "labs.a -> labs.b -> labs.a" in str(error)
    else:
        raise AssertionError("a cycle went unnoticed")


RENDER_EVERY_PAGE_PART = """
import sys
from labs.loader import load_labs
from macros import command_index, lab_markdown, summaries
labs = load_labs()
for lab in labs:
    lab_markdown.whole_lab(lab, 3)
summaries.totals(labs); summaries.engine_setups(labs); summaries.verification_table(labs)
command_index.command_index(labs); command_index.cheat_sheet(labs)
print(" ".join(sorted(name for name in sys.modules
                      if name.split(".")[0] in ("docker", "requests") or name in ("labs.runner", "labs.engine"))))
"""


def test_building_the_site_loads_neither_the_runner_nor_the_docker_sdk():
    env = dict(os.environ, LABS_ALLOW_UNRECORDED="1")  # about imports only; the build test checks records
    result = subprocess.run([sys.executable, "-c", RENDER_EVERY_PAGE_PART], cwd=REPO, capture_output=True,
                            text=True, timeout=120, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip() == "", f"imported while rendering pages: {result.stdout.strip()}"
