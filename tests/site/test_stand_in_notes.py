"""The built pages show a stand-in's differences from the official image under the outputs they
affect, generated from the image catalog, and nowhere a lab does not use that image."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from labs.images.catalog import CATALOG, ordered
from labs.loader import load_labs
from macros.stand_in_notes import CSS_CLASS, differences_in

from .builder import pages

BANNER = CATALOG["busybox:latest"].differences[0]


def _plain(text: str) -> str:
    """A sentence as the page shows it: inline code without its backticks, spaces collapsed."""
    return re.sub(r"\s+", " ", text.replace("`", "")).strip()


def _first_output(element, item) -> bool:
    """In this step's list item itself, not in a box with another engine setup's output."""
    return (element.find_parent("li") is item
            and not any("note" in (box.get("class") or []) for box in element.find_parents("details")))


@pytest.fixture(scope="module")
def lab_steps(built_site):
    """(lab, primary output text, stand-in notes) for every step of a lab on the site that shows output."""
    folder, _ = built_site
    labs = {lab.id: lab for lab in load_labs()}
    found = []
    for path in pages(folder):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for item in soup.select("article li"):
            outputs = [block for block in item.select("div.no-copy") if _first_output(block, item)]
            if not outputs:
                continue
            heading = item.find_previous(id=re.compile(r"^lab-"))
            notes = [_plain(p.get_text()) for p in item.find_all("p", class_=CSS_CLASS) if _first_output(p, item)]
            text = "\n".join(block.find("code").get_text() for block in outputs)  # without the block's title
            found.append((labs[heading["id"][4:]], text, notes))
    assert found, "no lab steps with output found"
    return found


def test_the_busybox_banner_note_stands_under_the_interactive_shell_outputs(lab_steps):
    shell = [(text, notes) for lab, text, notes in lab_steps if lab.id == "interactive-shell"]
    with_banner = [notes for text, notes in shell if "built-in shell (ash)" in text]
    assert len(with_banner) == 3  # run -it, the second run -it, exec -it
    for notes in with_banner:
        assert len(notes) == 1 and _plain(BANNER.official) in notes[0]
    assert not any(_plain(BANNER.official) in note for text, notes in shell if "built-in shell" not in text
                   for note in notes)


def test_every_affected_output_has_its_note_once(lab_steps):
    checked = 0
    for lab, text, notes in lab_steps:
        expected = [_plain(difference.official) for difference in differences_in(text, lab.definition.images)]
        if not expected:
            continue
        checked += 1
        assert len(notes) == 1, f"{lab.id}: {len(notes)} stand-in notes under one step"
        for sentence in expected:
            assert notes[0].count(sentence) == 1, f"{lab.id}: missing or repeated: {sentence}"
    assert checked >= 10


def test_no_note_where_the_lab_does_not_use_the_image(lab_steps):
    sentences = {_plain(difference.official): name
                 for name, spec in CATALOG.items() for difference in spec.differences}
    shown = 0
    for lab, _, notes in lab_steps:
        uses = set(ordered(lab.definition.images))
        for note in notes:
            named = [image for sentence, image in sentences.items() if sentence in note]
            assert named, f"{lab.id}: a stand-in note with no catalogued sentence: {note}"
            assert set(named) <= uses, f"{lab.id} does not use {sorted(set(named) - uses)}: {note}"
            shown += 1
    assert shown


def test_the_verification_page_lists_every_difference(built_site):
    folder, _ = built_site
    soup = BeautifulSoup((folder / "verification" / "index.html").read_text(encoding="utf-8"), "html.parser")
    table = soup.find(id="stand-in-differences").find_next("table")
    text = _plain(table.get_text())
    for spec in CATALOG.values():
        for difference in spec.differences:
            assert _plain(difference.official) in text
    assert table.select('a[href*="#lab-interactive-shell"]')
