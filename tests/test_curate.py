"""The curator's side: nothing unfinished passes as curated; `confirm`, `rm`, `mv`, `drafts`.
Fixture KBs are built in tmp_path; the article is a short synthetic text."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from nkb import store
from nkb.errors import ExitCode, KBError

Snapshot = Callable[[Path], dict[str, bytes]]  # the `snapshot` fixture

ARTICLE = (
    "SOCHI, June 17, 2021. /NEWSWIRE/: Tension fell, Russian Deputy Foreign Minister Pavel "
    "Ivanov said on Thursday.\n"
    "\u201cWe help both sides,\u201d the deputy minister noted.\n"
    "\"We are allies,\" Kremlin Spokesman Boris Orlov told reporters.\n"
)


@pytest.fixture
def kb(writer_kb: Path) -> Path:
    return writer_kb


@pytest.fixture
def added(kb: Path, tmp_path: Path, run_nkb: Any) -> Path:
    """The KB with the article added as draft 002."""
    article = tmp_path / "article.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    result = run_nkb("add", str(article), kb=kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    return kb


def set_status(kb: Path, source_id: str, status: str) -> Path:
    path = kb / "sources" / f"{source_id}.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: draft", f"status: {status}"), encoding="utf-8")
    return path


# --- nothing unfinished passes as curated ------------------------------------------------------


def test_a_draft_flipped_to_curated_fails_check_with_file_and_line(added: Path,
                                                                    run_nkb: Any) -> None:
    path = set_status(added, "002", "curated")
    result = run_nkb("check", kb=added)
    assert result.exit_code == ExitCode.ERROR
    lines = path.read_text(encoding="utf-8").splitlines()
    title_line = next(i for i, line in enumerate(lines, 1) if line.startswith("title:"))
    assert f"{path}:{title_line}: curated source 002: title is still a placeholder" in result.stderr
    for left in ("proposed actor 'boris-orlov'", "speaker not confirmed (Boris Orlov)",
                 ):
        assert left in result.stderr
    assert "fix:" in result.stderr


@pytest.mark.parametrize(("field", "value", "said"), [
    ("hints", ["Clashes began in 2020"], "1 hint not reviewed"),
    ("outlet", "TODO: name the publisher", "outlet is still a placeholder"),
    ("proposals", {"date": {"strength": "weak", "basis": "header line"}},
     "unreviewed proposals for date"),
])
def test_each_leftover_in_a_curated_source_is_a_problem(kb: Path, run_nkb: Any, field: str,
                                                        value: Any, said: str) -> None:
    path = kb / "sources" / "001.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record[field] = value
    path.write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    result = run_nkb("check", kb=kb)
    assert result.exit_code == ExitCode.ERROR
    assert f"curated source 001: {said}" in result.stderr


def test_a_leftover_proposal_on_a_curated_quote_is_a_problem(kb: Path, run_nkb: Any) -> None:
    path = kb / "sources" / "001.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["quotes"][0]["strength"] = "strong"
    record["quotes"][0]["basis"] = 'after the quote: "Ivanov said"'
    path.write_text(yaml.safe_dump(record, sort_keys=False), encoding="utf-8")
    result = run_nkb("check", kb=kb)
    assert result.exit_code == ExitCode.ERROR
    assert "quote '001-1': unreviewed proposal (strength: strong)" in result.stderr


def test_a_curated_draft_is_no_curated_citation(added: Path, run_nkb: Any) -> None:
    set_status(added, "002", "curated")
    result = run_nkb("cite", "002", kb=added)
    assert result.exit_code != ExitCode.OK
    assert result.stdout == ""


# --- confirm ----------------------------------------------------------------------------------


def test_confirm_refuses_an_unfinished_draft_listing_each_item(snapshot: Snapshot, added: Path,
                                                               run_nkb: Any) -> None:
    before = snapshot(added)
    result = run_nkb("confirm", "2", kb=added)
    assert result.exit_code == ExitCode.ERROR
    path = added / "sources" / "002.yaml"
    assert f"{path}:" in result.stderr
    assert "title is still a placeholder" in result.stderr
    assert "proposed actor 'boris-orlov'" in result.stderr
    assert "draft 002 is not ready to be curated" in result.stderr
    assert snapshot(added) == before


def test_confirm_makes_a_finished_draft_curated(kb: Path, run_nkb: Any) -> None:
    path = set_status(kb, "001", "draft")
    text = path.read_text(encoding="utf-8")
    if "status:" not in text:
        path.write_text(text + "status: draft\n", encoding="utf-8")
    assert store.open_kb(kb).sources["001"].status == "draft"
    result = run_nkb("confirm", "001", kb=kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert store.open_kb(kb).sources["001"].status == "curated"
    assert run_nkb("quotes", "-f", "json", kb=kb).stdout.count('"001-1"') == 1
    again = run_nkb("confirm", "001", kb=kb)
    assert again.exit_code == ExitCode.USAGE and "already curated" in again.stderr


def test_confirm_an_unknown_id(kb: Path, run_nkb: Any) -> None:
    result = run_nkb("confirm", "042", kb=kb)
    assert result.exit_code == ExitCode.ERROR
    assert "no source '042'" in result.stderr


# --- rm ---------------------------------------------------------------------------------------


def test_rm_removes_a_draft_and_its_text(added: Path, run_nkb: Any) -> None:
    result = run_nkb("rm", "002", kb=added)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert not (added / "sources" / "002.yaml").exists()
    assert not (added / "sources" / "002.txt").exists()
    assert run_nkb("check", kb=added).exit_code == ExitCode.OK


def test_rm_refuses_a_curated_source_without_force_and_a_cited_one_always(snapshot: Callable[[Path],
                                                                          dict[str, bytes]],
        kb: Path, run_nkb: Any) -> None:
    before = snapshot(kb)
    plain = run_nkb("rm", "001", kb=kb)
    assert plain.exit_code == ExitCode.ERROR and "--force" in plain.stderr
    forced = run_nkb("rm", "001", "--force", kb=kb)
    assert forced.exit_code == ExitCode.ERROR
    assert "events.yaml" in forced.stderr and "2019-talks" in forced.stderr
    assert "actors.yaml" in forced.stderr and "ivanov" in forced.stderr
    assert snapshot(kb) == before


# --- mv ---------------------------------------------------------------------------------------


def test_mv_renumbers_a_source_and_every_reference(kb: Path, run_nkb: Any) -> None:
    events_before = (kb / "events.yaml").read_text(encoding="utf-8")
    result = run_nkb("mv", "1", "7", kb=kb)
    assert result.exit_code == ExitCode.OK, result.stderr
    loaded = store.open_kb(kb)
    assert list(loaded.sources) == ["007"]
    assert [q.id for q in loaded.sources["007"].quotes] == ["007-1"]
    assert loaded.events[0].sources == ["007"]
    assert loaded.actors["ivanov"].roles[0].sources == ["007"]
    assert not (kb / "sources" / "001.yaml").exists()
    assert (kb / "sources" / "007.txt").read_text(encoding="utf-8") == "Talks go on, Ivanov said.\n"
    events_after = (kb / "events.yaml").read_text(encoding="utf-8")
    # only the id changed: the rest of the hand-written file is kept as it was
    assert events_after.replace('"007"', "'001'") == events_before.replace('"001"', "'001'")
    assert run_nkb("check", kb=kb).exit_code == ExitCode.OK


@pytest.mark.parametrize("target", ["001", "1", "0001"])
def test_mv_onto_a_taken_id_changes_nothing(snapshot: Snapshot, added: Path, run_nkb: Any,
                                            target: str) -> None:
    before = snapshot(added)
    result = run_nkb("mv", "002", target, kb=added)
    assert result.exit_code == ExitCode.ERROR
    assert "already exists" in result.stderr
    assert snapshot(added) == before


def test_mv_refuses_an_id_that_is_not_digits(kb: Path, run_nkb: Any) -> None:
    result = run_nkb("mv", "001", "abc", kb=kb)
    assert result.exit_code == ExitCode.USAGE


# --- drafts -----------------------------------------------------------------------------------


def test_drafts_lists_what_awaits_review(added: Path, run_nkb: Any) -> None:
    result = run_nkb("drafts", "-f", "json", kb=added)
    assert result.exit_code == ExitCode.OK, result.stderr
    import json

    rows = json.loads(result.stdout)
    assert [r["id"] for r in rows] == ["002"]
    assert rows[0]["title"].startswith("(untitled) SOCHI, June 17, 2021.")
    assert rows[0]["left"] > 0 and rows[0]["age_days"] == 0
    assert rows[0]["date"] == "2021-06-17"


def test_drafts_says_when_there_are_none(kb: Path, run_nkb: Any) -> None:
    result = run_nkb("drafts", kb=kb)
    assert result.exit_code == ExitCode.OK
    assert result.stdout == ""
    assert "no drafts await review" in result.stderr


# --- the whole loop: add, review, confirm ----------------------------------------------------

LOOP_ARTICLE = (
    "SOCHI, June 17, 2021. /NEWSWIRE/. Tension fell, Russian Deputy Foreign Minister Pavel "
    "Ivanov said on Thursday.\n"
    "\"We help both sides. Talks go on in Sochi,\" the deputy minister noted.\n"
    "\"We are allies,\" Kremlin Spokesman Boris Orlov told reporters.\n"
    "The talks began in Sochi on June 15, 2021, with both foreign ministers.\n"
)


def keys_for(item: dict[str, Any]) -> str:
    """What a curator types for each proposal in this test: every kind of decision once."""
    kind, key, basis = item["kind"], item["key"], item["basis"] or ""
    if kind == "title":
        return "w\nIvanov: Russia helps both sides\n"
    if kind == "hint":
        return "l\n2021-06-15-sochi-talks\n" if "June 15" in basis else "r\n"
    if kind == "actor":
        return "m\nPetrova\n"  # the proposed actor is one the KB has under another name
    if kind == "quote" and key == "002-1":
        # split, then the same quote again: another speaker, then accept; then the part split off
        return "s\nTalks go on\nc\nPetrova\na\na\n"
    return "a\n"


def test_the_whole_loop_from_article_to_curated_citation(tmp_path: Path, kb: Path,
                                                         run_nkb: Any) -> None:
    article = tmp_path / "article.txt"
    article.write_text(LOOP_ARTICLE, encoding="utf-8")
    assert run_nkb("add", str(article), kb=kb).exit_code == ExitCode.OK
    import json

    listed = run_nkb("review", "002", "--list", "-f", "json", kb=kb)
    assert listed.exit_code == ExitCode.OK, listed.stderr
    items = json.loads(listed.stdout)
    assert {i["kind"] for i in items} >= {"title", "quote", "actor", "hint", "field"}
    script = "".join(keys_for(item) for item in items)
    reviewed = run_nkb("review", "002", kb=kb, stdin=script.encode())
    assert reviewed.exit_code == ExitCode.OK, reviewed.stderr
    assert "'Petrova' taken as" not in reviewed.stderr  # an alias: no guess to report
    left = run_nkb("review", "002", "--list", "-f", "json", kb=kb)
    assert json.loads(left.stdout) == []
    confirmed = run_nkb("confirm", "002", kb=kb)
    assert confirmed.exit_code == ExitCode.OK, confirmed.stderr

    loaded = store.open_kb(kb)
    source = loaded.sources["002"]
    assert (source.status, source.title) == ("curated", "Ivanov: Russia helps both sides")
    assert [(q.id, q.speaker, q.text) for q in source.quotes] == [
        ("002-1", "petrova", "We help both sides."),
        ("002-3", "ivanov", "Talks go on in Sochi"),
        ("002-2", "petrova", "We are allies"),
    ]
    assert not source.new_actors and not source.hints and not source.proposals
    assert "002" in next(e for e in loaded.events if e.id == "2021-06-15-sochi-talks").sources
    assert run_nkb("check", kb=kb).exit_code == ExitCode.OK
    listing = run_nkb("quotes", "--source", "002", "-f", "json", kb=kb)
    assert sorted(q["id"] for q in json.loads(listing.stdout)) == ["002-1", "002-2", "002-3"]
    cited = run_nkb("cite", "002", kb=kb)
    assert cited.exit_code == ExitCode.OK
    assert "NEWSWIRE" in cited.stdout and "Ivanov: Russia helps both sides" in cited.stdout
    assert "draft" not in cited.stdout.lower() and "TODO" not in cited.stdout


# --- edit, rm and mv on the installed nkb ---------------------------------------------------

NKB = Path(sys.executable).parent / "nkb"


def installed(kb: Path, *args: str, editor: str | None = None,
              timeout: float = 60) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NKB_KB", "VISUAL", "EDITOR")}
    env |= {"NO_COLOR": "1"} | ({"EDITOR": editor} if editor else {})
    return subprocess.run([str(NKB), "--kb", str(kb), *args], capture_output=True, text=True,
                          env=env, timeout=timeout, check=False)


def editor_script(tmp_path: Path, name: str, body: str) -> str:
    """An $EDITOR that runs `body` with the file to edit as $1 (and counts its runs)."""
    path = tmp_path / name
    path.write_text(f"#!/bin/sh\necho run >> {tmp_path}/{name}.runs\n{body}\n", encoding="utf-8")
    path.chmod(0o755)
    return str(path)


def runs(tmp_path: Path, name: str) -> int:
    counted = tmp_path / f"{name}.runs"
    return len(counted.read_text().splitlines()) if counted.exists() else 0


def test_edit_applies_a_valid_change_to_one_record(kb: Path, tmp_path: Path) -> None:
    actors_before = (kb / "actors.yaml").read_text(encoding="utf-8")
    editor = editor_script(tmp_path, "valid", "sed -i 's/^  name: Olga Petrova/  name: Olga "
                           "V. Petrova/' \"$1\"")
    result = installed(kb, "edit", "petrova", editor=editor)
    assert result.returncode == ExitCode.OK, result.stderr
    assert "saved actor petrova" in result.stderr
    after = (kb / "actors.yaml").read_text(encoding="utf-8")
    assert after == actors_before.replace("name: Olga Petrova", "name: Olga V. Petrova")
    assert store.open_kb(kb).actors["petrova"].name == "Olga V. Petrova"


def test_edit_shows_the_article_and_reopens_an_invalid_change_with_its_problems(
        kb: Path, tmp_path: Path) -> None:
    # first save: a date that is no date; second save: the problem is at the top, fix it
    body = (f'if [ ! -e {tmp_path}/seen ]; then touch {tmp_path}/seen; cp "$1" {tmp_path}/first; '
            "sed -i 's/^date: .*/date: someday/' \"$1\"; "
            f'else cp "$1" {tmp_path}/second; sed -i "s/^date: .*/date: 2019-05-02/" "$1"; fi')
    result = installed(kb, "edit", "1", editor=editor_script(tmp_path, "twice", body))
    assert result.returncode == ExitCode.OK, result.stderr
    first = (tmp_path / "first").read_text(encoding="utf-8")
    assert "# Talks go on, Ivanov said." in first  # the article, at hand
    second = (tmp_path / "second").read_text(encoding="utf-8")
    assert second.startswith("# nkb edit: the change was not applied")
    assert "someday" in second.splitlines()[1]
    assert store.open_kb(kb).sources["001"].date == "2019-05-02"
    assert "# Talks go on" not in (kb / "sources" / "001.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(("name", "body", "said"), [
    ("bad-twice", "sed -i 's/^date: .*/date: someday/' \"$1\"", "saved again without a change"),
    ("emptied", ': > "$1"', "edit cancelled"),
    ("unchanged", "true", "no change to apply"),
    ("failing", "exit 3", "the editor exited with status 3"),
    ("unknown-speaker", "sed -i 's/speaker: ivanov/speaker: nobody/' \"$1\"",
     "saved again without a change"),
])
def test_a_refused_or_cancelled_edit_leaves_the_kb_byte_for_byte(snapshot: Snapshot, kb: Path, tmp_path: Path,
                                                                 name: str, body: str,
                                                                 said: str) -> None:
    before = snapshot(kb)
    result = installed(kb, "edit", "001", editor=editor_script(tmp_path, name, body))
    assert result.returncode == ExitCode.ERROR
    assert said in result.stderr and "Traceback" not in result.stderr
    assert snapshot(kb) == before


def test_ctrl_c_in_the_editor_leaves_the_kb_byte_for_byte(snapshot: Snapshot, kb: Path,
                                                          tmp_path: Path) -> None:
    before = snapshot(kb)
    # the curator changes the file, then presses Ctrl-C: the signal reaches nkb too
    body = "sed -i 's/^title: .*/title: Half done/' \"$1\"; kill -INT $PPID; sleep 5"
    result = installed(kb, "edit", "001", editor=editor_script(tmp_path, "interrupted", body))
    assert result.returncode == ExitCode.INTERRUPTED
    assert "Traceback" not in result.stderr
    assert snapshot(kb) == before


def test_installed_rm_and_mv(snapshot: Snapshot, added: Path) -> None:
    moved = installed(added, "mv", "002", "010")
    assert moved.returncode == ExitCode.OK, moved.stderr
    assert (added / "sources" / "010.yaml").exists() and not (added / "sources" / "002.txt").exists()
    assert installed(added, "check").returncode == ExitCode.OK
    before = snapshot(added)
    refused = installed(added, "mv", "010", "001")
    assert refused.returncode == ExitCode.ERROR and snapshot(added) == before
    refused = installed(added, "rm", "001", "--force")
    assert refused.returncode == ExitCode.ERROR and snapshot(added) == before
    removed = installed(added, "rm", "10")
    assert removed.returncode == ExitCode.OK, removed.stderr
    assert sorted(p.name for p in (added / "sources").iterdir()) == ["001.txt", "001.yaml"]


def test_a_change_that_would_break_the_kb_is_undone_whole(snapshot: Snapshot, kb: Path,
                                                          tmp_path: Path) -> None:
    """kbwrite.apply writes, finds the new problem, and puts every file back."""
    from nkb import kbwrite

    before = snapshot(kb)
    changes = kbwrite.Changes({})
    events = kb / "events.yaml"
    changes.write(events, events.read_text(encoding="utf-8").replace("'001'", "'404'"))
    changes.write(kb / "sources" / "001.yaml",
                  (kb / "sources" / "001.yaml").read_text(encoding="utf-8") + "hints: [x]\n")
    with pytest.raises(KBError) as raised:
        kbwrite.apply(kb, changes)
    assert any("404" in p.message for p in raised.value.problems)
    assert snapshot(kb) == before


def test_ctrl_c_in_review_keeps_what_was_decided_and_nothing_half_written(added: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NKB_KB"} | {"NO_COLOR": "1"}
    process = subprocess.Popen([str(NKB), "--kb", str(added), "review", "002"],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, env=env)
    assert process.stdin is not None and process.stderr is not None
    process.stdin.write(b"w\nA title written before Ctrl-C\n")
    process.stdin.flush()
    seen = b""
    while b"A title written before Ctrl-C" not in seen:  # the answer is echoed once taken
        chunk = process.stderr.read1(4096)  # type: ignore[attr-defined]
        assert chunk, seen.decode(errors="replace")
        seen += chunk
    while b"> " not in seen.rsplit(b"A title written before Ctrl-C", 1)[1]:
        seen += process.stderr.read1(4096)  # type: ignore[attr-defined]
    process.send_signal(signal.SIGINT)
    _, rest = process.communicate(timeout=30)
    assert process.returncode == ExitCode.INTERRUPTED
    assert b"Traceback" not in seen + rest
    loaded = store.open_kb(added)  # loads: nothing half-written
    assert loaded.sources["002"].title == "A title written before Ctrl-C"
    assert loaded.sources["002"].status == "draft"


def test_a_proposal_whose_field_was_settled_by_hand_can_still_be_cleared(added: Path,
                                                                        run_nkb: Any) -> None:
    path = added / "sources" / "002.yaml"
    record = yaml.safe_load(path.read_text(encoding="utf-8"))
    record["title"] = "Written by hand"
    record["hints"] = []
    record.setdefault("proposals", {})["hints"] = {"strength": "weak", "basis": "dated sentences"}
    path.write_text(yaml.safe_dump(record, sort_keys=False, allow_unicode=True), encoding="utf-8")
    import json

    listed = json.loads(run_nkb("review", "002", "--list", "-f", "json", kb=added).stdout)
    assert {("field", "title"), ("field", "hints")} <= {(i["kind"], i["key"]) for i in listed}
    result = run_nkb("review", "002", "--accept", "title", "--accept", "hints", kb=added)
    assert result.exit_code == ExitCode.OK, result.stderr
    left = json.loads(run_nkb("review", "002", "--list", "-f", "json", kb=added).stdout)
    assert not {i["key"] for i in left} & {"title", "hints"}
