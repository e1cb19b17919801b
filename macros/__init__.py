"""mkdocs-macros entry point: the only way commands reach a page is through these macros."""

from __future__ import annotations

from labs.loader import find_lab, load_labs

from . import command_index, diagrams, excerpts, lab_markdown, stand_in_notes, summaries
from . import chapter_counts



def define_env(env) -> None:
    labs = load_labs()
    docs_dir = env.conf["docs_dir"]

    @env.macro
    def lab(lab_id: str, level: int = 3) -> str:
        """A whole lab: purpose, needs, files, steps with real output, clean-up, badge."""
        if lab_markdown.ALLOW_UNRECORDED and lab_id not in {known.id for known in labs}:
            return f'!!! warning "아직 없는 실습: {lab_id}"'
        return lab_markdown.whole_lab(find_lab(lab_id, labs), level)

    @env.macro
    def lab_step(lab_id: str, number: int) -> str:
        """One step of a lab (numbered from 1) with its recorded output."""
        return lab_markdown.single_step(find_lab(lab_id, labs), number)

    @env.macro
    def lab_excerpt(lab_id: str, number: int) -> str:
        """One step shown ahead of its lab, to read: the command without a copy button, and its output."""
        return excerpts.step_excerpt(find_lab(lab_id, labs), number)

    @env.macro
    def lab_file(lab_id: str, path: str) -> str:
        """One file the reader creates for a lab."""
        return lab_markdown.single_file(find_lab(lab_id, labs), path)

    @env.macro
    def diagram(name: str, caption: str) -> str:
        """An SVG from docs/diagrams/, inlined so it follows the light and dark palettes."""
        return diagrams.figure(docs_dir, name, caption)

    @env.macro
    def lab_totals() -> str:
        return summaries.totals(labs)

    @env.macro
    def engine_setups() -> str:
        return summaries.engine_setups(labs)

    @env.macro
    def verification_table() -> str:
        return summaries.verification_table(labs)

    @env.macro
    def stand_in_differences() -> str:
        """Where a stand-in's output differs from the official image's, from the image catalog."""
        return stand_in_notes.differences_table(labs)

    @env.macro
    def docker_command_index() -> str:
        return command_index.command_index(labs)

    @env.macro
    def docker_cheat_sheet() -> str:
        return command_index.cheat_sheet(labs)

    @env.macro
    def chapter_lab_count(chapter: str) -> int:
        """How many labs a chapter ("ch06", "troubleshooting") has, counted from labs/<chapter>/."""
        return chapter_counts.lab_count(labs, chapter)
