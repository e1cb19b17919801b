"""`python -m labs check`: what can be known about the labs without an engine.

- every container, network, volume, image tag, host port and file a command names is declared
  under `creates:` (otherwise the first real run fails on "undeclared" or preflight misses it);
- every docker command and option used has a line in labs/command_notes.yaml;
- a hand-written PowerShell or cmd form is not just the bash form with other line
  continuations (write `from-bash` instead);
- expectations use `stdout_has`/`stderr_has` rather than lookahead regexes;
- every lab.yaml starts with the line that points editors at the schema.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .commands import docker_invocations, index, notes, shell_tokens
from .loader import DEFINITION, LABS_ROOT, Lab
from .model import FROM_BASH, from_bash
from .schema import SCHEMA_LINE, schema_line_for

NETWORK_MODES = {"bridge", "host", "none", "default"}


@dataclass(frozen=True)
class Problem:
    path: Path
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


def check(labs: list[Lab], root: Path = LABS_ROOT) -> list[Problem]:
    problems: list[Problem] = []
    for lab in labs:
        problems += _schema_line(lab, root)
        for phase in ("steps", "cleanup"):
            for position, step in enumerate(getattr(lab.definition, phase)):
                field = f"{phase}.{position}"
                problems += _undeclared(lab, field, step.run)
                problems += _copied_shell_forms(lab, field, step)
                problems += _lookaheads(lab, field, step.expect)
    problems += _missing_notes(labs)
    return problems


def named_in(command: str) -> dict[str, set[str]]:
    """What a bash command line names that it may create, by kind."""
    found: dict[str, set[str]] = {"containers": set(), "networks": set(), "volumes": set(), "images": set(),
                                  "ports": set(), "files": set()}
    for words in docker_invocations(command):
        path = [word for word in words[:3] if not word.startswith("-")]
        for index_, word in enumerate(words):
            value = words[index_ + 1] if index_ + 1 < len(words) else ""
            if word.startswith("--name="):
                found["containers"].add(word.split("=", 1)[1])
            elif word == "--name" and path[:1] in (["run"], ["create"], ["container"]):
                found["containers"].add(value)
            elif word in ("-p", "--publish") or word.startswith(("--publish=", "-p=")):
                spec = value if "=" not in word else word.split("=", 1)[1]
                host = spec.split(":")[-2] if spec.count(":") >= 1 else ""
                if host.isdigit():
                    found["ports"].add(host)
            elif word in ("-v", "--volume"):
                source = value.split(":", 1)[0].strip('"')
                if re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", source) and ":" in value:
                    found["volumes"].add(source)
            elif word in ("-t", "--tag") and path[:1] in (["build"], ["buildx"], ["image"]):
                found["images"].add(value)
            elif word in ("-o", "--output") and path[:1] in (["save"], ["image"]):
                found["files"].add(value)
        if path[:2] in (["network", "create"], ["volume", "create"]):
            names = [word for word in words[2:] if not word.startswith("-")]
            found["networks" if path[0] == "network" else "volumes"].update(names[-1:])
        if path[:1] == ["tag"] or path[:2] == ["image", "tag"]:
            found["images"].update([word for word in words if not word.startswith("-")][-1:])
        if path[:1] == ["commit"] or path[:2] == ["container", "commit"]:
            positional = [word for word in words[1:] if not word.startswith("-")]
            if len(positional) >= 2:
                found["images"].add(positional[-1])
    tokens = shell_tokens(command)
    for position, token in enumerate(tokens[:-1]):
        if token in (">", ">>") and not tokens[position + 1].startswith(("/dev/", "&")):
            found["files"].add(tokens[position + 1])
    found["networks"] -= NETWORK_MODES
    return found


def _undeclared(lab: Lab, field: str, command: str) -> list[Problem]:
    creates = lab.definition.creates
    declared = {kind: set(names) for kind, names in creates.engine_names().items()}
    declared["images"] |= set(creates.images)
    declared["ports"] = {str(port) for port in creates.ports}
    declared["files"] = set(creates.files) | set(lab.files)
    problems = []
    for kind, names in named_in(command).items():
        for name in sorted(names):
            if kind == "images" and (name in declared["images"] or f"{name}:latest" in declared["images"]):
                continue
            if kind == "files" and any(name == f or name.startswith(f.rstrip("/") + "/") for f in declared["files"]):
                continue
            if name not in declared[kind] and not name.startswith("$"):
                problems.append(Problem(lab.folder / DEFINITION, field,
                                        f"명령이 {kind} '{name}'을(를) 만들지만 creates.{kind}에 없습니다 "
                                        f"(the command names {kind} {name!r}, not declared under creates.{kind})"))
    return problems


def _copied_shell_forms(lab: Lab, field: str, step) -> list[Problem]:
    if step.other_shells is None:
        return []
    problems = []
    for shell in ("powershell", "cmd"):
        text = getattr(step.other_shells, shell)
        if text is not None and text.strip() != FROM_BASH and text == from_bash(step.run, shell):
            problems.append(Problem(lab.folder / DEFINITION, f"{field}.other_shells.{shell}",
                                    f"bash 형태와 줄 잇기만 다릅니다; `{FROM_BASH}`라고 쓰세요 "
                                    f"(only the line continuations differ from bash: write {FROM_BASH})"))
    return problems


def _lookaheads(lab: Lab, field: str, expect) -> list[Problem]:
    problems = []
    for stream in ("stdout", "stderr", "stdout_not"):
        pattern = getattr(expect, stream)
        if pattern and "(?=" in pattern:
            problems.append(Problem(lab.folder / DEFINITION, f"{field}.expect.{stream}",
                                    f"앞보기 정규식 대신 {stream.split('_')[0]}_has 목록을 쓰세요 "
                                    f"(use {stream.split('_')[0]}_has: [..] for lines in any order)"))
    return problems


def _schema_line(lab: Lab, root: Path) -> list[Problem]:
    first = (lab.folder / DEFINITION).read_text(encoding="utf-8").split("\n", 1)[0]
    wanted = schema_line_for(lab.folder, root)
    if first.startswith(SCHEMA_LINE) and first == wanted:
        return []
    return [Problem(lab.folder / DEFINITION, "(first line)",
                    f"편집기가 형식을 알도록 첫 줄은 `{wanted}`여야 합니다 (the first line must point at the schema)")]


def _missing_notes(labs: list[Lab]) -> list[Problem]:
    explanations = notes()
    problems = []
    for command, options in index(labs).items():
        for option, users in options.items():
            key = f"{command} {option}".strip()
            if key not in explanations:
                lab = next(lab for lab in labs if lab.id == users[0])
                problems.append(Problem(lab.folder / DEFINITION, "steps",
                                        f"labs/command_notes.yaml에 {key!r}의 한 줄 설명이 없습니다 "
                                        f"(no note for {key!r} in labs/command_notes.yaml)"))
    return problems
