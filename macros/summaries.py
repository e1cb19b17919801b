"""Figures drawn from the recorded runs: totals for the home page, the verification tables."""

from __future__ import annotations

from labs.loader import Lab
from labs.records import read_record

from .variant_notes import STORE_KO, setup_name



def totals(labs: list[Lab]) -> str:
    records = [record for record in map(read_record, labs) if record is not None]
    steps = sum(len(record.primary.steps) for record in records)
    commands = sum(len(record.primary.steps) + len(record.primary.cleanup) for record in records)
    latest = max((variant.recorded_at for record in records for variant in record.variants), default="-")
    setups = len({(variant.image_store, variant.engine_major) for record in records for variant in record.variants})
    return (f"실습 **{len(records)}**개, 단계 **{steps}**개, 검증한 명령 **{commands}**개, "
            f"엔진 설정 **{setups}**가지 (마지막 기록: {latest})")


def engine_setups(labs: list[Lab]) -> str:
    """One row per engine setup the records came from: engine, CLI, Compose, containerd, store."""
    seen = {}
    for lab in labs:
        record = read_record(lab)
        for variant in record.variants if record else []:
            key = (variant.engine_version, variant.image_store)
            seen.setdefault(key, [variant, 0])[1] += 1
    rows = ["| 엔진 | docker CLI | Compose | containerd | 이미지 스토어(저장 드라이버) | 커널 | 실습 수 |",
            "|---|---|---|---|---|---|---|"]
    newest_first = sorted(seen.items(), key=lambda item: (item[0][1] != "containerd", -item[1][0].engine_major))
    for (version, store), (variant, count) in newest_first:
        rows.append(f"| {version} | {variant.fact('client_version')} | {variant.fact('compose_version')} | "
                    f"{variant.fact('containerd_version')} | {STORE_KO.get(store, store)}"
                    f"(`{variant.storage_driver}`) | `{variant.fact('kernel')}` | {count} |")
    return "\n".join(rows)


def verification_table(labs: list[Lab]) -> str:
    rows = ["| 실습 | 장 | 기록한 날 | 엔진 설정 | 이미지 |", "|---|---|---|---|---|"]
    for lab in labs:
        record = read_record(lab)
        if record is None:
            rows.append(f"| `{lab.id}` | {lab.definition.chapter} | 기록 없음 | - | - |")
            continue
        primary = record.primary
        images = ", ".join(f"`{name}` {origin.korean}"
                           for name, origin in primary.images.items())
        setups = "<br>".join(setup_name(variant) for variant in [primary, *record.others])
        rows.append(f"| `{lab.id}` | {lab.definition.chapter} | {primary.recorded_at} | {setups} | {images or '-'} |")
    return "\n".join(rows)
