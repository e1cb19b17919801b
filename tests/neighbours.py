"""What the test suite knows about its own objects, which come and go beside the labs.

The lab tests run one at a time on one worker; the other worker runs the runner's own tests
and the image tests, whose objects carry these prefixes. The runner is told through a
predicate (labs.resources.Foreign); product code knows none of these names."""

from __future__ import annotations

from labs.resources import Foreign

TEST_PREFIXES = ("spine-", "imgtest-", "decoy-")


def is_test_fixture(_kind: str, name: str) -> bool:
    return name.rsplit("/", 1)[-1].startswith(TEST_PREFIXES)


def foreign_to(lab_id: str, labs) -> Foreign:
    """Test fixtures, and what the other labs declare (the troubleshooting walkthrough runs
    other labs' commands in the same worker group)."""
    others: set[tuple[str, str]] = set()
    for other in labs:
        if other.id != lab_id:
            others |= {(kind, name) for kind, names in other.definition.creates.engine_names().items()
                       for name in names}
    return lambda kind, name: is_test_fixture(kind, name) or (kind, name) in others
