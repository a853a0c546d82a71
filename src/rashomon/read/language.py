"""The language of an article, from its text: metadata is a hint, checked against the text.

An input may say which language it is in (a JSONL ``language`` field, a feed's ``<language>``, a page's
``lang``). That is often wrong — a feed declares one language for every entry, a scraper copies the site's
default — so the text decides (langdetect, offline, seeded): the hint stands only where the text cannot
tell (too short, too mixed) or where the text's own ranking gives the hint a fair chance. A hint the text
contradicts is kept as ``declared`` so the runner can report it, and the article gets the text's language.

Whether the article is *analysed* follows from its language: only languages with a spaCy pipeline
installed (:mod:`rashomon.text.nlp`) are parsed; every other article is cleaned, stored and grouped, but
no model of another language ever reads it, and ``reason`` says why.

>>> v = judge("Der Stadtrat von Kessin hat am Dienstag beschlossen, den alten Hafen zu schließen. "
...           "Die Entscheidung fiel nach einer langen Debatte.", hint="en")
>>> v.language, v.declared, v.analysed, v.reason
('de', 'en', False, 'German: no model installed for this language')
>>> judge("The council of Kessin voted on Tuesday to close the old harbour after a long debate.", "en-GB")
Verdict(language='en', declared=None, analysed=True, reason=None)
>>> name("fr"), name("de"), name("xx")
('French', 'German', 'xx')
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ..model import Article
from ..text import nlp

SAMPLE = 3000  # characters of the text that the detector reads
MIN_LETTERS = 20  # fewer letters than this: the text cannot tell, the hint stands
SURE = 0.6  # the detector's probability for its best language to be taken at all
OVERRULE = 0.8  # ... and to overrule a declared language that the detector gives no fair chance
FAIR = 0.2  # a declared language the detector ranks at least this likely stands


@dataclass(frozen=True, slots=True)
class Verdict:
    """An article's language (ISO 639-1, or None when neither text nor metadata tells), the declared
    language when the text contradicts it, and whether the article is analysed (and why not)."""

    language: str | None
    declared: str | None = None
    analysed: bool = True
    reason: str | None = None


def normalise(hint: str | None) -> str | None:
    """An ISO 639-1 code for a declared language: "fr-FR", "FR", "fra", "fre" or "French".

    >>> [normalise(x) for x in ("fr-FR", "EN_us", "deu", "fre", "French", "", None, "klingonese")]
    ['fr', 'en', 'de', 'fr', 'fr', None, None, None]
    """
    text = (hint or "").strip()
    if not text:
        return None
    code = text.replace("_", "-").split("-")[0].lower()
    if len(code) == 2 and code.isalpha():
        return code
    import pycountry

    found = None
    if len(code) == 3:
        found = pycountry.languages.get(alpha_3=code) or pycountry.languages.get(bibliographic=code)
    if found is None:
        try:
            found = pycountry.languages.lookup(text)
        except LookupError:
            return None
    return getattr(found, "alpha_2", None)


def name(code: str) -> str:
    """The English name of a language code, from CLDR (babel), else the code itself.

    >>> name("fr"), name("xx")
    ('French', 'xx')
    """
    return _names().get(code, code)


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Language code -> English name. Kept per machine (:mod:`rashomon.text.tables`): reading babel's English
    locale data for it took a tenth of a second or more of every run's summary."""
    from ..text.tables import cached

    return cached("language-names", _build_names, sources=[__file__, "pkg:babel"])


def _build_names() -> dict[str, str]:
    from babel import Locale

    return {str(k): str(v) for k, v in Locale("en").languages.items()}


# English's commonest function words, and other languages' commonest ones that English text does not use
# (not "de", "la", "le", "el", "los", "die", "van": English text carries them in names and as words)
_ENGLISH = frozenset(("the of and to in is that for on with was as by it at from he said his be are have has this "  # noqa: SIM905
                      "which an were not but or they their its who been had will would").split())
_FOREIGN = frozenset(("les des et dans pour qui avec une "  # noqa: SIM905 - French
                      "der das und ist nicht ein eine mit von zu auf sich "  # German
                      "por una para como pero "  # Spanish
                      "che della delle degli nel sono "  # Italian
                      "não uma "  # Portuguese
                      "het een niet zijn").split())  # Dutch
_WORD = re.compile(r"[^\W\d_]+")
PLAIN_WORDS = 40  # words a sample needs before its function words can vouch for English
PLAIN_SHARE = 0.2  # English function words among them (English news: 0.2-0.4; French, German: under 0.03)
PLAIN_FOREIGN = 0.01  # ... and at most this share of other languages' function words


