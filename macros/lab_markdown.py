"""Markdown for labs: commands in their own blocks (the copy button copies only the
command), recorded output in separate, labelled blocks that have no copy button."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import PurePosixPath
from typing import Optional

from labs.kinds import RESOURCE_KINDS, Origin
from labs.loader import Lab
from labs.model import KEY_NAMES_KO, HttpCheck, Keys, Step
from labs.record_model import Record, StepRecord, Variant
from labs.records import read_record

from . import long_output, stand_in_notes, variant_notes

ALLOW_UNRECORDED = os.environ.get("LABS_ALLOW_UNRECORDED") == "1"
LANGUAGES = {".html": "html", ".yaml": "yaml", ".yml": "yaml", ".conf": "apacheconf", ".sh": "bash",
             ".py": "python", ".json": "json", ".txt": "text", ".php": "php", ".sql": "sql", ".css": "css"}
STAND_IN_EXPLAINED = "../verification.md#stand-ins"
TESTING_EXPLAINED = "../verification.md#testing"
VERIFICATION_TITLE = "이 실습을 검증하는 방법"
STDOUT_TITLE = "출력"
TERMINAL_TITLE = "터미널 화면"  # an interactive step: output and the echo of what was typed, one stream
STDERR_TITLE = "표준 오류(stderr)"  # progress lines and timings go there too, not only errors
# What an HTTP status means, for the reader; a code not listed is shown by its number alone.
STATUS_MEANINGS = {200: "성공", 301: "다른 주소로 옮겨 감", 302: "다른 주소로 이동", 304: "바뀌지 않음",
                   401: "인증 필요", 403: "금지", 404: "찾을 수 없음", 500: "서버 오류", 503: "서비스를 쓸 수 없음"}
REGEX_SYNTAX = set(".^$*+?{}[]|()")


class LabNotRecorded(Exception):
    pass


def whole_lab(lab: Lab, level: int) -> str:
    definition = lab.definition
    record = record_for(lab)
    parts = [
        f"{'#' * level} 실습: {definition.title} {{ #lab-{lab.id} }}",
        "",
        definition.purpose.strip(),
        "",
        _needs(lab),
    ]
    if lab.files:
        parts += ["", "**만들 파일** — 빈 폴더를 하나 만들고, 그 안에 아래 파일을 만든 뒤 그 폴더에서 명령을 실행합니다.",
                  "", _files_tabs(lab)]
    parts += ["", "**단계**", ""]
    for index, step in enumerate(definition.steps):
        parts.append(_step(lab, step, index + 1, record, "steps", index))
    if definition.cleanup:
        parts += ["", "**정리** — 실습이 만든 것을 지웁니다.", ""]
        for index, step in enumerate(definition.cleanup):
            parts.append(_step(lab, step, index + 1, record, "cleanup", index))
    everything = [("steps", index) for index in range(len(definition.steps))]
    everything += [("cleanup", index) for index in range(len(definition.cleanup))]
    parts += ["", _verification(lab, everything), "", _badge(lab, record), ""]
    return "\n".join(parts)


def single_step(lab: Lab, number: int) -> str:
    steps = lab.definition.steps
    if not 1 <= number <= len(steps):
        raise IndexError(f"{lab.id} has steps 1..{len(steps)}, not {number}")
    step = steps[number - 1]
    heading = f"**{lab.definition.title} — {number}단계.** {_one_line(step.explain)}"
    body = _step_body(lab, step, record_for(lab), 'steps', number - 1)
    return f"{heading}\n\n{body}\n\n{_verification(lab, [('steps', number - 1)])}\n"


def single_file(lab: Lab, path: str) -> str:
    if path not in lab.files:
        raise KeyError(f"{lab.id} has no file {path!r} (files: {', '.join(lab.files) or 'none'})")
    return code_block(lab.files[path], _language(path), title=path)


def _needs(lab: Lab) -> str:
    definition = lab.definition
    creates = definition.creates
    lines = []
    if definition.images:
        lines.append("- 이미지: " + ", ".join(f"`{name}`" for name in definition.images))
    made = [(kind.korean, getattr(creates, kind.plural)) for kind in RESOURCE_KINDS]
    made += [("호스트 포트", [str(port) for port in creates.ports]), ("파일", creates.files)]
    for label, names in made:
        if names:
            lines.append(f"- 만드는 {label}: " + ", ".join(f"`{name}`" for name in names))
    return "\n".join(lines)


def _verification(lab: Lab, steps: list[tuple[str, int]]) -> str:
    """One folded block for what the test harness does with the lab: its HTTP checks and the
    command that runs the whole lab. A reader following the steps does not need to type these."""
    checks = []
    for phase, index in steps:
        step = getattr(lab.definition, phase)[index]
        if step.expect.http is not None:
            where = f"{index + 1}단계" if phase == "steps" else f"정리 {index + 1}단계"
            checks.append(f"{where}를 마친 뒤: {http_check_sentence(step.expect.http)}\n{{: .lab-check }}")
    lines = ["이 사이트의 자동 테스트가 이 실습을 어떻게 확인하는지 적어 둡니다. 실습을 따라 하는 데에는 필요 없습니다.",
             "",
             "테스트는 단계마다 명령을 실행해 종료 코드와 출력이 기대와 맞는지, 기록된 출력과 같은지 봅니다."]
    if checks:
        lines[-1] += " 그 밖에 웹 서버가 답하는지도 확인합니다. 브라우저로 같은 주소를 열어 직접 확인해 봐도 됩니다."
        for check in checks:
            lines += ["", check]
    lines += ["", f"이 사이트의 Git 저장소에서는 `python -m labs run {lab.id}` 한 줄로 이 실습을 처음부터 정리까지 "
                  f"실행하고 확인합니다([실습은 이렇게 검증합니다]({TESTING_EXPLAINED})).\n{{: .lab-run-hint }}"]
    return f'??? note "{VERIFICATION_TITLE}"\n\n' + textwrap.indent("\n".join(lines), "    ", lambda line: True)


def http_check_sentence(check: HttpCheck) -> str:
    """A sentence for an HTTP check. The body is a regular expression: shown only when it is a
    plain text (no regex syntax once escapes are taken off), and never as regex syntax."""
    meaning = STATUS_MEANINGS.get(check.status)
    status = f"{check.status}({meaning})" if meaning else str(check.status)
    text = plain_text(check.body) if check.body else None
    if text:
        return f"{_code_span(check.url)}에 접속하면 상태 코드는 {status}이고, 본문에 이 글이 들어 있습니다: {_code_span(text)}"
    return f"{_code_span(check.url)}에 접속하면 상태 코드는 {status}입니다."


def plain_text(pattern: str) -> Optional[str]:
    """The text a regular expression matches when it is a plain literal (`It works!`,
    `<title>Redmine</title>`, `Index of /`, escaped punctuation such as `\\.`); None otherwise."""
    text, index = [], 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            following = pattern[index + 1:index + 2]
            if not following or following.isalnum() or following.isspace():
                return None  # \d, \s, \A, \n ...: regex syntax, not text
            text.append(following)
            index += 2
            continue
        if char in REGEX_SYNTAX:
            return None
        text.append(char)
        index += 1
    literal = "".join(text).strip()
    return literal or None


def _code_span(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if longest else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def _files_tabs(lab: Lab) -> str:
    tabs = []
    for path, content in lab.files.items():
        block = code_block(content, _language(path))  # the tab already names the file
        tabs.append(f'=== "{path}"\n\n{textwrap.indent(block, "    ")}\n')
    return "\n".join(tabs)


def _step(lab: Lab, step: Step, number: int, record: Optional[Record], phase: str, index: int) -> str:
    """A numbered list item: explanation, then the command and what it printed, indented under it."""
    body = _step_body(lab, step, record, phase, index)
    return f"{number}. {_one_line(step.explain)}\n\n{textwrap.indent(body, '    ')}\n"


def _step_body(lab: Lab, step: Step, record: Optional[Record], phase: str, index: int) -> str:
    parts = [_command(step)]
    if step.input is not None:
        parts += ["", "명령이 표준 입력(standard input)으로 읽는 내용입니다:", "",
                  code_block(step.input, "text", title="표준 입력")]
    if step.terminal is not None:
        parts += ["", "명령을 실행한 뒤 터미널에서 차례로 입력합니다:", "", *_typed_keys(step.terminal)]
    recorded = recorded_step(record.primary, phase, index) if record is not None else None
    if recorded is not None:
        parts += ["", output_blocks(recorded, terminal=step.terminal is not None)]
        notes = variant_notes.reader_notes(step, record, phase, index)
        parts += [f'\n<p class="lab-output-note" markdown>{note}</p>' for note in notes]
        shown = stand_in_notes.sentences(lab, record.primary, recorded)
        parts += _stand_in_note(shown)
        for variant, other in variant_notes.differing_variants(step, record, phase, index):
            inner = [output_blocks(other, terminal=step.terminal is not None)]
            # A difference already noted under the first output is not repeated inside the box.
            inner += _stand_in_note([sentence for sentence in stand_in_notes.sentences(lab, variant, other)
                                     if sentence not in shown])
            parts += ["", f'??? note "{variant_notes.setup_name(variant)}에서는 이렇게 나옵니다"', "",
                      textwrap.indent("\n".join(inner), "    ")]
    for note in variant_notes.newer_engine_notes(step):
        parts += ["", f'<p class="lab-output-note lab-not-run" markdown>{note}</p>']
    return "\n".join(parts)


def _stand_in_note(sentences: list[str]) -> list[str]:
    """Where a stand-in prints what the official image does not: one paragraph, or nothing."""
    note = stand_in_notes.note(sentences, STAND_IN_EXPLAINED)
    return ["", note] if note else []


def _command(step: Step) -> str:
    bash = code_block(step.run, "bash")
    if step.other_shells is None:
        return bash
    tabs = [f'=== "bash · zsh (검증됨)"\n\n{textwrap.indent(bash, "    ")}\n']
    forms = step.other_shells.forms(step.run)
    for shell, label, language in (("powershell", "PowerShell", "powershell"), ("cmd", "명령 프롬프트(cmd)", "bat")):
        if shell in forms:
            tabs.append(f'=== "{label}"\n\n{textwrap.indent(code_block(forms[shell], language), "    ")}\n')
    note = ('<p class="lab-shell-note">PowerShell과 cmd 형태는 자동 테스트에서 실행하지 않았습니다. '
            '테스트는 bash 형태를 실행합니다.</p>')
    return "\n".join(tabs) + "\n" + note


def _typed_keys(keys: list[Keys]) -> list[str]:
    """One list item per key group: when to type (what the screen shows), then the text and keys."""
    items = []
    for key in keys:
        typed = []
        for piece in re.split(r"(\{[a-z-]+\})", key.send):
            name = piece[1:-1] if piece.startswith("{") else None
            if name in KEY_NAMES_KO:
                typed.append("++" + KEY_NAMES_KO[name].lower() + "++")
            elif piece:
                typed.append(inline_code(piece))
        when = (f"화면에 {inline_code(key.wait_for.strip() or key.wait_for)} 표시가 나오면: " if key.wait_for
                else "잠깐 기다렸다가: " if key.delay else "")
        items.append(f"- {when}{' '.join(typed)}")
    return items


def inline_code(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    padding = " " if longest or text.startswith(" ") or text.endswith(" ") else ""
    return f"{fence}{padding}{text}{padding}{fence}"


def output_blocks(recorded: StepRecord, terminal: bool = False) -> str:
    blocks = []
    if recorded.stdout.strip():
        title = TERMINAL_TITLE if terminal else STDOUT_TITLE
        blocks.append(long_output.output_block(recorded.stdout.rstrip("\n"), title, code_block))
    if recorded.stderr.strip():
        blocks.append(long_output.output_block(recorded.stderr.rstrip("\n"), STDERR_TITLE, code_block))
    if not blocks:
        blocks.append('<p class="lab-no-output">(출력 없음)</p>')
    if recorded.exit_code != 0:
        blocks.append(f'<p class="lab-exit-code">종료 코드(exit code): {recorded.exit_code}</p>')
    return "\n\n".join(blocks)


def code_block(content: str, language: str, title: Optional[str] = None, copy: bool = True) -> str:
    longest = max((len(run) for run in re.findall(r"`+", content)), default=0)
    fence = "`" * max(3, longest + 1)
    title_option = f' title="{title}"' if title else ""
    if copy:
        # The plain form keeps the language-* class on the block, which the site tests look for.
        opening = f"{fence}{language}{title_option}"
    else:
        opening = f"{fence} {{ .{language} .no-copy{title_option} }}"
    return f"{opening}\n{content.rstrip(chr(10))}\n{fence}"


def _badge(lab: Lab, record: Optional[Record]) -> str:
    if record is None:
        return '<p class="lab-badge lab-badge--unverified">아직 기록되지 않은 실습입니다.</p>'
    primary = record.primary
    images = ", ".join(f"{name} ({origin.korean})" for name, origin in primary.images.items())
    setups = " · ".join(variant_notes.setup_name(variant) for variant in [primary, *record.others])
    commands = len(primary.steps) + len(primary.cleanup)
    stand_in = Origin.STAND_IN in primary.images.values()
    image_part = f" · 이미지: {images}" if images else ""
    if stand_in:
        image_part += f' ([로컬 대체 이미지란?]({STAND_IN_EXPLAINED}))'
    return (
        f'<p class="lab-badge" markdown>:material-check-decagram: **검증됨** — '
        f'{primary.recorded_at}, {setups}에서 명령 {commands}개를 실제로 실행{image_part}</p>'
    )


def record_for(lab: Lab) -> Optional[Record]:
    record = read_record(lab)
    if record is None and not ALLOW_UNRECORDED:
        raise LabNotRecorded(
            f"{lab.id}: no record.json; run `python -m labs record {lab.id}` on a real engine "
            "(or set LABS_ALLOW_UNRECORDED=1 while drafting)"
        )
    if record is not None:
        expected = [step.run for step in lab.definition.steps] + [step.run for step in lab.definition.cleanup]
        for variant in record.variants:
            if variant.commands != expected:
                raise LabNotRecorded(f"{lab.id}: record.json ({variant_notes.setup_name(variant)}) is for other "
                                     f"commands; run `python -m labs record {lab.id}`")
    return record


def recorded_step(variant: Variant, phase: str, index: int) -> Optional[StepRecord]:
    steps = getattr(variant, phase)
    return steps[index] if index < len(steps) else None


def _language(path: str) -> str:
    name = PurePosixPath(path)
    if name.name == "Dockerfile":
        return "dockerfile"
    return LANGUAGES.get(name.suffix, "text")


def _one_line(text: str) -> str:
    return " ".join(text.split())

