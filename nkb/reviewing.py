"""`nkb review`, asked at the terminal: one proposal at a time, weakest first, with its passage,
basis, strength and alternatives; one key (and, where needed, one line of text) per decision.

Lines are read from standard input, so a review works over ssh, at 80 columns, and from a
script; end of input is a quit. Every decision is written before the next is asked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from rich.console import Console
from rich.text import Text

from nkb.errors import NkbError
from nkb.review import Draft, Item
from nkb.text import visible
from nkb.views import passage

KEYS: dict[str, tuple[tuple[str, str], ...]] = {
    "title": (("w", "write the title"), ("n", "next"), ("q", "quit")),
    "field": (("a", "accept"), ("e", "edit the value"), ("n", "next"), ("q", "quit")),
    "quote": (("a", "accept"), ("c", "choose another speaker"), ("e", "edit the span"),
              ("s", "split"), ("p", "paraphrase"), ("r", "reject: not a quote"), ("n", "next"),
              ("q", "quit")),
    "actor": (("a", "accept as a new actor"), ("m", "map to an actor of the KB"), ("n", "next"),
              ("q", "quit")),
    "hint": (("l", "link to an event"), ("d", "draft a new event"), ("r", "remove the hint"),
             ("n", "next"), ("q", "quit")),
}


AGAIN = ("c", "e", "s", "p")  # a quote's edits: the quote comes back to be accepted


class Quit(Exception):
    """The curator quit (q, or the end of input)."""


class Session:
    """One review at the terminal: asks on `console`, reads lines from `stdin`."""

    def __init__(self, console: Console, stdin: TextIO) -> None:
        self.console = console
        self.stdin = stdin
        self.decisions = 0
        self.split_off: str | None = None

    def ask(self, prompt: str) -> str:
        self.console.print(Text(prompt), end="")
        line = self.stdin.readline()
        if not line:
            self.console.print()
            raise Quit
        answer = line.rstrip("\r\n")
        if not self.stdin.isatty():  # typed by a script: shown, so the transcript reads whole
            self.console.print(Text(visible(answer)))
        return answer

    def say(self, message: str, style: str = "") -> None:
        self.console.print(Text(visible(message), style=style))

    def review(self, draft: Draft) -> bool:
        """Walk a draft's proposals, weakest first; an edited quote comes back at once to be
        accepted, and the part split off it right after. False when the curator quit."""
        queue = draft.items()
        try:
            while queue:
                item = self.refreshed(draft, queue.pop(0))
                if item is None:
                    continue
                self.show(draft, item, len(queue) + 1)
                self.split_off = None
                key = self.decide(draft, item)
                if key in AGAIN:
                    queue.insert(0, item)
                if self.split_off is not None:
                    queue.insert(1, Item("quote", self.split_off, None, None))
        except Quit:
            return False
        return True

    def review_all(self, root: Path, ids: list[str]) -> str:
        """Review drafts in turn until one is quit; what was done and what is left."""
        for typed in ids:
            if not self.review(Draft(root, typed)):
                break
        left = "; ".join(f"{typed}: {len(Draft(root, typed).items())} proposal(s) left"
                         for typed in ids)
        return (f"{self.decisions} decision(s) written; {left}; `nkb confirm ID` once nothing "
                "is left")

    @staticmethod
    def refreshed(draft: Draft, item: Item) -> Item | None:
        """The item as the draft now has it, or None once it is settled; a hint is known by
        its text, as the numbers of those after a settled hint move up."""
        def same(other: Item) -> bool:
            if item.kind == "hint":
                return other.kind == "hint" and other.basis == item.basis
            return (other.kind, other.key) == (item.kind, item.key)

        return next((i for i in draft.items() if same(i)), None)

    # -- showing

    def show(self, draft: Draft, item: Item, left: int) -> None:
        strength = item.strength or "unrated"
        self.console.rule(Text(f"{draft.id}: {item.kind} {item.key} ({left} left) - {strength}"))
        if item.kind == "quote":
            self.show_quote(draft, item)
        elif item.kind == "title":
            self.show_article_start(draft)
        elif item.kind == "field":
            value = draft.record.get(item.key)
            self.say(f"{item.key}: {'(none)' if value is None else value}")
        elif item.kind == "actor":
            actor = next(a for a in draft.record.get("new_actors") or [] if a["id"] == item.key)
            self.say(f"proposed actor: {actor['id']} ({actor['name']})"
                     + (f", {actor['role']}" if actor.get("role") else ""))
            spoken = [q["id"] for q in draft.record.get("quotes") or []
                      if q["speaker"] == item.key]
            if spoken:
                self.say(f"speaker of: {', '.join(spoken)}")
        elif item.kind == "hint":
            self.say(f"hint {item.key}: {item.basis}")
        if item.basis and item.kind != "hint":
            self.say(f"basis: {item.basis}", "dim")
        for n, alternative in enumerate(item.alternatives, 1):
            self.say(f"  {n}) {alternative}")

    def show_article_start(self, draft: Draft) -> None:
        article = draft.article().strip()
        self.say(article[:400] + (" ⋯" if len(article) > 400 else ""))

    def show_quote(self, draft: Draft, item: Item) -> None:
        quote = draft.quote(item.key)
        found = passage(draft.article(), quote["text"])
        if found is None:
            self.say(f"(not found in the article) {quote['text']}")
        else:
            text = str(found["text"])
            start, end = int(found["start"]), int(found["end"])
            shown = Text(visible(text[:start]))
            shown.append("⟦" + visible(text[start:end]) + "⟧", style="bold yellow")
            shown.append(visible(text[end:]))
            self.console.print(shown)
        speaker = quote["speaker"] + (f" ({quote['speaker_name']})"
                                      if quote.get("speaker_name") else "")
        self.say(f"speaker: {speaker} ({quote.get('strength') or 'unrated'})")
        proposals = quote.get("proposals") or {}
        for name, value in (("kind", quote.get("kind", "direct")), ("date", quote.get("date"))):
            proposal = proposals.get(name) or {}
            self.say(f"{name}: {value} ({proposal.get('strength') or 'unrated'})"
                     + (f" - {proposal['basis']}" if proposal.get("basis") else ""))

    # -- deciding

    def decide(self, draft: Draft, item: Item) -> str:
        """Ask until a decision is taken or skipped; the key that ended it."""
        keys = KEYS[item.kind]
        menu = "  ".join(f"[{k}] {what}" for k, what in keys)
        while True:
            self.console.print(Text(menu, style="cyan"))
            key = self.ask("> ").strip().lower()
            if key == "q":
                raise Quit
            if key == "n" or key not in {k for k, _ in keys}:
                if key == "n":
                    return key
                self.say(f"'{key}' is not one of {', '.join(k for k, _ in keys)}", "red")
                continue
            try:
                action = self.action(draft, item, key)
                if action is None:
                    return "n"
                action()
                self.decisions += 1
                return key if item.kind == "quote" else "done"
            except NkbError as exc:
                self.say(f"not done: {exc}", "red")

    def action(self, draft: Draft, item: Item, key: str) -> Callable[[], Any] | None:
        """The decision a key stands for, with the text it asks for; None to go on."""
        if item.kind == "title":
            title = self.ask("title (or the number of a candidate above): ").strip()
            if title.isdigit() and 1 <= int(title) <= len(item.alternatives):
                title = item.alternatives[int(title) - 1]
            return (lambda: draft.set_title(title)) if title else None
        if item.kind == "field":
            if key == "a":
                return lambda: draft.accept_field(item.key)
            value = self.ask(f"{item.key}: ")
            return lambda: draft.accept_field(item.key, value)
        if item.kind == "quote":
            return self.quote_action(draft, item, key)
        if item.kind == "actor":
            if key == "a":
                kind = self.ask("kind [p]erson, [o]rganisation, [s]tate (p): ").strip().lower()
                chosen = {"o": "organisation", "s": "state"}.get(kind[:1], "person")
                return lambda: draft.accept_actor(item.key, chosen)
            typed = self.ask("actor (name or id): ")
            return lambda: self.noticed(draft.map_actor(item.key, typed))
        if key == "l":
            event_id = self.ask("event id: ").strip()
            return lambda: draft.link_hint(item.key, event_id)
        if key == "d":
            title = self.ask("event title: ")
            date = self.ask(f"date (EDTF; empty for {draft.record.get('date')}): ").strip()
            return lambda: self.say(f"drafted event {draft.new_event(item.key, title, date or None)}")
        return lambda: draft.drop_hint(item.key)

    def quote_action(self, draft: Draft, item: Item, key: str) -> Callable[[], Any]:
        if key == "a":
            return lambda: draft.accept_quote(item.key)
        if key == "c":
            typed = self.ask("speaker (number, name or id): ").strip()
            if typed.isascii() and typed.isdigit() and 1 <= int(typed) <= len(item.alternatives):
                typed = item.alternatives[int(typed) - 1].split(" ")[0]
            return lambda: self.noticed(draft.set_speaker(item.key, typed))
        if key == "e":
            words = self.ask("words to keep: ")
            return lambda: draft.trim(item.key, words)
        if key == "s":
            words = self.ask("first words of the second part: ")
            return lambda: self.split(draft, item.key, words)
        if key == "p":
            return lambda: draft.mark_paraphrase(item.key)
        return lambda: draft.reject(item.key)

    def split(self, draft: Draft, quote_id: str, words: str) -> None:
        self.split_off = draft.split(quote_id, words)
        self.say(f"split off {self.split_off}")

    def noticed(self, taken: tuple[str, str | None]) -> None:
        actor, notice = taken
        self.say(f"speaker: {actor}" + (f" ({notice})" if notice else ""))
