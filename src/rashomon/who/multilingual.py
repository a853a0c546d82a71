"""Mentions and quotes in languages other than English (map stage): French with its own spaCy parse,
every other language by its quotation marks alone.

* :func:`scan` pairs a language's own quotation marks (``data/languages.toml``): French « … » (with the
  French spacing inside), German „ … “ and » … «, Spanish « … ». The English scanner
  (:mod:`rashomon.who.quote_marks`) takes “ for an opening mark, which in German closes a quote.
* :func:`marked_quotes` — for a language without a pipeline: the quotes its marks hold (three words or
  more), with no speaker or cue, since nothing here reads the language's grammar.
* :func:`mentions` and :func:`quotes` — for a parsed language (French): the parser's entities mapped to
  rashomon's labels (places through :mod:`rashomon.text.geo`, which knows "États-Unis"), and each quote's
  speech verb ("a déclaré", "a affirmé", "estime-t-il") or source ("selon le ministre") with its
  speaker, pronouns going to the last person named before them.

>>> text = "Der Bürgermeister sagte: „Wir bauen die Brücke bis Mai neu.“ Dann ging er."
>>> [text[s.start:s.end] for s in scan(text, "de")]
['Wir bauen die Brücke bis Mai neu.']
>>> t = "Il a dit : « Nous ne céderons pas », puis il est parti."
>>> [t[s.start:s.end] for s in scan(t, "fr")]
['Nous ne céderons pas']
"""

from __future__ import annotations

import bisect
import tomllib
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..model import Article, Mention, QuoteMention
from ..text import geo
from .quote_marks import QuoteSpan

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

MIN_WORDS = 3  # a marked passage shorter than this is a name, a title or a scare quote
FRAGMENT_WORDS = 5  # a quote this short inside a longer sentence is a fragment of reported speech


@lru_cache(maxsize=1)
def data() -> dict[str, Any]:
    """The parsed ``data/languages.toml``."""
    raw = resources.files("rashomon").joinpath("data/languages.toml").read_text(encoding="utf-8")
    return tomllib.loads(raw)


@lru_cache(maxsize=32)
def marks(language: str | None) -> dict[str, str]:
    """Opening mark -> closing mark, for ``language`` (or the default set)."""
    pairs = data()["marks"].get(language or "", data()["marks"]["default"])
    return {p.split(" ")[0]: p.split(" ")[1] for p in pairs}


def scan(text: str, language: str | None) -> list[QuoteSpan]:
    """Outer quotes of ``text`` by the marks of ``language``, paragraph by paragraph; a mark that closes
    the open quote closes it (so German “ closes „), otherwise an opening mark opens a nested quote; a
    quote left open at the end of its paragraph is dropped.

    >>> [s.closed for s in scan("» Wir kommen «, sagte sie.", "de")]
    [True]
    """
    pairs = marks(language)
    out: list[QuoteSpan] = []
    pos = 0
    for para in text.split("\n"):
        stack: list[tuple[str, int]] = []  # (expected closing mark, offset of the opening mark)
        for i, ch in enumerate(para):
            if stack and ch == stack[-1][0]:
                _, at = stack.pop()
                if not stack:
                    start, end = at + 1, i
                    while start < end and para[start].isspace():
                        start += 1
                    while end > start and para[end - 1].isspace():
                        end -= 1
                    if end > start:
                        out.append(QuoteSpan(pos + at, pos + i + 1, pos + start, pos + end))
            elif ch in pairs and not (ch == '"' and stack and stack[-1][0] != '"' and len(stack) > 1):
                stack.append((pairs[ch], i))
        pos += len(para) + 1
    return out


def _words(text: str) -> int:
    return len(text.split())


def marked_quotes(article: Article, sentence_starts: Sequence[int]) -> tuple[QuoteMention, ...]:
    """Quotes of an article in a language that is not analysed: what its own marks hold (``MIN_WORDS``
    words or more), without speaker or cue.

    >>> from rashomon.model import Article
    >>> art = Article(id="d", input="-", language="de",
    ...               text="Sie sagte: „Wir bauen die Brücke neu.“ Das „Projekt“ kostet viel.")
    >>> [(q.text, q.speaker, q.cue) for q in marked_quotes(art, [0])]
    [('Wir bauen die Brücke neu.', None, None)]
    """
    out = []
    for s in scan(article.text, article.language):
        words = article.text[s.start:s.end]
        if _words(words) < MIN_WORDS:
            continue
        out.append(QuoteMention(text=words, start=s.start, end=s.end,
                                sentence=max(0, bisect.bisect_right(list(sentence_starts), s.start) - 1),
                                parts=((s.start, s.end),)))
    return tuple(out)


