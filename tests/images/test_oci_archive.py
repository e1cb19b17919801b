"""The OCI archive writer behind the busybox stand-in, without an engine."""

from __future__ import annotations

import json
import tarfile

from labs.images.oci_archive import Entry, ImageConfig, Platform, write_archive


def _platforms(present_arm64: bool) -> list[Platform]:
    files = [Entry("/bin", 0o755, directory=True), Entry("/bin/tool", 0o755, content=b"x"),
             Entry("/bin/sh", 0o777, link="/bin/tool")]
    return [Platform("amd64", files), Platform("arm64", files, variant="v8", present=present_arm64)]


def _read(path):
    with tarfile.open(path) as tar:
        names = tar.getnames()
        outer = json.loads(tar.extractfile("index.json").read())
        blobs = {name.rsplit("/", 1)[1]: tar.extractfile(name).read() for name in names if name.startswith("blobs/")}
    return outer, blobs


def test_an_index_lists_every_platform_and_holds_only_the_present_ones(tmp_path):
    config = ImageConfig(env=["PATH=/bin"], cmd=["sh"], labels={"a": "b"})
    image_id = write_archive(tmp_path / "image.tar", "docker.io/library/demo:1", config, _platforms(False))
    outer, blobs = _read(tmp_path / "image.tar")
    [top] = outer["manifests"]
    assert top["digest"] == image_id and top["annotations"]["io.containerd.image.name"] == "docker.io/library/demo:1"
    index = json.loads(blobs[image_id.split(":")[1]])
    platforms = {(m["platform"]["architecture"], m["platform"].get("variant", "")): m["digest"]
                 for m in index["manifests"]}
    assert set(platforms) == {("amd64", ""), ("arm64", "v8")}
    assert platforms[("amd64", "")].split(":")[1] in blobs
    assert platforms[("arm64", "v8")].split(":")[1] not in blobs, "arm64 is listed, not downloaded"


def test_the_same_input_gives_the_same_bytes_and_one_platform_needs_no_index(tmp_path):
    config = ImageConfig(env=[], cmd=["sh"])
    first = write_archive(tmp_path / "a.tar", "demo:1", config, _platforms(True))
    second = write_archive(tmp_path / "b.tar", "demo:1", config, _platforms(True))
    assert first == second and (tmp_path / "a.tar").read_bytes() == (tmp_path / "b.tar").read_bytes()
    single = write_archive(tmp_path / "c.tar", "demo:1", config, _platforms(True)[:1], as_index=False)
    outer, blobs = _read(tmp_path / "c.tar")
    assert json.loads(blobs[single.split(":")[1]])["mediaType"].endswith("manifest.v1+json")
