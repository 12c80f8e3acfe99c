"""The installed console script works from any folder, on the KB shipped with the package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from nkb.errors import ExitCode


def test_installed_script_on_the_shipped_kb(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "nkb"
    env = {k: v for k, v in os.environ.items() if k != "NKB_KB"} | {"NO_COLOR": "1"}
    result = subprocess.run(
        [str(script), "quotes", "--speaker", "Galuzin", "--format", "json"],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == ExitCode.OK, result.stderr
    assert result.stderr == ""
    quotes = json.loads(result.stdout)
    assert quotes
    assert {q["speaker"] for q in quotes} == {"Mikhail Galuzin"}
    assert {q["speaker_id"] for q in quotes} == {"galuzin"}