def plainly_english(sample: str) -> bool:
    """``sample`` is English beyond doubt: a fifth of its words or more are English function words and
    hardly any another language's. Such a text needs no detector (whose 55 profiles take a third of a second
    to load, and each text ~5 ms); anything less plain goes to the detector.

    >>> plainly_english("The council of Kessin voted on Tuesday to close the old harbour, and the mayor said "
    ...                 "that the decision, which was taken after a long debate, would be reviewed by the "
    ...                 "regional court in the spring as it has been in the past.")
    True
    >>> plainly_english("Le conseil de Kessin a voté mardi la fermeture du vieux port, et le maire a dit que la "
    ...                 "décision, prise après un long débat, sera revue par le tribunal régional au printemps.")
    False
    """
    words = _WORD.findall(sample.lower())
    if len(words) < PLAIN_WORDS:
        return False
    english = sum(map(_ENGLISH.__contains__, words))  # map over a C method: a third of a generator's time
    foreign = sum(map(_FOREIGN.__contains__, words))
    return english >= PLAIN_SHARE * len(words) and foreign <= PLAIN_FOREIGN * len(words)


def detect(text: str, seed: int = 0) -> list[tuple[str, float]]:
    """The detector's ranking of languages for ``text`` (ISO 639-1, probability), best first; empty when
    the text has too few letters to tell. Plainly English text (:func:`plainly_english`) is ranked English,
    sure, without the detector."""
    sample = text[:SAMPLE]
    if sum(map(str.isalpha, sample)) < MIN_LETTERS:
        return []
    if plainly_english(sample):
        return [("en", 1.0)]
    from langdetect import DetectorFactory, LangDetectException, detect_langs

    DetectorFactory.seed = seed
    try:
        return [(x.lang.split("-")[0], float(x.prob)) for x in detect_langs(sample)]
    except LangDetectException:
        return []


def judge(text: str, hint: str | None = None, seed: int = 0) -> Verdict:
    """The language of ``text`` with ``hint`` (declared by the input) checked against it, and whether an
    article in it is analysed."""
    declared = normalise(hint)
    ranking = detect(text, seed)
    best, prob = ranking[0] if ranking else (None, 0.0)
    share = dict(ranking).get(declared or "", 0.0)
    if declared is None:
        language = best if prob >= SURE else None
        contradicted = None
    elif best is None or best == declared or share >= FAIR or prob < OVERRULE:
        language, contradicted = declared, None  # the text agrees, or cannot tell
    else:
        language, contradicted = best, declared
    why = nlp.missing(language) if language else None
    return Verdict(language, contradicted, why is None, f"{name(language)}: {why}" if why and language else None)


def warning(verdict_declared: str, language: str | None) -> str:
    """The run warning's reason for a declared language the text contradicts (the input is named beside it).

    >>> warning("en", "fr")
    'declared English (en), but the text is French (fr); language set to fr'
    """
    lang = language or "unknown"
    return f"declared {name(verdict_declared)} ({verdict_declared}), but the text is {name(lang)} ({lang}); language set to {lang}"


def summary_line(language: str | None, articles: int, analysed: bool, reason: str | None) -> str | None:
    """What the CLI, the report and the web app say about a language of the run other than English
    (None for English, which needs no saying).

    >>> summary_line("de", 12, False, "German: no model installed for this language")
    '12 articles in German: grouped, not analysed (no model installed for this language)'
    >>> summary_line("fr", 1, True, None)
    '1 article in French: analysed (PLOVER events are coded from English text only)'
    """
    if language == "en":
        return None
    label = name(language) if language else "an unknown language"
    noun = "article" if articles == 1 else "articles"
    if analysed:
        note = "analysed as English: the text did not tell its language" if not language else \
            "analysed (PLOVER events are coded from English text only)"
        return f"{articles} {noun} in {label}: {note}"
    why = (reason or "").split(": ", 1)[-1] or NO_ANALYSIS
    return f"{articles} {noun} in {label}: grouped, not analysed ({why})"


NO_ANALYSIS = "no analysis pipeline for this language"


def notes(articles: Iterable[Article]) -> list[str]:
    """What to say of a set of articles' languages other than English (:func:`summary_line` for each
    language, most articles first): the report's and the web app's notice.

    >>> from rashomon.model import Article
    >>> notes([Article(id="a", input="-", text="", language="de", analysed=False,
    ...                analysed_reason="German: no model installed for this language")])
    ['1 article in German: grouped, not analysed (no model installed for this language)']
    """
    counts: dict[tuple[str | None, bool, str | None], int] = {}
    for a in articles:
        key = (a.language, a.analysed, a.analysed_reason)
        counts[key] = counts.get(key, 0) + 1
    out = []
    for (lang, analysed, reason), n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0][0] or "")):
        line = summary_line(lang, n, analysed, reason)
        if line:
            out.append(line)
    return out
