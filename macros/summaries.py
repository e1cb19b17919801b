"""Figures drawn from the recorded runs: totals for the home page, the verification table."""

from __future__ import annotations

from labs.loader import Lab
from labs.records import read_record

ORIGIN_KO = {"official": "공식 이미지", "stand-in": "로컬 대체 이미지(stand-in)"}


def totals(labs: list[Lab]) -> str:
    records = [record for record in map(read_record, labs) if record is not None]
    steps = sum(len(record["steps"]) for record in records)
    commands = sum(len(record["steps"]) + len(record["cleanup"]) for record in records)
    latest = max((record["recorded_at"] for record in records), default="-")
    return (f"실습 **{len(records)}**개, 단계 **{steps}**개, 검증한 명령 **{commands}**개 "
            f"(마지막 기록: {latest})")


def verification_table(labs: list[Lab]) -> str:
    rows = ["| 실습 | 장 | 기록한 날 | 도커 엔진 | 이미지 |", "|---|---|---|---|---|"]
    for lab in labs:
        record = read_record(lab)
        if record is None:
            rows.append(f"| `{lab.id}` | {lab.definition.chapter} | 기록 없음 | - | - |")
            continue
        images = ", ".join(f"`{name}` {ORIGIN_KO.get(origin, origin)}" for name, origin in record["images"].items())
        rows.append(f"| `{lab.id}` | {lab.definition.chapter} | {record['recorded_at']} | "
                    f"{record['engine_version']} | {images or '-'} |")
    return "\n".join(rows)
