"""The SQLite export as Datasette serves it: its search box finds quotes through the FTS index."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from nkb import export, store


async def get_json(path: Path, url: str) -> Any:
    ds = Datasette([str(path)])
    await ds.invoke_startup()
    response = await ds.client.get(url)
    assert response.status_code == 200, response.text
    return response.json()


def test_datasette_full_text_search_finds_a_quote(tmp_path: Path) -> None:
    db = tmp_path / "nkb.db"
    export.export_sqlite(store.open_kb(store.shipped_kb()), db)
    data = asyncio.run(get_json(db, "/nkb/quotes.json?_search=peace+treaty&_shape=objects"))
    found = {row["id"]: row for row in data["rows"]}
    assert "001-1" in found
    assert found["001-1"]["speaker_name"] == "Mikhail Galuzin"
    assert found["001-1"]["text"].startswith("Russia provides consistent assistance")
    # only matching quotes come back: the search really went through the index
    assert 0 < len(data["rows"]) < len(store.open_kb(store.shipped_kb()).quotes)
    assert all("peace" in r["text"].lower() or "treaty" in r["text"].lower()
               for r in data["rows"])
