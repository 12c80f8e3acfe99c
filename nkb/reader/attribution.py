"""Who said each quote: the article walked in order, keeping who spoke last and who was named
with which title; the speaker found by the first of the ordered, named attribution rules that
fires (ATTRIBUTION_RULES), with its strength and the words that fired."""

from __future__ import annotations

import bisect
import dataclasses
import functools
import re
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from nkb import dates
from nkb.models import Actor, Strength
from nkb.reader import pubdate
from nkb.reader.lexicon import (
    ABBREVIATIONS,
    ACCORDING,
    ANSWER_LABELS,
    ARTICLES,
    BY_PASSIVE,
    DASH_NAME,
    DOCUMENT_NOUNS,
    GENERIC_PERSON,
    HONORIFICS,
    INDEFINITE,
    INSTITUTION_TEXT,
    LEADING_NOISE,
    MEDIA_NOUNS,
    MONTHS,
    NAME_STOP,
    NOT_A_NAME_STOP,
    NOT_AFTER_ARTICLE,
    OFFICE_TEXT,
    ORG_HEADS,
    ORG_NAME_WORDS,
    ORG_PRONOUNS,
    PASSIVE_SPEECH,
    PERSON_PRONOUNS,
    QUOTED_AS,
    SAME_HEAD,
    SHORT_TITLES,
    SPEECH_VERB,
    SPEECH_VERBS,
    TITLE_CONNECTORS,
    TITLE_TAIL,
    TITLE_WORDS,
    WEEKDAYS,
    head_phrase,
    trim_phrase,
    word_list,
    words,
)
from nkb.reader.page import outlet_name
from nkb.reader.quotes import SENTENCE_END, Candidate, line_around, sentence_start
from nkb.text import fold

# --- speakers ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NewActor:
    """A speaker the article names who is not among the known actors."""

    id: str
    name: str
    role: str | None
    kind: str  # person | organisation


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said a candidate quote (an actor id, known or proposed) and how that was decided."""

    candidate: Candidate
    speaker: str | None
    how: str  # the basis: the rule's name, the words that fired, how they were resolved
    sentence: str = ""  # the sentence(s) holding the quote and its attribution
    rule: str = ""
    resolution: str = "none"  # how the words naming the speaker were resolved: RESOLUTIONS
    strength: Strength = "weak"
    alternatives: list[str] = field(default_factory=list)  # other speakers, best first


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor named in the article: where, and the title words printed before the name."""

    start: int
    end: int
    actor: str
    kind: str
    title: frozenset[str]
    subject: bool = False  # heads its clause ("After the talks, Ivanov met X": Ivanov, not X)


@dataclass
class _Context:
    """What the walk through the article knows at each point."""

    text: str
    actors: dict[str, Actor]
    date: dates.Span | None
    exclude: set[str]
    mentions: list[Mention] = field(default_factory=list)
    new: dict[str, NewActor] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    last: list[tuple[int, str]] = field(default_factory=list)  # (position, speaker) in order
    sure: dict[int, Strength] = field(default_factory=dict)  # how sure each of `last` is
    unnamed: list[int] = field(default_factory=list)  # where someone unnamed spoke, in order
    # where a person the KB does not know heads a clause ("Bulbuloglu thanked Russia"), in order
    unknown_subjects: list[tuple[int, str]] = field(default_factory=list)
    groups: _MentionGroups = field(default_factory=lambda: _MentionGroups())

    def kind(self, actor: str) -> str:
        return self.kinds.get(actor, "person")

    def last_speaker(self, at: int, kind: str | None = None) -> str | None:
        for pos, who in reversed(self.last):
            if pos <= at and (kind is None or self.kind(who) == kind
                              or (kind == "organisation" and self.kind(who) == "state")):
                return who
        return None

    def unnamed_since(self, at: int, who: str | None) -> bool:
        """Did someone the article does not name speak after `who` last spoke or was named,
        before `at`? Then "he" or "the official" means that one."""
        latest = max((pos for pos in self.unnamed if pos < at), default=None)
        if latest is None or who is None:
            return False
        spoke = next((pos for pos, speaker in reversed(self.last)
                      if speaker == who and pos < at), -1)
        before = bisect.bisect_left(self.mentions, at, key=lambda m: m.start)
        named = next((m.start for m in reversed(self.mentions[:before]) if m.actor == who), -1)
        return latest > max(spoke, named)

    def last_person(self, at: int) -> str | None:
        """Whoever "he", "she" or "the diplomat" means: the last person quoted, else the last
        person named as the subject of a clause, else the last person named."""
        return self.last_speaker(at, "person") or self.last_mention(at, "person", subject=True) \
            or self.last_mention(at, "person")

    def rival_subject(self, at: int, who: str | None) -> str | None:
        """Another person named as a clause's subject after `who` last spoke and before
        `at`: whom a pronoun may mean instead."""
        spoke = next((pos for pos, speaker in reversed(self.last)
                      if pos <= at and speaker == who), None)
        if who is None or spoke is None:
            return None
        own = self.new[who].name if who in self.new else who  # a proposed speaker is no rival
        unknown = next((name for pos, name in reversed(self.unknown_subjects)
                        if spoke < pos < at and fold(name) != fold(own)), None)
        other = self.last_mention(at, "person", subject=True)
        if other is None or other == who:
            return unknown
        start = next(m.start for m in reversed(self.mentions) if m.actor == other
                     and m.start < at)
        return other if start > spoke else unknown

    def last_mention(self, at: int, kind: str, subject: bool = False) -> str | None:
        # mentions are in start order: skip those from `at` on in one bisection
        before = bisect.bisect_left(self.mentions, at, key=lambda m: m.start)
        for mention in reversed(self.mentions[:before]):
            if mention.start < at and (mention.subject or not subject) and (
                    mention.kind == kind or (kind == "organisation" and mention.kind == "state")):
                return mention.actor
        return None


def _alias_pattern(actors: Iterable[Actor]) -> tuple[re.Pattern[str], dict[str, str]]:
    """One regex for every name and alias (longest first); short all-capital aliases such as
    "US" match case-sensitively, the rest ignoring case."""
    owner: dict[str, str] = {}
    original: dict[str, str] = {}  # folded -> the first spelling printed in the KB
    for actor in actors:
        for name in (actor.name, *actor.aliases):
            folded = _apos(name).casefold()
            original.setdefault(folded, name)
            if name.isascii() and len(name) > 1:
                owner.setdefault(folded, actor.id)
    parts = []
    for name in sorted(owner, key=len, reverse=True):
        escaped = re.escape(name)
        if len(name) <= 4 and _apos(original[name]).isupper():
            parts.append(rf"(?-i:{re.escape(_apos(original[name]))})")
        else:
            parts.append(escaped)
    if not parts:
        return re.compile(r"(?!x)x"), owner
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.IGNORECASE), owner


_SIDE = re.compile(r"(?:the\s+)?(?P<nation>[A-Z][\w'\u2019]*)\s+side", re.IGNORECASE)


def _title_before(text: str) -> str:
    """The title printed right before a name: its last words that are capitalised or title
    words ("Pashinyan received Russian Deputy Prime Minister" -> "Russian Deputy Prime
    Minister")."""
    tokens = text.rsplit("\n", 1)[-1].split()  # "the Ambassador to Armenia, NAME": its comma
    start = len(tokens)
    while start > 0 and (tokens[start - 1][:1].isupper() or fold(tokens[start - 1]) in TITLE_WORDS) \
            and (start == len(tokens) or not tokens[start - 1].endswith((",", ".", ";", ":"))
                 or fold(tokens[start - 1]).rstrip(".") in ABBREVIATIONS):  # "Amb. to Armenia"
        start -= 1
    return " ".join(trim_phrase(tokens[start:], adverbs=False)).strip(" ,")


def _country_possessive(token: str, known: set[str]) -> bool:
    """A country or known actor in the possessive before a title: "Azerbaijan's" in
    "Azerbaijan's Foreign Minister Elmar X" is no part of the name."""
    base = re.sub(r"['\u2019]s$", "", token)
    return base != token and (fold(base) in known or base.casefold() in COUNTRIES)


CLAUSE_LOOKBACK = 300  # characters before a name searched for its clause's start


def _heads_clause(text: str, at: int) -> bool:
    """Is the name at `at` the first thing in its clause but its title ("Russian envoy X",
    "On Monday, X"), not the object of a verb or a preposition ("X met Y", "talks with Y")?"""
    floor = max(text.rfind("\n", 0, at) + 1, at - CLAUSE_LOOKBACK)  # one line's reach, bounded
    clause = re.split(r"[,;:(\u2014\u2013]", text[sentence_start(text, floor, at):at])[-1]
    return all(t[:1].isupper() or t.casefold() in TITLE_WORDS | ARTICLES
               for t in clause.split())


def _apos(text: str) -> str:
    return text.replace("\u2019", "'")


# Up to eight capitalised words: a title then a name ("Armenian Deputy Foreign Minister Armen X").
# A name's capitalised words, with a middle initial between them ("Maria V. Zakharova").
_PROPER = re.compile(r"[A-Z][a-zà-ÿ'\u2019]+(?:-[A-Z][a-zà-ÿ]+)?(?:[ \t\u00a0]+(?:[A-Z]\.[ \t\u00a0]+)?"
                     r"[A-Z][a-zà-ÿ'\u2019]+(?:-[A-Z][a-zà-ÿ]+)?){0,7}")
