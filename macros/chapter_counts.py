"""How many labs each chapter has, counted from the lab definitions, so no page types a count by hand.

A lab belongs to the chapter named by its `chapter:` field (the loader checks that it matches
the lab's folder, labs/<chapter>/<lab>/).
"""

from __future__ import annotations

from labs.loader import Lab


def labs_of(labs: list[Lab], chapter: str) -> list[Lab]:
    """The labs of one chapter ("ch06", "troubleshooting"); an unknown chapter is an error, not 0."""
    chosen = [lab for lab in labs if lab.definition.chapter == chapter]
    if not chosen and chapter not in {lab.definition.chapter for lab in labs}:
        known = ", ".join(sorted({lab.definition.chapter for lab in labs}))
        raise ValueError(f"no labs in chapter {chapter!r} (chapters with labs: {known})")
    return chosen


def lab_count(labs: list[Lab], chapter: str) -> int:
    return len(labs_of(labs, chapter))
