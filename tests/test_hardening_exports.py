"""What an export writes and what it may replace: the installed `nkb` in a subprocess.

`--force` replaces only files nkb itself exported, each marked as nkb's (the SQLite application
id, the JSON Lines header record, the CSV folder's exact files and headers), never a user's
file that merely looks alike. CSV cells a spreadsheet would run as a formula are neutralised,
with the exact text recoverable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nkb.errors import ExitCode

NKB = Path(sys.executable).parent / "nkb"

pytestmark = pytest.mark.skipif(not NKB.exists(), reason="the nkb console script is not installed")


def run(kb: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NKB), "--kb", str(kb), *args], capture_output=True, text=True,
                          timeout=60, env=os.environ.copy(), check=False)


# --- never overwrite what nkb did not write -----------------------------------------------------

NOT_NKBS = {
    "a log of events": '{"type": "event", "id": "login", "at": "2024-01-01"}\n'
                       '{"type": "quote", "id": "q1"}\n',
    "empty": "",
    "records without the header": '{"type": "source", "id": "001"}\n',
    "a header of another program": '{"type": "export", "format": "nkb-jsonl"}\n',
    "the header on a later line": '{"note": "mine"}\n{"type": "export", "format": "nkb-jsonl", '
                                  '"version": 1, "generator": "nkb"}\n',
    "not JSON": "id,title\n1,mine\n",
    "blank lines": "\n\n",
}


@pytest.mark.parametrize("content", NOT_NKBS.values(), ids=list(NOT_NKBS))
def test_force_refuses_a_json_lines_file_nkb_did_not_write(content: str, kb_dir: Path,
                                                           tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    theirs = tmp_path / "out" / "events.jsonl"
    theirs.write_text(content, encoding="utf-8")
    result = run(kb_dir, "export", "jsonl", str(theirs), "--force")
    assert result.returncode == ExitCode.ERROR
    assert f"{theirs} is not a JSON Lines export nkb wrote" in result.stderr
    assert theirs.read_text(encoding="utf-8") == content
    assert [p.name for p in theirs.parent.iterdir()] == ["events.jsonl"]  # no temporary left


def test_force_replaces_nkbs_own_json_lines_export(kb_dir: Path, tmp_path: Path) -> None:
    ours = tmp_path / "nkb.jsonl"
    assert run(kb_dir, "export", "jsonl", str(ours)).returncode == ExitCode.OK
    first = ours.read_text(encoding="utf-8").splitlines()[0]
    assert json.loads(first) == {"type": "export", "format": "nkb-jsonl", "version": 1,
                                 "generator": "nkb"}
    # even cut down to its header (or edited below it), the file is still nkb's to replace
    ours.write_text(first + "\n", encoding="utf-8")
    result = run(kb_dir, "export", "jsonl", str(ours), "--force")
    assert result.returncode == ExitCode.OK, result.stderr
    assert len(ours.read_text(encoding="utf-8").splitlines()) > 1


def test_the_header_opens_the_export_on_stdout_too(kb_dir: Path) -> None:
    lines = run(kb_dir, "export", "jsonl", "-").stdout.splitlines()
    assert json.loads(lines[0])["type"] == "export"
    assert {json.loads(line)["type"] for line in lines[1:]} == {"source", "actor", "event",
                                                                "quote"}


def test_force_refuses_an_empty_file_for_every_format(kb_dir: Path, tmp_path: Path) -> None:
    for fmt in ("sqlite", "jsonl"):
        empty = tmp_path / f"empty.{fmt}"
        empty.write_bytes(b"")
        result = run(kb_dir, "export", fmt, str(empty), "--force")
        assert result.returncode == ExitCode.ERROR
        assert str(empty) in result.stderr and empty.read_bytes() == b""
    folder = tmp_path / "empty-csv"
    folder.mkdir()
    result = run(kb_dir, "export", "csv", str(folder), "--force")
    assert result.returncode == ExitCode.ERROR
    assert f"{folder} is not a folder of nkb CSV files" in result.stderr
