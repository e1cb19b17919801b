"""What the test suite knows about its own objects, which come and go beside the labs.

Lab tests run one at a time in one worker group; the other worker runs the runner's own tests
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


# Every test that runs lab commands on the engine runs in one worker group, one at a time.
# Tried with two lab groups side by side (about 3 minutes faster): an unnamed volume that one
# lab's container leaves for a moment cannot be told from another's, and the residue checks
# then blame the wrong lab.
KILL_TESTED_LABS = ("wordpress-mariadb", "compose-wordpress", "named-volume")
LAB_GROUP = "labs"


def worker_group(_lab_id: str) -> str:
    return LAB_GROUP


def image_of_its_own(engine, repository: str, tag: str) -> None:
    """A tiny image with an ID no lab uses. Tagging a lab's image (busybox) instead would show
    up in what that lab prints: with the containerd store, `RepoDigests` lists every tag."""
    import io
    import tarfile

    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w") as tar:
        content = f"{repository}:{tag}\n".encode()
        entry = tarfile.TarInfo("owner.txt")
        entry.size = len(content)
        tar.addfile(entry, io.BytesIO(content))
    engine.api.import_image_from_data(archive.getvalue(), repository=repository, tag=tag)


def residue(engine, before, after, foreign: Foreign) -> dict[str, tuple[set[str], set[str]]]:
    """Per kind, (appeared, vanished) between two snapshots, less what is someone else's."""
    from labs.resources import KINDS, appeared_elsewhere, vanished_elsewhere

    found = {}
    for kind in KINDS:
        appeared = {name for name in after.minus(before)[kind]
                    if not appeared_elsewhere(engine, kind, name, set(), foreign)}
        vanished = {name for name in before.minus(after)[kind] if not vanished_elsewhere(kind, name, set(), foreign)}
        found[kind] = (appeared, vanished)
    return found
