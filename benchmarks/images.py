"""Benchmark of image provisioning: cold, warm, and the size of each image.

    python -m benchmarks.images [--no-cold] [--keep-images] [--no-compressed]

cold   removes the stand-ins this tool built (images labelled io.docker-labs.stand-in;
       official images and everything else are left alone), then provisions every
       image with rebuild=True, so nothing comes from an earlier run
       (goal: at most 5 minutes on 2 cores). Labs running at the same time lose
       their images for that while: run it alone, or with --keep-images, which
       rebuilds everything (rebuild=True) while the old images stay tagged until
       replaced (the same work: a new base invalidates every cached build step).
warm   provisions again: every image cached (goal: under 5 s).
sizes  each image's local size, its compressed size measured here (docker save | gzip,
       comparable to a registry's compressed layers), and the official image's
       published compressed size (linux/amd64) where known.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import zlib
from typing import Optional

from labs.images import docker_cli
from labs.images.catalog import CATALOG, spec
from labs.images.provision import provision
from labs.images.status import status

COLD_GOAL = 300.0
WARM_GOAL = 5.0


def _mb(size: Optional[int]) -> str:
    return "-" if size is None else f"{size / 1e6:.1f} MB"


def compressed_size(name: str) -> Optional[int]:
    """Bytes of `docker save NAME` compressed with gzip (level 6)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    total = 0
    process = subprocess.Popen([docker_cli.DOCKER, "save", name], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    assert process.stdout is not None
    while True:
        chunk = process.stdout.read(1 << 20)
        if not chunk:
            break
        total += len(compressor.compress(chunk))
    total += len(compressor.flush())
    return total if process.wait() == 0 else None


def remove_stand_ins(log) -> None:
    for name in CATALOG:
        image = docker_cli.inspect(name)
        if image is None or not image.is_stand_in:
            continue
        removed = docker_cli.remove_image(name)
        if removed.returncode == 0:
            log(f"  지움 (removed) {name}")
        else:
            log(f"  남김 (kept, in use; will be rebuilt anyway) {name}: {docker_cli.tail(removed.output, 1)}")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.images", description=__doc__.splitlines()[0])
    parser.add_argument("--no-cold", action="store_true", help="skip the cold run (measure warm and sizes only)")
    parser.add_argument("--keep-images", action="store_true",
                        help="cold run without removing the stand-ins first (safe while others use the engine)")
    parser.add_argument("--no-compressed", action="store_true", help="skip measuring compressed sizes")
    args = parser.parse_args(argv)
    ok = True

    def log(line: str) -> None:
        print(line, flush=True)

    if not args.no_cold:
        if args.keep_images:
            log("콜드 프로비저닝: 모든 대체 이미지를 처음부터 다시 만듭니다"
                " (cold: rebuilding every stand-in from scratch, old images kept until replaced)")
        else:
            log("콜드 프로비저닝: 이 도구가 만든 대체 이미지를 지우고 전부 다시 만듭니다"
                " (cold: removing the stand-ins built here, then provisioning everything)")
            remove_stand_ins(log)
        start = time.monotonic()
        cold = provision(rebuild=True, log=lambda line: log("  " + line))
        cold_seconds = time.monotonic() - start
        built = [r.name for r in cold if r.action == "built"]
        verdict = "OK" if cold_seconds <= COLD_GOAL else "목표 초과 (over goal)"
        ok &= cold_seconds <= COLD_GOAL
        log(f"콜드 (cold): {cold_seconds:.1f} s, 만든 이미지 {len(built)}개 (built {len(built)}),"
            f" 목표 ≤ {COLD_GOAL:.0f} s (goal): {verdict}")
        for result in cold:
            log(f"  {result.name:22} {result.origin:9} {result.action:8} {result.seconds:6.1f} s")

    start = time.monotonic()
    warm = provision(log=lambda line: None)
    warm_seconds = time.monotonic() - start
    not_cached = [r.name for r in warm if r.action not in ("cached", "present")]
    verdict = "OK" if warm_seconds < WARM_GOAL and not not_cached else "목표 초과 (over goal)"
    ok &= warm_seconds < WARM_GOAL and not not_cached
    log(f"웜 (warm): {warm_seconds:.2f} s, 다시 만든 이미지 {len(not_cached)}개 (rebuilt {len(not_cached)}),"
        f" 목표 < {WARM_GOAL:.0f} s (goal): {verdict}")

    log("크기 (sizes): 로컬 = 압축 전 (local, uncompressed); 압축 = docker save | gzip (compressed here);"
        " 공식 = 공개된 압축 크기 linux/amd64 (official, published compressed)")
    log(f"  {'image':22} {'origin':9} {'local':>10} {'compressed':>11} {'official':>10}")
    for row in status():
        measured = None
        if row.present and not args.no_compressed:
            measured = compressed_size(row.name)
        log(f"  {row.name:22} {row.origin:9} {_mb(row.size_bytes):>10} {_mb(measured):>11}"
            f" {_mb(row.official_compressed_size):>10}")
    sources = sorted({spec(n).size_source for n in CATALOG if spec(n).size_source})
    log("  공식 크기 출처 (official sizes from): " + "; ".join(sources))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
