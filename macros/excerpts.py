"""A lab step shown ahead of its lab, to read and not to run.

A problem page opens each entry with the message a reader meets, and the lab that makes that
message happens comes further down. Run out of order, the step does something else (the
port-conflict excerpt would simply start a container), so the excerpt carries no copy button:
the command sits in a quoted text block like the recorded output, and a line says where the
step really runs. Only `lab()` and `lab_step()` give copyable commands."""

from __future__ import annotations

from labs.loader import Lab

from . import lab_markdown, variant_notes


def step_excerpt(lab: Lab, number: int) -> str:
    steps = lab.definition.steps
    if not 1 <= number <= len(steps):
        raise IndexError(f"{lab.id} has steps 1..{len(steps)}, not {number}")
    step = steps[number - 1]
    record = lab_markdown.record_for(lab)
    parts = [
        f'<p class="lab-excerpt-note" markdown>아래 [실습](#lab-{lab.id})의 {number}단계에서 실제로 기록한 결과를 '
        f'미리 옮겨 왔습니다. 앞 단계를 거치지 않으면 다른 결과가 나오므로 여기서는 읽기만 하고, 명령은 실습에서 '
        f'차례대로 따라 합니다.</p>',
        "",
        lab_markdown.code_block(step.run, "text", title=f"{number}단계의 명령 (읽기만 하세요)", copy=False),
    ]
    recorded = lab_markdown.recorded_step(record.primary, "steps", number - 1) if record is not None else None
    if recorded is not None:
        parts += ["", lab_markdown.output_blocks(recorded)]
        parts += [f'\n<p class="lab-output-note" markdown>{note}</p>'
                  for note in variant_notes.reader_notes(step, record, "steps", number - 1)]
    return "\n".join(parts) + "\n"
