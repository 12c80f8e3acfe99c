"""The JSON Schemas under schema/ are what the record classes generate, and every KB file
points its editor at one of them."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nkb import schemas, store, validation

REPO = Path(__file__).resolve().parent.parent
SCHEMA_DIR = REPO / "schema"
HEADER = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


@pytest.mark.parametrize("kind", sorted(schemas.FILE_NAMES))
def test_schema_file_matches_the_classes(kind: str) -> None:
    path = SCHEMA_DIR / schemas.FILE_NAMES[kind]
    assert path.read_text(encoding="utf-8") == schemas.render(kind), (
        f"{path.name} is stale: run `python -m nkb.schemas`"
    )


def test_schemas_describe_the_fields_curators_write() -> None:
    source = schemas.schema_of("source")
    quote = source["$defs"]["Quote"]
    assert "source" not in quote["properties"]  # the loader fills it in
    assert set(quote["required"]) == {"id", "speaker", "text", "date"}
    assert quote["additionalProperties"] is False
    actors = json.loads(schemas.render("actors"))
    assert actors["type"] == "array"
    assert actors["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def kb_yaml_files() -> list[Path]:
    root = store.shipped_kb()
    return [root / validation.ACTORS_FILE, root / validation.EVENTS_FILE, root / validation.TOPICS_FILE,
            *sorted((root / validation.SOURCES_DIR).glob("*.yaml"))]


@pytest.mark.parametrize("path", kb_yaml_files(), ids=lambda p: p.name)
def test_kb_file_points_at_an_existing_schema(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = HEADER.match(first)
    assert match, f"{path.name} must start with '# yaml-language-server: $schema=...'"
    target = (path.parent / match.group(1)).resolve()
    assert target.is_file(), f"{path.name} points at {target}, which does not exist"
    expected = "source" if path.parent.name == validation.SOURCES_DIR else path.stem
    assert target.name == schemas.FILE_NAMES[expected]


def test_kb_files_are_found() -> None:
    names = [p.name for p in kb_yaml_files()]
    assert names[:2] == ["actors.yaml", "events.yaml"] and len(names) > 2