_NON_NAMES = TITLE_WORDS | {m.casefold() for m in MONTHS} | set(WEEKDAYS) | {
    *(t.casefold() for t in SHORT_TITLES),
    "this", "that", "these", "those", "it", "he", "she", "they", "we", "i", "our", "his",
    "her", "there", "in", "on", "at", "after", "before", "since", "earlier", "later",
    "meanwhile", "according", "speaking", "commenting", "answering", "asked", "when", "while",
    "however", "both", "all", "some", "each", "other", "another", "one", "two", "three",
    "several", "many"}


# (actor id or None, how it was decided, which kind of resolution: a key of RESOLUTIONS)
Resolved = tuple[str | None, str, str]


class _Resolver:
    """Turns the words naming a speaker ("Galuzin", "the deputy minister", "she") into an
    actor id, known or proposed."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.at = 0  # where in the article the phrase being resolved is
        self.pattern, self.owner = _alias_pattern(ctx.actors.values())
        # whole aliases, so "Armenia" in "to Armenia Sergey X" is not part of a new name
        self.known = {fold(n) for n in self.owner}
        self.roles = _kb_roles(ctx.actors.values())
        self.role: str | None = None  # the appositive title of the phrase being resolved
        self.people: list[tuple[int, str, str]] = []  # unknown people named, with titles
        self.people_starts: list[int] = []  # where each is named, for bisection
        self.people_held: list[frozenset[str]] = []  # the role words of each one's title
        self.noted: list[Mention] = []  # mentions of proposed actors, in the order noted

    # -- mentions

    def scan_mentions(self, masked: str) -> None:
        self.people = self._unknown_people(_apos(masked))
        self.people_starts = [start for start, _, _ in self.people]
        self.people_held = [frozenset(_role_words(title)) for _, _, title in self.people]
        for match in self.pattern.finditer(_apos(masked)):
            actor = self.owner[match.group(0).casefold()]
            self._mention(match.start(), match.end(), actor, masked)
        self.ctx.mentions.sort(key=lambda m: m.start)
        self.ctx.unknown_subjects = sorted(
            (start + match.start(), name) for start, name, _ in self.people
            for match in re.finditer(rf"\b{re.escape(name.split()[-1])}\b", masked[start:])
            if _heads_clause(masked, start + match.start()))

    def _mention(self, start: int, end: int, actor: str, text: str) -> None:
        clause = re.split(r"[,.;:()\n]|\band\b|\bwith\b|\bbetween\b|\bby\b|\bthat\b",
                          text[max(0, start - 80):start])[-1]
        title = frozenset(_role_words(clause))
        if actor in self.ctx.actors:
            for role in self.ctx.actors[actor].roles:
                title |= frozenset(_role_words(role.title))
        self.ctx.mentions.append(Mention(start, end, actor, self.ctx.kind(actor), title,
                                         _heads_clause(text, start)))

    # -- phrases

    def resolve(self, phrase: str, at: int, role: str | None = None) -> Resolved:
        """The actor a subject phrase means, at position `at` of the article; `role` is the
        title an appositive gives it ("X, a new envoy, said"), for a speaker not in the KB."""
        self.at = at
        self.role = role
        phrase = phrase.strip(" ,.;:—\u2013-\"“”'\u2019")
        if _someone_unnamed(phrase):  # "an official said": not the last person quoted
            return None, f"{phrase!r}: someone the article does not name", "unnamed"
        phrase = " ".join(trim_phrase(phrase.split(), adverbs=True))
        phrase = INSTITUTION_TEXT.sub("", phrase)
        document = _DOCUMENT_OF.match(phrase)
        phrase = _office_holder(phrase[document.end():] if document else phrase)
        side = _SIDE.fullmatch(phrase)
        if side and self._country(side.group("nation")):  # "the Armenian side": Armenia
            return self._country(side.group("nation")), f"{phrase!r}: that country", "country"
        folded = fold(phrase)
        if not folded:
            return None, "no subject", "none"
        if folded in PERSON_PRONOUNS:
            who = self.ctx.last_person(at)
            if self.ctx.unnamed_since(at, who):
                return None, f"pronoun {phrase!r}: someone unnamed spoke last", "unnamed"
            rival = self.ctx.rival_subject(at, who)
            if rival:  # "X said '...'. Y noted that ... '...', he said": X or Y
                return who, f"pronoun {phrase!r}: the last person quoted or named, though " \
                    f"{rival} is named as a subject since", "pronoun, a rival"
            return who, f"pronoun {phrase!r}: the last person quoted or named", "pronoun"
        if folded in ORG_PRONOUNS:
            who = (self.ctx.last_speaker(at, "organisation")
                   or self.ctx.last_mention(at, "organisation") or self.ctx.last_speaker(at))
            return who, f"pronoun {phrase!r}: the last institution quoted or named", "pronoun"
        office = OFFICE_TEXT.match(phrase)
        if office:
            name = office.group("office").replace("\u2019", "'")
            return self.propose(name, None), f"{phrase!r}: the office speaks", "office"
        named = self._named(phrase, at)
        if named is not None:
            return named
        return self._by_role(phrase, at)

    def _country(self, nationality: str) -> str | None:
        """The state actor a nationality or country name means ("Armenian" -> armenia)."""
        word = fold(nationality).removesuffix("'s")
        country = NATIONALITIES.get(word, word)
        for actor in self.ctx.actors.values():
            if actor.kind == "state" and country in {fold(n) for n in (actor.name, *actor.aliases)}:
                return actor.id
        return None

    def _named(self, phrase: str, at: int) -> Resolved | None:
        """The rightmost name in the phrase, unless role words follow it ("the Russian
        Foreign Ministry spokeswoman" is a person, not the ministry)."""
        hits: list[tuple[int, int, str, str]] = []  # start, end, actor, how
        flat = _apos(phrase)
        for match in self.pattern.finditer(flat):
            hits.append((match.start(), match.end(), self.owner[match.group(0).casefold()],
                         f"name {match.group(0)!r}"))
        for match in _PROPER.finditer(flat):
            found = self._proper(match, flat, hits)
            if found:
                hits.append(found)
        if not hits:
            return None
        hits.sort(key=lambda h: (h[1], h[1] - h[0]))
        start, end, actor, how = hits[-1]
        if self.ctx.kind(actor) != "person" and _person_title_before(flat[:start]):
            return None  # "the spokeswoman of the Foreign Ministry": a person, see _by_role
        if self.ctx.kind(actor) == "state" and _org_title_before(flat[:start]):
            return None  # "the Foreign Ministry of Azerbaijan": an institution, see _org
        trailing = _role_words(flat[end:])
        if trailing and self.ctx.kind(actor) != "person" and not flat[end:].strip().startswith(
                ("'s", "\u2019s")) and _head(trailing) not in ORG_HEADS:
            return None
        if flat[end:].strip().startswith("'s"):
            return None  # "Russia's Foreign Ministry spokeswoman": a role, see _by_role
        if actor in self.ctx.actors:
            return actor, how, "name"
        new = self.ctx.new.get(actor)
        printed = fold(flat[start:end]).split()
        full = fold(new.name).split() if new else []
        return actor, how, "new person" if new and person_shaped(new.name) \
            and full[-len(printed):] == printed else "new name"

    def _unknown_people(self, flat: str) -> list[tuple[int, str, str]]:
        """People the article names in full who are no known actor, with the title printed
        before the name or in an appositive after it: (position, name, title)."""
        found = []
        for match in _PROPER.finditer(flat):
            tokens = match.group(0).split()
            while tokens and (fold(tokens[0]).rstrip("'s") in _NON_NAMES
                              or fold(tokens[0]) in self.known
                              or _country_possessive(tokens[0], self.known)
                              or re.search(r"(?:ian|ani|ish|ese)$", tokens[0])):
                tokens = tokens[1:]
            name = " ".join(tokens)
            if not 2 <= len(tokens) <= 4 or any(fold(t) in self.known for t in tokens) \
                    or fold(tokens[-1]) in ORG_NAME_WORDS | ORG_HEADS \
                    or fold(name) in self.ctx.exclude or outlet_name(name):
                continue
            start = match.end() - len(name)
            role = _role_following(flat[match.end():match.end() + 120])
            before = _title_before(flat[max(0, start - 80):start])
            title = next((t for t in (role, before) if t and role_like(t)), None)
            if title:
                found.append((start, name, title))
        return found

    def _named_in_full(self, surname: str) -> tuple[str, str] | None:
        """The full name and title of an unknown person the article named before, for a
        later mention by surname ("Karyan" after "Vahan Karyan, a deputy minister,")."""
        wanted = fold(surname)
        for i in range(bisect.bisect_left(self.people_starts, self.at) - 1, -1, -1):
            _, name, title = self.people[i]
            if fold(name).split()[-1] == wanted:
                return name, title
        return None

    def _proper(self, match: re.Match[str], flat: str,
                hits: list[tuple[int, int, str, str]]) -> tuple[int, int, str, str] | None:
        """A capitalised name that is no known actor: a proposed new one."""
        tokens = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", match.group(0))]
        while tokens and (tokens[0][1].casefold().rstrip("'\u2019s") in _NON_NAMES
                          or tokens[0][1].casefold() in _NON_NAMES
                          or (len(tokens) > 1 and _country_possessive(tokens[0][1], self.known))
                          or (len(tokens) > 1 and fold(tokens[0][1]) in self.known)
                          or (len(tokens) > 1 and re.search(r"(?:ian|ani|ish|ese)$", tokens[0][1])
                              and fold(tokens[0][1]) not in self.known)):
            tokens = tokens[1:]
        if not tokens:
            return None
        start = match.start() + tokens[0][0]
        end = match.end()
        if any(s < end and start < e for s, e, _, _ in hits):
            return None
        name = flat[start:end].rstrip("'\u2019s") if flat[start:end].endswith(("'s", "\u2019s")) \
            else flat[start:end]
        if fold(name) in self.ctx.exclude or len(name) < 3 or outlet_name(name):
            return None
        full = self._named_in_full(name) if " " not in name else None
        if full:  # "Karyan" after "Vahan Karyan, a deputy minister," spoke
            return start, end, self.propose(full[0], full[1], as_printed=True), \
                f"name {name!r}: {full[0]!r} named before (not in the KB)"
        if self.role:  # an appositive's role, as printed ("a new envoy")
            return start, end, self.propose(name, self.role, as_printed=True), \
                f"name {name!r} (not in the KB)"
        role = " ".join(flat[:start].split()[-6:]).strip(" ,") or None
        if role and fold(role).rstrip(".") in HONORIFICS:  # "Mr. X": a form of address
            role = None
        return start, end, self.propose(name, role), f"name {name!r} (not in the KB)"

    def propose(self, name: str, role: str | None, as_printed: bool = False) -> str:
        folded = fold(name)
        for actor in self.ctx.new.values():  # "Kopyrkin" after "Sergey Kopyrkin"
            if folded == fold(actor.name) or folded == fold(actor.name).split()[-1]:
                if role and not actor.role:
                    self.ctx.new[actor.id] = dataclasses.replace(actor, role=role)
                self._note(actor.id, role)
                return actor.id
        head = fold(head_phrase(name)).split()
        kind = "organisation" if head and head[-1] in ORG_NAME_WORDS | ORG_HEADS else "person"
        base = folded.replace(" ", "-") or "speaker"
        slug, n = base, 2
        while slug in self.ctx.actors or slug in self.ctx.new:
            slug, n = f"{base}-{n}", n + 1
        if role and not as_printed:
            role = " ".join(trim_phrase(role.split(), adverbs=False)) or None
        self.ctx.new[slug] = NewActor(slug, name, role, kind)
        self.ctx.kinds[slug] = kind
        self._note(slug, role)
        return slug

    def _note(self, actor: str, role: str | None) -> None:
        """Record a proposed actor as named here, with its title, for later "he" or "the
        spokesman"."""
        at = self.at
        title = frozenset(_role_words(role or ""))
        mention = Mention(at, at, actor, self.ctx.kind(actor), title, True)
        self.noted.append(mention)
        bisect.insort(self.ctx.mentions, mention, key=lambda m: m.start)

    def forget(self, new_before: set[str], noted_before: int) -> None:
        """Undo the proposals and mentions made since: a rule tried only to compare."""
        for actor in [a for a in self.ctx.new if a not in new_before]:
            del self.ctx.new[actor]
            self.ctx.kinds.pop(actor, None)
        if len(self.noted) > noted_before:
            dropped = {id(m) for m in self.noted[noted_before:]}
            self.ctx.mentions[:] = [m for m in self.ctx.mentions if id(m) not in dropped]
            del self.noted[noted_before:]

    def _by_role(self, phrase: str, at: int) -> Resolved:
        role = _role_words(phrase)
        if not role:
            return None, f"no actor for {phrase!r}", "none"
        owner = re.match(r"(?P<owner>[^']+?)'s\s+\w", _apos(phrase))
        if owner and any(self.ctx.kind(self.owner[m.group(0).casefold()]) == "person"
                         for m in self.pattern.finditer(owner.group("owner"))):
            return None, f"{phrase!r}: someone of that person's staff, not named", "none"
        # the head noun comes before any prepositional tail: "a source in the government"
        head = _head(_role_words(head_phrase(phrase)))
        if head in GENERIC_PERSON:
            who = self.ctx.last_person(at)
            if self.ctx.unnamed_since(at, who):
                return None, f"{phrase!r}: someone unnamed spoke last", "unnamed"
            rival = self.ctx.rival_subject(at, who)
            if rival or role != [head]:  # "the top Iranian diplomat": maybe another one
                return who, f"{phrase!r}: the last person quoted or named" + (
                    f", though {rival} is named as a subject since" if rival else ""), \
                    "generic person, qualified or a rival"
            return who, f"{phrase!r}: the last person quoted or named", "generic person"
        if head == "leader":
            return self._leader(role, phrase, at)
        if head in DOCUMENT_NOUNS or role in (["press", "service"], ["press", "office"]):
            who = (self.ctx.last_speaker(at, "organisation")
                   or self.ctx.last_mention(at, "organisation"))
            return who, f"{phrase!r}: the last institution quoted or named", "document"
        if head in ORG_HEADS or "press" in role:
            return self._org(role, phrase, at)
        best: tuple[int, int, int, str] | None = None
        last = self.ctx.last_speaker(at, "person")
        for i, mention in _latest_mentions(self.ctx, at, person=True):
            if head not in mention.title or not role_fits(role, mention.title):
                continue
            score = len(set(role) & mention.title)
            key = (score, int(mention.actor == last), i, mention.actor)
            best = max(best, key) if best else key
        if best:
            return best[3], f"{phrase!r}: the person named with that title before", "title named before"
        for i in range(bisect.bisect_left(self.people_starts, at) - 1, -1, -1):
            _, name, title = self.people[i]
            held = self.people_held[i]
            if head in held and role_fits(role, held):
                return self.propose(name, title, as_printed=True), \
                    f"{phrase!r}: {name!r}, named with that title before (not in the KB)", \
                    "new title named before"
        return self._kb_role(role, head, phrase)

    def _leader(self, role: list[str], phrase: str, at: int) -> Resolved:
        """"The Armenian leader": the president or prime minister of that country named last
        before, else the only one the KB knows by the article's date."""
        countries = set(role) & COUNTRIES

        def leads(title: frozenset[str]) -> bool:
            return bool({"president", "prime"} & title) and not title & RANKS and (
                not countries or bool(countries & title))

        named = [(i, m) for i, m in _latest_mentions(self.ctx, at, person=True) if leads(m.title)]
        if named:
            return max(named, key=lambda n: n[0])[1].actor, \
                f"{phrase!r}: the head of government or state named last before", "leader"
        held = {actor for actor, title, start in self.roles
                if leads(title) and not (self.ctx.date and start > self.ctx.date.end)}
        if len(held) == 1:
            return held.pop(), f"{phrase!r}: the only such leader in the KB", "kb role"
        return None, f"no one named or in the KB is {phrase!r}", "none"

    def _org(self, role: list[str], phrase: str, at: int) -> Resolved:
        last = self.ctx.last_speaker(at, "organisation")
        wanted = set(role) & COUNTRIES

        def of_another_country(actor: str) -> bool:  # "Armenia's ministry" is not Russia's
            held = set(_role_words(" ".join(self._names_of(actor)))) & COUNTRIES
            return bool(wanted and held and not wanted & held)

        best: tuple[int, int, int, str] | None = None
        fitting: set[str] = set()
        # only the latest mention of each actor before `at` can win (the place breaks ties)
        for i, mention in _latest_mentions(self.ctx, at, person=False):
            names = set(_role_words(" ".join(self._names_of(mention.actor))))
            if _head(role) not in names or of_another_country(mention.actor):
                continue
            fitting.add(mention.actor)
            score = len(set(role) & names)
            key = (score, int(mention.actor == last), i, mention.actor)
            best = max(best, key) if best else key
        if best and len(fitting) == 1 and not self._unknown_named(_head(role), at):
            # "the ministry", and one ministry named before, none that is not in the KB
            return best[3], f"{phrase!r}: the only such institution named before", \
                "institution, the only one"
        if best:
            rivals = f"{len(fitting)} named before fit" if len(fitting) > 1 \
                else "another not in the KB is named too"
            return best[3], f"{phrase!r}: the institution named before; {rivals}", "institution"
        named = {a.id for a in self.ctx.actors.values() if a.kind == "organisation" and any(
            set(_role_words(n)) == set(role) for n in (a.name, *a.aliases))}
        if len(named) == 1:  # "the Foreign Ministry of Azerbaijan" before any mention of it
            return named.pop(), f"{phrase!r}: the institution of that name in the KB", "institution"
        name = _printed_name(phrase)
        if name and _capitalised(name) and not outlet_name(name):  # "the Kremlin"
            return self.propose(name, None), f"{phrase!r}: an institution not in the KB", "new institution"
        if last and not of_another_country(last):  # "the ministry"
            return last, f"{phrase!r}: the last institution quoted", "document"
        return None, f"no institution named before {phrase!r}", "none"

    def _unknown_named(self, head: str, at: int) -> bool:
        """Is an institution with this head word ("Ministry") printed before `at` as a name
        that no known actor's mention covers?"""
        printed = re.compile(rf"\b{re.escape(head.capitalize())}\b")
        return any(not any(m.start <= match.start() < m.end for m in self.ctx.mentions)
                   for match in printed.finditer(self.ctx.text, 0, at))

    def _names_of(self, actor: str) -> list[str]:
        if actor in self.ctx.actors:
            known = self.ctx.actors[actor]
            return [known.name, *known.aliases]
        return [self.ctx.new[actor].name] if actor in self.ctx.new else [actor]

    def _kb_role(self, role: list[str], head: str, phrase: str) -> Resolved:
        """An actor whose recorded role has these words, the latest holding it by the article's
        date."""
        best: tuple[int, str, str] | None = None
        for actor, title, start in self.roles:
            if head not in title or not role_fits(role, title) or (
                    self.ctx.date and start > self.ctx.date.end):
                continue
            key = (len(set(role) & title), start, actor)
            best = max(best, key) if best else key
        if best:
            return best[2], f"{phrase!r}: the actor holding that role in the KB", "kb role"
        return None, f"no actor with the role {phrase!r}", "none"


PERSON_HEADS = {"spokesperson", "minister", "ambassador", "envoy", "representative", "head",
                "chief", "chairman", "chairwoman", "director", "secretary", "aide", "adviser",
                "advisor", "assistant", "official", "president", "deputy", "commander", "leader",
                "diplomat", "speaker", "source"}


def _org_title_before(before: str) -> bool:
    """Words before a country's name that are an institution with its tail: "the Foreign
    Ministry of"."""
    if not TITLE_TAIL.search(before + " "):
        return False
    return _head(_role_words(head_phrase(before + " "))) in ORG_HEADS


def _person_title_before(before: str) -> bool:
    """Words before a name that are a person's title with its tail: "the spokeswoman of the"."""
    if not TITLE_TAIL.search(before + " "):
        return False
    return _head(_role_words(head_phrase(before + " "))) in PERSON_HEADS


def _kb_roles(actors: Iterable[Actor]) -> list[tuple[str, frozenset[str], str]]:
    """Every role recorded in the KB as (actor id, role words, start date), parsed once."""
    out = []
    for actor in actors:
        for held in actor.roles:
            try:
                start = dates.parse_edtf(held.date).start if held.date else dates.EARLIEST
            except dates.DateError:
                start = dates.EARLIEST
            out.append((actor.id, frozenset(_role_words(held.title)), start))
    return out


class _MentionGroups:
    """The mentions of one list grouped by (person or not, actor, title), each group's starts
    in order with their places in the list: the latest of each group before a point is one
    bisection. A resolver asks at every quote, and a walk over every mention of the article
    made a long article quadratic. Rebuilt when the list has grown (mentions are only added)."""

    def __init__(self) -> None:
        self.size = -1
        self.groups: dict[tuple[bool, str, frozenset[str]], tuple[list[int], list[int]]] = {}

    def latest(self, mentions: list[Mention], at: int, person: bool) -> list[tuple[int, Mention]]:
        if self.size != len(mentions):
            self.groups = {}
            for i, m in enumerate(mentions):
                starts, places = self.groups.setdefault((m.kind == "person", m.actor, m.title),
                                                        ([], []))
                starts.append(m.start)
                places.append(i)
            self.size = len(mentions)
        out = []
        for (is_person, _, _), (starts, places) in self.groups.items():
            k = bisect.bisect_left(starts, at) if is_person == person else 0
            if k:
                out.append((places[k - 1], mentions[places[k - 1]]))
        return out


def _latest_mentions(ctx: _Context, at: int, person: bool) -> list[tuple[int, Mention]]:
    """(place, mention) of the latest mention before `at` of each actor and title, persons or
    the rest: what a walk over every mention before `at` keeping the best would consider."""
    return ctx.groups.latest(ctx.mentions, at, person)


def _role_words(text: str) -> list[str]:
    """Role words of a phrase, abbreviations spelled out and variants merged, e.g. "the
    Russian deputy FM" -> [russian, deputy, foreign, minister]."""
    return list(_role_words_of(text))


# Nationality adjectives as their country, so "the Russian minister" meets "Minister of Russia".
NATIONALITIES = dict(line.split() for line in word_list("nationalities.txt"))
COUNTRIES = set(NATIONALITIES.values())
# Words that tell one office from another of the same head: a deputy minister is not the
# minister, a prime minister is not the foreign minister.
RANKS = {"deputy", "vice"}
BRANCHES = {"prime", "foreign", "defense", "interior", "economy", "economic", "finance",
            "justice", "energy", "emergency", "emergencies", "agriculture", "education",
            "health", "culture", "transport"}
# Other names of one office, as news copy prints them.
_ROLE_SYNONYMS = [(re.compile(r"\b(?:top|chief)\s+diplomat\b", re.IGNORECASE), "foreign minister"),
                  (re.compile(r"\bpremier\b", re.IGNORECASE), "prime minister"),
                  (re.compile(r"\b(?:official\s+representative|press\s+secretary)\b",
                              re.IGNORECASE), "spokesperson"),
                  (re.compile(r"\bspecial\s+envoy\b", re.IGNORECASE), "special representative")]
# "the head of the Russian Foreign Ministry", "the head of Russian diplomacy": the minister.
_HEAD_OF_MINISTRY = re.compile(r"^(?:the\s+)?(?P<rank>(?:first\s+)?deputy\s+)?head\s+of\s+(?:the\s+)?"
                               r"(?P<nation>[A-Z][\w'\u2019]*\s+)?"
                               r"(?:(?P<branch>[A-Z]?[a-z]+)\s+ministry|diplomacy)$", re.IGNORECASE)


def _office_holder(phrase: str) -> str:
    """'the head of the X ministry' as 'X minister', so the role finds the minister."""
    match = _HEAD_OF_MINISTRY.match(phrase)
    if match is None:
        return phrase
    branch = match.group("branch") or "foreign"
    return f"{match.group('nation') or ''}{match.group('rank') or ''}{branch} minister"


def role_fits(role: Iterable[str], title: Iterable[str]) -> bool:
    """Can a person titled `title` be the one a phrase with `role` words means? Not when the
    rank (deputy), the country or the branch (prime, foreign, defence) differs."""
    wanted, held = set(role), set(title)
    if wanted & RANKS != held & RANKS or ("prime" in wanted) != ("prime" in held):
        return False
    countries = wanted & COUNTRIES
    if countries and held & COUNTRIES and not countries & held:
        return False
    branches = wanted & BRANCHES
    return not branches or branches <= held


@functools.lru_cache(maxsize=4096)
def _role_words_of(text: str) -> tuple[str, ...]:
    out = []
    for pattern, replacement in _ROLE_SYNONYMS:
        text = pattern.sub(replacement, text)
    for word in words(text):
        word = word.replace("\u2019", "'")
        if word.endswith("'s"):
            word = word[:-2]
        expanded = ABBREVIATIONS.get(word, word)
        for part in expanded.split():
            part = NATIONALITIES.get(part, SAME_HEAD.get(part, part))
            if part not in {"the", "a", "an", "of", "for", "to", "and", "on", "in", "its",
                            "his", "her", "their", "also", "s"}:
                out.append(part)
    return tuple(out)


def _head(role: Sequence[str]) -> str:
    return role[-1] if role else ""


# -- attribution phrases

# The stop of an initial or a shortened title is part of a name ("Maria V. Zakharova",
# "Amb. Sergey X"), not a phrase's end.
PHRASE_END = rf"(?:{NOT_A_NAME_STOP}\.|[,;:!?\n])"

_TAIL = re.compile(rf"^(?P<subj>(?:[^,.;:!?\"“”«»\n]|{NAME_STOP}){{0,120}}?)\s*\b{NOT_AFTER_ARTICLE}"
                   rf"(?P<verb>{SPEECH_VERBS})\b",
                   re.IGNORECASE)
_POST_SUBJECT_END = re.compile(rf"{PHRASE_END}|\s(?:on|in|at|during|after|while|when|to|as|"
                               r"in an|before|from|published|issued|released|posted|"
                               r"circulated|distributed|adopted)\s")


# Words heading a person's role in an appositive ("Armen X, a new envoy, said").
ROLE_HEADS = {"negotiator", "mediator", "analyst", "expert", "politician", "lawmaker",
              "governor", "mayor", "member", "coordinator", "co-chair", "chair", "ombudsman",
              "observer", "correspondent", "counsellor", "counselor", "consul", "attache",
              "attaché", "delegate", "senator", "deputy", "secretary-general", "researcher",
              "professor", "journalist", "editor", "source", "colonel", "general", "officer",
              "spokesperson", "representative", "envoy", "minister"}
# "X, a new envoy, said", "X (the envoy) told", "X, who led the talks, noted": an appositive
# or relative clause between the subject and the verb; the subject is the words before it.
_APPOSITIVE = re.compile(
    r"(?P<subj>[^,;:()\n\x00]{1,80}?)\s*(?:,\s*(?P<role>[^;:()\n\x00]{2,120}?)\s*,|"
    r"\(\s*(?P<paren>[^()\n\x00]{2,80}?)\s*\))\s*(?:(?:also|then|later|again|\w{1,20}ly)\s+)?$")
# An appositive and its subject span at most this many characters before the verb: the search
# starts there, so a long sentence costs each verb the same.
APPOSITIVE_REACH = 300
_APPOSITIVE_END = re.compile(r"[,)]\s*(?:(?:also|then|later|again|\w{1,20}ly)\s+)?$")
# "said X, a new envoy." / "according to X, the envoy,": a role after the subject's comma.
_ROLE_AFTER = re.compile(r"\s*,\s*(?P<role>[^,;:.!?\n\"\u201c\u201d\u00ab\u00bb\x00]{2,80}?)"
                         rf"\s*(?={PHRASE_END}|$)")
Subject = tuple[str, int, str | None]  # words naming the speaker, their offset, a role given


def role_like(text: str) -> bool:
    """Does an appositive name a role ("a new envoy", "the head of the delegation",
    "Armenia's chief negotiator"), not a clause or a place?"""
    text = text.strip()
    if not text or SPEECH_VERB.search(text) or re.match(r"(?:who|which|that)\b", text):
        return False
    head = _head(_role_words(head_phrase(text)))
    return head in ROLE_HEADS | PERSON_HEADS | GENERIC_PERSON


def _role_following(rest: str) -> str | None:
    match = _ROLE_AFTER.match(rest)
    return match.group("role").strip() if match and role_like(match.group("role")) else None


def _appositive(before: str) -> Subject | None:
    """The subject before an appositive that ends just before a verb, with the role it gives;
    "The new envoy, Armen X, said": the name in the appositive, with the role before it."""
    if not _APPOSITIVE_END.search(before[-40:]):
        return None  # no comma or bracket just before the verb: no appositive, found at once
    match = _APPOSITIVE.search(before, max(0, len(before) - APPOSITIVE_REACH))
    if match is None or not match.group("subj").strip():
        return None
    role = (match.group("role") or match.group("paren") or "").strip()
    subject = match.group("subj")
    if role and _name_like(role) and role_like(subject):
        start = match.start("role") if match.group("role") else match.start("paren")
        return role, start, subject.strip()
    return subject, match.start("subj"), role if role_like(role) else None


TITLED_NAME_WORDS = 24  # "Deputy Director of the Information and Press Department of ... X Y"


def _titled_name(phrase: str) -> Subject | None:
    """A long title in capitals ending in a person's name, split into the name, its offset and
    the title: "Deputy Director of the Information and Press Department of the Russian Foreign
    Ministry Alexander Petrakov"; None for anything else."""
    tokens = [(m.start(), m.group(0)) for m in re.finditer(r"\S+", phrase)]
    if not 10 < len(tokens) <= TITLED_NAME_WORDS or not all(
            t[:1].isupper() or t in TITLE_CONNECTORS for _, t in tokens):
        return None
    first = len(tokens)
    while first > len(tokens) - 3 and tokens[first - 1][1].casefold() not in _NON_NAMES \
            and tokens[first - 1][1].casefold() not in _PERSON_TITLE:
        first -= 1
    name = " ".join(t for _, t in tokens[first:])
    if len(tokens) - first < 2 or not _name_like(name):
        return None
    return name, tokens[first][0], phrase[:tokens[first][0]].strip()


def _name_like(phrase: str) -> bool:
    """Capitalised words only, two to five, none a title word: a person's name as printed,
    maybe after a title in capitals ("Deputy Foreign Minister Pavel X")."""
    tokens = phrase.split()
    while len(tokens) > 2 and tokens[0][:1].isupper() and (
            tokens[0].casefold() in _PERSON_TITLE or NATIONALITIES.get(tokens[0].casefold())):
        tokens = tokens[1:]
    return 2 <= len(tokens) <= 5 and all(
        t[:1].isupper() and t.casefold() not in _NON_NAMES for t in tokens)


def _role_then_name(phrase: str, rest: str) -> Subject | None:
    """'said the envoy, Armen X': a role-only subject followed by the name it titles."""
    match = _ROLE_AFTER.match(rest)
    if match and role_like(phrase) and _name_like(match.group("role")):
        return match.group("role").strip(), match.start("role"), phrase.strip()
    return None


# '"..." - Armen X.': a name alone after a dash closing the quote's sentence.


# "a statement from the ministry", "the release issued by the office": the issuer speaks.
_DOCUMENT_OF = re.compile(r"\s*(?:(?:the|a|an|its)\s+)?(?:\w+\s+)?(?:statement|release|press release|"
                          r"communiqu[eé]|readout|note|press service|press office|website)\s+"
                          r"(?:(?:issued|published|released)\s+)?"
                          r"(?:from|by|of)\s+", re.IGNORECASE)


def tail_subject(tail: str) -> Subject | None:
    """The subject of an attribution after a quote: `, Galuzin noted`, `" said Zakharova`,
    `, he said, according to ...`, `, X, a new envoy, said`. Returns the phrase, its offset in
    `tail` and any role an appositive gives it."""
    stripped = tail.lstrip(" ,;:—\u2013-\u00a0")
    offset = len(tail) - len(stripped)
    if re.match(r"(?:while|whilst|whereas|but|and|although|though)\b", stripped, re.IGNORECASE):
        return None  # '"yes", while Y said "no"': a new clause with a speaker of its own
    quoted = QUOTED_AS.search(stripped)
    if quoted and not re.search(r"[,.;:!?]", stripped[:quoted.start()]):
        return quoted.group("who"), offset + quoted.start("who"), None  # "TASS quoted X as saying"
    match = _TAIL.match(stripped)
    titled = _titled_name(match.group("subj")) if match else None
    if titled and match:
        name, at, title = titled
        return name, offset + at, title
    if match and len(match.group("subj").split()) <= 10:
        subject = match.group("subj").strip()
        bracketed = _appositive(match.group("subj")) if subject.endswith(")") else None
        if bracketed:
            return bracketed[0].strip(), offset + bracketed[1], bracketed[2]
        if subject:
            return subject, offset, None
        rest = stripped[match.end():]
        document = _DOCUMENT_OF.match(rest)
        if document:  # 'said a statement from the ministry': the ministry
            end = re.search(PHRASE_END, rest)
            return (rest[: end.start()] if end else rest).strip(), offset + match.end(), None
        end = _POST_SUBJECT_END.search(rest)
        phrase = rest[: end.start()] if end else rest
        titled = _role_then_name(phrase, rest[end.start():]) if end else None
        if titled and end:
            return titled[0], offset + match.end() + end.start() + titled[1], titled[2]
        role = _role_following(rest[end.start():]) if end else None
        return phrase.strip(), offset + match.end(), role
    dash = DASH_NAME.match(tail)
    if dash and len(dash.group("name").split()) <= 6 and not SPEECH_VERB.search(dash.group("name")):
        return dash.group("name"), dash.start("name"), None
    verb = SPEECH_VERB.search(stripped)
    appositive = _appositive(stripped[:verb.start()]) if verb else None
    if appositive and len(appositive[0].split()) <= 6:
        return appositive[0].strip(), offset + appositive[1], appositive[2]
    according = ACCORDING.match(stripped)
    if according:
        rest = stripped[according.end():]
        end = re.search(PHRASE_END, rest)
        phrase = rest[: end.start()] if end else rest
        role = _role_following(rest[end.start():]) if end else None
        return phrase.strip(), offset + according.end(), role
    return None


_IN_WORDS = re.compile(r"\b(?:in|to use)\s+(?P<pron>his|her|its|their)\s+(?:own\s+)?words\b",
                       re.IGNORECASE)
# "X's promise that", "X's words:": what is quoted next is X's.
_POSSESSIVE_WORDS = re.compile(r"(?P<who>[A-Z][\w\-]+(?:\s+[A-Z][\w\-]+){0,3})['\u2019]s\s+"
                               r"(?:\w+\s+)?(?:statement|words|remarks|claim|comments?|call|"
                               r"assertion|assurances?|promise|warning|appeal|pledge)s?"
                               r"(?:\s+that)?\s*:?\s*$")
_POSSESSIVE_PRONOUNS = {"his": "he", "her": "she", "its": "it", "their": "they"}


def head_subjects(head: str) -> list[Subject]:
    """Subjects of attributions before a quote in its sentence, nearest first: "According to
    X,", "X said (that)", "X, a new envoy, said", "X (the envoy) said", "announced by X"."""
    found: list[tuple[int, str, int, str | None]] = []
    for match in _IN_WORDS.finditer(head):  # "In his words," : the pronoun's person
        found.append((match.start(), _POSSESSIVE_PRONOUNS[fold(match.group("pron"))],
                      match.start("pron"), None))
    for match in _POSSESSIVE_WORDS.finditer(head):  # "welcomed X's promise that"
        found.append((match.end(), match.group("who"), match.start("who"), None))
    for match in QUOTED_AS.finditer(head):  # "TASS quoted X as saying"
        found.append((match.start("who"), match.group("who"), match.start("who"), None))
    for match in ACCORDING.finditer(head):
        rest = head[match.end():]
        end = re.search(PHRASE_END, rest)
        role = _role_following(rest[end.start():]) if end else None
        found.append((match.start(), (rest[: end.start()] if end else rest), match.end(), role))
    for match in BY_PASSIVE.finditer(head):
        rest = head[match.end():]
        end = re.search(rf"{PHRASE_END}|\s(?:in|at|on|during)\s", rest)
        found.append((match.start(), (rest[: end.start()] if end else rest), match.end(), None))
    for match in SPEECH_VERB.finditer(head):
        if BY_PASSIVE.match(head, match.start()):
            continue
        before = head[: match.start()]
        appositive = _appositive(before)
        clause = re.split(r"[,;:(—\u2013\n]|\bthat\b|\bwhich\b|\bwho\b",
                          before[-APPOSITIVE_REACH:])[-1]  # no subject is longer
        titled = _titled_name(clause)
        if appositive and (not clause.strip() or before.rstrip().endswith(")")):
            found.append((match.start(), *appositive))
        elif titled:  # "Deputy Director of the ... Department Pavel X said"
            found.append((match.start(), titled[0], match.start() - len(clause) + titled[1],
                          titled[2]))
        elif clause.strip():
            found.append((match.start(), clause, match.start() - len(clause), None))
        else:  # "said X:" with the subject after the verb
            rest = head[match.end():]
            end = _POST_SUBJECT_END.search(rest)
            phrase = rest[: end.start()] if end else rest
            titled = _role_then_name(phrase, rest[end.start():]) if end else None
            if titled and end:
                found.append((match.start(), titled[0], match.end() + end.start() + titled[1],
                              titled[2]))
                continue
            role = _role_following(rest[end.start():]) if end else None
            found.append((match.start(), phrase, match.end(), role))
    found.sort(key=lambda f: -f[0])
    return [(phrase, at, role) for _, phrase, at, role in found]


def person_shaped(name: str) -> bool:
    """A printed name shaped as a person's: two to four capitalised words, none of them a
    title, an institution's word, a weekday or a month ("Igor Popov", not "Minsk Group
    Co-Chair" or "Zakharova Monday")."""
    tokens = name.replace("\u2019", "'").removesuffix("'s").split()
    if len(tokens) > 2 and re.fullmatch(r"[A-Z]\.", tokens[1]):
        tokens = [tokens[0], *tokens[2:]]  # a middle initial: "Maria V. Petrova"
    return 2 <= len(tokens) <= 4 and all(
        t[:1].isupper() and t[1:2].islower() and fold(t) not in _NON_NAMES
        and fold(t) not in ORG_NAME_WORDS | ORG_HEADS | ROLE_HEADS | PERSON_HEADS
        and not any(fold(part) in TITLE_WORDS for part in t.split("-")) for t in tokens)


def _new_name_kind(name: str) -> str:
    return "new person" if person_shaped(name) else "new name"


def _mask(text: str, candidates: Sequence[Candidate]) -> str:
    """The article with quoted words blanked out, so names inside quotes do not count as
    mentions or attributions."""
    chars = list(text)
    for c in candidates:
        if c.form == "transcript":
            continue
        a, b = (c.marks[0], c.marks[1]) if c.form != "no-opener" else (c.start, c.end)
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = "\x00"
    return "".join(chars)


def attribute_speakers(text: str, candidates: Sequence[Candidate], actors: Iterable[Actor],
                       date: str | None = None, exclude: Iterable[str] = ()
                       ) -> tuple[list[Attribution], list[NewActor], list[Mention]]:
    """Give each candidate a speaker, walking the article in order: the attribution after the
    quote ("..., Galuzin said"), else the one before it in its sentence ("According to X,"),
    else whoever spoke last. Names, aliases, titles ("the deputy minister", "the Russian FM")
    and pronouns are resolved against the actors; a speaker who is none of them is proposed
    as a new actor."""
    known = {a.id: a for a in actors}
    try:
        span = dates.parse_edtf(date) if date else None
    except dates.DateError:
        span = None
    ctx = _Context(text, known, span, {fold(e) for e in exclude if e})
    ctx.kinds.update({a.id: a.kind for a in known.values()})
    resolver = _Resolver(ctx)
    masked = _mask(text, candidates)
    resolver.scan_mentions(masked)
    steps: list[tuple[int, int, object]] = []
    for start, sentence in sentences(masked):
        if "\x00" not in sentence:
            steps.append((start, 1, sentence))
    for i, c in enumerate(candidates):
        steps.append((c.marks[0], 0, i))
    steps.sort(key=lambda s: (s[0], s[1]))
    results: dict[int, Attribution] = {}
    for at, _, item in steps:
        if isinstance(item, str):
            _reported_speaker(item, at, resolver, ctx)
            continue
        assert isinstance(item, int)
        c = candidates[item]
        found = _speaker_of(_Site(c, masked, resolver, ctx))
        if found.speaker:
            ctx.last.append((c.marks[1], found.speaker))
            ctx.sure[c.marks[1]] = found.strength
        elif found.resolution == "unnamed":
            ctx.unnamed.append(c.marks[1])
        results[item] = found
    _headline_speakers(results, ctx)
    return [results[i] for i in range(len(candidates))], list(ctx.new.values()), ctx.mentions


def _reported_speaker(sentence: str, at: int, resolver: _Resolver, ctx: _Context) -> None:
    """Note who speaks in a sentence without quotes ("Peskov noted that ...", "..., Overchuk
    added."): whom a quote going on from it may be by."""
    subjects = head_subjects(sentence)
    closing = _sentence_end_subject(sentence)
    for phrase, offset, role in subjects + ([closing] if closing else []):
        who, _, resolution = resolver.resolve(phrase, at + offset, role)
        if resolution == "unnamed":
            ctx.unnamed.append(at)
            return
        if who:
            ctx.last.append((at, who))
            ctx.sure[at] = RESOLUTIONS[resolution]
            return


HEADLINE_LINES = 3  # a quote in the article's first lines with nothing before it: its headline


def _headline_speakers(results: dict[int, Attribution], ctx: _Context) -> None:
    """A headline quote nothing attributes ('"Russia is ready to help"' above the lead) is the
    words of the article's first speaker, as headlines summarise the lead."""
    if not ctx.last:
        return
    first_at, first = ctx.last[0]
    lines = [at for at, line in pubdate.lines_with_offsets(ctx.text) if line.strip()]
    if len(lines) <= HEADLINE_LINES:
        return  # a text this short has no headline apart from its body
    for i, found in results.items():
        c = found.candidate
        if found.speaker is None and found.rule == "no speaker found" and c.end <= first_at \
                and c.start < lines[HEADLINE_LINES]:
            results[i] = Attribution(c, first, HEADLINE_RULE, rule=HEADLINE_RULE, strength="weak")


def sentences(masked: str) -> list[tuple[int, str]]:
    out = []
    for at, line in pubdate.lines_with_offsets(masked):
        start = 0
        for match in SENTENCE_END.finditer(line):
            out.append((at + start, line[start:match.end()]))
            start = match.end()
        if line[start:].strip():
            out.append((at + start, line[start:]))
    return out


# Where the words after a quote stop: a blanked quote, or a sentence's end (not "V." or "Amb.").
_TAIL_STOP = re.compile(rf"\x00|{NOT_A_NAME_STOP}[.!?](?:\s|$)")


class _Site:
    """One quote as the attribution rules see it: the article around it and the words just
    after and just before its marks, computed once and shared by every rule."""

    def __init__(self, c: Candidate, masked: str, resolver: _Resolver, ctx: _Context) -> None:
        self.c, self.masked, self.resolver, self.ctx = c, masked, resolver, ctx
        self.close = c.marks[1]
        line_start, line_end = line_around(masked, c.marks[0], self.close)
        tail = masked[self.close:line_end]
        self.stop = _TAIL_STOP.search(tail)
        self.tail = tail[: self.stop.start() + 1] if self.stop else tail
        head = masked[sentence_start(masked, line_start, c.marks[0]):c.marks[0]]
        head = re.split(rf"\x00{{{SHORT_QUOTE_MASK},}}", head)[-1]  # a quoted name goes on
        self.head = "" if re.search(r"[.!?]\s*$", head) else head  # an ended sentence: nothing

    def heard(self, who: str | None, words: str, how: str, resolution: str) -> Heard:
        """A rule's finding, quoting the words that fired (blanked quotes shown as "…")."""
        shown = re.sub("\x00+", "\u2026", " ".join(words.split())).strip(" ,;:")
        if len(shown) > WORDS_SHOWN:
            shown = shown[:WORDS_SHOWN - 1].rstrip() + "\u2026"
        return Heard(who, f"\"{shown}\" ({how})" if shown else how, resolution)


WORDS_SHOWN = 80  # characters of the words that fired kept in a basis


@dataclass(frozen=True, slots=True)
class Heard:
    """What one attribution rule found: the speaker (None: the rule fired and says no one can
    be named), the words that fired with how they were resolved, and the kind of resolution."""

    speaker: str | None
    words: str
    resolution: str  # a key of RESOLUTIONS


@dataclass(frozen=True, slots=True)
class AttributionRule:
    """One way an article says who spoke, with the strength a speaker found by it can have at
    most; `attributes` is False for fallbacks that guess from context."""

    name: str
    strength: Strength
    find: Callable[[_Site], Heard | None]
    attributes: bool = True


def _transcript_answer(site: _Site) -> Heard | None:
    c = site.c
    if c.form != "transcript" or not c.label or fold(c.label) not in ANSWER_LABELS:
        return None
    who = _interviewee(site.ctx, c.start)
    return site.heard(who, c.label, "the person the interview is with" if who
                      else "the interview names no one known", "interviewee" if who else "none")


def _transcript_turn(site: _Site) -> Heard | None:
    c = site.c
    if c.form != "transcript" or not c.label:
        return None
    return site.heard(*_resolved_words(c.label, site.resolver.resolve(c.label, c.start)))


def _inside_sentence(site: _Site) -> Heard | None:
    c = site.c
    if c.form != "no-opener":
        return None
    for phrase, offset, role in reversed(head_subjects(site.ctx.text[c.start:c.end])):
        who, how, kind = site.resolver.resolve(phrase, c.start + offset, role)
        if who:
            return site.heard(who, phrase, how, kind)
    return None


def _passive_after(site: _Site) -> Heard | None:
    passive = _NEXT_SENTENCE.match(site.masked, site.close)
    if not (passive and passive.group("by")):  # '"...." These words were stated by X.'
        return None
    who, how, kind = site.resolver.resolve(passive.group("by"), passive.start("by"))
    return site.heard(who, passive.group(0), how, kind) if who else None


def _after_quote(site: _Site) -> Heard | None:
    tail, resolver, c = site.tail, site.resolver, site.c
    found = tail_subject(tail) or _sentence_end_subject(tail)
    if found and re.search(r":\s*\x00?$", tail) and re.search(r"[.!?]$", c.text):
        return None  # '"...." Sargsyan replied: "..."': the words introduce the next quote
    if found and _REPORTING.search(tail) and _outlet_like(found[0], resolver, site.close + found[1]):
        return None  # "..., Russia Today reported": an outlet passing it on, not the speaker
    if not found:
        return None
    verb = SPEECH_VERB.search(tail)
    cut = max(verb.end() if verb else len(tail), found[1] + len(found[0]))
    tail = tail[:cut + len(tail[cut:]) - len(tail[cut:].lstrip("-'\u2019" + string.ascii_letters))]
    who, how, kind = resolver.resolve(found[0], site.close + found[1], found[2])
    if who or kind == "unnamed":
        return site.heard(who, tail, how, kind)
    name = _printed_name(found[0])
    if name and _capitalised(name) and not _country_and_role(name):  # propose as printed
        return site.heard(resolver.propose(name, None), tail, f"{name!r} not in the KB",
                          _new_name_kind(name))
    if name and _role_only(name):  # "the ministry said", no ministry named: say so
        return site.heard(None, tail, f"{name!r}, and nothing before says who that is", "none")
    return None


def _before_quote(site: _Site) -> Heard | None:
    head, c, resolver = site.head, site.c, site.resolver
    for phrase, offset, role in head_subjects(head):
        at = c.marks[0] - len(head) + offset
        topic = _possessive_before(phrase, site.masked, at, site.ctx)
        if topic:
            return site.heard(topic, head[offset:], f"{phrase.strip()!r} after the person "
                              "whose words the sentence is about", "pronoun")
        who, how, kind = resolver.resolve(phrase, at, role)
        if who or kind == "unnamed":
            return site.heard(who, head[offset:], how, kind)
        name = _printed_name(phrase)
        if name and _capitalised(name) and not outlet_name(name) \
                and not _country_and_role(name) and all(
                t[:1].isupper() or t.casefold() in TITLE_WORDS for t in name.split()):
            return site.heard(resolver.propose(name, role), head[offset:],
                              f"{name!r} not in the KB", _new_name_kind(name))
    return None


def _colon_label(site: _Site) -> Heard | None:
    colon = _COLON_SPEAKER.search(site.head)
    if not (colon and _name_shaped(colon.group("who"), site.resolver)):
        return None
    at = site.c.marks[0] - len(site.head) + colon.start("who")
    who, how, kind = site.resolver.resolve(colon.group("who"), at)
    return site.heard(who, colon.group(0), how, kind) if who else None


def _next_sentence(site: _Site) -> Heard | None:
    stop = site.stop
    after = _NEXT_SENTENCE.match(site.masked, site.close + (stop.end() if stop else len(site.tail)))
    if not after or (after.group("subj") and SPEECH_VERB.search(after.group("subj"))):
        return None  # "He said Russia believes it ...": a clause of its own, not "X said this"
    who, how, kind = site.resolver.resolve(after.group("subj") or after.group("by"), after.start())
    return site.heard(who, after.group(0), how, kind) if who else None


SENTENCE_CLOSERS = ".!?\x00\"\u201d\u2019\u00bb)"  # a sentence's last character: a stop, a mark


def _sentence_before(site: _Site) -> Heard | None:
    """'Peskov noted that talks go on. "We hope so."': a quote opening its sentence, straight
    after a sentence in which someone speaks and no other person is named."""
    masked, ctx, at = site.masked, site.ctx, site.c.marks[0]
    if site.c.form == "transcript" or site.head.strip():
        return None
    end = len(masked[:at].rstrip())
    if end == 0 or masked.count("\n", end, at) > 2:
        return None  # more than one blank line: another part of the page
    spoke = next(((pos, who) for pos, who in reversed(ctx.last) if pos < end), None)
    if spoke is None:
        return None
    opened = sentence_start(masked, masked.rfind("\n", 0, end - 1) + 1, end - 1)
    if spoke[0] < opened or masked[end - 1] not in SENTENCE_CLOSERS:
        return None  # the speaker spoke earlier, or the sentence before did not end
    pos, who = spoke
    if any(m.actor != who and m.kind == "person" for m in ctx.mentions
           if opened <= m.start < at):
        return None  # another person named in it: whose words go on is not clear
    sure = ctx.sure.get(pos, "weak")
    if sure == "weak":
        return None
    return site.heard(who, masked[opened:end], "who speaks in the sentence just before",
                      "sentence before" if sure == "strong" else "sentence before, less sure")


def _previous_speaker(site: _Site) -> Heard | None:
    at = site.c.marks[0]
    who = site.ctx.last_speaker(at)
    if who is None:
        return None
    if site.ctx.unnamed_since(at, who):
        return site.heard(None, "", "nothing attributes this quote; someone unnamed spoke last",
                          "unnamed")
    spoke = next(pos for pos, speaker in reversed(site.ctx.last) if pos <= at)
    start = bisect.bisect_right(site.ctx.mentions, spoke, key=lambda m: m.start)
    others = any(m.actor != who for m in site.ctx.mentions[start:]
                 if m.start < at)  # mentions sorted: stops mattering past `at`
    if "\n" in site.masked[spoke:at] or others:
        return site.heard(who, "", "nothing attributes this quote; other words or names come "
                          "between", "previous")
    return site.heard(who, "", "nothing attributes this quote, which goes on from the last "
                      "one in its paragraph", "continued")


def _last_person_named(site: _Site) -> Heard | None:
    who = site.ctx.last_person(site.c.marks[0])  # a clause's subject before a name
    return site.heard(who, "", "nothing attributes this quote", "last named") if who else None


def _resolved_words(words: str, resolved: Resolved) -> tuple[str | None, str, str, str]:
    return resolved[0], words, resolved[1], resolved[2]


# The ways an article says who spoke, most precise first: the first that fires names the
# speaker; the strength of a proposal is the weaker of its rule's and its resolution's.
ATTRIBUTION_RULES: tuple[AttributionRule, ...] = (
    AttributionRule("transcript answer", "medium", _transcript_answer),
    AttributionRule("transcript turn", "strong", _transcript_turn),
    AttributionRule("inside the quoted sentence", "medium", _inside_sentence),
    AttributionRule("stated by, after the quote", "strong", _passive_after),
    AttributionRule("after the quote", "strong", _after_quote),
    AttributionRule("before the quote", "strong", _before_quote),
    AttributionRule("speaker's label before a colon", "strong", _colon_label),
    AttributionRule("in the next sentence", "medium", _next_sentence),
    AttributionRule("the sentence before", "strong", _sentence_before, attributes=False),
    AttributionRule("the previous speaker", "strong", _previous_speaker, attributes=False),
    AttributionRule("the last person named", "weak", _last_person_named, attributes=False),
)
HEADLINE_RULE = "a headline quote: the article's first speaker"

# How sure a resolution of the words naming a speaker is (a known actor's name printed beats a
# pronoun, which beats the last person named), keyed as _Resolver returns it.
RESOLUTIONS: dict[str, Strength] = {
    "name": "strong",
    "interviewee": "medium",
    "new person": "strong",
    "new name": "medium",
    "pronoun": "strong",
    "pronoun, a rival": "medium",
    "title named before": "strong",
    "new title named before": "strong",
    "leader": "medium",
    "institution, the only one": "strong",
    "institution": "medium",
    "new institution": "medium",
    "office": "medium",
    "country": "medium",
    "document": "medium",
    "generic person": "strong",  # "the diplomat said", as "he said"
    "generic person, qualified or a rival": "medium",
    "kb role": "medium",
    "sentence before": "strong",
    "sentence before, less sure": "medium",
    "continued": "strong",
    "previous": "medium",
    "last named": "weak",
    "unnamed": "weak",  # "an official said": no one to name
    "none": "weak",
}
STRENGTH_RANK: dict[Strength, int] = {"weak": 1, "medium": 2, "strong": 3}


def weakest(*strengths: Strength) -> Strength:
    """The weakest of some strengths."""
    return min(strengths, key=STRENGTH_RANK.__getitem__)


def _speaker_of(site: _Site) -> Attribution:
    """The first rule that fires names the speaker; a later attributing rule naming someone
    else makes the proposal weak and lists that one as an alternative."""
    for i, rule in enumerate(ATTRIBUTION_RULES):
        heard = rule.find(site)
        if heard is None:
            continue
        strength = weakest(rule.strength, RESOLUTIONS[heard.resolution])
        others = _other_speakers(site, heard.speaker, i) if rule.attributes else []
        if others:
            strength = "weak"
        return Attribution(site.c, heard.speaker, f"{rule.name}: {heard.words}", rule=rule.name,
                           resolution=heard.resolution, strength=strength, alternatives=others)
    return Attribution(site.c, None, "no speaker found", rule="no speaker found", strength="weak")


def _other_speakers(site: _Site, chosen: str | None, after: int) -> list[str]:
    """Speakers the later attributing rules would name instead, as names for actors they would
    propose; whatever they proposed or noted is forgotten again."""
    ctx, resolver = site.ctx, site.resolver
    new_before = set(ctx.new)
    noted_before = len(resolver.noted)
    found: list[str] = []
    for rule in ATTRIBUTION_RULES[after + 1:]:
        if not rule.attributes:
            break
        heard = rule.find(site)
        if heard is None or heard.speaker is None or heard.speaker == chosen \
                or heard.resolution == "new name":  # words shaped as no name are no rival
            continue
        other = ctx.new[heard.speaker].name if heard.speaker not in new_before \
            and heard.speaker in ctx.new else heard.speaker
        if other not in found:
            found.append(other)
    resolver.forget(new_before, noted_before)
    return found


_INTERVIEW_WITH = re.compile(r"\binterview\s+(?:with|of|to|given by)\s+|['\u2019]s\s+interview\b",
                             re.IGNORECASE)


def _interviewee(ctx: _Context, at: int) -> str | None:
    """Who answers in a transcript whose answers are labelled "A:": the person named after
    "interview with" (or before "'s interview") nearest above the turn, else the first person
    named."""
    head = ctx.text[:at]
    people = [m for m in ctx.mentions if m.start < at and m.kind == "person"]
    for match in reversed(list(_INTERVIEW_WITH.finditer(head))):  # the nearest above
        for mention in people:
            if match.group(0).startswith(("'", "\u2019")) and mention.end == match.start():
                return mention.actor
            if not match.group(0).startswith(("'", "\u2019")) and mention.start == match.end():
                return mention.actor
    return people[0].actor if people else None


# "... expressed “concern” about the clashes, the Kremlin said.": the attribution closing the
# sentence after a fragment quote speaks for the whole sentence.
_CLOSING_ATTRIBUTION = re.compile(
    rf",\s*(?:(?P<subj>[^,;:\x00\n]{{1,60}}?)\s+(?:{SPEECH_VERBS})|(?:{SPEECH_VERBS})\s+"
    rf"(?P<after>[^,;:\x00\n]{{1,60}}?))\s*[.!?]?\s*$", re.IGNORECASE)


def _sentence_end_subject(tail: str) -> Subject | None:
    match = _CLOSING_ATTRIBUTION.search(tail)
    if match is None:
        return None
    group = "subj" if match.group("subj") else "after"
    return match.group(group), match.start(group), None


# 'Armen X: "..."', 'Envoy Armen X: "..."': a name (with its title) labelling the quote.
_COLON_SPEAKER = re.compile(r"(?:^|[\s(\-\u2013\u2014])(?P<who>[A-Z][^\s:,;.!?\x00]*"
                            r"(?:\s+[^\s:,;.!?\x00]+){0,5})\s*:\s*$")


def _name_shaped(phrase: str, resolver: _Resolver) -> bool:
    """A known actor's name, or two or more capitalised words with only title words between
    ("Armen Petrosyan", "Envoy Armen Petrosyan"): not "Key points" or "The text"."""
    if resolver.pattern.search(_apos(phrase)):
        return True
    tokens = phrase.split()
    capitals = [t for t in tokens if t[:1].isupper() and t.casefold() not in _NON_NAMES]
    return len(capitals) >= 2 and all(
        t[:1].isupper() or t.casefold() in TITLE_WORDS for t in tokens)


SHORT_QUOTE_MASK = 12  # a blanked quote this long or longer ends the words before a quote
_REPORTING = re.compile(r"\b(?:reported|reports|informs|informed|wrote|writes|quoted|quotes)\b",
                        re.IGNORECASE)
# The sentence after a quote naming who said it: "Lavrov said this at a briefing", "These words
# were stated by the spokeswoman".
_NEXT_SENTENCE = re.compile(
    rf"[\s\x00]*(?:(?P<subj>[A-Z][^.!?\n\x00]{{0,80}}?)\s+(?:{SPEECH_VERBS})\s+(?:this|so|"
    rf"these words|it)\b|(?:(?:This|That|These|Those|The|Such)\s+(?:words|remarks|statements?|"
    rf"comments?|assessment)|This|That|It|Such)\s+(?:was|were|is)\s+(?:\w+\s+)?"
    rf"(?:{PASSIVE_SPEECH})\s+"
    rf"(?:[^.!?\n\x00]{{0,60}}?\s)?by\s+"
    rf"(?P<by>(?:[^.!?\n\x00]|{NAME_STOP}){{1,80}}))")


def _possessive_before(phrase: str, masked: str, at: int, ctx: _Context) -> str | None:
    """For "he"/"she" before a quote: a person named in the possessive earlier in the same
    sentence ("on Lavrov's remarks, where he said"), whose words the sentence is about."""
    if fold(" ".join(trim_phrase(phrase.split(), adverbs=True))) not in PERSON_PRONOUNS:
        return None
    start = sentence_start(masked, line_around(masked, at, at)[0], at)
    upto = bisect.bisect_left(ctx.mentions, at, key=lambda m: m.start)
    for mention in reversed(ctx.mentions[bisect.bisect_left(ctx.mentions, start,
                                                            key=lambda m: m.start):upto]):
        if start <= mention.start < at and mention.kind == "person" and re.match(
                r"['\u2019]s\b", masked[mention.end:mention.end + 2]):
            return mention.actor
    return None


def _outlet_like(phrase: str, resolver: _Resolver, at: int) -> bool:
    """A subject of "reported"/"wrote" that is no known actor and no institution: an outlet
    ("Russia Today reported", "the agency wrote")."""
    role = _role_words(phrase)
    if re.search(rf"\b{MEDIA_NOUNS}\s*$", phrase, re.IGNORECASE) or outlet_name(phrase):
        return True
    if fold(phrase) in resolver.ctx.exclude:
        return True
    if set(role) & (ORG_HEADS | PERSON_PRONOUNS | ORG_PRONOUNS | GENERIC_PERSON) or not role:
        return False
    hits = list(resolver.pattern.finditer(_apos(phrase)))
    # ending with a known actor's name ("Zakharova reported"): the actor, not an outlet
    return not hits or bool(_role_words(_apos(phrase)[hits[-1].end():]))


def _capitalised(name: str) -> bool:
    """Does a speaker phrase print a name ("the Kremlin", "a source in the Armenian
    government"), not only common nouns ("the ministry")?"""
    return any(t[:1].isupper() for t in name.split()[1:]) or (
        name[:1].isupper() and fold(name.split()[0]) not in ARTICLES)


def _country_and_role(name: str) -> bool:
    """A role with only a country for a name ("Russia's envoy", "the Azerbaijani foreign
    minister"): it says what someone is, not who; never proposed as a new actor."""
    role_words = TITLE_WORDS | ARTICLES | ROLE_HEADS | PERSON_HEADS | GENERIC_PERSON
    for token in name.split():
        base = re.sub(r"['\u2019]s$", "", token).casefold()
        if base in NATIONALITIES.keys() | COUNTRIES:
            continue
        if base not in role_words or (token[:1].isupper() and base not in _PERSON_TITLE):
            return False  # a name, or an institution such as "the Kremlin"
    return True


# Words of a person's title that may be printed capitalised ("Russia's Deputy Foreign Minister").
_PERSON_TITLE = PERSON_HEADS | ROLE_HEADS | GENERIC_PERSON | {
    "deputy", "foreign", "prime", "first", "vice", "special", "senior", "chief", "top",
    "defense", "defence", "affairs", "presidential", "acting", "former"}


def _role_only(name: str) -> bool:
    """A phrase made of a role's words only, its head a person's or an institution's title, or
    several of them ("diplomats", "officials")."""
    head = _head(_role_words(head_phrase(name)))
    titles = ORG_HEADS | PERSON_HEADS | GENERIC_PERSON | DOCUMENT_NOUNS | ROLE_HEADS
    return head in titles or head.removesuffix("s") in titles



def _someone_unnamed(phrase: str) -> bool:
    """'an official', 'a Russian diplomat', 'another source': a person the article introduces
    without a name, whom no earlier name or pronoun means."""
    tokens = [t for t in phrase.split() if t.casefold() not in LEADING_NOISE]
    if not tokens or tokens[0].casefold() not in INDEFINITE:
        return False
    head = _head(_role_words(head_phrase(" ".join(tokens[1:]))))
    # "a source in the ministry" stays proposed as printed: the curator may keep it as one
    return head != "source" and head in PERSON_HEADS | GENERIC_PERSON | ROLE_HEADS


def _printed_name(phrase: str) -> str | None:
    """The speaker words of an attribution that matched no actor ("the Kremlin" -> "Kremlin"),
    or None for pronouns and empty or long phrases."""
    tokens = trim_phrase(phrase.strip(" ,.;:\"\u201c\u201d").split(), adverbs=True)
    name = " ".join(tokens)
    if not tokens or len(tokens) > 8 or fold(name) in PERSON_PRONOUNS | ORG_PRONOUNS:
        return None
    return name


