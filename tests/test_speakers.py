"""Who said each quote, in every common form of attribution English news copy prints: verbs
before and after the quote, roles and pronouns for someone named before, institutions, outlets
passing words on, quote marks of every kind, headlines, transcripts and speakers the KB does not
know. All texts here are short synthetic ones written for these tests."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest

from nkb import store
from nkb.models import Actor, Role
from nkb.reader import article, attribution
from nkb.reader import quotes as quoting

ACTORS = [
    Actor(id="ivanov", name="Pavel Ivanov", kind="person", aliases=["Ivanov"],
          roles=[Role(title="Deputy Foreign Minister of Russia", date="2019-05")]),
    Actor(id="petrova", name="Olga Petrova", kind="person", aliases=["Petrova"],
          roles=[Role(title="Spokeswoman of the Russian Foreign Ministry", date="2018")]),
    Actor(id="orlov", name="Grigory Orlov", kind="person", aliases=["Orlov"],
          roles=[Role(title="Minister of Foreign Affairs of Russia", date="2010")]),
    Actor(id="volkov", name="Dmitry Volkov", kind="person", aliases=["Volkov"],
          roles=[Role(title="Kremlin spokesman", date="2012")]),
    Actor(id="karimov", name="Elnur Karimov", kind="person", aliases=["Karimov"],
          roles=[Role(title="President of Azerbaijan", date="2003")]),
    Actor(id="sargsyan", name="Aram Sargsyan", kind="person", aliases=["Sargsyan"],
          roles=[Role(title="Prime Minister of Armenia", date="2018")]),
    Actor(id="belov", name="Vadim Belov", kind="person", aliases=["Belov"],
          roles=[Role(title="President of Russia", date="2000")]),
    Actor(id="rus-mfa", name="Russian Foreign Ministry", kind="organisation",
          aliases=["Russian Foreign Ministry", "Russia's Foreign Ministry"]),
    Actor(id="aze-mfa", name="Azerbaijani Foreign Ministry", kind="organisation",
          aliases=["Azerbaijani Foreign Ministry", "Azerbaijan's Foreign Ministry"]),
    Actor(id="russia", name="Russia", kind="state", aliases=["Russia", "Moscow"]),
    Actor(id="armenia", name="Armenia", kind="state", aliases=["Armenia", "Yerevan"]),
    Actor(id="azerbaijan", name="Azerbaijan", kind="state", aliases=["Azerbaijan", "Baku"]),
]
LEAD = "Olga Petrova spoke in Moscow on Monday.\n"  # someone else named first

AFTER_VERBS = [
    "added", "noted", "stressed", "emphasised", "emphasized", "underlined", "recalled",
    "continued", "concluded", "warned", "insisted", "explained", "stated", "declared", "remarked",
    "acknowledged", "argued", "believes", "thinks",
]
Expected = list[tuple[str, str | None]]  # (the quote's first words, speaker id or new name)

FORMS: list[tuple[str, Expected]] = [
    # a middle initial is part of the name, not a sentence's end
    ('"The talks will go on," said Pavel K. Ivanov. "We are ready."',
     [("The talks", "ivanov"), ("We are", "ivanov")]),
    ('"The talks will go on," Maria V. Kuzmina, a spokeswoman, said.',
     [("The talks", "Maria V. Kuzmina")]),
    ('Deputy Minister Anton K. Orlovsky said: "The talks will go on."',
     [("The talks", "Anton K. Orlovsky")]),
    ("This was announced by Deputy Foreign Minister Pavel K. Ivanov at a briefing.\n"
     '"The talks will go on," the deputy minister said.', [("The talks", "ivanov")]),
    # someone introduced without a name is no one named before: no speaker, not the last one
    ('"The talks will go on," Ivanov said.\n"We are not sure," an official said.',
     [("The talks", "ivanov"), ("We are", None)]),
    ('"The talks will go on," Ivanov said.\nA Russian diplomat said: "We are not sure."',
     [("The talks", "ivanov"), ("We are", None)]),
    ('"The talks will go on," Ivanov said.\n"We are not sure," diplomats said.',
     [("The talks", "ivanov"), ("We are", None)]),
    # ... and "the official" or "he" after that one is still that one, not the last named
    ('"The talks will go on," Ivanov said.\nAn official said: "We are not sure."\n'
     '"We will see," the official added.\n"Maybe," he said.',
     [("The talks", "ivanov"), ("We are", None), ("We will", None), ("Maybe", None)]),
    # a shortened title ("Amb.", "Mr.") is part of the name too
    ('"The talks will go on," said Amb. Anton Orlovsky. "We are ready."',
     [("The talks", "Anton Orlovsky"), ("We are", "Anton Orlovsky")]),
    ("Today the Russian Amb. to Armenia, Anton Orlovsky, spoke in Yerevan.\n"
     '"The talks will go on," said the ambassador.', [("The talks", "Anton Orlovsky")]),
    ('Mr. Ivanov met Dr. Karimov. "We are ready," Mr. Ivanov said.', [("We are", "ivanov")]),
    ('"The talks will go on," Ivanov said.', [("The talks", "ivanov")]),
    ('Ivanov said: "The talks will go on."', [("The talks", "ivanov")]),
    ('"The talks will go on", said Ivanov.', [("The talks", "ivanov")]),
    ('\u201cThe talks will go on,\u201d said Pavel Ivanov.', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov said on Tuesday that "the talks will go on".', [("the talks", "ivanov")]),
    (LEAD + 'Ivanov told reporters "the talks will go on".', [("the talks", "ivanov")]),
    (LEAD + 'Ivanov told journalists: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov told a briefing: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov told a press conference in the capital that "the talks will go on".',
     [("the talks", "ivanov")]),
    (LEAD + 'Ivanov was quoted as saying "the talks will go on".', [("the talks", "ivanov")]),
    (LEAD + 'Ivanov was quoted by the agency as saying: "The talks will go on."',
     [("The talks", "ivanov")]),
    (LEAD + 'Ivanov wrote on Telegram: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov wrote on X: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov wrote on Facebook that "the talks will go on".', [("the talks", "ivanov")]),
    (LEAD + 'Ivanov posted on X: "The talks will go on."', [("The talks", "ivanov")]),
    *[(LEAD + f'"The talks will go on," Ivanov {verb}.', [("The talks", "ivanov")])
      for verb in AFTER_VERBS],
    (LEAD + '"The talks will go on," Ivanov pointed out.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov wrote.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov tweeted.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov told TASS.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov said in a statement.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov is quoted as saying.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," added Ivanov.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," stressed the Russian deputy foreign minister.',
     [("The talks", "ivanov")]),
    (LEAD + 'According to Ivanov, "the talks will go on".', [("the talks", "ivanov")]),
    (LEAD + 'In Ivanov\'s words, "the talks will go on".', [("the talks", "ivanov")]),
    (LEAD + 'Ivanov\'s words: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'In the words of Ivanov, "the talks will go on".', [("the talks", "ivanov")]),
    (LEAD + 'As Ivanov put it, "the talks will go on".', [("the talks", "ivanov")]),
    (LEAD + 'Ivanov added: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov added that "the talks will go on".', [("the talks", "ivanov")]),
    (LEAD + 'Ivanov also said that the sides "will meet again soon".', [("will meet", "ivanov")]),
    (LEAD + '"We help," the Russian foreign minister said.', [("We help", "orlov")]),
    (LEAD + '"We help," the Russian Foreign Minister said.', [("We help", "orlov")]),
    ("Ivanov spoke.\n\"We help,\" the spokeswoman noted.", [("We help", "petrova")]),
    ("Ivanov spoke.\n\"We help,\" the Kremlin spokesman added.", [("We help", "volkov")]),
    ("Ivanov spoke.\n\"We help,\" Kremlin spokesman Dmitry Volkov told reporters.",
     [("We help", "volkov")]),
    ("Petrova spoke.\n\"We help,\" the deputy minister also said.", [("We help", "ivanov")]),
    ("Petrova spoke.\n\"We help,\" the Russian deputy foreign minister said.", [("We help", "ivanov")]),
    ("Ivanov spoke.\n\"We help,\" the Azerbaijani president said.", [("We help", "karimov")]),
    ("Ivanov spoke.\n\"We help,\" the Armenian prime minister said.", [("We help", "sargsyan")]),
    ("Ivanov spoke.\n\"We help,\" the Armenian premier said.", [("We help", "sargsyan")]),
    ("Ivanov spoke.\n\"We help,\" Russia's top diplomat said.", [("We help", "orlov")]),
    ("Ivanov spoke.\n\"We help,\" the Russian foreign minister told reporters.",
     [("We help", "orlov")]),
    ("Ivanov spoke.\n\"We help,\" the foreign ministry spokeswoman said.", [("We help", "petrova")]),
    ("Ivanov spoke.\n\"We help,\" the Russian Foreign Ministry's spokeswoman said.",
     [("We help", "petrova")]),
    ("Ivanov spoke.\n\"We help,\" Azerbaijani President Elnur Karimov said.", [("We help", "karimov")]),
    ('"The talks will go on," Ivanov said. "We will meet," he added.',
     [("The talks", "ivanov"), ("We will", "ivanov")]),
    ('Petrova said talks go on.\n"We will meet," she added.', [("We will", "petrova")]),
    ('"The talks go on," Ivanov said after meeting Sargsyan.\n"We will meet," he said.',
     [("The talks", "ivanov"), ("We will", "ivanov")]),
    ("Russia's Foreign Ministry issued a note.\n\"The talks will go on,\" the ministry said.",
     [("The talks", "rus-mfa")]),
    ('Ivanov spoke.\n"The talks will go on," the Russian Foreign Ministry said.',
     [("The talks", "rus-mfa")]),
    ('Ivanov spoke.\nThe Russian Foreign Ministry said in a statement: "The talks will go on."',
     [("The talks", "rus-mfa")]),
    ('Ivanov spoke.\n"The talks will go on," the Kremlin said.', [("The talks", "Kremlin")]),
    ('The Russian Foreign Ministry issued a note.\n'
     '"The talks will go on," the Foreign Ministry\'s statement reads.',
     [("The talks", "rus-mfa")]),
    ('The Russian Foreign Ministry issued a statement.\n"The talks will go on," the release says.',
     [("The talks", "rus-mfa")]),
    ('The Russian Foreign Ministry issued a statement.\n"The talks will go on," the statement reads.',
     [("The talks", "rus-mfa")]),
    ('Ivanov spoke.\n"The talks will go on," the Russian Foreign Ministry\'s press service reported.',
     [("The talks", "rus-mfa")]),
    ('Ivanov met the envoys.\n'
     '"The talks will go on," the press service of the Russian Foreign Ministry reported.',
     [("The talks", "rus-mfa")]),
    ('Ivanov met the envoys.\nThe statement of the Russian Foreign Ministry reads: "The talks will go on."',
     [("The talks", "rus-mfa")]),
    ('Ivanov met the envoys.\n"The talks will go on," the Azerbaijani Foreign Ministry said.',
     [("The talks", "aze-mfa")]),
    ('Ivanov met the envoys.\n"The talks will go on," Azerbaijan\'s Foreign Ministry said.',
     [("The talks", "aze-mfa")]),
    ('Ivanov met the envoys in Baku.\n'
     '"The talks will go on," the Azerbaijani Foreign Ministry said in a statement.',
     [("The talks", "aze-mfa")]),
    ('Ivanov met the envoys.\n"The talks will go on," the Armenian Foreign Ministry said.',
     [("The talks", "Armenian Foreign Ministry")]),
    (LEAD + '"The talks will go on," Russia Today reported.', [("The talks", "petrova")]),
    ('"The talks will go on," Russia Today reported.', [("The talks", None)]),
    (LEAD + 'TASS quoted Ivanov as saying: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'TASS quoted Ivanov as saying "the talks will go on".', [("the talks", "ivanov")]),
    (LEAD + 'Interfax cited Ivanov as saying that "the talks will go on".', [("the talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov told Interfax.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov was quoted by TASS as saying.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov said, according to TASS.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov told the RIA Novosti news agency.',
     [("The talks", "ivanov")]),
    (LEAD + '"Sargsyan and Karimov must meet," Ivanov said.', [("Sargsyan", "ivanov")]),
    (LEAD + 'Ivanov said that "Sargsyan and Karimov must meet".', [("Sargsyan", "ivanov")]),
    (LEAD + 'Talking about Sargsyan, Ivanov said: "He must come."', [("He must", "ivanov")]),
    (LEAD + 'After meeting Karimov, Ivanov told reporters: "We agreed on much."',
     [("We agreed", "ivanov")]),
    (LEAD + 'Ivanov said Karimov and Sargsyan were "ready to talk".', [("ready to", "ivanov")]),
    (LEAD + '\u00abThe talks will go on\u00bb, Ivanov said.', [("The talks", "ivanov")]),
    (LEAD + '\u2018The talks will go on,\u2019 Ivanov said.', [("The talks", "ivanov")]),
    (LEAD + '\u201cThe talks will go on," Ivanov said.', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov said: \u00abThe talks will go on\u00bb.', [("The talks", "ivanov")]),
    (LEAD + "'The talks will go on,' Ivanov said.", [("The talks", "ivanov")]),
    (LEAD + 'Ivanov said: "The talks will go on.\n'
            '"We will meet again in the spring.\n"Nothing else is planned."',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov said. "We will meet again.\n"Nothing else is planned."',
     [("The talks", "ivanov"), ("We will", "ivanov")]),
    (LEAD + '"The talks," Ivanov said, "will go on."',
     [("The talks", "ivanov"), ("will go", "ivanov")]),
    (LEAD + '"The talks," said Ivanov, "will go on."',
     [("The talks", "ivanov"), ("will go", "ivanov")]),
    (LEAD + '"The talks," the spokeswoman said, "will go on."',
     [("The talks", "petrova"), ("will go", "petrova")]),
    ('Talks will go on \u2013 Petrova\nIvanov met the envoys.\n"The talks will go on," Petrova said.',
     [("The talks", "petrova")]),
    ('Petrova: "Talks will go on"\nIvanov met the envoys on Monday.', [("Talks will", "petrova")]),
    ('"Talks will go on" \u2013 Petrova\nIvanov met the envoys on Monday.',
     [("Talks will", "petrova")]),
    ('"Talks will go on," says Petrova\nIvanov met the envoys on Monday.', [("Talks will", "petrova")]),
    ("Interview with Pavel Ivanov\n"
     "Question: How were the talks?\nIvanov: They were good. We met twice.\n"
     "Question: Next?\nIvanov: More talks.",
     [("They were", "ivanov"), ("More talks", "ivanov")]),
    (LEAD + 'Armen Karyan, an aide to the Armenian prime minister, said "the talks will go on".',
     [("the talks", "Armen Karyan")]),
    (LEAD + '"The talks will go on," said Armen Karyan, an aide to the Armenian prime minister.',
     [("The talks", "Armen Karyan")]),
    (LEAD + 'Kremlin spokesman Boris Lebedev told reporters: "The talks will go on."',
     [("The talks", "Boris Lebedev")]),
    (LEAD + 'Vahan Karyan, Armenia\'s deputy foreign minister, told journalists: "The talks will go on."',
     [("The talks", "Vahan Karyan")]),
    (LEAD + 'The move was a "stab in the back", Volkov said.', [("stab in", "volkov")]),
    (LEAD + 'Volkov called the move a "stab in the back".', [("stab in", "volkov")]),
    (LEAD + '"The talks will go on," he told reporters.', [("The talks", "petrova")]),
    (LEAD + 'Ivanov, speaking at a briefing, said: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'Speaking at a press conference, Ivanov said: "The talks will go on."',
     [("The talks", "ivanov")]),
    (LEAD + 'At the briefing on Tuesday, Ivanov stressed: "The talks will go on."',
     [("The talks", "ivanov")]),
    (LEAD + 'Asked about the border, Ivanov replied: "The talks will go on."',
     [("The talks", "ivanov")]),
    (LEAD + 'Commenting on the border, Ivanov said: "The talks will go on."',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov said, referring to Sargsyan.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," said Ivanov, quoted by TASS.', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov, quoted by TASS, said: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov, in turn, noted: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'Karimov, for his part, said: "The talks will go on."', [("The talks", "karimov")]),
    (LEAD + 'Ivanov said the sides were "close to a deal", adding that "nothing is signed yet".',
     [("close to", "ivanov"), ("nothing is", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov said.\n"Nothing is signed yet."',
     [("The talks", "ivanov"), ("Nothing", "ivanov")]),
    (LEAD + '"The talks will go on," the Kremlin\'s press service said.',
     [("The talks", "Kremlin")]),
    (LEAD + 'A statement from the Russian Foreign Ministry said: "The talks will go on."',
     [("The talks", "rus-mfa")]),
    (LEAD + 'In a statement, the Russian Foreign Ministry said "the talks will go on".',
     [("the talks", "rus-mfa")]),
    (LEAD + 'The Russian Foreign Ministry said on its website: "The talks will go on."',
     [("The talks", "rus-mfa")]),
    (LEAD + '"The talks will go on," Ivanov told a weekly briefing in Moscow on Thursday.',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," said Anna Smirnova, the spokeswoman for the Armenian Foreign Ministry.',
     [("The talks", "Anna Smirnova")]),
    (LEAD + 'Armenian Foreign Ministry spokeswoman Anna Smirnova said: "The talks will go on."',
     [("The talks", "Anna Smirnova")]),
    (LEAD + 'Russia\'s Foreign Ministry said in a statement that "the talks will go on".',
     [("the talks", "rus-mfa")]),
    (LEAD + '"The talks will go on," said Petrova, the Foreign Ministry spokeswoman.',
     [("The talks", "petrova")]),
    ("Ivanov spoke.\n\"We help,\" the Russian president said.", [("We help", "belov")]),
    (LEAD + 'Ivanov said: "The talks will go on. We will meet again. Nothing is signed."',
     [("The talks", "ivanov")]),
    ("Ivanov spoke.\n\"The talks will go on,\" Orlov said. \"Russia and Armenia must meet,\" he said.",
     [("The talks", "orlov"), ("Russia and", "orlov")]),
    ("Orlov met Ivanov.\n\"The talks will go on,\" the minister said.", [("The talks", "orlov")]),
    (LEAD + '"We help," Ivanov told Sargsyan.', [("We help", "ivanov")]),
    (LEAD + '"We help," Ivanov assured the Armenian prime minister.', [("We help", "ivanov")]),
    (LEAD + 'Ivanov said in a statement on his Telegram channel: "The talks will go on."',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov said in a post on X.', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov later told the RIA news agency that "the talks will go on".',
     [("the talks", "ivanov")]),
    (LEAD + '"The talks will go on," Petrova was cited as saying by Interfax.',
     [("The talks", "petrova")]),
    ("Russian Deputy Foreign Minister Pavel Ivanov met Petrova.\n\"We help,\" the diplomat said.",
     [("We help", "ivanov")]),
    ('Ivanov met Sargsyan and Karimov on Monday.\n"We will meet again," he said.',
     [("We will", "ivanov")]),
    (LEAD + '"The talks will go on," the ministry said in a statement.', [("The talks", None)]),
    ('Ivanov spoke.\nThe Kremlin said: "The talks will go on."', [("The talks", "Kremlin")]),
    (LEAD + '"The talks will go on," Armenian Deputy Foreign Minister Vahan Karyan said.',
     [("The talks", "Vahan Karyan")]),
    ('Ivanov met Sargsyan in Moscow.\nHe said: "The talks will go on."', [("The talks", "ivanov")]),
    ('The Russian Foreign Ministry issued a statement.\n'
     '"The talks will go on," reads the statement published on the ministry\'s website.',
     [("The talks", "rus-mfa")]),
    (LEAD + 'In an interview with TASS, Ivanov said: "The talks will go on."',
     [("The talks", "ivanov")]),
    (LEAD + 'Ivanov said in an interview with the Izvestia newspaper published on Monday '
     'that "the talks will go on".',
     [("the talks", "ivanov")]),
    ('The Russian Foreign Ministry met envoys.\n'
     'According to the ministry\'s press service, "the talks will go on".',
     [("the talks", "rus-mfa")]),
    (LEAD + 'According to a statement by the Russian Foreign Ministry, "the talks will go on".',
     [("the talks", "rus-mfa")]),
    (LEAD + 'Ivanov, whose remarks were carried by TASS, said: "The talks will go on."',
     [("The talks", "ivanov")]),
    ('Ivanov spoke.\n"The talks will go on," Ivanov\'s spokesman said.',
     [("The talks", "Ivanov's spokesman")]),
    (LEAD + 'Volkov told reporters, according to TASS: "The talks will go on."',
     [("The talks", "volkov")]),
    ('Ivanov met Sargsyan on Monday.\n'
     '"We help," the Russian diplomat told reporters after the talks with Sargsyan.',
     [("We help", "ivanov")]),
    (LEAD + 'Ivanov said: "We will help." Sargsyan replied: "We thank you."',
     [("We will", "ivanov"), ("We thank", "sargsyan")]),
    (LEAD + 'The Kremlin\'s spokesman, Dmitry Volkov, said: "The talks will go on."',
     [("The talks", "volkov")]),
    (LEAD + '"The talks will go on," said Orlov\'s spokeswoman Olga Petrova.',
     [("The talks", "petrova")]),
    (LEAD + 'Ivanov stressed that Sargsyan had said "nothing new".', [("nothing new", "sargsyan")]),
    ('Ivanov met Sargsyan.\n"We will help," Sargsyan told reporters. "The talks will go on," Ivanov said.',
     [("We will", "sargsyan"), ("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov said on Tuesday, speaking to reporters in Baku '
     'after meeting Karimov.',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," said a statement from the Russian Foreign Ministry.',
     [("The talks", "rus-mfa")]),
    (LEAD + '"The talks will go on," the Russian Foreign Ministry said on Telegram.',
     [("The talks", "rus-mfa")]),
    (LEAD + 'The Russian Foreign Ministry wrote on Telegram: "The talks will go on."',
     [("The talks", "rus-mfa")]),
    ('Ivanov spoke.\n"The talks will go on," Moscow said.', [("The talks", "russia")]),
    ('Ivanov spoke.\nBaku said the talks "will go on".', [("will go on", "azerbaijan")]),
    (LEAD + '"We are ready", Karimov said, "but Yerevan must act."',
     [("We are", "karimov"), ("but Yerevan", "karimov")]),
    ("Interview with Pavel Ivanov\nQ: How were the talks?\nA: They were good. We met twice.\n"
     "Q: Next?\nA: More talks.",
     [("They were", "ivanov"), ("More talks", "ivanov")]),
    ("Vahan Karyan, Armenia's deputy foreign minister, spoke.\n"
     "\"The talks will go on,\" the deputy minister said.",
     [("The talks", "Vahan Karyan")]),
    ("Vahan Karyan, Armenia's deputy foreign minister, spoke.\n\"The talks will go on,\" Karyan said.",
     [("The talks", "Vahan Karyan")]),
    (LEAD + 'Ivanov noted, in particular: "The talks will go on."', [("The talks", "ivanov")]),
    ('Ivanov met Sargsyan.\nIn his words, "the talks will go on".', [("the talks", "ivanov")]),
    ('Ivanov met Sargsyan.\nAccording to him, "the talks will go on".', [("the talks", "ivanov")]),
    ('Petrova spoke.\nShe said that "the talks will go on".', [("the talks", "petrova")]),
    (LEAD + '"The talks will go on," Ivanov said, quoted by the ministry\'s press service.',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov told TASS on the sidelines of the forum.',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," the head of the Russian Foreign Ministry said.',
     [("The talks", "orlov")]),
    (LEAD + '"The talks will go on," the head of Russian diplomacy said.',
     [("The talks", "orlov")]),
    (LEAD + 'Ivanov quoted Karimov as saying: "The talks will go on."', [("The talks", "karimov")]),
    (LEAD + 'TASS quoted Ivanov as telling reporters that "the talks will go on".',
     [("the talks", "ivanov")]),
    (LEAD + '"The talks will go on," TASS quoted Ivanov as saying.', [("The talks", "ivanov")]),
    ('Ivanov met the envoys.\n"The talks will go on," the Armenian side said.',
     [("The talks", "armenia")]),
    ('Ivanov met the envoys.\nThe Azerbaijani side stressed that "the talks will go on".',
     [("the talks", "azerbaijan")]),
    ('Ivanov met the envoys.\n"The talks will go on," Russia\'s envoy said.',
     [("The talks", None)]),
    (LEAD + '"The talks will go on," Armenian Prime Minister Aram Sargsyan\'s office said.',
     [("The talks", "Sargsyan's office")]),
    (LEAD + '"The talks will go on," the Kremlin press service said.',
     [("The talks", "Kremlin press service")]),
    (LEAD + '\u2018He said \u201cno\u201d to us,\u2019 Ivanov said.', [("He said", "ivanov")]),
    (LEAD + 'Said Ivanov: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov went on: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + '"Will the talks go on?" Ivanov asked.', [("Will the", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov vowed.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov predicted.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov responded.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov explains.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov warns.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov promised.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov cautioned.', [("The talks", "ivanov")]),
    (LEAD + 'Ivanov\'s statement reads: "The talks will go on."', [("The talks", "ivanov")]),
    ('\u201cTalks will go on\u201d \u2014 Petrova\nIvanov met the envoys on Monday.',
     [("Talks will", "petrova")]),
    ('Petrova says "talks will go on"\nIvanov met the envoys on Monday.',
     [("talks will", "petrova")]),
    ('Talks will go on, says Petrova\nIvanov met the envoys on Monday.\n"The talks will go on," she said.',
     [("The talks", "petrova")]),
    (LEAD + '"The talks will go on," Ivanov said at a news conference with Sargsyan.',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov, who met Sargsyan on Monday, told reporters.',
     [("The talks", "ivanov")]),
    (LEAD + 'Sargsyan said he had heard Ivanov say "the talks will go on".',
     [("the talks", "ivanov")]),
    ('Ivanov spoke.\n"The talks will go on," Petrova told reporters, adding: "Nothing is signed."',
     [("The talks", "petrova"), ("Nothing", "petrova")]),
    ('Ivanov spoke.\n'
     '"The talks will go on," the Russian Foreign Ministry spokeswoman said at a weekly briefing.',
     [("The talks", "petrova")]),
    ('Ivanov spoke.\nSpeaking at a weekly briefing, the Russian Foreign Ministry spokeswoman '
     'said: "The talks will go on."',
     [("The talks", "petrova")]),
    ('Ivanov met Sargsyan.\n"The talks will go on": Petrova\nIvanov met the envoys on Monday.',
     [("The talks", "petrova")]),
    ('Petrova on the talks: "They will go on"\nIvanov met the envoys on Monday.',
     [("They will", "petrova")]),
    ("Interview with Pavel Ivanov\nTASS: How were the talks?\nIvanov: They were "
     "good.\nTASS: Next?\nIvanov: More talks.",
     [("They were", "ivanov"), ("More talks", "ivanov")]),
    ('Ivanov spoke.\n"The talks will go on," the official representative of the Russian '
     'Foreign Ministry said.',
     [("The talks", "petrova")]),
    ('Ivanov spoke.\n"The talks will go on," the Kremlin press secretary said.',
     [("The talks", "volkov")]),
    (LEAD + '"The talks will go on," the deputy head of the Russian Foreign Ministry said.',
     [("The talks", "ivanov")]),
    (LEAD + 'Ivanov told reporters:\n"The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + 'He went on to say that "the talks will go on".', [("the talks", "petrova")]),
    (LEAD + 'Ivanov said "yes", while Sargsyan said "no".',
     [("yes", "ivanov"), ("no", "sargsyan")]),
    (LEAD + 'Ivanov said the talks "will go on" and that "nothing is signed".',
     [("will go", "ivanov"), ("nothing", "ivanov")]),
    (LEAD + 'Ivanov (pictured) said: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," as Ivanov said on Monday.', [("The talks", "ivanov")]),
    (LEAD + 'As Ivanov put it, "the talks will go on".', [("the talks", "ivanov")]),
    ('Sargsyan said the talks were hard.\n"We need more time."', [("We need", "sargsyan")]),
    ('Ivanov spoke first. Sargsyan then said the talks were hard.\n"We need more time," he added.',
     [("We need", "sargsyan")]),
    (LEAD + 'Mr Ivanov said: "The talks will go on."', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov said in a statement, which was published on '
            'the ministry\'s website.',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on. We will meet again," Ivanov said.', [("The talks", "ivanov")]),
    (LEAD + 'Karimov\'s aide, Hikmet Aliev, said: "The talks will go on."',
     [("The talks", "Hikmet Aliev")]),
    (LEAD + '\u00abThe talks will go on.\n\u00abWe will meet again.\n\u00abNothing is '
            'signed\u00bb, Ivanov said.',
     [("The talks", "ivanov")]),
    (LEAD + '"We don\'t know yet," Ivanov said.', [("We don't", "ivanov")]),
    (LEAD + "'We don't know yet,' Ivanov said.", [("We don't", "ivanov")]),
    (LEAD + '"He told me \'we will come\'," Ivanov said.', [("He told", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov said. "We will meet again.\nNothing else is planned."',
     [("The talks", "ivanov"), ("We will", "ivanov")]),
    (LEAD + "``The talks will go on,'' Ivanov said.", [("The talks", "ivanov")]),
    (LEAD + "``The talks will go on.\n``We will meet again,'' Ivanov said.",
     [("The talks", "ivanov")]),
    (LEAD + '\u00abHe called it \u201ea good step\u201c,\u00bb Ivanov said.',
     [("He called", "ivanov")]),
    (LEAD + 'Ivanov said: \u201cThe talks will go on.\u201d\nSargsyan said: \u201cWe agree.\u201d',
     [("The talks", "ivanov"), ("We agree", "sargsyan")]),
    (LEAD + '\u201cThe talks will go on,\u201d Ivanov said, \u201cand we will meet again.\u201d',
     [("The talks", "ivanov"), ("and we", "ivanov")]),
    (LEAD + 'Ivanov said the talks would go on.\n\u201cWe will meet again in the spring,\u201d '
            'he said. \u201cNothing is signed yet. But we are close.\u201d',
     [("We will", "ivanov"), ("Nothing", "ivanov")]),
    ('Belov met Karimov.\n"The talks will go on," the Russian leader said.',
     [("The talks", "belov")]),
    ('Ivanov spoke.\n"The talks will go on," the Russian leader said.', [("The talks", "belov")]),
    ('Ivanov spoke.\n"The talks will go on," the Armenian leader said.',
     [("The talks", "sargsyan")]),
    ('Ivanov spoke.\n"The talks will go on," Russia\'s Foreign Ministry said.',
     [("The talks", "rus-mfa")]),
    ('Ivanov spoke.\n"The talks will go on," the Foreign Ministry of Azerbaijan said.',
     [("The talks", "aze-mfa")]),
    ('Ivanov spoke.\n"The talks will go on," the Azerbaijani Foreign Ministry\'s press service said.',
     [("The talks", "aze-mfa")]),
    ('Ivanov spoke.\n"The talks will go on," an informed source in Moscow told us.',
     [("The talks", "informed source in Moscow")]),
    ('Ivanov spoke.\n"The talks will go on," a diplomatic source told the agency.',
     [("The talks", None)]),
    ('Ivanov spoke.\n"The talks will go on," a source in the Russian Foreign Ministry said.',
     [("The talks", "source in the Russian Foreign Ministry")]),
    (LEAD + 'Talks between Sargsyan and Karimov were "constructive and useful for both".',
     [("constructive", "petrova")]),
    ('Ivanov said talks went on.\nTalks between Sargsyan and Karimov were "constructive and '
     'useful for both".',
     [("constructive", "ivanov")]),
    (LEAD + 'Sargsyan described the talks as "constructive and useful for both".',
     [("constructive", "sargsyan")]),
    (LEAD + '"The talks will go on and on." These remarks were made by Ivanov.',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on and on." The statement was made by Ivanov on Monday.',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on and on." This was said by Ivanov.', [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on and on." Ivanov said this on Monday.',
     [("The talks", "ivanov")]),
    (LEAD + 'Sargsyan\'s remarks were "unacceptable and wrong", Ivanov said.',
     [("unacceptable", "ivanov")]),
    ('The Russian Foreign Ministry issued a note.\n"The talks will go on," the press service reported.',
     [("The talks", "rus-mfa")]),
    ('Ivanov spoke.\n"The talks will go on," the press service of the Kremlin said.',
     [("The talks", "Kremlin")]),
    ('"The talks will go on," TASS reported.', [("The talks", None)]),
    ('"The talks will go on," Sputnik Armenia reported.', [("The talks", None)]),
    (LEAD + 'RIA Novosti quoted Ivanov as saying that "the talks will go on".',
     [("the talks", "ivanov")]),
    ('"The talks will go on," a source told Interfax.', [("The talks", None)]),
    (LEAD + '"The talks will go on," Ivanov said, as quoted by Armenpress.',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov told Sputnik Armenia.', [("The talks", "ivanov")]),
    ('"The talks will go on," the Kavkaz Times newspaper wrote.', [("The talks", None)]),
    (LEAD + 'Ivanov said after meeting Sargsyan that "the talks will go on".',
     [("the talks", "ivanov")]),
    (LEAD + 'In a phone call with Karimov, Ivanov stressed that "the talks will go on".',
     [("the talks", "ivanov")]),
    (LEAD + 'According to Ivanov, who spoke to Sargsyan by phone, "the talks will go on".',
     [("the talks", "ivanov")]),
    (LEAD + 'Sargsyan told Ivanov that "the talks will go on".', [("the talks", "sargsyan")]),
    (LEAD + 'Responding to Sargsyan, Ivanov said "the talks will go on".',
     [("the talks", "ivanov")]),
    (LEAD + 'Sargsyan\'s statement that "the talks will go on" was welcomed by Ivanov.',
     [("the talks", "sargsyan")]),
    (LEAD + 'Ivanov welcomed Sargsyan\'s promise that "the talks will go on".',
     [("the talks", "sargsyan")]),
    (LEAD + 'Ivanov recalled Karimov\'s words that "the talks will go on".',
     [("the talks", "karimov")]),
    ("Interview with Pavel Ivanov\nQ. How were the talks?\nA. They were good.\nQ. Next?\nA. More talks.",
     [("They were", "ivanov"), ("More talks", "ivanov")]),
    ("Pavel Ivanov spoke to Anna Lee.\nAnna Lee: How were the talks?\nIvanov: They were "
     "good.\nAnna Lee: And next?\nIvanov: More talks.",
     [("They were", "ivanov"), ("More talks", "ivanov")]),
    ("Pavel Ivanov spoke to Anna Lee.\nAnna Lee: How were the talks?\nIvanov: They were "
     "\"good\", we think.\nAnna Lee: And next?\nIvanov: More talks.",
     [("They were", "ivanov"), ("More talks", "ivanov")]),
    ("Interview with Pavel Ivanov\n\u2014 How were the talks?\n\u2014 They were good, we met "
     "twice.\n\u2014 And next?\n\u2014 More talks.",
     [("They were", "ivanov"), ("More talks", "ivanov")]),
    ("Ivanov spoke to us after the talks.\n\u2014 How were the talks?\n\u2014 They were "
     "\"good\", we met twice.\n\u2014 And next?\n\u2014 More talks.",
     [("They were", "ivanov"), ("More talks", "ivanov")]),
    (LEAD + '"The talks will go on," the head of the Russian delegation, Deputy Foreign Minister '
            'Pavel Ivanov, said.',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," the head of the delegation, Pavel Ivanov, said.',
     [("The talks", "ivanov")]),
    (LEAD + 'The head of the Russian delegation, Deputy Foreign Minister Pavel Ivanov, said: '
            '"The talks will go on."',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," said the head of the Russian delegation, Deputy Foreign '
            'Minister Pavel Ivanov.',
     [("The talks", "ivanov")]),
    (LEAD + '"The talks will go on," Ivanov, the head of the Russian delegation, told reporters.',
     [("The talks", "ivanov")]),
]


def speakers(text: str, expected: Expected) -> Expected:
    """Each quote's first words (as many as `expected` gives) and its speaker: an actor id, or
    the name of the proposed new actor."""
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    names = {a.id: a.name for a in new}
    lengths = [len(start) for start, _ in expected] + [40] * len(quotes)
    return [(q.candidate.text[:n], names.get(q.speaker or "", q.speaker))
            for q, n in zip(quotes, lengths, strict=False)]


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_the_speaker_of_each_form(text: str, expected: Expected) -> None:
    assert speakers(text, expected) == expected


# --- terms in quote marks ----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    'Russia proposed the "3+3" format for the region.',
    'The "peacekeepers" left the area on Monday.',
    'Talks on the "Zangezur corridor" went on in Moscow.',
    'Armenia joined the "crossroads of peace" project this year.',
    'The so-called "peacekeepers" left the area on Monday.',
    'The Russian \u201cpeacekeeping\u201d contingent left the area.',
    'Ivanov said the \u201c3+3\u201d platform would meet in Baku.',
    'Sargsyan said Armenia would promote "Crossroads of Peace".',
    'Ivanov said Moscow backs "3+3".',
    'Regarding the "Northern Route," the Russian side awaits details.',  # comma inside
])
def test_a_short_term_in_quote_marks_is_no_quote(text: str) -> None:
    found = article.extract(text, ACTORS)
    assert found.quotes == []
    assert any(h.startswith("terms in quote marks") for h in found.hints)


@pytest.mark.parametrize(("text", "fragment", "speaker"), [
    ('The move was a "stab in the back", Volkov said.', "stab in the back", "volkov"),
    ('Volkov called the move a "stab in the back".', "stab in the back", "volkov"),
    ('Petrova said the talks went "very well" on Monday.', "very well", "petrova"),
    ('"Unacceptable," Petrova said of the move.', "Unacceptable", "petrova"),
    ('Petrova described the talks as "constructive".', "constructive", "petrova"),
    ('According to Petrova, the talks were "useful".', "useful", "petrova"),
    ('Petrova expressed \u201cdeep concern\u201d about the clashes.', "deep concern", "petrova"),
    ('Ivanov warned of "grave consequences" ahead.', "grave consequences", "ivanov"),
    ('Ivanov met the envoys.\n"Never," he said.', "Never", "ivanov"),
    ('Ivanov met the envoys.\nHe said "Never".', "Never", "ivanov"),
    ('"Peace Now," Ivanov said.', "Peace Now", "ivanov"),
])
def test_a_short_attributed_fragment_stays_a_quote(text: str, fragment: str, speaker: str
                                                   ) -> None:
    found = article.extract(text, ACTORS)
    assert [(q.candidate.text, q.speaker) for q in found.quotes] == [(fragment, speaker)]


# --- transcripts and speakers not in the KB ----------------------------------------------------


def test_a_transcript_with_quote_marks_in_its_answers_is_read_turn_by_turn() -> None:
    text = ('Ivanov spoke to us after the talks. "We are calm," he said before the interview.\n'
            'Question: What of the "3+3" format?\n'
            'Ivanov: It is "useful", we think. We will meet in the spring.\n'
            'Question: And Sargsyan?\nIvanov: He said "yes" to the talks.\n')
    expected = [("We are calm", "ivanov"), ("It is", "ivanov"), ("He said", "ivanov")]
    assert speakers(text, expected) == expected


@pytest.mark.parametrize("lead", [
    "Olga Petrova spoke on Monday; on Tuesday we had an interview with Pavel Ivanov.\n",
    "Pavel Ivanov gave an interview to our paper. Olga Petrova did not.\n",
])
def test_answers_labelled_a_are_the_interviewees(lead: str) -> None:
    text = lead + "Q: How did Sargsyan react?\nA: Calmly.\nQ: And next?\nA: More talks.\n"
    expected = [("Calmly", "ivanov"), ("More talks", "ivanov")]
    assert speakers(text, expected) == expected


INTERVIEW = ("Question: Will the talks go on in the spring?\n"
             "Pavel Ivanov: Yes, both sides are ready for them.\n")


@pytest.mark.parametrize(("above", "below"), [
    ("Interview of the envoy\n", "\nTags: Russia, Armenia\n"),
    ("Published: 12 March 2021\nInterview of the envoy\n", ""),
    ("Interview of the envoy\nBy Anna Orlova\n", ""),
    ("Interview of the envoy\nAuthor: Anna Orlova\n", "Source: Wire\nShare: Facebook\n"),
    ("Category: Politics\nUpdated: 13 March 2021\n", "Photo: Wire Images\n"),
])
def test_page_labels_are_neither_turns_nor_speakers(above: str, below: str) -> None:
    found = article.extract(above + INTERVIEW + below, ACTORS)
    assert [(q.candidate.text, q.speaker) for q in found.quotes] == [
        ("Yes, both sides are ready for them.", "ivanov")]
    assert found.new_actors == []


def test_a_transcript_padded_with_no_break_spaces_is_read_turn_by_turn() -> None:
    text = "".join(f"\u00a0{line} \u00a0\n" for line in INTERVIEW.splitlines())
    expected = [("Yes, both sides are ready for them.", "ivanov")]
    assert speakers(text, expected) == expected


@pytest.mark.parametrize(("text", "name", "role"), [
    ("Vahan Karyan, Armenia's deputy foreign minister, spoke.\n"
     '"The talks will go on," Karyan said.', "Vahan Karyan", "Armenia's deputy foreign minister"),
    ("Vahan Karyan, Armenia's deputy foreign minister, spoke.\n"
     '"The talks will go on," the deputy minister said.', "Vahan Karyan",
     "Armenia's deputy foreign minister"),
    ('Hovik Sarkisov, an aide to the Armenian prime minister, said "the talks will go on".',
     "Hovik Sarkisov", "an aide to the Armenian prime minister"),
    ('"The talks will go on," Armenian Deputy Foreign Minister Vahan Karyan said.',
     "Vahan Karyan", "Armenian Deputy Foreign Minister"),
    ('Azerbaijan\'s Foreign Minister Elmar Gasanov said: "The talks will go on."',
     "Elmar Gasanov", "Azerbaijan's Foreign Minister"),
    ('Sargsyan received Russian Deputy Prime Minister Oleg Vasin.\n'
     '"The talks will go on," Vasin said.', "Oleg Vasin", "Russian Deputy Prime Minister"),
    ("Photo: Wire Images\nDmitry Orekhov, an aide to the president, spoke.\n"
     '"The talks will go on," Orekhov said.', "Dmitry Orekhov", "an aide to the president"),
])
def test_a_new_speaker_is_proposed_with_the_role_the_article_gives(text: str, name: str,
                                                                   role: str) -> None:
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert [(a.name, a.role, a.kind) for a in new] == [(name, role, "person")]
    assert [q.speaker for q in quotes] == [new[0].id]


@pytest.mark.parametrize("text", [
    'Ivanov met the envoys.\n"The talks will go on," Russia\'s envoy said.',
    'Ivanov met the envoys.\n"The talks will go on," the Azerbaijani foreign minister said.',
    'Ivanov met the envoys.\n"The talks will go on," the ministry said.',
])
def test_a_role_that_names_no_one_known_gives_no_speaker_and_no_new_actor(text: str) -> None:
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert [q.speaker for q in quotes] == [None]
    assert new == []


# --- whole articles: several speakers, roles, pronouns and institutions in turn -------------

ARTICLES: list[tuple[str, list[str]]] = [
    ("\n".join([
        "MOSCOW, March 3. /NEWSWIRE/. Russia is ready to keep helping Baku and Yerevan reach a "
        "peace deal, Russian Deputy Foreign Minister Pavel Ivanov told NEWSWIRE on Tuesday.",
        '"We remain committed to our role as a mediator," the diplomat said. "Our contacts with '
        'both sides continue."',
        'According to him, the sides "have made some progress on the border issue."',
        'Ivanov also noted that Moscow is ready to host the next round. "The venue is not the '
        'main thing," he stressed.',
        'Earlier, Armenian Prime Minister Aram Sargsyan said Yerevan "sees no alternative to '
        'peace."',
    ]), ["ivanov", "ivanov", "ivanov", "ivanov", "sargsyan"]),
    ("\n".join([
        "YEREVAN/BAKU (Wire) - Azerbaijan accused Armenia on Wednesday of shelling its positions,"
        " a charge Yerevan denied.",
        "\"Armenian forces opened fire on our positions overnight,\" Azerbaijan's Foreign Ministry "
        "said in a statement.",
        'Kremlin spokesman Dmitry Volkov told reporters Moscow was concerned. "We call on both '
        'sides to show restraint," Volkov said.',
        '"We are in contact with Baku and Yerevan," he added.',
    ]), ["aze-mfa", "volkov", "volkov"]),
    ("\n".join([
        "Petrova: Moscow ready to host talks between Baku and Yerevan",
        "Russia is ready to provide a platform, Russian Foreign Ministry spokeswoman Olga Petrova"
        " said at a briefing on Thursday.",
        '"Our proposals remain on the table," she said.',
        'The spokeswoman added that the sides "should not waste time."',
        '"Russia has always acted as an honest broker," Petrova noted, adding that "the West is '
        'trying to push Moscow out."',
        "Source: Some News",
    ]), ["petrova", "petrova", "petrova", "petrova"]),
    ("\n".join([
        "The Russian Foreign Ministry has criticised Yerevan's decision.",
        '"This step runs counter to the spirit of our agreements," the ministry said.',
        "Deputy Foreign Minister Pavel Ivanov later told reporters that Moscow expected an "
        "explanation.",
        '"We are waiting for clarity," the deputy minister said.',
        "Armenia's Foreign Ministry responded within hours. \"We have explained our position many "
        'times," it said.',
    ]), ["rus-mfa", "ivanov", "Armenia's Foreign Ministry"]),
    ("\n".join([
        "BAKU, May 5 (Wire) - Azerbaijani President Elnur Karimov said on Friday that a peace "
        'treaty with Armenia could be signed "within months", but only if Yerevan changed its '
        "constitution.",
        'Speaking at a forum in Baku, Karimov said Russia had played "a constructive role" in the'
        " talks.",
        '"We are grateful to our Russian partners," he said.',
        "Armenia's prime minister, Aram Sargsyan, has said his country is ready to sign. \"The "
        'text is almost agreed," Sargsyan told parliament last week.',
        'Moscow welcomed the progress. "We hope the sides will finish the work soon," Russian '
        "Foreign Minister Grigory Orlov told reporters.",
        'The Russian minister added: "We are ready to help."',
    ]), ["karimov", "karimov", "karimov", "sargsyan", "orlov", "orlov"]),
]


@pytest.mark.parametrize(("text", "expected"), ARTICLES)
def test_every_quote_of_an_article_has_its_speaker(text: str, expected: list[str]) -> None:
    quotes, new, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    names = {a.id: a.name for a in new}
    assert [names.get(q.speaker or "", q.speaker) for q in quotes] == expected


@pytest.mark.parametrize("headline", [
    '"Russia is ready to help both sides reach peace"',
    '\u201cRussia is ready to help both sides reach peace\u201d \u2013 Petrova',
    'Petrova: \u201cRussia is ready to help both sides reach peace\u201d',
])
def test_a_headline_quote_is_the_words_of_the_article_s_speaker(headline: str) -> None:
    text = (headline + "\nMOSCOW, May 5. /WIRE/. Russia will keep mediating between Baku and "
            "Yerevan, Russian Foreign Ministry spokeswoman Olga Petrova said on Friday.\n"
            "The talks resumed in April.\nMore talks are planned.\n")
    quotes, _, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), ACTORS)
    assert [q.speaker for q in quotes] == ["petrova"]



# --- the roles and institutions of the shipped KB's actors -----------------------------------

SHIPPED_ROLES = [
    ('"We help," the Russian foreign minister said.', "lavrov", "2023-05-01"),
    ('"We help," Russia\'s top diplomat said.', "lavrov", "2023-05-01"),
    ('"We help," the Russian deputy foreign minister said.', "galuzin", "2024-06-01"),
    ('"We help," the Russian deputy foreign minister said.', "rudenko", "2020-07-01"),
    ('"We help," the Azerbaijani president said.', "aliyev", "2023-05-01"),
    ('"We help," the Armenian premier said.', "pashinyan", "2023-05-01"),
    ('"We help," the Armenian leader said.', "pashinyan", "2023-05-01"),
    ('"We help," the Russian leader said.', "putin", "2023-05-01"),
    ('"We help," the Azerbaijani presidential aide said.', "hajiyev", "2024-05-01"),
    ('"We help," the Russian Foreign Ministry spokeswoman said.', "zakharova", "2023-05-01"),
    ('"We help," the official representative of the Russian Foreign Ministry said.',
     "zakharova", "2023-05-01"),
    ('"We help," the special envoy said.', "khovayev", "2023-05-01"),
    ('"We help," Moscow said.', "russia", "2023-05-01"),
    ('"We help," the Russian peacekeepers said.', "russian-peacekeeping-contingent", "2023-05-01"),
    ('"We help," Russia\'s Defence Ministry said.', "russian-defence-ministry", "2023-05-01"),
    ('"We help," the Azerbaijani Defence Ministry said.', "azerbaijani-defence-ministry",
     "2023-05-01"),
    ('"We help," the Armenian side said.', "armenia", "2023-05-01"),
    ('"We help," the Armenian foreign minister said.', "mirzoyan", "2024-06-01"),
    ('"We help," Azerbaijan\'s foreign minister said.', "bayramov", "2024-06-01"),
    ('"We help," the head of the Russian Foreign Ministry said.', "lavrov", "2023-05-01"),
    ('"We help," the Kremlin said.', "kremlin", "2023-05-01"),
    ('"We help," the Russian president told reporters.', "putin", "2023-05-01"),
]


@functools.cache
def _shipped_actors() -> list[Actor]:
    return list(store.open_kb(store.shipped_kb()).actors.values())


@pytest.mark.parametrize(("line", "speaker", "date"), SHIPPED_ROLES)
def test_a_role_means_the_shipped_kb_actor_holding_it(line: str, speaker: str, date: str
                                                       ) -> None:
    actors = _shipped_actors()
    text = "Talks resumed in Moscow on Monday.\n" + line
    quotes, _, _ = attribution.attribute_speakers(text, quoting.find_quotes(text), actors, date)
    assert [q.speaker for q in quotes] == [speaker]


def test_terms_are_listed_for_the_curator_before_the_actors_named() -> None:
    found = article.extract('Ivanov said the "3+3" platform and the so-called "roadmap" '
                            "would be discussed in Baku.", ACTORS)
    assert found.quotes == []
    assert found.hints[-2:] == [
        "terms in quote marks, read as names or terms and not proposed as quotes: "
        "\u201c3+3\u201d, \u201croadmap\u201d", "actors named: ivanov, azerbaijan"]


# --- the attribution rules: each named, with a strength, and with its row here ----------------

# One row per rule at least: (rule name, article, the quote's first words, speaker, strength).
RULE_ROWS: list[tuple[str, str, str, str | None, str]] = [
    ("transcript answer", "An interview with Pavel Ivanov.\nQ: Will the talks go on?\n"
     "A: The talks will go on.\nQ: When?\nA: Soon enough, we hope.\n", "The talks",
     "ivanov", "medium"),
    ("transcript turn", "Question: Will the talks go on?\nIvanov: The talks will go on.\n"
     "Question: When?\nIvanov: Soon enough, we hope.\n", "The talks", "ivanov", "strong"),
    ("inside the quoted sentence", LEAD + "Ivanov warned that the talks will go on for a "
     "long time yet, he said.\u201d\n", "Ivanov warned", "ivanov", "medium"),
    ("stated by, after the quote", LEAD + '"The talks will go on." These words were stated by '
     "Ivanov.", "The talks", "ivanov", "strong"),
    ("after the quote", '"The talks will go on," Ivanov added.', "The talks", "ivanov", "strong"),
    ("after the quote", LEAD + '"The talks will go on," he said.', "The talks", "petrova",
     "strong"),
    ("after the quote", '"We are ready," Ivanov said. Karimov arrived later. "The talks will '
     'go on," he said.', "The talks", "ivanov", "medium"),  # a rival subject named since
    ("after the quote", '"We are ready," Ivanov said. Ivanov met Ambassador Anton Orlovsky.\n'
     'Orlovsky thanked Russia. "The talks will go on," he said.', "The talks", "ivanov",
     "medium"),  # a rival not in the KB, named as a subject since
    ("after the quote", '"The talks will go on," Sergey Kopyrkin said.', "The talks",
     "sergey-kopyrkin", "strong"),
    ("after the quote", '"The talks will go on," the Minsk Group Co-Chair said.', "The talks",
     "minsk-group-co-chair", "medium"),  # a title printed as a name: no person's name
    ("before the quote", LEAD + 'According to Ivanov, "the talks will go on".', "the talks",
     "ivanov", "strong"),
    ("speaker's label before a colon", LEAD + 'Envoy Pavel Ivanov: "The talks will go on."',
     "The talks", "ivanov", "strong"),
    ("in the next sentence", LEAD + '"The talks will go on", and more. Ivanov said this at a '
     "briefing.", "The talks", "ivanov", "medium"),
    ("after the quote", '"The talks will go on," Deputy Director of the Information and Press '
     "Department of the Russian Foreign Ministry Sergey Kopyrkin said.", "The talks",
     "sergey-kopyrkin", "strong"),  # a long title in capitals before the name
    ("after the quote", LEAD + 'Ivanov arrived. "The talks will go on," the diplomat said.',
     "The talks", "ivanov", "strong"),  # "the diplomat" as "he"
    ("after the quote", LEAD + 'Ivanov arrived. "The talks will go on," the top Iranian '
     "diplomat said.", "The talks", "ivanov", "medium"),  # a qualified one may be another
    ("after the quote", "The Russian Foreign Ministry met.\n\n"
     '"The talks will go on," the ministry said.', "The talks", "rus-mfa", "strong"),
    ("after the quote", "The Russian Foreign Ministry and the Armenian Foreign Ministry met.\n\n"
     '"The talks will go on," the ministry said.', "The talks", "rus-mfa", "medium"),
    ("the sentence before", LEAD + "Ivanov noted that the talks will go on.\n\n"
     '"We are ready."', "We are", "ivanov", "strong"),
    ("the sentence before", LEAD + "The talks will go on, Ivanov added. "
     '"We are ready."', "We are", "ivanov", "strong"),
    ("the sentence before", '"The talks will go on," Ivanov said. "We are ready."', "We are",
     "ivanov", "strong"),
    ("the sentence before", "The Russian Foreign Ministry met. The statement said that the talks will go on. "
     '"We are ready."', "We are", "rus-mfa", "medium"),
    ("the previous speaker", '"The talks will go on," Ivanov said. The hall was full. '
     '"We are ready."', "We are", "ivanov", "strong"),
    ("the previous speaker", '"The talks will go on," Ivanov said. Ivanov noted that Karimov '
     'agreed. "We are ready."', "We are", "ivanov", "medium"),  # another person named before
    ("the previous speaker", '"The talks will go on," Ivanov said.\nKarimov arrived.\n'
     '"We are ready."', "We are", "ivanov", "medium"),
    ("the last person named", "Talks resumed in Sochi after Ivanov arrived.\n"
     '"We are ready."', "We are", "ivanov", "weak"),
]


def _attribution(text: str, starts: str) -> attribution.Attribution:
    found = article.extract(text, ACTORS)
    return next(q for q in found.quotes if q.candidate.text.startswith(starts))


@pytest.mark.parametrize(("rule", "text", "starts", "speaker", "strength"), RULE_ROWS)
def test_each_rule_names_the_speaker_with_its_strength_and_basis(
        rule: str, text: str, starts: str, speaker: str | None, strength: str) -> None:
    found = _attribution(text, starts)
    assert (found.rule, found.speaker, found.strength) == (rule, speaker, strength)
    assert found.how.startswith(f"{rule}: ")


def test_every_attribution_rule_has_a_name_a_strength_and_a_test_row() -> None:
    names = [rule.name for rule in attribution.ATTRIBUTION_RULES]
    assert all(names) and len(set(names)) == len(names)
    assert all(rule.strength in ("strong", "medium", "weak")
               for rule in attribution.ATTRIBUTION_RULES)
    assert set(names) <= {row[0] for row in RULE_ROWS}, "a rule without a test row"
    assert set(attribution.RESOLUTIONS.values()) <= {"strong", "medium", "weak"}


def test_rules_naming_different_speakers_make_a_weak_proposal_with_the_alternative() -> None:
    found = _attribution('Petrova said: "The talks will go on," Ivanov added.', "The talks")
    assert (found.speaker, found.strength, found.alternatives) == ("ivanov", "weak", ["petrova"])


def test_the_architecture_doc_lists_every_attribution_rule() -> None:
    doc = (Path(__file__).parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    for rule in attribution.ATTRIBUTION_RULES:
        assert f"- `{rule.name}`, at most {rule.strength}" in doc
