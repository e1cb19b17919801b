"""What a record.json holds: the output of verified runs, one variant per engine setup.

A variant is keyed by the engine's image store, its major release and the origin of each
image (a local stand-in or the official image), because those change what commands print
(Docker 29's `image ls` table, its error wording); everything else that differs between
machines is a host fact, redacted before comparison."""

from __future__ import annotations

from typing import Optional

from pydantic import BaseModel, ConfigDict

from .host_facts import HostFacts
from .kinds import Origin

FORMAT = 2


class StepRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    command: str
    exit_code: Optional[int]
    stdout: str
    stderr: str


class Variant(BaseModel):
    model_config = ConfigDict(extra="forbid")

    image_store: str                 # "containerd" or "classic"
    images: dict[str, Origin]
    recorded_at: str
    host: HostFacts
    steps: list[StepRecord]
    cleanup: list[StepRecord]

    @property
    def setup(self) -> tuple[str, tuple[tuple[str, str], ...]]:
        """What changes the output apart from the engine's release: image store and image origins."""
        return self.image_store, tuple(sorted((name, origin.value) for name, origin in self.images.items()))

    @property
    def engine_major(self) -> int:
        return major_release(self.engine_version)

    @property
    def key(self) -> tuple:
        return (*self.setup, self.engine_major)

    def fact(self, kind: str) -> str:
        return (self.host.values.get(kind) or ["?"])[0]

    @property
    def engine_version(self) -> str:
        return self.fact("engine_version")

    @property
    def storage_driver(self) -> str:
        return self.fact("storage_driver")

    @property
    def commands(self) -> list[str]:
        return [step.command for step in self.steps + self.cleanup]


def major_release(version: str) -> int:
    """29 for 29.7.2, 28 for 28.5.2+dfsg4; 0 when the version is unknown."""
    head = version.split(".", 1)[0]
    return int(head) if head.isdigit() else 0


# The variant a page shows first: the setup of a fresh Docker install today, newest engine first.
PREFERRED_STORES = ("containerd", "classic")


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lab: str
    format: int = FORMAT
    variants: list[Variant]

    def _shown_order(self, variant: Variant) -> tuple:
        """Containerd store first, then stand-ins, then the newest engine."""
        return (PREFERRED_STORES.index(variant.image_store) if variant.image_store in PREFERRED_STORES else 99,
                sum(origin != Origin.STAND_IN for origin in variant.images.values()),
                -variant.engine_major)

    @property
    def primary(self) -> Variant:
        return min(self.variants, key=self._shown_order)

    @property
    def others(self) -> list[Variant]:
        """The other variants in the order a page shows them (after the primary)."""
        primary = self.primary
        return sorted((variant for variant in self.variants if variant is not primary), key=self._shown_order)

    def matching(self, setup: tuple, engine_major: int) -> Optional[Variant]:
        """The variant of that setup; of several engine releases, the one nearest to engine_major
        (a Docker 27 machine compares with 28's record rather than with nothing)."""
        same_setup = [variant for variant in self.variants if variant.setup == setup]
        if not same_setup:
            return None
        return min(same_setup, key=lambda variant: (abs(variant.engine_major - engine_major),
                                                    -variant.engine_major))

    def with_variant(self, new: Variant) -> "Record":
        kept = [variant for variant in self.variants if variant.key != new.key]
        return Record(lab=self.lab, variants=sorted([*kept, new], key=lambda v: v.key))
