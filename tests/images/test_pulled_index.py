"""The index rewrite that gives a built stand-in the shape of a pulled official image, on the
archive `docker save` writes (here one written by oci_archive in the same layout), without an
engine; the engine side is the httpd contract test and the registry lab's records."""

from __future__ import annotations

import json
import tarfile
from pathlib import Path

from labs.images.oci_archive import INDEX, MANIFEST, Entry, ImageConfig, Platform, write_archive
from labs.images.pulled_index import listed_platforms, rewrite

REFERENCE = "docker.io/library/httpd:2.4"


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as archive:
        return {member.name: archive.extractfile(member).read() for member in archive.getmembers()}


def _saved(tmp_path: Path) -> Path:
    saved = tmp_path / "saved.tar"
    write_archive(saved, REFERENCE, ImageConfig(env=[], cmd=["httpd-foreground"]),
                  [Platform("amd64", [Entry("/index.html", 0o644, content=b"It works!")])], as_index=False)
    return saved


def test_the_image_becomes_an_index_listing_the_other_platform_without_its_content(tmp_path):
    saved = _saved(tmp_path)
    before = _members(saved)
    [own] = json.loads(before["index.json"])["manifests"]

    digest = rewrite(saved, tmp_path / "index.tar", ["arm64/v8"])

    after = _members(tmp_path / "index.tar")
    [top] = json.loads(after["index.json"])["manifests"]
    assert top["digest"] == digest and top["mediaType"] == INDEX
    assert top["annotations"] == own["annotations"], "the name the image loads under changed"
    index = json.loads(after[f"blobs/sha256/{digest.split(':')[1]}"])
    platforms = [(entry["platform"]["architecture"], entry["platform"].get("variant")) for entry in index["manifests"]]
    assert platforms == [("amd64", None), ("arm64", "v8")]
    present, absent = index["manifests"]
    assert present["digest"] == own["digest"] and present["mediaType"] == MANIFEST
    assert f"blobs/sha256/{absent['digest'].split(':')[1]}" not in after, "the other platform's content is there"
    assert set(before) - {"index.json"} <= set(after), "content of this machine's image went missing"


def test_the_rewrite_is_the_same_every_time_and_idempotent_on_an_index(tmp_path):
    saved = _saved(tmp_path)
    first = rewrite(saved, tmp_path / "one.tar", ["arm64/v8"])
    assert rewrite(saved, tmp_path / "two.tar", ["arm64/v8"]) == first
    again = rewrite(tmp_path / "one.tar", tmp_path / "three.tar", ["arm64/v8"])
    index = json.loads(_members(tmp_path / "three.tar")[f"blobs/sha256/{again.split(':')[1]}"])
    assert again == first and len(index["manifests"]) == 2


def test_the_httpd_recipe_names_the_platforms_its_official_index_lists():
    from labs.images.catalog import spec

    assert listed_platforms(spec("httpd:2.4").recipe_dir) == ["arm64/v8"]
    assert listed_platforms(spec("nginx:latest").recipe_dir) == []
