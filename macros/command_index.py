"""The command index and the cheat sheet, both drawn from the commands the labs really run."""

from __future__ import annotations

from labs.commands import index, notes
from labs.loader import Lab


class MissingNote(Exception):
    pass


def _note(explanations: dict[str, str], key: str) -> str:
    if key not in explanations:
        raise MissingNote(f"labs/command_notes.yaml has no line for {key!r}; add a one-line Korean explanation")
    return explanations[key]


def _links(lab_ids: list[str], chapters: dict[str, str]) -> str:
    return ", ".join(f"[{lab_id}]({chapters[lab_id]}/index.md#lab-{lab_id})" for lab_id in lab_ids)


def command_index(labs: list[Lab]) -> str:
    explanations = notes()
    chapters = {lab.id: lab.definition.chapter for lab in labs}
    parts = []
    for command, uses in index(labs).items():
        parts += [f"### `{command}` {{ #{command.replace(' ', '-')} }}", "", _note(explanations, command), "",
                  f"쓰는 실습: {_links(uses[''], chapters)}", ""]
        options = sorted(option for option in uses if option)
        if options:
            parts += ["| 옵션 | 뜻 | 쓰는 실습 |", "|---|---|---|"]
            for option in options:
                parts.append(f"| `{option}` | {_note(explanations, f'{command} {option}')} | "
                             f"{_links(uses[option], chapters)} |")
            parts.append("")
    return "\n".join(parts)


def cheat_sheet(labs: list[Lab]) -> str:
    explanations = notes()
    rows = ['<table class="cheatsheet"><thead><tr><th>명령</th><th>하는 일</th><th>자주 쓰는 옵션</th></tr></thead><tbody>']
    for command, uses in index(labs).items():
        options = sorted(option for option in uses if option)
        shown = "<br>".join(f"<code>{option}</code> {_note(explanations, f'{command} {option}')}" for option in options)
        rows.append(f"<tr><td><code>{command}</code></td><td>{_note(explanations, command)}</td><td>{shown}</td></tr>")
    rows.append("</tbody></table>")
    return "\n".join(rows)
