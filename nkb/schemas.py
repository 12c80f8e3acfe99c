"""JSON Schemas of the KB files, generated from the record classes in nkb.models.

`python -m nkb.schemas` rewrites schema/*.json; a test fails if they drift from the classes.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import msgspec

from nkb.models import SCHEMAS

FILE_NAMES = {"actors": "actors.schema.json", "events": "events.schema.json",
              "source": "source.schema.json", "topics": "topics.schema.json"}
# Filled in by the loader from the file a quote sits in; curators never write it.
LOADER_ONLY = {"Quote": ("source",)}


def schema_of(kind: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one KB file kind."""
    schema = msgspec.json.schema(SCHEMAS[kind])
    for name, fields in LOADER_ONLY.items():
        properties = schema.get("$defs", {}).get(name, {}).get("properties", {})
        for field in fields:
            properties.pop(field, None)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = f"nkb {kind}"
    return schema


def render(kind: str) -> str:
    return json.dumps(schema_of(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def write_all(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for kind, file_name in FILE_NAMES.items():
        (folder / file_name).write_text(render(kind), encoding="utf-8")


if __name__ == "__main__":
    write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("schema"))
