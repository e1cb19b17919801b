"""Which Docker commands and options each lab uses, read from the commands themselves."""

from __future__ import annotations

import re
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
    return [_usage(words) for words in docker_invocations(command_line) if words]


def shell_tokens(command_line: str) -> list[str]:
    """Shell words and operators; a quoted string (a command run inside a container) is one word,
    and a here-document's lines (input for the command) are left out."""
    command_line = re.sub(r"(?ms)<<-?\s*['\"]?(\w+)['\"]?([^\n]*)\n.*?^\s*\1\s*$", r"\2", command_line)
    joined = command_line.replace("\\\n", " ")
    lexer = shlex.shlex(joined.replace("$(", " ( "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:
        return joined.split()


def docker_invocations(command_line: str) -> list[list[str]]:
    """The words after each `docker` in a command line."""
    found, current = [], None
    for token in shell_tokens(command_line) + [";"]:
        if token in SEPARATORS or set(token) <= set("&|;()"):
            if current is not None:
                found.append(current)
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
