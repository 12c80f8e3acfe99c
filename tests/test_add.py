"""`nkb add`: a new draft source from an article, written safely. Fixture KBs are built here in
tmp_path; articles are short synthetic texts."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from nkb import add, fsutil, store
from nkb.errors import ExitCode

Snapshot = Callable[[Path], dict[str, bytes]]  # the `snapshot` fixture

ARTICLE = (
    "SOCHI, June 17. /NEWSWIRE/: Tension fell, Russian Deputy Foreign Minister Pavel Ivanov "
    "said on Thursday.\n"
    "\u201cWe help both sides,\u201d the deputy minister noted. \u201cTalks go on.\u201d\n"
    "\"We are allies,\" Kremlin Spokesman Boris Orlov told reporters.\n"
    "Clashes began on September 27, 2020.\n"
)


@pytest.fixture
def kb(writer_kb: Path) -> Path:
    return writer_kb


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def load_draft(kb: Path, source_id: str) -> dict[str, Any]:
    text = (kb / "sources" / f"{source_id}.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


# --- the happy path ---------------------------------------------------------------------------


def test_add_writes_text_and_a_draft_that_loads(kb: Path, article: Path, run_nkb: Any) -> None:
    result = run_nkb("--kb", str(kb), "add", str(article))
    assert result.exit_code == ExitCode.OK, result.stderr
    draft = kb / "sources" / "002.yaml"
    assert result.stdout == f"{draft}\n"
    assert (kb / "sources" / "002.txt").read_bytes() == article.read_bytes()
    first_line = draft.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../../schema/source.schema.json"
    loaded = store.open_kb(kb).sources["002"]
    assert loaded.status == "draft"
    assert (loaded.date, loaded.outlet, loaded.dateline) == (
        "2021-06-17", "NEWSWIRE", "SOCHI, June 17. /NEWSWIRE/:")
    assert loaded.date_basis and loaded.date_basis.startswith("TODO confirm: ")
    assert [(q.id, q.speaker, q.text) for q in loaded.quotes] == [
        ("002-1", "ivanov", "We help both sides"),
        ("002-2", "ivanov", "Talks go on."),
        ("002-3", "boris-orlov", "We are allies"),
    ]
    assert loaded.quotes[2].speaker_name == "Boris Orlov"
    assert [(a.id, a.name, a.role) for a in loaded.new_actors] == [
        ("boris-orlov", "Boris Orlov", "Kremlin Spokesman")]
    assert all(q.date == "2021-06-17" and q.date_basis.startswith("TODO confirm")
               for q in loaded.quotes if q.date_basis)
    assert "added source 002" in result.stderr
    assert "3 by boris-orlov, ivanov" in result.stderr
    assert "proposed new actors: boris-orlov (Boris Orlov)" in result.stderr


def test_check_accepts_the_draft_and_lists_what_it_lacks(kb: Path, article: Path,
                                                         run_nkb: Any) -> None:
    assert run_nkb("--kb", str(kb), "add", str(article)).exit_code == ExitCode.OK
    result = run_nkb("--kb", str(kb), "check")
    assert result.exit_code == ExitCode.OK
    for lack in ("title not written", "date to confirm", "proposed actor 'boris-orlov'",
                 "speaker to confirm (Boris Orlov)", "status is draft"):
        assert lack in result.stderr


def test_stdin_input(kb: Path, run_nkb: Any) -> None:
    result = run_nkb("--kb", str(kb), "add", "-", "--outlet", "Pressline", "--date", "2021-06-17",
                 stdin=ARTICLE.encode())
    assert result.exit_code == ExitCode.OK, result.stderr
    draft = load_draft(kb, "002")
    assert (draft["outlet"], draft["date"], draft["file"]) == ("Pressline", "2021-06-17",
                                                              "002.txt")
    assert (kb / "sources" / "002.txt").read_text(encoding="utf-8") == ARTICLE


def test_given_id_and_next_free_id(kb: Path, article: Path, run_nkb: Any) -> None:
    assert run_nkb("--kb", str(kb), "add", str(article), "--id", "7").exit_code == ExitCode.OK
    assert (kb / "sources" / "007.yaml").exists()
    assert run_nkb("--kb", str(kb), "add", str(article), "--force").exit_code == ExitCode.OK
    assert (kb / "sources" / "008.yaml").exists()


def test_stray_file_is_not_reused(kb: Path, article: Path, run_nkb: Any) -> None:
    (kb / "sources" / "002.txt").write_text("someone else's", encoding="utf-8")
    assert run_nkb("--kb", str(kb), "add", str(article)).exit_code == ExitCode.OK
    assert (kb / "sources" / "002.txt").read_text(encoding="utf-8") == "someone else's"
    assert (kb / "sources" / "003.yaml").exists()


# --- refusals ---------------------------------------------------------------------------------


def test_existing_id_is_refused(snapshot: Snapshot, kb: Path, article: Path, run_nkb: Any) -> None:
    before = snapshot(kb)
    result = run_nkb("--kb", str(kb), "add", str(article), "--id", "001")
    assert result.exit_code == ExitCode.ERROR
    assert result.stdout == ""
    assert "source 001 already exists" in result.stderr
    assert snapshot(kb) == before


@pytest.mark.parametrize(("data", "message"), [
    (b"", "is empty"),
    (b"  \n\n ", "is empty"),
    (b"Talks \xe9t\xe9 held, Ivanov said.", "is not UTF-8"),
])
def test_bad_input_is_refused_naming_the_file(snapshot: Snapshot, kb: Path, tmp_path: Path, run_nkb: Any,
                                              data: bytes,
                                              message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    before = snapshot(kb)
    result = run_nkb("--kb", str(kb), "add", str(path))
    assert result.exit_code == ExitCode.ERROR
    assert f"{path} {message}" in result.stderr
    assert snapshot(kb) == before


def test_missing_file(kb: Path, tmp_path: Path, run_nkb: Any) -> None:
    result = run_nkb("--kb", str(kb), "add", str(tmp_path / "nope.txt"))
    assert result.exit_code == ExitCode.ERROR
    assert "cannot read" in result.stderr


def test_bad_date_option_is_a_usage_error(kb: Path, article: Path, run_nkb: Any) -> None:
    result = run_nkb("--kb", str(kb), "add", str(article), "--date", "June 17")
    assert result.exit_code == ExitCode.USAGE
    assert "--date" in result.stderr


def test_the_installed_kb_is_refused(snapshot: Snapshot, kb: Path, article: Path, run_nkb: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store, "is_installed_kb", lambda root: True)
    before = snapshot(kb)
    result = run_nkb("--kb", str(kb), "add", str(article))
    assert result.exit_code == ExitCode.USAGE
    assert "use --kb DIR" in result.stderr
    assert snapshot(kb) == before


def test_only_the_package_copy_counts_as_installed(kb: Path) -> None:
    assert store.is_installed_kb(Path(store.__file__).parent / "kb")
    assert not store.is_installed_kb(kb)


def test_broken_kb_is_refused_before_writing(snapshot: Snapshot, kb: Path, article: Path,
                                             run_nkb: Any) -> None:
    (kb / "events.yaml").write_text("- id: x\n  date: nonsense\n", encoding="utf-8")
    before = snapshot(kb)
    result = run_nkb("--kb", str(kb), "add", str(article))
    assert result.exit_code == ExitCode.ERROR
    assert "problem" in result.stderr
    assert snapshot(kb) == before


# --- safety -----------------------------------------------------------------------------------


def test_failure_midway_leaves_the_kb_unchanged(snapshot: Snapshot, kb: Path, article: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(kb)
    real_link = os.link

    def disk_full_at_the_record(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        if str(target).endswith("002.yaml"):
            assert (kb / "sources" / "002.txt").exists()  # the text is in place first
            raise OSError(28, "No space left on device")
        real_link(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "link", disk_full_at_the_record)
    with pytest.raises(add.AddError, match="No space left on device; nothing was added"):
        add.add_article(kb, article.read_bytes(), str(article))
    assert snapshot(kb) == before


def test_failure_in_the_yaml_dump_leaves_nothing(snapshot: Snapshot, kb: Path, article: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(kb)

    def broken_dump(*args: Any, **kwargs: Any) -> str:
        raise yaml.YAMLError("cannot represent")

    monkeypatch.setattr(yaml, "dump", broken_dump)
    with pytest.raises(yaml.YAMLError):
        add.add_article(kb, article.read_bytes(), str(article))
    assert snapshot(kb) == before


def test_a_file_appearing_meanwhile_is_never_overwritten(kb: Path, article: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    real_link = os.link

    def racing_link(source: Any, target: Any, *args: Any, **kwargs: Any) -> None:
        if str(target).endswith("002.yaml"):  # another curator's draft, a moment earlier
            Path(target).write_text("another curator's draft", encoding="utf-8")
        real_link(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(fsutil.WriteRefused, match="appeared while writing; nothing was overwritten"):
        add.add_article(kb, article.read_bytes(), str(article))
    assert (kb / "sources" / "002.yaml").read_text(encoding="utf-8") == "another curator's draft"
    assert not (kb / "sources" / "002.txt").exists()
    assert not (kb / fsutil.CHANGE_DIR).exists()


def test_a_draft_that_does_not_validate_is_removed(snapshot: Snapshot, kb: Path, article: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    before = snapshot(kb)
    real = add.build_record

    def bad_record(*args: Any, **kwargs: Any) -> dict[str, Any]:
        record = real(*args, **kwargs)
        record["quotes"][0]["text"] = "words the article never printed"
        return record

    monkeypatch.setattr(add, "build_record", bad_record)
    with pytest.raises(add.AddError, match="does not validate"):
        add.add_article(kb, article.read_bytes(), str(article))
    assert snapshot(kb) == before


def test_actors_and_events_files_are_untouched(kb: Path, article: Path) -> None:
    before = {name: (kb / name).read_bytes() for name in ("actors.yaml", "events.yaml")}
    add.add_article(kb, article.read_bytes(), str(article))
    assert {name: (kb / name).read_bytes() for name in before} == before


def test_yaml_round_trips_tricky_text(kb: Path, tmp_path: Path) -> None:
    text = ('GYUMRI (XA) - "yes: no # not a comment, null, 003, 2024-06-05, @x, - y," '
            "Ivanov said.\n")
    added = add.add_article(kb, text.encode(), "tricky.txt")
    loaded = store.open_kb(kb).sources[added.id]
    assert loaded.quotes[0].text == "yes: no # not a comment, null, 003, 2024-06-05, @x, - y"


# --- --url ------------------------------------------------------------------------------------


def test_add_url_is_stored_in_the_draft(kb: Path, article: Path, run_nkb: Any) -> None:
    url = "https://example.org/news/2021/06/17/tension?id=1#top"
    result = run_nkb("--kb", str(kb), "add", str(article), "--url", url)
    assert result.exit_code == ExitCode.OK, result.stderr
    assert load_draft(kb, "002")["url"] == url
    assert store.open_kb(kb).sources["002"].url == url


def test_add_url_carrying_a_day_dates_the_draft_with_its_basis(
        kb: Path, tmp_path: Path, run_nkb: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NKB_TODAY", "2025-06-30")
    path = tmp_path / "wire.txt"
    path.write_text("SOCHI, June 17. /NEWSWIRE/: Tension fell, Pavel Ivanov said, and the "
                    "talks of 2019 go on.\n", encoding="utf-8")
    result = run_nkb("--kb", str(kb), "add", str(path), "--url",
                     "https://example.org/politics/2021/06/17/tension-fell/")
    assert result.exit_code == ExitCode.OK, result.stderr
    draft = load_draft(kb, "002")
    assert str(draft["date"]) == "2021-06-17"
    assert "--url" in draft["date_basis"] and "/2021/06/17/" in draft["date_basis"]
    assert not draft["date_basis"].startswith("TODO")


def test_add_without_url_leaves_the_same_text_open(kb: Path, tmp_path: Path, run_nkb: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NKB_TODAY", "2025-06-30")
    path = tmp_path / "wire.txt"
    path.write_text("SOCHI, June 17. /NEWSWIRE/: Tension fell, Pavel Ivanov said, and the "
                    "talks of 2019 go on.\n", encoding="utf-8")
    result = run_nkb("--kb", str(kb), "add", str(path))
    assert result.exit_code == ExitCode.OK, result.stderr
    draft = load_draft(kb, "002")
    assert str(draft["date"]) == "2019-06-17/2025-06-17"
    assert draft["date_basis"].startswith("TODO confirm: ")


@pytest.mark.parametrize("url", ["example.org/news/1", "ftp://example.org/a", "https://",
                                 "https://example.org/a b", "javascript:alert(1)"])
def test_add_refuses_a_url_that_is_not_absolute_http(snapshot: Snapshot, kb: Path, article: Path,
                                                     run_nkb: Any,
                                                     url: str) -> None:
    before = snapshot(kb)
    result = run_nkb("--kb", str(kb), "add", str(article), "--url", url)
    assert result.exit_code == ExitCode.USAGE
    assert "not an absolute http(s) URL" in result.stderr and result.stdout == ""
    assert snapshot(kb) == before


# --- duplicates -------------------------------------------------------------------------------


def test_the_same_article_again_is_refused_naming_the_source(snapshot: Snapshot, kb: Path, article: Path,
                                                             run_nkb: Any) -> None:
    assert run_nkb("--kb", str(kb), "add", str(article)).exit_code == ExitCode.OK
    before = snapshot(kb)
    result = run_nkb("--kb", str(kb), "add", str(article))
    assert result.exit_code == ExitCode.ERROR
    assert "the same text as source 002" in result.stderr and "--force" in result.stderr
    assert snapshot(kb) == before


def test_a_repost_with_another_credit_is_a_near_copy(kb: Path, tmp_path: Path, article: Path,
                                                     run_nkb: Any) -> None:
    assert run_nkb("--kb", str(kb), "add", str(article)).exit_code == ExitCode.OK
    repost = tmp_path / "repost.txt"
    repost.write_text("Reposted from elsewhere\n" + ARTICLE.replace("NEWSWIRE", "OTHERWIRE")
                      + "Share this story\n", encoding="utf-8")
    result = run_nkb("--kb", str(kb), "add", str(repost))
    assert result.exit_code == ExitCode.ERROR
    assert "near-copy" in result.stderr and "source 002" in result.stderr
    assert run_nkb("--kb", str(kb), "add", str(repost), "--force").exit_code == ExitCode.OK


def test_a_different_article_is_no_copy(kb: Path, tmp_path: Path, article: Path,
                                        run_nkb: Any) -> None:
    assert run_nkb("--kb", str(kb), "add", str(article)).exit_code == ExitCode.OK
    other = tmp_path / "other.txt"
    other.write_text("GYUMRI (XA) - \"Talks resume next week,\" Petrova said on Monday.\n",
                     encoding="utf-8")
    assert run_nkb("--kb", str(kb), "add", str(other)).exit_code == ExitCode.OK


def test_a_quote_said_last_week_gets_last_week_and_the_draft_loads(
        kb: Path, tmp_path: Path, run_nkb: Any) -> None:
    path = tmp_path / "last-week.txt"
    path.write_text(" date 2024-03-05 GYUMRI (XA) - Olga Petrova said last week that the talks "
                    "had \"stalled for good\".\n", encoding="utf-8")
    assert run_nkb("--kb", str(kb), "add", str(path)).exit_code == ExitCode.OK
    said = load_draft(kb, "002")["quotes"][0]
    assert said["date"] == "2024-02-26/2024-03-03"
    assert "last week" in said["date_basis"]
    assert run_nkb("--kb", str(kb), "check").exit_code == ExitCode.OK


@pytest.mark.parametrize(("article", "said"), [
    (" date 2024-03-05 GYUMRI (XA) - \"Talks went we\u00adll,\" Olga Pet\u200brova said.\n",
     "Talks went well"),  # invisible characters
    ("<p> date 2024-03-05 GYUMRI (XA) - &quot;Talks went <b>well</b> &amp; fast,&quot; "
     "<a href=\"https://example.org/p\">Olga Petrova</a> said.</p>\n",
     "Talks went well & fast"),  # a page saved with its markup
])
def test_a_saved_page_is_read_as_its_text_and_kept_as_it_came(
        kb: Path, tmp_path: Path, run_nkb: Any, article: str, said: str) -> None:
    path = tmp_path / "saved.txt"
    path.write_text(article, encoding="utf-8")
    assert run_nkb("--kb", str(kb), "add", str(path)).exit_code == ExitCode.OK
    quote = load_draft(kb, "002")["quotes"][0]
    assert (quote["text"], quote["speaker"]) == (said, "petrova")
    assert (kb / "sources" / "002.txt").read_text(encoding="utf-8") == article
    assert run_nkb("--kb", str(kb), "check").exit_code == ExitCode.OK


def test_a_quote_dated_by_its_weekday(kb: Path, tmp_path: Path, run_nkb: Any) -> None:
    path = tmp_path / "weekday.txt"
    path.write_text(" date 2023-05-16 GYUMRI (XA) - \"Talks went well,\" Petrova said "
                    "on Monday.\n", encoding="utf-8")
    assert run_nkb("--kb", str(kb), "add", str(path)).exit_code == ExitCode.OK
    draft = load_draft(kb, "002")
    assert draft["date"] == "2023-05-16"
    assert draft["quotes"][0]["date"] == "2023-05-15"
    assert "Monday" in draft["quotes"][0]["date_basis"]


# --- every proposal with its strength and basis ----------------------------------------------

STRENGTHS = {"strong", "medium", "weak"}


def test_every_draft_proposal_has_a_strength_and_a_basis(kb: Path, article: Path,
                                                         run_nkb: Any) -> None:
    assert run_nkb("--kb", str(kb), "add", str(article)).exit_code == ExitCode.OK
    draft = load_draft(kb, "002")
    assert set(draft["proposals"]) == {"title", "date", "outlet", "via", "hints"}
    for proposal in draft["proposals"].values():
        assert proposal["strength"] in STRENGTHS and proposal["basis"]
    for quote in draft["quotes"]:
        assert quote["strength"] in STRENGTHS and quote["basis"]
        assert set(quote["proposals"]) == {"date", "kind"}
        assert all(p["strength"] in STRENGTHS and p["basis"] for p in quote["proposals"].values())
    for actor in draft["new_actors"]:
        assert actor["strength"] in STRENGTHS and actor["basis"]
    # the dateline credit is printed on the article; the year of "June 17" is inferred
    assert draft["proposals"]["outlet"]["strength"] == "strong"
    assert "SOCHI, June 17. /NEWSWIRE/:" in draft["proposals"]["outlet"]["basis"]
    assert draft["proposals"]["date"]["strength"] == "weak"
    first, second, third = draft["quotes"]
    assert first["strength"] == "strong"  # "the deputy minister": the title named just before
    assert first["basis"].startswith('after the quote: "the deputy minister noted"')
    assert (second["speaker"], second["strength"]) == ("ivanov", "strong")  # goes on from it
    assert third["strength"] == "strong"  # a person's name printed, proposed as a new actor
    assert "Kremlin Spokesman Boris Orlov told" in third["basis"]
    assert "Boris Orlov" in draft["new_actors"][0]["basis"]


def test_a_named_speaker_is_strong_and_the_basis_quotes_the_words(kb: Path, tmp_path: Path,
                                                                  run_nkb: Any) -> None:
    path = tmp_path / "named.txt"
    path.write_text("SOCHI, June 17, 2021. /NEWSWIRE/: Talks resumed.\n"
                    "\u201cWe help both sides,\u201d Ivanov added.\n", encoding="utf-8")
    assert run_nkb("--kb", str(kb), "add", str(path)).exit_code == ExitCode.OK
    draft = load_draft(kb, "002")
    (quote,) = draft["quotes"]
    assert (quote["speaker"], quote["strength"]) == ("ivanov", "strong")
    assert quote["basis"] == "after the quote: \"Ivanov added\" (name 'Ivanov')"
    assert draft["proposals"]["date"]["strength"] == "strong"


def test_two_candidate_speakers_make_a_weak_proposal_with_the_other_listed(
        kb: Path, tmp_path: Path, run_nkb: Any) -> None:
    path = tmp_path / "two.txt"
    path.write_text("SOCHI, June 17, 2021. /NEWSWIRE/: Talks resumed.\n"
                    "Petrova said: \u201cWe help both sides,\u201d Ivanov added.\n",
                    encoding="utf-8")
    result = run_nkb("--kb", str(kb), "add", str(path))
    assert result.exit_code == ExitCode.OK
    (quote,) = load_draft(kb, "002")["quotes"]
    assert (quote["speaker"], quote["strength"], quote["alternatives"]) == (
        "ivanov", "weak", ["petrova"])
    # the summary lists the weak proposals first, the alternative named
    lines = result.stderr.splitlines()
    assert lines[1].startswith("  weak proposals (")
    weak = lines[: next(i for i, line in enumerate(lines) if "medium proposals" in line)]
    assert any("quote 002-1 speaker ivanov" in line and "or petrova" in line for line in weak)


def test_source_shows_a_drafts_proposals_and_never_a_curated_ones(kb: Path, article: Path,
                                                                  run_nkb: Any) -> None:
    assert run_nkb("--kb", str(kb), "add", str(article)).exit_code == ExitCode.OK
    result = run_nkb("--kb", str(kb), "source", "002", "--format", "json")
    assert result.exit_code == ExitCode.OK
    shown = json.loads(result.stdout)
    assert set(shown["proposals"]) >= {"title", "date", "outlet", "via", "hints"}
    assert shown["proposals"]["outlet"]["strength"] == "strong"
    assert all(q["strength"] in STRENGTHS and q["basis"] for q in shown["quotes"])
    table = run_nkb("--kb", str(kb), "source", "002")
    assert "Proposals (draft)" in table.stdout
    assert "deputy minister noted" in table.stdout
    curated = json.loads(run_nkb("--kb", str(kb), "source", "001", "--format", "json").stdout)
    assert "proposals" not in curated
    assert all("strength" not in q and "basis" not in q for q in curated["quotes"])
    assert "Proposals" not in run_nkb("--kb", str(kb), "source", "001").stdout