_ABBREVIATIONS = frozenset({"m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "st", "ste", "gén", "col", "cie",
                            "etc", "av", "bd", "hr", "fr", "prof", "nr", "sr", "sra", "jr"})
_OPENERS = "«“„‚‹\"(»"


def sentences(text: str, language: str | None = None) -> list[tuple[int, int]]:
    """Sentence offsets by punctuation, for languages whose parser cuts badly at quotation marks (the
    French model makes a sentence of a lone « or »): a sentence ends at . ! ? or … (with the closing
    marks after it) before a capital, a digit or an opening mark, never inside a guillemet quote and
    never after an abbreviation ("M. Lambrecht"); a line break always ends one.

    >>> t = "« Nous viendrons. Sans faute », a dit M. Lambrecht. Il est parti. « Oui. » Non.\\nFin"
    >>> [t[a:b] for a, b in sentences(t, "fr")]
    ['« Nous viendrons. Sans faute », a dit M. Lambrecht.', 'Il est parti.', '« Oui. »', 'Non.', 'Fin']
    """
    pairs = {k: v for k, v in marks(language).items() if k != '"'}
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        start = None
        stack: list[str] = []  # closing marks expected
        i = 0
        while i < len(para):
            ch = para[i]
            if start is None and not ch.isspace():
                start = i
            closed = False
            if stack and ch == stack[-1]:
                stack.pop()
                closed = not stack
            elif ch in pairs:
                stack.append(pairs[ch])
            if (ch in ".!?…" and not stack or closed and para[:i].rstrip()[-1:] in (".", "!", "?", "…")) \
                    and start is not None:
                j = i + 1
                while j < len(para) and (para[j] in ".!?…\"’)" or (stack and para[j] == stack[-1])):
                    j += 1
                k = j
                while k < len(para) and para[k] in " \t\u00a0\u202f":
                    k += 1
                word = para[start:i].split()[-1].lower().lstrip(_OPENERS) if para[start:i].split() else ""
                nxt = para[k] if k < len(para) else ""
                if k > j and (nxt.isupper() or nxt.isdigit() or nxt in _OPENERS) and word not in _ABBREVIATIONS \
                        and not (len(word) == 1 and word.isalpha()):
                    out.append((pos + start, pos + j))
                    start = None
                    i = k
                    continue
            i += 1
        if start is not None and para[start:].strip():
            out.append((pos + start, pos + len(para.rstrip())))
        pos += len(para) + 1
    return out


# ------------------------------------------------------------------------------ parsed languages


def _speech(language: str) -> dict[str, Any]:
    return dict(data()["speech"].get(language, {}))


def mentions(doc: Doc, article: Article, sentence_starts: Sequence[int]) -> tuple[Mention, ...]:
    """Entity mentions of a parsed non-English article, with rashomon's labels: persons and
    organisations as the parser says, places that stand for a state or a city as GPE (with its ISO
    code in ``country``), demonyms as NORP; the parser's MISC otherwise is left out (in French it is
    mostly titles, events and adjectives)."""
    language = article.language or ""
    labels = _speech(language).get("labels", {})
    starts = list(sentence_starts)
    out = []
    for ent in doc.ents:
        label = labels.get(ent.label_, ent.label_)
        text = ent.text.strip(" ,.;:«»\"“”")
        if len(text) < 2:
            continue
        start = ent.start_char + ent.text.index(text)
        place = geo.lookup(text, language) if label in ("LOC", "MISC", "ORG") else None
        country = place.code if place is not None else None
        if label == "LOC" and place is not None and place.kind != "demonym":
            label = "GPE"
        elif label == "MISC":
            if place is None or place.kind != "demonym":
                continue
            label = "NORP"
        elif label == "ORG" and place is not None and place.kind == "country":
            label = "GPE"
        title = None
        words = text.split()
        if label == "PERSON" and len(words) > 1 and words[0].rstrip(".").lower() in _HONORIFICS:
            title = words[0]  # "Mme Varenne" is Varenne, titled: so she meets "Anouk Varenne"
            start += len(text) - len(text[len(words[0]):].lstrip())
            text = text[len(words[0]):].lstrip()
        sentence = max(0, bisect.bisect_right(starts, start) - 1)
        out.append(Mention(text=text, label=label, start=start, end=start + len(text), sentence=sentence,
                           country=country, title=title))
    return tuple(out)


