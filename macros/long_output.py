"""A long recorded output shows its first lines; the rest waits behind "전체 출력 보기".

Native <details> (pymdownx.details' `???`): it works without a script, and the lines of a
closed block are neither laid out nor painted, which keeps long chapters light on a phone.
The hidden lines are the rest of the same output, not a second copy of it."""

from __future__ import annotations

import textwrap
from typing import Callable

VISIBLE_LINES = 8
# Outputs up to this long stay whole: hiding two or three lines would save less than the
# "전체 출력 보기" line costs the reader.
COLLAPSE_OVER = 12
SUMMARY = "전체 출력 보기"

CodeBlock = Callable[..., str]  # lab_markdown.code_block(content, language, title=None, copy=True)


def output_block(text: str, title: str, code_block: CodeBlock) -> str:
    lines = text.split("\n")
    if len(lines) <= COLLAPSE_OVER:
        return code_block(text, "text", title=title, copy=False)
    head, rest = lines[:VISIBLE_LINES], lines[VISIBLE_LINES:]
    hidden = code_block("\n".join(rest), "text", copy=False)
    return (
        code_block("\n".join(head), "text", title=title, copy=False) + "\n\n"
        + f'??? lab-output-more "{SUMMARY} ({len(rest)}줄 더)"\n\n'
        + textwrap.indent(hidden, "    ", lambda line: True)
    )
