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
from labs.model import Step
from labs.record_model import Record, StepRecord, Variant
from labs.records import read_record

from . import long_output, variant_notes

ALLOW_UNRECORDED = os.environ.get("LABS_ALLOW_UNRECORDED") == "1"
LANGUAGES = {".html": "html", ".yaml": "yaml", ".yml": "yaml", ".conf": "apacheconf", ".sh": "bash",
             ".py": "python", ".json": "json", ".txt": "text", ".php": "php", ".sql": "sql", ".css": "css"}
STAND_IN_EXPLAINED = "../verification.md#stand-ins"


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
        parts.append(_step(step, index + 1, record, "steps", index))
    if definition.cleanup:
        parts += ["", "**정리** — 실습이 만든 것을 지웁니다.", ""]
        for index, step in enumerate(definition.cleanup):
            parts.append(_step(step, index + 1, record, "cleanup", index))
    parts += ["", _badge(lab, record), ""]
    return "\n".join(parts)


def single_step(lab: Lab, number: int) -> str:
    steps = lab.definition.steps
    if not 1 <= number <= len(steps):
        raise IndexError(f"{lab.id} has steps 1..{len(steps)}, not {number}")
    step = steps[number - 1]
    heading = f"**{lab.definition.title} — {number}단계.** {_one_line(step.explain)}"
    return f"{heading}\n\n{_step_body(step, record_for(lab), 'steps', number - 1)}\n"


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
    lines.append(f"- 한 번에 실행하기: `python -m labs run {lab.id}`")
    return "\n".join(lines)


def _files_tabs(lab: Lab) -> str:
    tabs = []
    for path, content in lab.files.items():
        block = code_block(content, _language(path))  # the tab already names the file
        tabs.append(f'=== "{path}"\n\n{textwrap.indent(block, "    ")}\n')
    return "\n".join(tabs)


def _step(step: Step, number: int, record: Optional[Record], phase: str, index: int) -> str:
    """A numbered list item: explanation, then the command and what it printed, indented under it."""
    body = _step_body(step, record, phase, index)
    return f"{number}. {_one_line(step.explain)}\n\n{textwrap.indent(body, '    ')}\n"


def _step_body(step: Step, record: Optional[Record], phase: str, index: int) -> str:
    parts = [_command(step)]
    if step.input is not None:
        parts += ["", "명령이 표준 입력(standard input)으로 읽는 내용입니다:", "",
                  code_block(step.input, "text", title="표준 입력")]
    recorded = recorded_step(record.primary, phase, index) if record is not None else None
    if recorded is not None:
        parts += ["", output_blocks(recorded)]
        notes = variant_notes.reader_notes(step, record, phase, index)
        parts += [f'\n<p class="lab-output-note" markdown>{note}</p>' for note in notes]
        for variant, other in variant_notes.differing_variants(step, record, phase, index):
            inner = textwrap.indent(output_blocks(other), "    ")
            parts += ["", f'??? note "{variant_notes.setup_name(variant)}에서는 이렇게 나옵니다"', "", inner]
    for note in variant_notes.newer_engine_notes(step):
        parts += ["", f'<p class="lab-output-note lab-not-run" markdown>{note}</p>']
    if step.expect.http is not None:
        check = step.expect.http
        body = f", 본문에 `{check.body}`" if check.body else ""
        parts += ["", f"확인: <{check.url}> 이(가) HTTP {check.status}{body} 로 답합니다."]
    return "\n".join(parts)


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


def output_blocks(recorded: StepRecord) -> str:
    blocks = []
    if recorded.stdout.strip():
        blocks.append(long_output.output_block(recorded.stdout.rstrip("\n"), "출력", code_block))
    if recorded.stderr.strip():
        blocks.append(long_output.output_block(recorded.stderr.rstrip("\n"), "오류 출력 (stderr)", code_block))
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

