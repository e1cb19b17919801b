"""Every way a lab definition can be wrong gives a message naming the file and the field."""

from __future__ import annotations

import pytest

from labs.loader import LabFormatError, load_labs

from .lab_factory import MINIMAL, variant, write_lab


def known(image: str) -> bool:
    return image in ("busybox", "httpd:2.4")


def load(root):
    return load_labs(root, known_image=known)


def error_for(root) -> LabFormatError:
    with pytest.raises(LabFormatError) as caught:
        load(root)
    return caught.value


def test_a_valid_lab_loads(tmp_path):
    write_lab(tmp_path, MINIMAL)
    [lab] = load(tmp_path)
    assert lab.id == "sample"
    assert lab.definition.steps[0].expect.exit == 0


def test_unknown_key_is_named(tmp_path):
    write_lab(tmp_path, variant(colour="blue"))
    error = error_for(tmp_path)
    assert error.field == "colour"
    assert error.path.name == "lab.yaml" and "sample" in str(error.path)
    assert "unknown key" in error.message


def test_unknown_key_inside_a_step_is_named(tmp_path):
    write_lab(tmp_path, variant(steps=[{"run": "true", "explain": "x", "expct": {"exit": 0}}]))
    assert error_for(tmp_path).field == "steps.0.expct"


@pytest.mark.parametrize("field", ["id", "title", "purpose", "chapter", "section", "steps"])
def test_missing_field_is_named(tmp_path, field):
    write_lab(tmp_path, variant(**{field: None}), folder="sample")
    error = error_for(tmp_path)
    assert error.field == field
    assert "missing" in error.message


def test_step_without_explanation(tmp_path):
    write_lab(tmp_path, variant(steps=[{"run": "true"}]))
    assert error_for(tmp_path).field == "steps.0.explain"


def test_prompt_in_command_is_rejected(tmp_path):
    write_lab(tmp_path, variant(steps=[{"run": "$ docker ps", "explain": "x"}]))
    error = error_for(tmp_path)
    assert error.field == "steps.0.run" and "prompt" in error.message


def test_bad_regular_expression(tmp_path):
    write_lab(tmp_path, variant(steps=[{"run": "true", "explain": "x", "expect": {"stdout": "(unclosed"}}]))
    error = error_for(tmp_path)
    assert error.field == "steps.0.expect.stdout" and "regular expression" in error.message


def test_http_check_must_stay_on_loopback(tmp_path):
    check = {"url": "http://example.invalid/", "status": 200}
    write_lab(tmp_path, variant(steps=[{"run": "true", "explain": "x", "expect": {"http": check}}]))
    assert error_for(tmp_path).field == "steps.0.expect.http.url"


def test_reference_to_a_later_step(tmp_path):
    steps = [{"run": "true", "explain": "x", "expect": {"same_stdout_as": "later"}},
             {"run": "true", "explain": "y", "name": "later"}]
    write_lab(tmp_path, variant(steps=steps))
    assert "no earlier step named 'later'" in error_for(tmp_path).message


def test_malformed_yaml(tmp_path):
    lab_dir = tmp_path / "ch01" / "broken"
    lab_dir.mkdir(parents=True)
    (lab_dir / "lab.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    error = error_for(tmp_path)
    assert error.field == "(yaml)" and "broken" in str(error.path)


def test_duplicate_ids(tmp_path):
    write_lab(tmp_path, MINIMAL, folder="first")
    write_lab(tmp_path, MINIMAL, folder="second")
    error = error_for(tmp_path)
    assert error.field == "id" and "first" in error.message and "second" in str(error.path)


@pytest.mark.parametrize("kind, value", [
    ("containers", "shared-name"), ("networks", "shared-net"), ("volumes", "shared-vol"),
    ("images", "shared-image:1"),
])
def test_two_labs_declaring_the_same_resource(tmp_path, kind, value):
    write_lab(tmp_path, variant(id="one", creates={kind: [value]}))
    write_lab(tmp_path, variant(id="two", creates={kind: [value]}))
    error = error_for(tmp_path)
    assert error.field == f"creates.{kind}"
    assert str(value) in error.message and "one" in error.message


def test_two_labs_may_publish_the_same_host_port(tmp_path):
    """The tests run labs one at a time and preflight refuses a busy port, so 5001 can serve
    every registry lab."""
    write_lab(tmp_path, variant(id="one", creates={"ports": [5001]}))
    write_lab(tmp_path, variant(id="two", creates={"ports": [5001]}))
    assert len(load_labs(tmp_path, known_image=lambda image: True)) == 2


def test_image_no_recipe_knows(tmp_path):
    write_lab(tmp_path, variant(images=["busybox", "postgres:16"]))
    error = error_for(tmp_path)
    assert error.field == "images.1" and "postgres:16" in error.message


def test_chapter_must_match_folder(tmp_path):
    write_lab(tmp_path, variant(chapter="ch02"), chapter="ch01")
    assert error_for(tmp_path).field == "chapter"


def test_the_real_labs_load_and_leave_test_names_to_tests():
    from ..neighbours import TEST_PREFIXES

    labs = load_labs()
    assert len(labs) >= 4
    for lab in labs:
        creates = lab.definition.creates
        for name in [*creates.containers, *creates.networks, *creates.volumes, *creates.images]:
            assert not name.startswith(TEST_PREFIXES), f"{lab.id}: {name} uses a prefix reserved for tests"