_HONORIFICS = frozenset({"m", "mm", "mme", "mmes", "mlle", "monsieur", "madame", "mademoiselle", "me", "dr", "pr"})


def quotes(doc: Doc, article: Article, found: Sequence[Mention],
           spans: Sequence[tuple[int, int]]) -> tuple[QuoteMention, ...]:
    """Direct quotes of a parsed non-English article with their speech verb and speaker.

    The cue is a speech verb (``data/languages.toml``) of the quote's sentence outside the quote, the
    nearest after it first ("», a déclaré le ministre"), else before it ("Il a affirmé : « »"), or a
    source preposition ("selon X"). The speaker is the verb's subject, or the noun right after an
    inverted verb; a pronoun goes to the last person named before the quote; a quote that is a sentence
    of its own and has no cue continues the speaker of the quote just before it.
    """
    language = article.language or ""
    speech = _speech(language)
    verbs = frozenset(speech.get("verbs", ()))
    sources = frozenset(speech.get("sources", ()))
    pronouns = frozenset(speech.get("pronouns", ()))
    people = sorted((m for m in found if m.label == "PERSON"), key=lambda m: m.start)
    person_starts = [m.start for m in people]
    sent_starts = [a for a, _ in spans]
    text = article.text
    out: list[QuoteMention] = []
    previous: QuoteMention | None = None
    for s in scan(text, language):
        words = text[s.start:s.end]
        if not words.strip() or not any(c.isalpha() for c in words):
            continue
        first = max(0, bisect.bisect_right(sent_starts, s.open) - 1)
        last = max(0, bisect.bisect_right(sent_starts, max(s.open, s.close - 1)) - 1)
        lo, hi = (spans[first][0], spans[last][1]) if spans else (0, len(text))
        window = [t for t in doc if lo <= t.idx < hi and not (s.open <= t.idx < s.close)]
        cue, speaker_tok = _cue(window, s, verbs, sources, pronouns)
        outside = (text[lo:s.open] + text[s.close:hi]).strip(" .,;:!?-–—\u00a0\u202f")
        standalone = not outside
        speaker = speaker_text = kind = None
        sp_start = sp_end = mention_start = None
        if speaker_tok is not None:
            span = _phrase(doc, speaker_tok, s)
            sp_start, sp_end = span.start_char, span.end_char
            speaker_text = text[sp_start:sp_end]
            inside = [m for m in people if sp_start <= m.start < sp_end]
            if inside:
                speaker, kind, mention_start = inside[0].text, "name", inside[0].start
            elif speaker_tok.lower_.strip("-").removeprefix("t-") in pronouns:
                kind = "pronoun"
                person = _antecedent(people, person_starts, s.open, speaker_tok.lower_.strip("-").removeprefix("t-"))
                if person is not None:
                    speaker, mention_start = person.text, person.start
            else:
                speaker, kind = speaker_text, "description"
        if cue is None and speaker is None and standalone and previous is not None and previous.speaker:
            speaker, kind, mention_start = previous.speaker, previous.speaker_kind, previous.speaker_mention
        if cue is None and speaker is None:
            continue
        before = text[lo:s.open].rstrip(" \u00a0\u202f")
        after = text[s.close:hi].lstrip(" \u00a0\u202f")
        woven = bool(before[-1:].isalpha() or after[:1].isalpha())  # "a qualifié de « honteux » la décision"
        fragment = _words(words) < FRAGMENT_WORDS and woven
        q = QuoteMention(text=words, start=s.start, end=s.end, cue=_cue_text(cue), speaker=speaker,
                         speaker_text=speaker_text, speaker_start=sp_start, speaker_end=sp_end, speaker_kind=kind,
                         fragment=fragment, sentence=first, parts=((s.start, s.end),), speaker_mention=mention_start)
        out.append(q)
        previous = q
    return tuple(out)


