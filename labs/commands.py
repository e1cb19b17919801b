"""Which Docker commands and options each lab uses, read from the commands themselves."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

import yaml

from .loader import Lab

NOTES_FILE = Path(__file__).resolve().parent / "command_notes.yaml"
GROUPS = {"container", "image", "volume", "network", "compose", "buildx", "system", "builder", "context"}
SEPARATORS = {"&&", "||", ";", "|", "(", ")", "$(", "`"}
# run, create and exec end their own options at the image or container name; what follows
# belongs to the program inside. These options of theirs take a value.
POSITIONAL_END = {"docker run", "docker create", "docker exec", "docker container run",
                  "docker container create", "docker container exec"}
TAKES_VALUE = {"--name", "-p", "--publish", "-e", "--env", "--env-file", "-v", "--volume", "--mount",
               "--network", "--net", "--hostname", "-h", "--memory", "-m", "-w", "--workdir", "-u", "--user",
               "--entrypoint", "--restart", "--label", "-l", "--cpus", "--platform", "--pull", "--health-cmd",
               "--network-alias", "--stop-timeout", "--log-driver", "--add-host"}


@dataclass(frozen=True)
class Usage:
    command: str            # "docker run", "docker volume create"
    options: tuple[str, ...]  # ("-d", "--name", "-p")


def usages(command_line: str) -> list[Usage]:
    """Every docker invocation in a bash command line, including inside $( ... )."""
    lexer = shlex.shlex(command_line.replace("$(", " ( "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:
        tokens = command_line.split()
    found, current = [], None
    for token in tokens + [";"]:
        if token in SEPARATORS or set(token) <= set("&|;()"):
            if current:
                found.append(_usage(current))
            current = None
        elif current is not None:
            current.append(token)
        elif token == "docker":
            current = []
    return found


def _usage(words: list[str]) -> Usage:
    path: list[str] = []
    rest = list(words)
    global_options = []
    while rest and (not path or (len(path) == 1 and path[0] in GROUPS)):
        if path == ["compose"] and rest[0] in ("-p", "--project-name", "-f", "--file", "--env-file"):
            global_options.append(rest.pop(0))
            rest = rest[1:]
        elif rest[0].startswith("-"):
            break
        else:
            path.append(rest.pop(0))
    command = " ".join(["docker", *path])
    options = list(global_options)
    expecting_value = False
    for word in rest:
        if word == "--":
            break
        if not word.startswith("-") or len(word) == 1:
            if command in POSITIONAL_END and not expecting_value:
                break
            expecting_value = False
            continue
        expecting_value = word.split("=", 1)[0] in TAKES_VALUE and "=" not in word
        if word.startswith("--"):
            options.append(word.split("=", 1)[0])
        elif word.startswith("-") and len(word) > 1 and not word[1].isdigit():
            options.extend(f"-{letter}" for letter in word[1:]) if word[1:].isalpha() else options.append(word[:2])
    return Usage(command, tuple(dict.fromkeys(options)))


def index(labs: list[Lab]) -> dict[str, dict[str, list[str]]]:
    """{"docker run": {"": [lab ids], "-p": [lab ids], ...}, ...}"""
    table: dict[str, dict[str, list[str]]] = {}
    for lab in labs:
        for step in [*lab.definition.steps, *lab.definition.cleanup]:
            for usage in usages(step.run):
                entry = table.setdefault(usage.command, {})
                for key in ("", *usage.options):
                    users = entry.setdefault(key, [])
                    if lab.id not in users:
                        users.append(lab.id)
    return dict(sorted(table.items()))


def notes() -> dict[str, str]:
    """One-line Korean explanations keyed "docker run" or "docker run -p"."""
    return yaml.safe_load(NOTES_FILE.read_text(encoding="utf-8")) or {}
