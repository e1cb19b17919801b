"""An image removed while another client lists images must not fail the listing.

A lab test once failed with a 404 from `GET /images/json`: with the containerd image store the
engine looks up each image after listing it, and another worker had just removed one. Here a
thread makes and removes images of the suite's own as fast as it can while the main thread
takes snapshots, so the race happens on purpose."""

from __future__ import annotations

import threading

from docker.errors import NotFound

from labs import resources
from labs.resources import snapshot

from ..neighbours import image_of_its_own

ROUNDS = 40


def test_snapshot_tolerates_images_vanishing_while_it_lists(engine, monkeypatch):
    retried = []
    original = resources.listed

    def counting(call):
        def counted():
            try:
                return call()
            except NotFound:
                retried.append(1)
                raise
        return original(counted)

    monkeypatch.setattr(resources, "listed", counting)
    done = threading.Event()
    churn_errors: list[Exception] = []

    def churn() -> None:
        try:
            for round_number in range(ROUNDS):
                tag = f"spine-race:{round_number}"
                image_of_its_own(engine, "spine-race", str(round_number))
                engine.api.remove_image(tag, force=True)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            churn_errors.append(error)
        finally:
            done.set()

    worker = threading.Thread(target=churn)
    worker.start()
    snapshots = 0
    try:
        while not done.is_set():
            snapshot(engine)  # raised NotFound before listings were retried
            snapshots += 1
    finally:
        worker.join(timeout=120)
    assert not churn_errors, churn_errors
    assert snapshots > 0
    assert not any(name.startswith("spine-race") for name in snapshot(engine).images)
    print(f"{snapshots} snapshots beside {ROUNDS} image removals; listings retried {len(retried)} times")


def test_a_listing_that_keeps_failing_still_says_so():
    calls = []

    def always_gone():
        calls.append(1)
        raise NotFound("image vanished")

    try:
        resources.listed(always_gone)
    except NotFound:
        pass
    else:
        raise AssertionError("a listing that never settles must raise")
    assert len(calls) == resources.LISTING_TRIES
