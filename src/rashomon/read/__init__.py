"""Reading: inputs -> cleaned articles (the first stage, per input and per article).

* :mod:`.ingest` — text files, saved web pages, RSS/Atom feeds, JSONL corpora, directories and (opt-in) URLs
  -> ``RawDocument`` records, or ``Skipped`` with a reason;
* :mod:`.extract` — a saved web page's main text, title, date and outlet;
* :mod:`.clean` — ``RawDocument`` -> ``Article``: mojibake, whitespace, language, boilerplate;
* :mod:`.boilerplate` — the clutter scraped along with a text, found by evidence and kept aside;
* :mod:`.metadata` — outlet and date from the text itself (datelines, agency cues, bylines);
* :mod:`.feeds` — RSS/Atom documents as entries, and the feed a web page names;
* :mod:`.fetch` — one GET under a policy (deadline, size cap, redirects, no private addresses).
"""
