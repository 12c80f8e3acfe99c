"""The article reader behind `nkb add`: the page (`page`), its publication date (`pubdate`),
the quoted words (`quotes`), who said them (`attribution`) and all at once (`article`), over one
vocabulary (`lexicon`, with word lists as data files in `data/`). Attribution and outlets are
ordered lists of named rules, each with its strength; every proposal keeps its basis."""
