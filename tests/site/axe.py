"""axe-core (the npm package in tests/site/npm) run inside a page that Playwright has open."""

from __future__ import annotations

from pathlib import Path

AXE_SCRIPT = Path(__file__).resolve().parent / "npm/node_modules/axe-core/axe.min.js"
BLOCKING = ("serious", "critical")


def installed() -> bool:
    return AXE_SCRIPT.is_file()


def audit(page) -> list[dict]:
    """Every rule axe finds broken on the page, each with its impact and failing elements."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": rule["id"], "impact": rule["impact"], "help": rule["help"],
         "targets": [" ".join(map(str, node["target"])) + " — " + node.get("failureSummary", "").split("\n")[-1].strip()
                     for node in rule["nodes"]]}
        for rule in result["violations"]
    ]


def blocking(violations: list[dict]) -> list[dict]:
    return [rule for rule in violations if rule["impact"] in BLOCKING]


def describe(violations: list[dict], limit: int = 4) -> str:
    lines = []
    for rule in violations:
        lines.append(f"{rule['id']} ({rule['impact']}, {len(rule['targets'])} elements): {rule['help']}")
        lines += [f"    {target}" for target in rule["targets"][:limit]]
    return "\n".join(lines)
