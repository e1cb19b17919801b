"""Notes under recorded output where a local stand-in prints something the official image does not.

Each difference is written once, in the image catalog (labs/images/catalog.py, ImageSpec.differences):
a pattern that finds the stand-in's text and a sentence saying what the official image prints there.
A step's output gets the sentence when the lab declares that image, the run used its stand-in and
the pattern finds the text in the step's stdout or stderr."""

from __future__ import annotations

from typing import Iterable

from labs.images.catalog import CATALOG, VisibleDifference, ordered
from labs.kinds import Origin
from labs.loader import Lab
from labs.record_model import StepRecord, Variant
from labs.records import read_record

CSS_CLASS = "lab-stand-in-note"


def differences_in(text: str, images: Iterable[str]) -> list[VisibleDifference]:
    """The catalogued differences of these images (any spelling the catalog accepts) found in text,
    in catalog order."""
    return [difference for name in ordered(images) for difference in CATALOG[name].differences
            if difference.found_in(text)]


def stand_ins(lab: Lab, variant: Variant) -> list[str]:
    """Canonical names of the images the lab declares that this recorded run used as stand-ins."""
    return [name for name in ordered(lab.definition.images) if variant.images.get(name) == Origin.STAND_IN]


def sentences(lab: Lab, variant: Variant, recorded: StepRecord) -> list[str]:
    """What the official images print instead, for every difference this output shows."""
    return [difference.official for difference in differences_in(_output(recorded), stand_ins(lab, variant))]


def note(found: list[str], explained: str) -> str:
    """One paragraph (HTML with Markdown inside) for under an output, `explained` being the link to the
    verification page's stand-in section as seen from the page; "" when nothing was found."""
    if not found:
        return ""
    lead = f"이 출력은 [로컬 대체 이미지]({explained})로 기록했습니다."
    return f'<p class="lab-output-note {CSS_CLASS}" markdown>{lead} {" ".join(found)}</p>'


PHASE_LABELS = {"steps": "{}단계", "cleanup": "정리 {}단계"}


def where_shown(labs: list[Lab], image: str, difference: VisibleDifference) -> list[tuple[Lab, list[str]]]:
    """The labs whose records show this difference, with the steps ("1단계", "정리 1단계") that show it."""
    shown = []
    for lab in labs:
        record = read_record(lab)
        if record is None:
            continue
        steps = {(phase, index)
                 for variant in record.variants if image in stand_ins(lab, variant)
                 for phase in PHASE_LABELS
                 for index, recorded in enumerate(getattr(variant, phase))
                 if difference.found_in(_output(recorded))}
        if steps:
            ordered_steps = sorted(steps, key=lambda step: (list(PHASE_LABELS).index(step[0]), step[1]))
            shown.append((lab, [PHASE_LABELS[phase].format(index + 1) for phase, index in ordered_steps]))
    return shown


def differences_table(labs: list[Lab]) -> str:
    """Markdown table for the verification page: every catalogued difference and where it shows."""
    rows = ["| 이미지 | 공식 이미지에서는 | 기록에서 보이는 곳 |", "|---|---|---|"]
    for image, spec in CATALOG.items():
        for difference in spec.differences:
            places = "<br>".join(
                f"[{_cell(lab.definition.title)}]({lab.definition.chapter}/index.md#lab-{lab.id}) ({', '.join(steps)})"
                for lab, steps in where_shown(labs, image, difference))
            rows.append(f"| `{image}` | {difference.official} | {places or '-'} |")
    return "\n".join(rows)


def _output(recorded: StepRecord) -> str:
    return recorded.stdout + "\n" + recorded.stderr


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
