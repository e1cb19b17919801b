"""A stand-in built here, given the shape a pull of its multi-platform official image leaves in
the containerd image store: an index that lists other platforms (recipes/<recipe>/platforms.txt)
whose content was never downloaded, beside this machine's own image.

That shape is what readers' `docker push` ("Not all multiplatform-content is present"),
`docker image ls --tree` and image IDs show (see oci_archive for busybox, written this way from
the start). The image is saved by the engine, its index rewritten, and loaded back under the
same name; its config, layers and labels do not change. The overlay2 store keeps one platform
per image, as a pull there does, so nothing is done there."""

from __future__ import annotations

import hashlib
import json
import tarfile
import tempfile
from pathlib import Path
from typing import Optional

from . import docker_cli
from .oci_archive import CONFIG, INDEX, LAYER, MANIFEST, add_member, blob_path, canonical_json

PLATFORMS_FILE = "platforms.txt"


def listed_platforms(recipe_dir: Path) -> list[str]:
    """Platforms (arm64/v8) the official index lists besides this machine's, from the recipe."""
    path = recipe_dir / PLATFORMS_FILE
    if not path.is_file():
        return []
    return [line.split("#", 1)[0].strip() for line in path.read_text().splitlines()
            if line.split("#", 1)[0].strip()]


def list_other_platforms(name: str, platforms: list[str], log_file) -> Optional[str]:
    """Reloads the image `name` as an index that also lists `platforms`; the new image ID, or
    None when the engine refused (the reason is written to log_file)."""
    with tempfile.TemporaryDirectory(prefix="docker-labs-index-") as folder:
        saved, rewritten = Path(folder) / "saved.tar", Path(folder) / "index.tar"
        result = docker_cli.save(name, saved)
        if result.returncode != 0:
            log_file.write(f"docker save {name}: {result.output}\n".encode())
            return None
        image_id = rewrite(saved, rewritten, platforms)
        result = docker_cli.load(rewritten)
        log_file.write(f"# index listing {', '.join(platforms)}: {image_id}\n{result.output}\n".encode())
        return image_id if result.returncode == 0 else None


def rewrite(saved: Path, target: Path, platforms: list[str]) -> str:
    """Copies an OCI archive from `docker save`, its image now an index that lists `platforms`
    without their content; returns the index digest (the image ID it loads as)."""
    with tarfile.open(saved) as archive:
        members = {member.name: archive.extractfile(member).read() for member in archive.getmembers()
                   if member.isfile()}
    outer = json.loads(members["index.json"])
    [top] = outer["manifests"]
    present = json.loads(members[blob_path(top["digest"])])
    if top["mediaType"] == INDEX:
        entries = [entry for entry in present["manifests"] if not _lists(entry, platforms)]
    else:
        config = json.loads(members[blob_path(present["config"]["digest"])])
        own = {"architecture": config["architecture"], "os": config["os"],
               **({"variant": config["variant"]} if config.get("variant") else {})}
        entries = [{key: top[key] for key in ("mediaType", "digest", "size")} | {"platform": own}]
    entries += [_absent(platform, entries[0]["digest"]) for platform in platforms]
    index = canonical_json({"schemaVersion": 2, "mediaType": INDEX, "manifests": entries})
    digest = "sha256:" + hashlib.sha256(index).hexdigest()
    members[blob_path(digest)] = index
    outer["manifests"] = [{"mediaType": INDEX, "digest": digest, "size": len(index),
                           **({"annotations": top["annotations"]} if "annotations" in top else {})}]
    members["index.json"] = canonical_json(outer)
    with tarfile.open(target, "w") as archive:
        for member_name, data in sorted(members.items()):
            add_member(archive, member_name, data)
    return digest


def _absent(platform: str, seed: str) -> dict:
    """The descriptor of another platform's manifest, as an index names it; the manifest itself
    (like its config and layers) is not in the archive, as after a pull on this machine."""
    architecture, _, variant = platform.partition("/")
    made_up = lambda kind: "sha256:" + hashlib.sha256(f"{seed} {platform} {kind}".encode()).hexdigest()  # noqa: E731
    manifest = canonical_json({"schemaVersion": 2, "mediaType": MANIFEST,
                      "config": {"mediaType": CONFIG, "digest": made_up("config"), "size": 1},
                      "layers": [{"mediaType": LAYER, "digest": made_up("layer"), "size": 1}]})
    return {"mediaType": MANIFEST, "digest": "sha256:" + hashlib.sha256(manifest).hexdigest(),
            "size": len(manifest),
            "platform": {"architecture": architecture, "os": "linux", **({"variant": variant} if variant else {})}}


def _lists(entry: dict, platforms: list[str]) -> bool:
    platform = entry.get("platform") or {}
    name = "/".join(filter(None, [platform.get("architecture"), platform.get("variant")]))
    return name in platforms
