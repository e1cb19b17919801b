"""A `docker load`-able OCI archive of a one-layer image, for one platform or several.

Official images are multi-platform indexes (linux/amd64, linux/arm64, ...), and what a pull
leaves in the containerd image store is the whole index with only the machine's own platform
downloaded. That state changes what readers see: the image ID is the index's digest, and
`docker push` sends only the platform present ("Not all multiplatform-content is present").
A stand-in written here reproduces it: every platform's manifest is listed in the index, and
`present` says whose layers and config are in the archive. Files are laid out in Python, so
nothing of a foreign platform has to run (no emulation).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
from dataclasses import dataclass, field
from pathlib import Path

INDEX = "application/vnd.oci.image.index.v1+json"
MANIFEST = "application/vnd.oci.image.manifest.v1+json"
CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
EPOCH = 0  # file times and `created`: the same bytes on every build


@dataclass
class Entry:
    """One file system entry of the layer: a file (content), a directory, or a symbolic link."""
    path: str
    mode: int
    content: bytes = b""
    link: str = ""
    directory: bool = False


@dataclass
class Platform:
    architecture: str            # amd64, arm64
    entries: list[Entry]
    variant: str = ""            # v8 for arm64, as official indexes say
    present: bool = True         # layer and config in the archive, as after a pull on this machine

    @property
    def name(self) -> str:
        return f"linux/{self.architecture}" + (f"/{self.variant}" if self.variant else "")


@dataclass
class ImageConfig:
    env: list[str]
    cmd: list[str]
    labels: dict[str, str] = field(default_factory=dict)


def layer_tar(entries: list[Entry]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for entry in sorted(entries, key=lambda item: item.path):
            info = tarfile.TarInfo(entry.path.lstrip("/"))
            info.mtime, info.uid, info.gid, info.uname, info.gname = EPOCH, 0, 0, "", ""
            info.mode = entry.mode
            if entry.directory:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            elif entry.link:
                info.type, info.linkname = tarfile.SYMTYPE, entry.link
                tar.addfile(info)
            else:
                info.size = len(entry.content)
                tar.addfile(info, io.BytesIO(entry.content))
    return buffer.getvalue()


def write_archive(target: Path, reference: str, config: ImageConfig, platforms: list[Platform],
                  as_index: bool = True) -> str:
    """Writes the OCI archive and returns the digest that becomes the image ID (the index's,
    or with as_index=False the only platform's manifest, as the overlay2 store keeps a pull)."""
    blobs: dict[str, bytes] = {}

    def blob(data: bytes, media_type: str, keep: bool = True) -> dict:
        digest = "sha256:" + hashlib.sha256(data).hexdigest()
        if keep:
            blobs[digest] = data
        return {"mediaType": media_type, "digest": digest, "size": len(data)}

    manifests = []
    legacy = []   # Docker's own `manifest.json`, which the overlay2 store's `docker load` reads
    for platform in platforms:
        raw = layer_tar(platform.entries)
        compressed = gzip.compress(raw, compresslevel=9, mtime=EPOCH)
        image_config = {
            "architecture": platform.architecture, "os": "linux",
            **({"variant": platform.variant} if platform.variant else {}),
            "created": "1970-01-01T00:00:00Z",
            "config": {"Env": config.env, "Cmd": config.cmd, "Labels": config.labels},
            "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw).hexdigest()]},
            "history": [{"created": "1970-01-01T00:00:00Z", "created_by": "labs/images/oci_archive.py"}],
        }
        manifest = {
            "schemaVersion": 2, "mediaType": MANIFEST,
            "config": blob(canonical_json(image_config), CONFIG, platform.present),
            "layers": [blob(compressed, LAYER, platform.present)],
        }
        descriptor = blob(canonical_json(manifest), MANIFEST, platform.present)
        if platform.present:
            legacy.append({"Config": blob_path(manifest["config"]["digest"]), "RepoTags": [_short(reference)],
                           "Layers": [blob_path(manifest["layers"][0]["digest"])]})
        descriptor["platform"] = {"architecture": platform.architecture, "os": "linux",
                                  **({"variant": platform.variant} if platform.variant else {})}
        manifests.append(descriptor)

    name_annotations = {"io.containerd.image.name": reference,
                        "org.opencontainers.image.ref.name": reference.rsplit(":", 1)[-1]}
    if as_index:
        index = {"schemaVersion": 2, "mediaType": INDEX, "manifests": manifests}
        top = blob(canonical_json(index), INDEX)
        image_id = top["digest"]
    else:
        [top] = manifests
        image_id = top["digest"]
    outer = {"schemaVersion": 2, "mediaType": INDEX, "manifests": [{**top, "annotations": name_annotations}]}
    with tarfile.open(target, "w") as tar:
        add_member(tar, "oci-layout", canonical_json({"imageLayoutVersion": "1.0.0"}))
        add_member(tar, "index.json", canonical_json(outer))
        add_member(tar, "manifest.json", canonical_json(legacy[:1]))
        for digest, data in sorted(blobs.items()):
            add_member(tar, f"blobs/sha256/{digest.split(':', 1)[1]}", data)
    return image_id


def blob_path(digest: str) -> str:
    return f"blobs/sha256/{digest.split(':', 1)[1]}"


def _short(reference: str) -> str:
    """busybox:latest for docker.io/library/busybox:latest, as `docker save` names it."""
    for prefix in ("docker.io/library/", "docker.io/"):
        if reference.startswith(prefix):
            return reference[len(prefix):]
    return reference


def canonical_json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()


def add_member(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), EPOCH, 0o644
    tar.addfile(info, io.BytesIO(data))
