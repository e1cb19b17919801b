"""What the test suite knows about its own objects, which come and go beside the labs.

Lab tests run one at a time within a worker group; the other worker runs another group of
labs, the runner's own tests and the image tests, whose objects carry these prefixes. The runner is told through a
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


# Lab tests run in two worker groups so the two cores share them. Each lab runs in one group
# only, and the SIGKILL tests of a lab run in the same group as the lab itself, never beside it.
KILL_TESTED_LABS = ("wordpress-mariadb", "compose-wordpress", "named-volume")


def worker_group(lab_id: str) -> str:
    return "labs-kill-tested" if lab_id in KILL_TESTED_LABS else "labs"


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
