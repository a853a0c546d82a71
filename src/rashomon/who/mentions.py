"""Named-entity mentions in one article (map stage), and the article's people.

The map stage (:func:`find_mentions`) reads spaCy's entities from the Doc it is given and corrects them
with local evidence: titles before a name ("Japanese premier Sanae Takaichi" is a person even when the
model missed it), the same word used for a person elsewhere in the article, places the geo tables know.
It records each mention's title, role descriptions (titles and appositives) and the state the text ties
to it. :class:`People` groups one article's person mentions (surname-only and titled ones under the full
name). The corpus stage (:func:`rashomon.who.entities.resolve`) merges mentions into canonical entities
across articles.

>>> from rashomon.text import nlp
>>> from rashomon.model import Article
>>> text = "Danish Foreign Minister Anna Kovac met Tomas Berg, a professor at Fenwick University."
>>> ms = find_mentions(nlp.load()(text), Article(id="a1", input="-", text=text))
>>> [(m.text, m.title, m.country, m.descriptions) for m in ms if m.label == "PERSON"]
[('Anna Kovac', 'Foreign Minister', 'DNK', ('Foreign Minister',)), ('Tomas Berg', None, None, ('professor at Fenwick University',))]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Article, Mention
from ..text import geo
from . import names

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

#: spaCy labels kept as entity mentions; numbers, dates and works of art are other stages' business.
LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW"})
_NAME_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT"})
_CHAIN_DEPS = frozenset({"compound", "amod", "nmod", "poss", "nummod", "npadvmod"})
_DROP_DESC_DEPS = frozenset({"relcl", "punct", "cc", "conj", "advcl"})
_STATE_KINDS = frozenset({"country", "capital", "seat", "demonym"})


# ------------------------------------------------------------------------------------ map stage


@dataclass(slots=True)
class _Draft:
    start: int  # token indices, end exclusive
    end: int
    label: str
    title: str | None = None
    descriptions: list[str] = field(default_factory=list)
    country: str | None = None


def find_mentions(doc: Doc, article: Article) -> tuple[Mention, ...]:
    """Entity mentions of one article, with local corrections, titles, roles and countries.

    Offsets index ``article.text`` (the text the Doc was parsed from).
    """
    headings = _heading_tokens(doc, article.text)
    drafts: list[_Draft] = []
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        start, end = _trim(doc, ent.start, ent.end)
        if ent.label_ == "PERSON":  # "Barack Obama's Endorsement", "Cruz's Iowa": the name ends at its possessive
            end = next((k for k in range(start + 1, end) if _possessive(doc[k])), end)
        if start >= end or all(i in headings for i in range(start, end)) or not doc[start].text[:1].isupper() \
                and not doc[start].text[:1].isdigit():
            continue  # headings, and lower-case words the model took for names ("html", "democratic")
        drafts.append(_Draft(start, end, ent.label_))
    drafts = _add_titled_people(doc, drafts)
    sent_of, sent_start = _sentence_numbers(doc)
    consumed: set[int] = set()
    for d in drafts:
        _place_label(doc, d)
        if d.label in ("PERSON", "ORG", "GPE", "NORP"):
            consumed |= _title_context(doc, d, sent_start[d.start])
        _appositive(doc, d)
    drafts = [d for d in drafts if not (d.label == "ORG" and d.end - d.start == 1 and d.start in consumed)]
    drafts = [d for d in drafts if not _not_a_name(doc, d, article.text)]
    _relabel_people(doc, drafts)
    drafts = _complete_people(doc, drafts, headings)
    for d in drafts:
        if d.label in ("GPE", "NORP", "LOC", "FAC") and d.country is None:
            place = geo.lookup(_text(doc, d.start, d.end))
            if place is not None and (place.kind in _STATE_KINDS or d.label == "GPE"):
                d.country = place.code
    out = []
    for d in sorted(drafts, key=lambda x: x.start):
        span = doc[d.start:d.end]
        descriptions = tuple(dict.fromkeys(d.descriptions))
        if d.label != "PERSON":  # "Taiwan, a rule over which ...": a bare noun left of a cut clause says nothing
            descriptions = tuple(x for x in descriptions if len(x.split()) > 1)
        parts = _compound_places(span.text) if d.label in ("GPE", "NORP", "LOC", "ORG") else None
        if parts:
            for offset, text, label, code in parts:
                out.append(Mention(text=text, label=label, start=span.start_char + offset,
                                   end=span.start_char + offset + len(text), sentence=sent_of[d.start], country=code))
            continue
        out.append(Mention(
            text=span.text, label=d.label, start=span.start_char, end=span.end_char,
            sentence=sent_of[d.start], descriptions=descriptions,
            country=d.country, title=d.title,
        ))
    return tuple(out)


def _compound_places(text: str) -> list[tuple[int, str, str, str]] | None:
    """A hyphenated pair of known places ("U.S.-Iran talks", "Russian-Chinese patrols") is two places, not
    one: (offset, text, label, state code) per part, or None when any part is no place the gazetteer knows."""
    if "-" not in text or " " in text:
        return None
    out = []
    pos = 0
    for part in text.split("-"):
        place = geo.lookup(part) if len(part) > 1 else None
        if place is None:
            return None
        out.append((pos, part, "NORP" if place.kind == "demonym" else "GPE", place.code))
        pos += len(part) + 1
    return out if len(out) > 1 else None


_CLASS_LABELS = frozenset({"ORG", "GPE", "LOC", "NORP", "PRODUCT", "LAW", "EVENT", "FAC"})
_COUNTS = frozenset({"several", "many", "some", "few", "various", "numerous", "multiple", "both"})


def _not_a_name(doc: Doc, d: _Draft, text: str) -> bool:
    """Capitalised words the model took for a name where the parse and the page say otherwise:

    * a word capitalised only because it opens a sentence or a list line, and written in lower case
      elsewhere in the article ("Information sharing, patrol coordination ..." / "information-sharing");
    * a counted plural ("three bilateral Memorandums of Cooperation"): a name does not take a number;
    * an acronym or word listed among common nouns ("LNG, LPG, nuclear technologies, hydrogen, and carbon
      capture"; "semiconductors, rare earths, AI, and ...").

    Places the gazetteer knows are names whatever their context.
    """
    if d.label not in _CLASS_LABELS:
        return False
    span = doc[d.start:d.end]
    place = geo.lookup(span.text)
    if place is not None:
        return False
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.text[:1].isupper():
        root = root.head.head  # "Understanding" in "four Memorandums of Understanding"
    if root.tag_ in ("NNS", "NNPS") and any(c.dep_ == "nummod" or c.lower_ in _COUNTS for c in root.children
                                            if c.i < min(d.start, root.i)):
        return True
    if d.end - d.start != 1:
        return False
    tok = doc[d.start]
    word = tok.text
    line_start = text.rfind("\n", 0, tok.idx) + 1
    opens = tok.is_sent_start or not re.sub(r"[\s\W]", "", text[line_start:tok.idx])
    if opens and word[:1].isupper() and not word.isupper() and re.search(rf"\b{re.escape(word.lower())}\b", text):
        return True
    if not (word.isupper() or word[:1].isupper()):
        return False
    members = _coordinated(tok)
    common = [m for m in members if m.i != tok.i and m.pos_ == "NOUN" and m.text.islower()]
    names = [m for m in members if m.i != tok.i and m not in common and not m.text.isupper()]
    return len(common) >= 2 and not names


def _coordinated(tok: Token) -> list[Token]:
    """The members of the coordination a token belongs to ("A, B, and C"), the token included (the parser
    sometimes hangs a list item on the one before it as an apposition)."""
    top = tok
    while top.dep_ in ("conj", "appos") and top.head.i != top.i:  # "rare earths, AI, and ...": AI as appos
        top = top.head
    out = [top]
    stack = [top]
    while stack:
        for c in stack.pop().children:
            if c.dep_ == "conj":
                out.append(c)
                stack.append(c)
    return out


def _text(doc: Doc, start: int, end: int) -> str:
    return doc[start:end].text


def _sentence_numbers(doc: Doc) -> tuple[list[int], list[int]]:
    """Per token: the number of its sentence and the index of that sentence's first token."""
    number = [0] * len(doc)
    first = [0] * len(doc)
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            number[i] = n
            first[i] = sent.start
    return number, first


def _heading_tokens(doc: Doc, text: str) -> set[int]:
    """Tokens on all-capitals lines of two or more words (section headings such as "A SOLID FOUNDATION")."""
    out: set[int] = set()
    pos = 0
    for line in text.split("\n"):
        if line.isupper() and len(line.split()) >= 2:
            span = doc.char_span(pos, pos + len(line), alignment_mode="expand")
            if span is not None:
                out.update(range(span.start, span.end))
        pos += len(line) + 1
    return out


def _trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop a leading determiner or preposition ("Among Latinos" at a sentence's start), a trailing possessive
    and stray punctuation from an entity span, what follows a spaced dash ("Deborah Jordan Reynolds -
    Santilli's girlfriend": two phrases), and all but the fullest line of a span that runs over a line break
    ("X.\n\nTrump": a paragraph's last word and the next one's first)."""
    breaks = [k for k in range(start + 1, end - 1) if doc[k].is_space and "\n" in doc[k].text]
    if breaks:
        lines = list(zip([start] + [k + 1 for k in breaks], breaks + [end], strict=True))
        start, end = max(lines, key=lambda se: (sum(c.isalpha() for t in doc[se[0]:se[1]] for c in t.text), -se[0]))
    while start < end and (doc[start].lower_ in ("the", "a", "an") or doc[start].is_punct or doc[start].is_space
                           or (doc[start].pos_ in ("ADP", "SCONJ", "CCONJ") and not doc[start].is_lower
                               and start + 1 < end)):
        start += 1
    for k in range(start + 1, end):
        if doc[k].text in ("-", "--", "\u2013", "\u2014") and doc[k - 1].whitespace_ and doc[k].whitespace_:
            end = k
            break
    while end > start and (_possessive(doc[end - 1]) or doc[end - 1].is_punct or doc[end - 1].is_space):
        end -= 1
    return start, end


def _possessive(tok: Token) -> bool:
    return tok.tag_ == "POS" or tok.text in ("'s", "\u2019s", "'", "\u2019")


def _is_name_token(tok: Token) -> bool:
    return tok.pos_ == "PROPN" and tok.text[:1].isupper() and not names.is_title_word(tok.text)


def _add_titled_people(doc: Doc, drafts: list[_Draft]) -> list[_Draft]:
    """Persons the model missed or mislabelled right after a title ("premier Sanae Takaichi")."""
    covered = {i: d for d in drafts for i in range(d.start, d.end)}
    added: list[_Draft] = []
    for tok in doc:
        if not names.is_title_word(tok.text) or tok.i + 1 >= len(doc):
            continue
        j = tok.i + 1
        start = j
        while j < len(doc) and _is_name_token(doc[j]):
            j += 1
        if j == start:
            continue
        end = j
        hits = {id(covered[i]): covered[i] for i in range(start, end) if i in covered}
        if any(h.label == "PERSON" for h in hits.values()):
            continue
        if any(h.start < start or h.end > end for h in hits.values()):
            continue
        text = _text(doc, start, end)
        if len(hits) == 0 and end - start == 1 and geo.state_of(text):
            continue  # "President Obama" yes, "Minister Japan" no
        place = geo.lookup(text)
        if place is not None and place.kind in _STATE_KINDS:
            continue
        for h in hits.values():
            drafts.remove(h)
        added.append(_Draft(start, end, "PERSON"))
        for i in range(start, end):
            covered[i] = added[-1]
    return sorted(drafts + added, key=lambda d: d.start)


def _place_label(doc: Doc, d: _Draft) -> None:
    """Names the geo tables know as states are GPE/NORP whatever the model said (except persons)."""
    if d.label not in ("ORG", "LOC", "FAC", "NORP", "GPE"):
        return
    place = geo.lookup(_text(doc, d.start, d.end))
    if place is None or place.kind not in _STATE_KINDS:
        return
    d.label = "NORP" if place.kind == "demonym" else "GPE"
    d.country = place.code


def _title_context(doc: Doc, d: _Draft, sent_start: int) -> set[int]:
    """Title, role and country from the words right before a name; returns the title's token indices."""
    chain: list[int] = []
    inside = set(range(d.start, d.end))
    j = d.start - 1
    while j >= sent_start:
        tok = doc[j]
        if tok.tag_ == "POS" and chain:
            chain.append(j)
            j -= 1
            continue
        if tok.is_punct or tok.is_space or tok.pos_ in ("DET", "VERB", "AUX", "ADP", "CCONJ", "PRON", "SCONJ"):
            break
        if tok.dep_ in _CHAIN_DEPS and (tok.head.i in inside or tok.head.i in chain) or names.is_title_word(tok.text):
            chain.append(j)
            j -= 1
            continue
        break
    if not chain:
        return set()
    chain.reverse()
    words = [doc[i].text for i in chain]
    title = names.title_before(words)
    if title is None:
        return set()
    if d.label != "PERSON":
        if not all(_is_name_token(doc[i]) or doc[i].is_title for i in range(d.start, d.end)):
            return set()
        d.label = "PERSON"
    # leading state words ("Japanese", "Canada's", "US") give the person's country, not the role
    k = 0
    while k < len(chain) - title.size:
        tok = doc[chain[k]]
        if tok.tag_ == "POS":
            k += 1
            continue
        place = geo.lookup(tok.text) if tok.pos_ in ("PROPN", "ADJ", "NOUN") else None
        if place is None or place.kind not in ("country", "demonym"):
            if tok.ent_iob_ == "B" and tok.ent_type_ in ("GPE", "NORP"):
                span_end = tok.i + 1
                while span_end < d.start and doc[span_end].ent_iob_ == "I":
                    span_end += 1
                place = geo.lookup(_text(doc, tok.i, span_end))
                if place is not None and place.kind in _STATE_KINDS:
                    d.country = d.country or place.code
                    k += span_end - tok.i
                    continue
            break
        d.country = d.country or place.code
        k += 1
    role = [w for w in words[k:] if w not in ("'s", "\u2019s")]
    first = len(words) - title.size
    if title.kind == "office":  # "Defense Minister": capitalised words before an office belong to it
        while first > k and words[first - 1][:1].isupper():
            first -= 1
    d.title = " ".join(words[first:])
    if title.kind in ("office", "role") and role:
        d.descriptions.append(" ".join(role))
    return set(chain)


def _appositive(doc: Doc, d: _Draft) -> None:
    """Role phrases in apposition ("Yee Kuang Heng, professor of ...") and names in apposition to a title."""
    root = doc[d.start:d.end].root
    for child in root.children:
        if (child.dep_ == "appos" and child.i > d.end and child.pos_ == "NOUN"
                and doc[d.end].text in (",", "(", "\u2014", "\u2013", "-")):
            desc = _phrase(doc, child)
            if desc:
                d.descriptions.append(desc)
    if root.dep_ == "appos" and root.head.i < d.start and names.is_title_word(root.head.text):
        head = root.head
        words = [t for t in head.lefts if t.dep_ in ("compound", "amod")] + [head]
        title = names.title_before([t.text for t in words])
        if title is not None:
            if d.label in ("ORG", "GPE", "NORP") and all(_is_name_token(t) for t in doc[d.start:d.end]):
                d.label = "PERSON"
            d.title = d.title or " ".join(t.text for t in words[-title.size:])
            if title.kind in ("office", "role"):
                d.descriptions.append(" ".join(t.text for t in words))
            for prep in head.rights:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for obj in prep.children:
                        if obj.dep_ == "pobj":
                            code = geo.state_of(obj.text)
                            if code:
                                d.country = d.country or code


def _phrase(doc: Doc, head: Token, limit: int = 16) -> str:
    """The text of a description phrase: the head's subtree without relative clauses, determiners cut."""
    skip: set[int] = set()
    for t in head.subtree:
        if t.i != head.i and t.dep_ in _DROP_DESC_DEPS and t.head.i >= head.i:
            skip.update(x.i for x in t.subtree)
    toks = [t for t in head.subtree if t.i not in skip]
    # keep one contiguous run around the head
    idx = [t.i for t in toks]
    lo = hi = idx.index(head.i)
    while lo > 0 and idx[lo - 1] == idx[lo] - 1:
        lo -= 1
    while hi + 1 < len(idx) and idx[hi + 1] == idx[hi] + 1:
        hi += 1
    toks = toks[lo:hi + 1]
    while toks and (toks[0].dep_ == "det" or toks[0].is_punct):
        toks = toks[1:]
    while toks and toks[-1].is_punct:
        toks = toks[:-1]
    if not toks or len(toks) > limit or toks[0].like_num or toks[0].tag_ in ("WP", "WP$", "WDT"):
        return ""  # "8 years", "whose ..." are not roles
    return doc[toks[0].i:toks[-1].i + 1].text


def _relabel_people(doc: Doc, drafts: list[_Draft]) -> None:
    """Fix the model's person slips with the article's own evidence.

    A word the article uses for a person ("Mark Carney", or "Carney" tagged PERSON once) is a person
    wherever the model called it a place or an organisation; so is a multi-word name that starts with a
    known given name and carries no organisation word ("Sanae Takaichi" tagged ORG).
    """
    org_words = names.lexicon("org_words.tsv")
    person_words: set[str] = set()
    full_names: set[frozenset[str]] = set()
    for d in drafts:
        if d.label == "PERSON":
            words = names.name_words(_text(doc, d.start, d.end))
            person_words.update(words)
            if len(words) > 1:
                full_names.add(frozenset(words))
    for d in drafts:
        if d.label not in _NAME_LABELS or d.label == "PERSON":
            continue
        text = _text(doc, d.start, d.end)
        place = geo.lookup(text)
        if place is not None and place.kind in _STATE_KINDS:
            continue
        tokens = doc[d.start:d.end]
        if not all(_is_name_token(t) or t.text in ("'s", "\u2019s") for t in tokens):
            continue
        words = names.name_words(text)
        if not words or any(w in org_words for w in words):
            continue
        if (len(words) == 1 and words[0] in person_words) or frozenset(words) in full_names or (
                len(words) in (2, 3) and names.is_given_name(tokens[0].text) and place is None):
            d.label = "PERSON"
            d.country = None


def _complete_people(doc: Doc, drafts: list[_Draft], headings: set[int]) -> list[_Draft]:
    """Names the model cut short or missed, using the article's own persons.

    A person's span takes in the proper nouns compounded onto it ("Tanabe" before "Haruka"); a proper
    noun the model left untagged is a person when it repeats a word of a person the article names
    ("Kovac" after "Peter Kovac", "LIND" after "Greta Lind").
    """
    covered = {i for d in drafts for i in range(d.start, d.end)}
    for d in drafts:
        if d.label != "PERSON":
            continue
        while (d.start > 0 and d.start - 1 not in covered and _is_name_token(doc[d.start - 1])
               and doc[d.start - 1].dep_ == "compound" and d.start <= doc[d.start - 1].head.i < d.end):
            d.start -= 1
            covered.add(d.start)
    words = {w for d in drafts if d.label == "PERSON" for w in names.name_words(_text(doc, d.start, d.end))}
    added: list[_Draft] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if i in covered or i in headings or tok.pos_ != "PROPN" or names.fold(tok.text) not in words \
                or not (tok.text[:1].isupper()) or names.is_title_word(tok.text):
            i += 1
            continue
        j = i + 1
        while j < len(doc) and j not in covered and doc[j].pos_ == "PROPN" and names.fold(doc[j].text) in words:
            j += 1
        added.append(_Draft(i, j, "PERSON"))
        i = j
    return sorted(drafts + added, key=lambda d: d.start) if added else drafts


# ---------------------------------------------------------------------------- article-local people


@dataclass
class Person:
    """One person as an article names them: the fullest name seen, its mentions, and gender evidence."""

    words: tuple[str, ...]  # folded name words, written order of the fullest form
    name: str  # the fullest written form ("Mark Carney")
    starts: list[int] = field(default_factory=list)  # mention starts, in text order
    gender: str | None = None  # from honorifics and gendered roles (strong)
    given_gender: str | None = None  # from the given name (weak)
    given_sure: str | None = None  # the same where the name dictionary knows it of one gender only ("Bernie" is
    # mostly a woman's name to it, "Ted" a man's)
    descriptions: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    country: str | None = None
    marks: tuple[str, str] = ("", "")  # initials and suffix of the full names (:func:`names.marks`)


def _several(full: Sequence[Mention]) -> frozenset[int]:
    """The starts of the full-name mentions whose name words hold two other full names of the article that
    share no word."""
    sets = {frozenset(names.name_words(m.text)) for m in full}
    out = set()
    for m in full:
        words = frozenset(names.name_words(m.text))
        parts = [s for s in sets if s < words]
        if any(a.isdisjoint(b) for i, a in enumerate(parts) for b in parts[i + 1:]):
            out.add(m.start)
    return frozenset(out)


class People:
    """The persons of one article, with surname-only and titled mentions attached to the full names.

    >>> ms = [Mention("Anna Kovac", "PERSON", 0, 10, 0), Mention("Kovac", "PERSON", 40, 45, 1, title="Ms.")]
    >>> p = People(ms)
    >>> p.at(40).name, p.at(40).gender
    ('Anna Kovac', 'f')
    """

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.people: list[Person] = []
        # each person's name words as a set, made once, and the persons by each of their words: a name is
        # compared only with the persons who have its first word (not with all of them, with new sets)
        self._word_sets: list[tuple[frozenset[str], Person]] = []
        self._having: dict[str, list[tuple[frozenset[str], Person]]] = {}
        self._by_start: dict[int, Person] = {}
        persons = [m for m in mentions if m.label == "PERSON"]
        full = [m for m in persons if len(names.name_words(m.text)) > 1]
        # a span holding two persons' full names ("Hillary Clinton Slams Donald Trump", a listing's "Ted Cruz
        # Carly Fiorina") is no one: as one person it took both persons' mentions in its article
        self.several = _several(full)
        full = [m for m in full if m.start not in self.several]
        for m in sorted(full, key=lambda m: -len(names.name_words(m.text))):
            words = names.name_words(m.text)
            # one article's "Donald Trump" and "Donald Trump Jr.", "George W. Bush" and "George H.W. Bush": two
            marks = names.marks(m.text)
            match = next((p for p in self._named(words) if not names.marks_differ(p.marks, marks, strict=True)), None)
            if match is None:
                match = self._new(words, m)
            match.marks = (match.marks[0] or marks[0], match.marks[1] or marks[1])
            self._attach(match, m)
        for m in persons:
            if m.start in self._by_start or m.start in self.several:
                continue
            words = names.name_words(m.text)
            if not words:
                continue
            person = self._resolve_partial(words, m)
            if person is None:
                person = self._new(words, m)
            self._attach(person, m)
        for p in self.people:
            p.starts.sort()
            if p.given_gender is None and len(p.words) > 1:
                p.given_gender = names.given_gender(p.name.split()[0])
                p.given_sure = names.given_gender(p.name.split()[0], sure=True)

    def _new(self, words: tuple[str, ...], m: Mention) -> Person:
        person = Person(words, names.strip_possessive(m.text))
        self.people.append(person)
        entry = (frozenset(words), person)
        self._word_sets.append(entry)
        for w in entry[0]:
            self._having.setdefault(w, []).append(entry)
        return person

    def _named(self, words: tuple[str, ...]) -> list[Person]:
        """The persons whose name words include all of ``words``, in the order they were first met."""
        pool = self._having.get(words[0], ()) if words else self._word_sets
        return [p for s, p in pool if s.issuperset(words)]

    def _resolve_partial(self, words: tuple[str, ...], m: Mention) -> Person | None:
        cands = self._named(words)
        if len(cands) > 1 and any(marks := names.marks(m.text)):  # "Donald Jr." beside Donald Trump and his son
            cands = [p for p in cands if not names.marks_differ(p.marks, marks, strict=True)] or cands
        if len(cands) > 1:
            cands = [p for p in cands if len(p.words) > len(words)] or cands
        if len(cands) > 1 and m.title:
            g = names.role_gender(m.title.split()[-1])
            if g:
                cands = [p for p in cands if p.gender in (None, g)] or cands
        if len(cands) > 1:  # two people share the word: the one named most recently before it
            before = [(max([s for s in p.starts if s < m.start], default=-1), p) for p in cands]
            best = max(before, key=lambda x: x[0])
            return best[1] if best[0] >= 0 else min(cands, key=lambda p: min(p.starts))
        return cands[0] if cands else None

    def _attach(self, person: Person, m: Mention) -> None:
        person.starts.append(m.start)
        self._by_start[m.start] = person
        if m.title:
            person.titles.append(m.title)
            g = names.role_gender(m.title.split()[-1])
            if g and person.gender is None:
                person.gender = g
        for d in m.descriptions:
            person.descriptions.append(d)
            g = names.role_gender(d.split()[-1])
            if g and person.gender is None:
                person.gender = g
        if m.country and person.country is None:
            person.country = m.country

    def at(self, start: int) -> Person | None:
        """The person whose mention starts at ``start``."""
        return self._by_start.get(start)

    def find(self, text: str) -> Person | None:
        """The person a written name refers to ("Carney", "Mr. Obama"), if the article names one."""
        words = names.name_words(text)
        if not words:
            return None
        exact = self._named(words)
        return exact[0] if len(exact) == 1 else None
