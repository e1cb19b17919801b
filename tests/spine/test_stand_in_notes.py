"""A stand-in's visible differences are listed once, in the image catalog, and found in recorded output.

The matcher is tried on outputs written here (what the stand-in prints and what the official image
prints), then on the real records: every catalogued difference must still show somewhere, or the
entry is stale."""

from __future__ import annotations

import re

import pytest

from labs.images.catalog import CATALOG
from labs.kinds import Origin
from labs.loader import find_lab, load_labs
from labs.record_model import StepRecord
from labs.records import read_record
from macros.stand_in_notes import differences_in, note, sentences, where_shown

BANNER = "\n".join([
    "BusyBox v1.37.0 (Debian 1:1.37.0-6+b9) built-in shell (ash)",
    "Enter 'help' for a list of built-in commands.",
    "",
    "/ # hostname",
])
PS_STAND_IN = "PID   USER   COMMAND\n1     root   sleep 3600\n13    root   ps\n"
PS_OFFICIAL = "PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n   13 root      0:00 ps\n"
APACHE_STAND_IN = ("[Sun Dec 06 21:53:10.649434 2026] [mpm_event:notice] [pid 1:tid 1] AH00489: "
                   "Apache/2.4.68 (Debian) configured -- resuming normal operations")
APACHE_OFFICIAL = APACHE_STAND_IN.replace("(Debian)", "(Unix)")


def _only(images, text) -> list[str]:
    return [difference.pattern for difference in differences_in(text, images)]


def test_the_banner_is_found_for_busybox_only():
    banner = CATALOG["busybox:latest"].differences[0]
    assert differences_in(BANNER, ["busybox"]) == [banner]
    assert differences_in(BANNER, ["docker.io/library/busybox:latest"]) == [banner]
    assert differences_in(BANNER, ["httpd:2.4"]) == []
    assert differences_in(BANNER, []) == []


def test_ps_without_time_is_found_and_the_official_ps_is_not():
    assert len(_only(["busybox"], PS_STAND_IN)) == 1
    assert _only(["busybox"], PS_OFFICIAL) == []
    # Chosen columns (`ps -o pid,comm`) print the same in both images.
    assert _only(["busybox"], "PID   COMMAND\n    1 sh\n") == []


def test_apache_debian_in_a_log_line_and_not_the_official_unix():
    assert len(_only(["httpd:2.4"], f"web-1  | {APACHE_STAND_IN}\n")) == 1
    assert _only(["httpd:2.4"], APACHE_OFFICIAL) == []
    assert _only(["busybox"], APACHE_STAND_IN) == []


def test_several_differences_of_several_images_come_in_catalog_order():
    found = differences_in(APACHE_STAND_IN + "\n" + BANNER, ["httpd:2.4", "busybox"])
    assert found == [CATALOG["busybox:latest"].differences[0], CATALOG["httpd:2.4"].differences[0]]


def test_sentences_need_the_lab_to_have_used_the_stand_in():
    lab = find_lab("interactive-shell", load_labs())
    primary = read_record(lab).primary
    recorded = StepRecord(command="docker run -it --name shell-demo busybox sh", exit_code=0, stdout=BANNER, stderr="")
    assert sentences(lab, primary, recorded) == [CATALOG["busybox:latest"].differences[0].official]
    official = primary.model_copy(update={"images": {**primary.images, "busybox:latest": Origin.OFFICIAL}})
    assert sentences(lab, official, recorded) == []


def test_a_lab_that_does_not_declare_the_image_gets_no_sentence():
    lab = find_lab("apache-lifecycle", load_labs())
    assert "busybox" not in lab.definition.images
    primary = read_record(lab).primary
    recorded = StepRecord(command="docker logs apa000ex1", exit_code=0, stdout=BANNER + "\n" + PS_STAND_IN, stderr="")
    assert sentences(lab, primary, recorded) == []


def test_the_note_is_one_paragraph_or_nothing():
    assert note([], "../verification.md#stand-ins") == ""
    paragraph = note(["첫째 문장입니다.", "둘째 문장입니다."], "../verification.md#stand-ins")
    assert paragraph.count("<p ") == 1 and "](../verification.md#stand-ins)" in paragraph
    assert "첫째 문장입니다. 둘째 문장입니다." in paragraph


@pytest.mark.parametrize("image", [name for name, spec in CATALOG.items() if spec.differences])
def test_every_catalogued_difference_is_a_sentence_and_shows_in_a_record(image):
    labs = load_labs()
    for difference in CATALOG[image].differences:
        re.compile(difference.pattern)
        sentence = difference.official
        assert re.search(r"[가-힣]니다\.$", sentence) and sentence.count("니다.") == 1, sentence
        assert where_shown(labs, image, difference), (
            f"{image}: no record shows {difference.pattern!r}; remove the entry or fix its pattern")
