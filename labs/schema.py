"""The lab format as JSON Schema, so editors complete and check lab.yaml as it is typed.

Every lab.yaml starts with a `# yaml-language-server: $schema=...` line pointing at
labs/lab.schema.json (the YAML language server in VS Code and other editors reads it).
`python -m labs schema` writes the file; a test keeps it in step with labs/model.py."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .model import COMPARE_MODES, LabDefinition

SCHEMA_FILE = Path(__file__).resolve().parent / "lab.schema.json"
SCHEMA_LINE = "# yaml-language-server: $schema="


def generate() -> str:
    schema = LabDefinition.model_json_schema()
    schema["title"] = "lab.yaml (도커 실습 노트)"
    # `compare: unordered` is shorthand for `compare: {mode: unordered}`
    step = schema["$defs"]["Step"]["properties"]
    step["compare"] = {"anyOf": [{"enum": list(COMPARE_MODES)}, {"$ref": "#/$defs/Compare"}]}
    return json.dumps(schema, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def write() -> Path:
    SCHEMA_FILE.write_text(generate(), encoding="utf-8")
    return SCHEMA_FILE


def schema_line_for(folder: Path, root: Path) -> str:
    """The first line of the lab.yaml in folder (labs/<chapter>/<id>/), relative to the schema."""
    schema = root / SCHEMA_FILE.name if (root / SCHEMA_FILE.name).exists() else SCHEMA_FILE
    return SCHEMA_LINE + Path(os.path.relpath(schema, folder)).as_posix()
