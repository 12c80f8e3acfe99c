"""The reader's vocabulary, once: verbs of saying, titles and the words around names, outlets'
names and the nouns describing them, and the month and weekday patterns of date lines. Domain
word lists live as data files beside this module (nkb/reader/data/)."""

from __future__ import annotations

import calendar
import re
from importlib import resources

from nkb.text import fold

# --- shared vocabulary ------------------------------------------------------------------------

def word_list(name: str) -> list[str]:
    """The lines of a word list in nkb/reader/data/, without comments and blank lines."""
    text = resources.files("nkb.reader").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


# Months and weekdays as date lines print them.
MONTHS = {name.casefold(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS |= {name.casefold(): i for i, name in enumerate(calendar.month_abbr) if name}
MONTHS["sept"] = 9
# Russian month names as dates print them ("17 июня 2021"), in the genitive.
RUSSIAN_MONTHS = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                  "сентября", "октября", "ноября", "декабря")
MONTHS |= {name: i for i, name in enumerate(RUSSIAN_MONTHS, 1)}
MONTH = r"(?:January|February|March|April|May|June|July|August|September|October|November|" \
        r"December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec|" + "|".join(RUSSIAN_MONTHS) \
        + r")\.?"
WEEKDAYS = [name.casefold() for name in calendar.day_name]
WEEKDAY = r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
YEAR = r"\b(1[89]\d\d|20\d\d)\b(?!s)"

# Verbs of saying in the forms that date a statement ("said on Monday").
SPEECH_PAST = (r"said|told|noted|added|stated|stressed|emphasized|emphasised|announced|"
               r"declared|remarked|explained|confirmed|commented|replied|warned|urged|"
               r"reported|spoke|called|insisted|pledged|recalled|reiterated|informed|"
               r"says|tells|notes|adds|states|stresses|announces|explains|confirms|warns")

# Verbs of saying in the forms each reading needs, all here: whom a speaker told on air ("said
# on the X channel"), in an interview ("told X in an interview"), and in the passive ("these
# words were stated by X").
SPOKE_ON_VERBS = r"said|told|stated|noted|announced|says|tells"
INTERVIEW_VERBS = r"said|told|stated|noted|says|tells|states|notes"
PASSIVE_SPEECH = r"said|stated|noted|announced|declared|reported|made|voiced|expressed"
SPEECH_VERBS = (
    "said|says|say|told|tells|noted|notes|added|adds|stated|stressed|stresses|emphasized|"
    "emphasised|emphasizes|emphasises|pledged|insisted|continued|concluded|explained|declared|"
    "remarked|underlined|underscored|pointed out|announced|warned|recalled|reiterated|asserted|"
    "wrote|commented|replied|answered|observed|argued|urged|claimed|reported|affirmed|assured|"
    "confirmed|highlighted|specified|clarified|acknowledged|admitted|suggested|mentioned|"
    "indicated|informed|recounted|believes|believe|thinks|think|tweeted|posted|reads|"
    "asked|asks|vowed|predicted|responded|retorted|promised|cautioned|conceded|maintained|"
    "contended|elaborated|countered|complained|lamented|went on|summed up|"
    "explains|warns|insists|writes|argues|declares|"
    "acknowledges|admits|points out|underlines|emphasises|emphasizes|predicts|"
    # the passive of reported speech: "X was quoted (by TASS) as saying"
    r"(?:is|was|has been|had been)\s+(?:quoted|cited)(?:\s+by\s+[^,.;:!?\n\x00]{1,60}?)?"
    r"\s+as\s+(?:saying|telling\s+[^,.;:!?\n\x00]{1,60})"
)
# "TASS quoted X as saying": the outlet passes it on, X speaks.
QUOTED_AS = re.compile(r"(?<!\bis\s)(?<!\bwas\s)(?<!\bbeen\s)\b(?:quoted|cited)\s+(?!by\b)"
                        r"(?P<who>[^,.;:!?\n\x00]{1,80}?)\s+as\s+(?:saying|telling)\b",
                        re.IGNORECASE)
# after an article a participle is an adjective ("an informed source", "the stated aim")
NOT_AFTER_ARTICLE = r"(?<!\ba\s)(?<!\ban\s)(?<!\bthe\s)"
SPEECH_VERB = re.compile(rf"\b{NOT_AFTER_ARTICLE}(?:{SPEECH_VERBS})\b", re.IGNORECASE)
ACCORDING = re.compile(r"\b(?:according to|in the words of|as quoted by|cited by)\s+",
                        re.IGNORECASE)
BY_PASSIVE = re.compile(r"\b(?:announced|stated|said|noted|reported)\s+by\s+", re.IGNORECASE)

# Words of a title or role: they describe a person but are not their name.
TITLE_WORDS = frozenset(word_list("titles.txt"))
# Heads of a phrase naming an institution rather than a person.
ORG_HEADS = {"ministry", "service", "department", "office", "embassy", "government", "kremlin",
             "mission", "administration", "agency", "committee", "council", "commission",
             "side", "parliament", "cabinet", "headquarters", "staff"}
ORG_NAME_WORDS = {"ministry", "service", "office", "embassy", "government", "committee",
                  "council", "commission", "agency", "group", "corridor", "caucasus",
                  "republic", "union", "federation", "assembly", "parliament", "army",
                  "forces", "channel", "program", "programme", "news", "center", "centre",
                  "organization", "organisation", "bank", "university", "institute",
                  "kremlin"}
# Generic nouns for whoever spoke last ("the diplomat added").
GENERIC_PERSON = {"diplomat", "official", "politician", "interlocutor", "speaker", "lawmaker",
                  "mp"}
# What an institution issues: "the statement said", "according to the release".
DOCUMENT_NOUNS = {"statement", "release", "communique", "communiqué", "declaration", "note",
                  "readout"}
ABBREVIATIONS = {"fm": "foreign minister", "mfa": "foreign ministry", "pm": "prime minister",
                 "mod": "defense ministry", "dpm": "deputy prime minister", "amb": "ambassador",
                 "pres": "president", "dep": "deputy"}
# Titles shortened before a name, whose full stop ends no sentence ("Amb. X", "Mr. X").
SHORT_TITLES = ("Mr", "Mrs", "Ms", "Dr", "Amb", "Dep", "Pres", "Gen", "Sen", "Gov")
HONORIFICS = {"mr", "mrs", "ms", "dr"}  # forms of address, no role
# Words that introduce someone without naming them: "an official", "another diplomat".
INDEFINITE = {"a", "an", "one", "another", "some", "several", "many", "two", "three"}
# Small words inside a long title in capitals ("Director of the Information and Press ...").
TITLE_CONNECTORS = {"of", "the", "and", "for", "on", "in", "at", "to"}
# Before a stop: it ends something only when it follows no initial ("Maria V. Zakharova", "the
# U.S. envoy") and no shortened title.
NOT_A_NAME_STOP = r"(?<![^A-Za-z][A-Z])" + "".join(rf"(?<!\b{t})" for t in SHORT_TITLES)
# A stop inside a name: after an initial or a shortened title.
NAME_STOP = r"(?:(?<=[^A-Za-z][A-Z])|" + "|".join(rf"(?<=\b{t})" for t in SHORT_TITLES) + r")\."
SAME_HEAD = {"spokesman": "spokesperson", "spokeswoman": "spokesperson",
             "defence": "defense", "spokespeople": "spokesperson"}
PERSON_PRONOUNS = {"he", "she", "him", "her"}
ORG_PRONOUNS = {"it", "they", "them"}
LEADING_NOISE = {"and", "but", "when", "while", "as", "that", "then", "also", "meanwhile",
                 "previously", "earlier", "later", "however", "so", "where", "which", "who",
                 "thus", "besides", "moreover", "now", "today", "yesterday"}
ARTICLES = {"the", "a", "an"}
ADVERBS = {"also", "then", "further", "later", "again", "reportedly", "earlier", "previously",
           "once", "has", "had", "have", "was", "is", "recently", "repeatedly",
           "already", "publicly", "personally", "separately", "furthermore"}
ANSWER_LABELS = {"a", "answer"}  # a transcript's answers not labelled with the speaker's name
QUESTION_LABELS = {"question", "q", "interviewer", "journalist", "correspondent", "host",
                   "moderator", "reporter"}


# "the ministry's statement said", "said the Kremlin's press release": the institution speaks.
INSTITUTION_TEXT = re.compile(r"['\u2019]s\s+(?:official\s+)?(?:statement|release|press release|"
                               r"communiqu[eé]|website|press service|telegram channel|readout)$",
                               re.IGNORECASE)
# "Pashinyan's office readout", "the minister's office said": the office of a person speaks.
OFFICE_TEXT = re.compile(r"^(?:[A-Z][\w\-]*\s+){0,5}(?P<office>[A-Z][\w\-]+['\u2019]s\s+"
                          r"(?:office|press office|"
                          r"administration|press service))(?:\s+(?:statement|release|press release|"
                          r"readout|communiqu[eé]))?$")
# A title's head comes before its tail: "a source in the government", "Head of the Service".
TITLE_TAIL = re.compile(r"\s(?:of|for|in|at|from|with|to|within)\s")


def head_phrase(phrase: str) -> str:
    """The words of a title before its prepositional tail."""
    return TITLE_TAIL.split(phrase, maxsplit=1)[0]


def trim_phrase(tokens: list[str], adverbs: bool) -> list[str]:
    """Tokens of a subject phrase without leading articles and connectives ("and the", "but
    then") and, if `adverbs`, without trailing adverbs and auxiliaries ("also", "has")."""
    start = 0
    while start < len(tokens) and tokens[start].casefold() in ARTICLES | LEADING_NOISE:
        start += 1
    end = len(tokens)
    while adverbs and end > start and tokens[end - 1].casefold() in ADVERBS:
        end -= 1
    return tokens[start:end]


def words(text: str) -> list[str]:
    """Lower-case word tokens, keeping apostrophes inside words."""
    return re.findall(r"[a-z0-9]+(?:['\u2019][a-z]+)?", text.casefold())


def collapse(text: str) -> str:
    return " ".join(text.split())


# --- outlets ----------------------------------------------------------------------------------


def _alternation(entries: list[str]) -> str:
    """A regex alternation of word-list entries, the longest first so "TV channel" is read
    before "TV"."""
    return "|".join(re.escape(e) for e in sorted(entries, key=len, reverse=True))


# Known outlets' names (data/outlets.txt), read as whole words in any case.
OUTLET_NAMES = tuple(word_list("outlets.txt"))
_KNOWN_OUTLET = re.compile(rf"(?<![\w\-.])(?:{_alternation([fold(n) for n in OUTLET_NAMES])})"
                           r"(?![\w\-]|\.\w)")
# Words naming a medium after or before an outlet's name ("the Wire news agency", "Channel One
# TV"), data/media_nouns.txt; the broadcasters among them, for "said on the X TV channel".
MEDIA_NOUN_LIST = tuple(word_list("media_nouns.txt"))
MEDIA_NOUNS = rf"(?:{_alternation(list(MEDIA_NOUN_LIST))})"
BROADCAST_NOUNS = "(?:" + _alternation([n for n in MEDIA_NOUN_LIST if set(n.casefold().split())
                                        & {"tv", "television", "radio", "channel", "broadcaster"}
                                        ]) + ")"
# The media nouns of several words that start with a word that could be a name's ("TV channel"):
# "the Rossiya-24 TV channel" is Rossiya-24.
MEDIUM_PHRASES = "(?:" + _alternation([n for n in MEDIA_NOUN_LIST if " " in n and n.split()[0]
                                       .casefold() in {"tv", "television"}]) + ")"
# Capitalised words making a name an outlet's ("Kavkaz Times"), data/outlet_words.txt; and words
# that shape an outlet's name only where nothing else is read, since they name other things too
# ("Press Service", "Today").
OUTLET_WORDS = tuple(word_list("outlet_words.txt"))
OUTLET_WORD = rf"\b(?:{_alternation(list(OUTLET_WORDS))})\b"
LOOSE_OUTLET_WORDS = ("Press", "Today")
# The shapes of an outlet's own name: a web address ("News.am") or an ending ("Interfax",
# "Armenpress", "Kazinform").
OUTLET_DOMAINS = ("am", "az", "ru", "ge", "com", "net", "org", "info", "ua", "kz", "by", "tr", "uk")
OUTLET_NAME_ENDINGS = ("fax", "press", "inform", "news", "media")
# Page labels that are no outlet's name ("Latest news", "Photo").
GENERIC_MEDIA = {"news", "latest news", "press", "media", "online", "tv", "radio", "home",
                 "politics", "world", "society", "region", "analytics", "interview", "video",
                 "update", "updated", "breaking", "exclusive", "opinion", "analysis", "photo",
                 "photos", "live", "watch", "editorial", "comment", "comments", "source", "read",
                 "today", "yesterday"}
# Where a speaker posts is no outlet: "said on the Telegram channel".
SOCIAL_NETWORKS = {"telegram", "facebook", "twitter", "x", "instagram", "youtube", "vk",
                   "vkontakte", "tiktok", "whatsapp", "threads"}
# Words of bodies and meetings, never of an outlet's name: "told the OSCE Permanent Council".
BODY_WORDS = {"council", "assembly", "parliament", "summit", "committee", "commission",
              "ministry", "conference", "forum", "session", "government", "duma", "senate"}
# Acronyms of bodies that speak or act, not outlets: never taken from "according to X".
BODY_ACRONYMS = {"un", "eu", "nato", "csto", "cis", "eaeu", "osce", "mfa", "mod", "pace",
                 "icrc", "iaea", "who", "brics", "sco", "oic", "us", "usa", "uk", "nkr", "fsb",
                 "gdp", "ceo"}


def known_outlet(name: str) -> bool:
    """Does the name hold a known outlet's name (data/outlets.txt), as whole words?"""
    return bool(_KNOWN_OUTLET.search(fold(name)))


# "... - Zakharova.": a name after a dash or colon closing a quote's sentence.
DASH_NAME = re.compile(r"^\s*(?:[-\u2013\u2014]+|:)\s*(?P<name>[A-Z][^,.;:!?\n\x00]{1,60}?)\s*[.]?\s*$")