_FEMININE = frozenset({"elle", "elles"})
_MASCULINE = frozenset({"il", "ils"})


def _antecedent(people: Sequence[Mention], starts: Sequence[int], at: int, pronoun: str) -> Mention | None:
    """The person a pronoun stands for: the last one named before ``at`` whose gender (title or given name)
    fits it ("elle" never goes to "M. Heller"), else the last one of unknown gender."""
    from .names import given_gender

    want = "f" if pronoun in _FEMININE else "m" if pronoun in _MASCULINE else None
    unknown = None
    for k in range(bisect.bisect_left(list(starts), at) - 1, -1, -1):
        m = people[k]
        first = (m.title or m.text.split()[0]).rstrip(".").lower()
        gender = "f" if first in ("mme", "madame", "mlle") else "m" if first in ("m", "monsieur") \
            else given_gender(m.text.split()[0])
        if gender == want or want is None:
            return m
        if gender is None and unknown is None:
            unknown = m
    return unknown


def _cue(window: Sequence[Token], s: QuoteSpan, verbs: frozenset[str], sources: frozenset[str],
         pronouns: frozenset[str]) -> tuple[Token | None, Token | None]:
    """(cue token, speaker head token) from the tokens around a quote: nearest after it first."""
    after = [t for t in window if t.idx >= s.close]
    before = [t for t in window if t.idx < s.open][::-1]
    for side in (after, before):
        for t in side:
            if t.pos_ in ("VERB", "AUX") and t.lemma_.lower() in verbs:
                # an inverted pronoun the parser split off: "a-t-elle ajouté", "estime-t-il"
                for u in t.doc[max(0, t.i - 3):t.i + 3]:
                    if u.text.startswith("-") and u.lower_.strip("-").removeprefix("t-") in pronouns:
                        return t, u
                return t, _subject(t, s)
            if t.lower_ in sources and t.head.i != t.i:
                return t, t.head
    return None, None


def _subject(verb: Token, quote: QuoteSpan) -> Token | None:
    """The speaker of a speech verb: its subject outside the quote, else (inverted: "a déclaré le
    ministre", "estime-t-il") the first noun, name or pronoun after it, outside the quote."""
    def outside(t: Token) -> bool:
        return not (quote.open <= t.idx < quote.close)

    for c in verb.children:
        if c.dep_.startswith("nsubj") and outside(c):
            return c
    for c in verb.rights:
        if c.pos_ in ("PROPN", "NOUN", "PRON") and outside(c) and \
                c.dep_ not in ("obl", "obl:arg", "obl:mod", "ccomp", "xcomp"):
            return c
    for t in verb.doc[verb.i + 1:verb.i + 4]:  # a subject the parser left unattached: ", a affirmé M. Heller."
        if t.is_punct:
            break
        if t.pos_ in ("PROPN", "NOUN") and outside(t):
            return t
    return None


def _phrase(doc: Doc, head: Token, quote: QuoteSpan) -> Span:
    """The speaker's phrase: the head with its determiners, names and adjectives, never a clause, and
    never reaching into the quote."""
    side = (lambda t: t.idx >= quote.close) if head.idx >= quote.close else (lambda t: t.idx < quote.open)
    keep = [head] + [t for t in head.subtree if t.i != head.i and t.dep_ in (
        "det", "flat:name", "amod", "compound", "nmod", "case", "appos", "flat") and abs(t.i - head.i) <= 6
        and side(t)]
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep) + 1
    while lo < hi - 1 and doc[lo].dep_ == "case" and doc[lo].lower_ in ("selon", "d'après"):
        lo += 1
    return doc[lo:hi]


def _cue_text(cue: Token | None) -> str | None:
    """The cue as written with its auxiliaries ("a déclaré")."""
    if cue is None:
        return None
    auxes = [c for c in cue.children if c.dep_.startswith("aux") and c.i < cue.i]
    if not auxes:
        return cue.text
    return cue.doc[min(c.i for c in auxes):cue.i + 1].text
