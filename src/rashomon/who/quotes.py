"""Direct quotes and their speakers in one article (map stage).

Per article (:func:`find_quotes`): the marks are paired (:mod:`rashomon.who.quote_marks`), then each quote's
attribution is read from the parse of the words around it, within its sentence:

* the cue is the speech verb the quote hangs from ("said", "told reporters", "added", "according to"),
  else the nearest strong cue verb (or any cue of an "as" clause: "As Politico reported,") in the same
  sentence (``data/cue_verbs.tsv``; "put it" counts, and a cue the tagger read as a noun but gave a subject
  or a "to"), else any verb of a plain clause right after a quote ending in a comma, "?" or "!" (""...,"
  Trump barked", ""...," the editorial read."); after a colon, or a document noun and a comma ("issued a
  statement, "...""), a cue closing the clause before it, the main verb of a clause about a named speaker
  ("Lind went even further: "..."") or a bare name ("Philip Bump: "...", "... - Philip Bump: "...""); a
  dash and a name after the quote sign it;
* the speaker is that verb's subject, in either order ("X said", "said X", "added a New Hampshire
  Democrat", "Said Dorothy Marsh, ..."), the nearer the cue of two; a name right before the verb whatever
  the parse made of it, or right after an inverted cue even where the entity model missed it ("said
  Skelly"); a participle or a second verb takes its clause's subject ("..., adding, ""...""), a cue with
  no subject at all the previous quote's speaker ("Adding, "..."");
* pronouns go to the nearest earlier person who fits ("she" never goes to a "Mr."), definite
  descriptions to the person the article described that way ("the professor said"); statements and
  documents ("the statement said") are non-person speakers unless a named person owns them ("Bush's
  post said"); indefinite ones ("a government official") stay as written;
* a quote that is a sentence of its own continues the previous quote's speaker; a quote split around
  its cue ("...," she said, "..."; also across an attribution sentence of up to ``_JOIN_WORDS`` other
  words, and over a title it quotes: "said Cuban, a host of "Shark Tank." "..."") is one quote with two
  ``parts``; a title-case name the cue calls, or set after a common noun and a comma ("the show,
  "Harbour Hour,""), is a title, not a quote;
* a short partial quote inside reported speech is a ``fragment``.

Across the corpus (:func:`rashomon.who.quote_groups.build`, the corpus stage): speakers become entities, and the
same statement in several articles gets one ``group``; where the wording differs, a ``quote-wording``
difference lists each version with its outlet.

>>> from rashomon.text import nlp
>>> from rashomon.who.mentions import find_mentions
>>> from rashomon.model import Article
>>> text = 'Anna Kovac arrived late. "We will build the bridge," she said, "and it will last."'
>>> doc = nlp.load()(text)
>>> art = Article(id="a1", input="-", text=text)
>>> [(q.text, q.speaker, q.cue) for q in find_quotes(doc, art, find_mentions(doc, art))]
[('We will build the bridge, and it will last.', 'Anna Kovac', 'said')]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from ..model import Article, Mention, QuoteMention
from . import names, speakers
from .mentions import Person
from .quote_marks import QuoteSpan, scan
from .referents import PRONOUNS, Referents, definite

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_FINAL = (".", "!", "?")
# parts of an appositive that name someone else ("Lee's opponent", "who met Lee", "of Lee's party")
_NOT_IN_APPOSITIVE = frozenset({"poss", "relcl", "acl", "advcl", "prep", "conj", "appos", "cc"})
_DASHES = ("\u2015", "\u2014", "\u2013", "-", "--")
# a signature closing a quote's line: dash, then up to six capitalised words (initials allowed)
_SIGNATURE = re.compile(r"[ \t\u00a0]*(?:[\u2015\u2014\u2013]|--?)[ \t\u00a0]*"
                        r"((?:[A-Z][\w'\u2019.-]*[ \t\u00a0]+){0,5}[A-Z][\w'\u2019.-]*?)[.,]?[ \t\u00a0]*$")
# a paragraph that is only a signature: dash, a name, maybe where the person is from ("- Michelle Marks, Ohio.")
_SIGNED_LINE = re.compile(r"(?:[\u2015\u2014\u2013]|--?)[ \t\u00a0]*"
                          r"((?:[A-Z][\w'\u2019.-]*[ \t\u00a0]+){0,4}[A-Z][\w'\u2019-]*)"
                          r"(?:,[^\n]{0,60})?[.]?[ \t\u00a0]*$")
#: pronouns that stand for someone not named, kept as written like "a government official"
_INDEFINITE = frozenset({"another", "someone", "somebody", "one", "others", "some", "many"})
_END_PUNCT = ",.!?;:\u2026\u2014\u2013-'\u2019\")"
_WORD = re.compile(r"\w+")
#: cues that name or write a title ("called it "A Real Woman"", "wrote "Tough Choices"")
_TITLE_CUES = frozenset({"call", "name", "dub", "title", "label", "entitle"})
#: words a title keeps in lower case ("Generations with Kevin Swanson")
_TITLE_SMALL = frozenset({"with", "from", "into", "onto", "over", "upon", "than", "that", "about"})
#: words besides the cue and its subject that an attribution sentence may hold for the quotes on
#: either side of it to be one quote (8 and 14 did worse on both halves of the training split, 60 no better)
_JOIN_WORDS = 25


@dataclass(slots=True)
class _Item:
    """A quote while it is being attributed."""

    span: QuoteSpan
    para: int
    parts: list[tuple[int, int]]
    cue: Token | None = None
    speaker: str | None = None
    speaker_text: str | None = None
    speaker_start: int | None = None
    speaker_end: int | None = None
    speaker_kind: str | None = None
    speaker_mention: int | None = None
    person: Person | None = None
    fragment: bool = False
    inherited: bool = False
    signed: bool = False  # attributed by a dash signature, not a cue
    standalone: bool = False  # the quote is its sentence: nothing but punctuation around it
    opens: bool = False  # the quote opens its sentence: nothing but punctuation before it
    how: str = "none"  # how it was attributed: syntactic | nearest | verb-after | document | colon | colon-verb | colon-name | signed | none
    extra: list[QuoteSpan] = field(default_factory=list)


def find_quotes(doc: Doc, article: Article, mentions: Sequence[Mention]) -> tuple[QuoteMention, ...]:
    """Direct quotes in one article with cue, speaker as written and speaker resolved within the article.

    Reported: quotes with a cue or a speaker (marks with neither are mostly titles, names and scare
    quotes: "The 411"); partial quotes woven into reported speech are kept as ``fragment``; marks around
    no letter at all (dates and ids of embedded posts) are dropped.
    """
    text = article.text
    out = []
    for it, reader in attributed(doc, article, mentions):
        if (it.cue is None and it.speaker is None and not it.signed) or not _has_letter(text, it.parts) \
                or _names_a_title(it, reader):
            continue
        parts = tuple(it.parts)
        last_start, last_end = parts[-1]
        while last_end > last_start + 1 and text[last_end - 1] in ", ":  # the comma before "she said"
            last_end -= 1
        parts = parts[:-1] + ((last_start, last_end),)
        out.append(QuoteMention(
            text=_joined_text(text, parts), start=parts[0][0], end=parts[-1][1],
            cue=_cue_text(it.cue), speaker=it.speaker, speaker_text=it.speaker_text,
            speaker_start=it.speaker_start, speaker_end=it.speaker_end, speaker_kind=it.speaker_kind,
            fragment=it.fragment, sentence=reader.sentence_of(parts[0][0]), parts=parts,
            speaker_mention=it.speaker_mention,
        ))
    return tuple(out)


def attributed(doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[tuple[_Item, _Reader]]:
    """Every quote the marks give, attributed, joined and continued, before any is left out (what
    ``benchmarks/quotes_fit.py`` reads to study them)."""
    spans = scan(article.text)
    if not spans:
        return []
    reader = _Reader(doc, article.text, mentions, spans)
    items = [reader.attribute(i) for i in range(len(spans))]
    items = _merge_continued(items)
    _inherit(items, reader)
    return [(it, reader) for it in _join(items, reader)]


def _names_a_title(it: _Item, reader: _Reader) -> bool:
    """"wrote "Tough Choices."", "called "A Real Woman"": a name in title case, without a verb, ending in no
    "!" or "?", that the cue calls or writes (a title, not speech); "his radio show, "Generations with
    Kevin Swanson,"", "a Web ad, "Playing Trump,"": a name in title case set after a common noun and a
    comma, as that noun's name."""
    if len(it.parts) > 1:
        return False
    s = it.span
    content = reader.text[s.start:s.end].rstrip(" .,")
    words = _WORD.findall(content)
    alpha = [w for w in words if w[:1].isalpha()]
    if not alpha or len(words) > 8 or content.endswith(("!", "?")) \
            or not all(w[:1].isupper() for w in alpha if len(w) > 3 and w not in _TITLE_SMALL) \
            or not alpha[0][:1].isupper():
        return False
    if _noun_comma_before(s, reader) is not None:
        return True
    if it.cue is None or it.cue.lemma_.lower() not in _TITLE_CUES:
        return False
    return not any(reader.doc[i].pos_ in ("VERB", "AUX") for i in range(reader.tok(s.start), reader.tok_end(s.end)))


def _noun_comma_before(s: QuoteSpan, reader: _Reader) -> Token | None:
    """The common noun the marks follow after a comma ("the podcast, "...""), if they do."""
    i = reader.tok(s.open) - 1
    while i >= 0 and reader.doc[i].is_space:
        i -= 1
    if i < 1 or reader.doc[i].text != "," or reader.quoted[i - 1] != -1:
        return None
    noun = reader.doc[i - 1]
    return noun if noun.pos_ == "NOUN" and noun.text[:1].islower() else None


def _has_letter(text: str, parts: Sequence[tuple[int, int]]) -> bool:
    return any(c.isalpha() for s, e in parts for c in text[s:e])


# ------------------------------------------------------------------------------------- reading


class _Reader(Referents):
    """One article's parse seen from its quotes: which tokens are quoted, sentence frames, mentions."""

    def __init__(self, doc: Doc, text: str, mentions: Sequence[Mention], spans: Sequence[QuoteSpan]) -> None:
        super().__init__(doc, mentions)
        self.text, self.spans = text, spans
        for n, s in enumerate(spans):
            for i in range(self.tok(s.open), self.tok_end(s.close)):
                self.quoted[i] = n
        # paragraph starts, blank lines not counted (a blank line between paragraphs is common)
        self.paras = [m.start() for m in re.finditer(r"(?m)^(?=[ \t\u00a0]*\S)", text)] or [0]
        self.done: list[_Item] = []

    def para_of(self, char: int) -> int:
        return max(bisect.bisect_right(self.paras, char) - 1, 0)


    # frames -----------------------------------------------------------------------------------
    def frame(self, n: int) -> tuple[list[int], list[int]]:
        """Tokens of the quote's sentence outside any quote: (left of the quote, right of it)."""
        s = self.spans[n]
        doc, quoted = self.doc, self.quoted
        para = self.para_of(s.open)
        # other quotes in the sentence are stepped over ("mentioned "A," "B" and "C"")
        left: list[int] = []
        i = self.tok(s.open) - 1
        while i >= 0 and self.para_of(doc[i].idx) == para:
            if quoted[i] == -1:
                if doc[i].text in _FINAL or "\n" in doc[i].text:
                    break
                left.append(i)
            elif self._ends_sentence(quoted[i]):
                break
            i -= 1
        left.reverse()
        right: list[int] = []
        i = self.tok_end(s.close)
        while i < len(doc) and self.para_of(doc[i].idx) == para:
            if quoted[i] == -1:
                if "\n" in doc[i].text:
                    break
                right.append(i)
                if doc[i].text in _FINAL:
                    break
            elif self._ends_sentence(quoted[i]) and not any(self.cue_ok(doc[j]) for j in right):
                break
            i += 1
        content = self.text[s.start:s.end].rstrip("\"'\u2019\u201d ")
        if (content.endswith(_FINAL) and right and not any(self.cue_ok(doc[j]) for j in right[:4])
                and not self._cue_after_name(right) and doc[right[0]].text not in _DASHES):
            right = []  # the quote ended its sentence; what follows is the next one
        return left, right

    def _cue_after_name(self, right: list[int]) -> bool:
        """""..." US Senator Jeff Sessions said as ...": after a quote that ends its sentence, a cue
        within the next eight words closes it when only a name and its titles come before the cue, and
        the cue says nothing of its own ("Ohio Gov. John Kasich said he would have ..." starts a new report)."""
        for k, j in enumerate(right[:8]):
            cue = self.doc[j]
            if self.cue_ok(cue):
                return k > 0 and all(self.doc[x].pos_ == "PROPN" and self.doc[x].text[:1].isupper()
                                     for x in right[:k]) \
                    and not any(c.dep_ in ("ccomp", "dobj", "xcomp") and c.i > j for c in cue.children)
        return False

    def _ends_sentence(self, n: int) -> bool:
        """Quote ``n`` closes its sentence ("... more." followed by a new sentence)."""
        s = self.spans[n]
        return self.text[s.start:s.end].rstrip("\"'\u2019\u201d ").endswith(_FINAL)

    def heading(self, it: _Item) -> bool:
        """The quote is a line of its own without final punctuation: a heading, not a continued statement."""
        s = it.span
        line_start = self.text.rfind("\n", 0, s.open) + 1
        line_end = self.text.find("\n", s.close)
        line = self.text[line_start:line_end if line_end >= 0 else len(self.text)].strip()
        return line.endswith(("\u201d", '"', "\u00bb")) and not self.text[s.start:s.end].rstrip().endswith(_FINAL)

    def other_person_between(self, a: _Item, b: _Item) -> bool:
        """Someone else is named (outside quotes) between two quotes: the second is not a continuation.

        Within the first quote's attribution sentence only a subject counts (""...," Lee said, and Kovac
        agreed"); a name in a modifier of it does not (""...," said Lee, referring to the Kovac campaign's
        list. "..."").
        """
        cue_sent = self.sentence_of(a.cue.idx) if a.cue is not None and a.cue.idx >= a.span.close else None
        for m in self.mentions:
            if a.span.close <= m.start < b.span.open and m.label == "PERSON" and self.quoted[self.tok(m.start)] == -1:
                person = self.people.at(m.start)
                if person is not None and person is a.person:
                    continue
                if cue_sent is not None and self.sentence_of(m.start) == cue_sent:
                    head = self._name_head(m.start)
                    while head.dep_ in ("compound", "flat") and head.head.i > head.i:
                        head = head.head
                    if head.dep_ not in speakers.SUBJ:
                        continue
                return True
        return False

    def abbreviation(self, tok: Token) -> bool:
        """A period the tokenizer split from a title ("said Army Capt. Ilse Varga"): no sentence end."""
        if tok.text != "." or tok.i == 0:
            return False
        prev = self.doc[tok.i - 1]
        return not prev.whitespace_ and (tok.pos_ != "PUNCT" or names.is_title_word(prev.text + "."))

    def cue_ok(self, tok: Token) -> bool:
        return self._strength(tok) is not None and (tok.pos_ in ("VERB", "AUX") or tok.lower_ == "according"
                                                    or self._verb_as_noun(tok))

    @staticmethod
    def _verb_as_noun(tok: Token) -> bool:
        """A verb the tagger read as a noun, given away by its subject or its "to" ("Article 33 affirms:",
        "prompted the Atlas to state, "...""): a noun has neither."""
        return tok.pos_ == "NOUN" and any(c.dep_ in ("nsubj", "aux") for c in tok.children)

    def _strength(self, tok: Token) -> str | None:
        lemma = "according" if tok.lower_ == "according" else tok.lemma_  # lemmatised to "accord"
        # particles, and "it" as the object ("as Milbank puts it, "...""): "put it" is a cue of its own
        return names.cue_strength(lemma, [c.text for c in tok.children if c.dep_ == "prt"
                                          or c.dep_ == "dobj" and c.lower_ == "it"])

    # attribution ------------------------------------------------------------------------------
    def attribute(self, n: int) -> _Item:
        s = self.spans[n]
        para = self.para_of(s.open)
        item = _Item(s, para, [(s.start, s.end)])
        left, right = self.frame(n)
        words = [i for i in left + right if not self.doc[i].is_punct and not self.doc[i].is_space]
        item.standalone = not words
        item.opens = not any(not self.doc[i].is_punct and not self.doc[i].is_space for i in left)
        item.fragment = self._fragment(s, left, right)
        cue = self._syntactic_cue(n, set(left + right))
        how = "syntactic"
        if cue is not None:
            cue = self._nearer_speaking(cue, left)
        if cue is None:
            cue, how = self._nearest_cue(s, left, right), "nearest"
        if cue is None:
            cue, how = self._verb_after(s, right), "verb-after"
        colon = self._colon_before(s.open)
        noun = _noun_comma_before(s, self)
        if cue is None and not colon and noun is not None and speakers.is_document(noun):
            # "Trump issued a statement, "...": the document's clause introduces it as a colon would
            cue, how = self._verb_before_colon(s.open), "document"
        if cue is None and colon:
            cue, how = self._cue_before_colon(s.open), "colon"
            # "Philip Bump: "..."" before "Voters care more - Philip Bump: "..."" takes the headline's verb
            if cue is None and not self._name_before_colon(item, mentions_only=True):
                cue, how = self._verb_before_colon(s.open), "colon-verb"
        if cue is not None:
            item.cue, item.how = cue, how
            self._speaker(item, cue)
            if item.speaker is None and cue.pos_ == "NOUN" and how == "verb-after":  # "the editorial read."
                self._speaker_from(item, self.doc[cue.i - 1])
                lo = cue.i - 1
                while lo > 0 and self.doc[lo - 1].pos_ in ("DET", "ADJ", "NOUN", "PROPN") and self.quoted[lo - 1] == -1:
                    lo -= 1
                if item.speaker_kind in ("document", "description") and self.doc[lo].idx < (item.speaker_start or 0):
                    phrase = self.doc[lo:cue.i]  # the parse hung "the" from the cue: the phrase is all before it
                    item.speaker_text, item.speaker_start, item.speaker_end = (
                        phrase.text, phrase.start_char, phrase.end_char)
                    item.speaker = speakers.lower_det(phrase.text)
        elif not left:
            self._dash_signature(item)
        if cue is None and not item.signed and item.speaker is None and colon:
            self._name_before_colon(item)
        self.done.append(item)
        return item

    def _syntactic_cue(self, n: int, frame: set[int]) -> Token | None:
        s = self.spans[n]
        lo, hi = self.tok(s.start), self.tok_end(s.end)
        for i in range(lo, hi):
            h = self.doc[i].head
            steps = 0
            while (h.i < lo or h.i >= hi) and steps < 3:
                if h.i not in frame:
                    break
                if self.cue_ok(h):
                    return h
                if h.head.i == h.i:
                    break
                h, steps = h.head, steps + 1
        return None

    def _nearer_speaking(self, cue: Token, left: list[int]) -> Token:
        """"The spot ends with footage of Lee saying, "..."": a participle with a subject of its own,
        between the verb the parse hung the quote from and the quote, is who speaks it."""
        for i in reversed(left):
            t = self.doc[i]
            if i <= cue.i:
                break
            if (t.tag_ == "VBG" and self.cue_ok(t) and self._strength(t) == "strong"
                    and any(c.dep_ in speakers.SUBJ and self.quoted[c.i] == -1 for c in t.children)
                    and not any(c.dep_ in ("ccomp", "dobj") and self.quoted[c.i] == -1 for c in t.children)):
                return t
        return cue

    def _nearest_cue(self, s: QuoteSpan, left: list[int], right: list[int]) -> Token | None:
        cands = [(len(left) - k, i) for k, i in enumerate(left)] + [(k + 1, i) for k, i in enumerate(right)]
        strong = [(d, i) for d, i in cands if self.cue_ok(self.doc[i]) and (
            self._strength(self.doc[i]) == "strong" or self._as_clause(self.doc[i]))]
        return self.doc[min(strong)[1]] if strong else None

    @staticmethod
    def _as_clause(tok: Token) -> bool:
        """"As Politico reported, "..."": any cue of an "as" clause attributes the sentence's quote."""
        return any(c.dep_ == "mark" and c.lower_ == "as" for c in tok.children)

    def _verb_after(self, s: QuoteSpan, right: list[int]) -> Token | None:
        """""Go back to Univision," Trump barked; "This is fantastic!" beamed Hartley: a quote that ends
        on a comma, "?" or "!" and is followed by a clause of a subject and a verb (either order) is
        that verb's, whatever the verb. Only its own clause counts: the words between the mark and the
        verb are the subject."""
        content = self.text[s.start:s.end].rstrip("\"'\u2019\u201d ")
        if not content.endswith((",", "?", "!")):
            return None
        if not right and content.endswith(("?", "!")):  # "This is fantastic!" beamed Lind. / Lind beamed.
            i = self.tok_end(s.close)
            while i < len(self.doc) and self.quoted[i] == -1 and "\n" not in self.doc[i].text:
                right.append(i)
                if self.doc[i].text in _FINAL:
                    break
                i += 1
            if not right or not self.doc[right[0]].text[:1].islower() and (
                    len(right) > 9 or self.doc[right[-1]].text not in _FINAL):
                return None  # a capital after "!": only a short attribution closing the sentence
        words = [i for i in right if not (self.doc[i].is_punct or self.doc[i].is_space)]
        if not words or (self.doc[right[0]].is_punct and self.doc[right[0]].text != ","):
            return None
        inside = self.doc[self.tok(s.start):self.tok_end(s.end)]
        if len(_WORD.findall(content)) < 3 or not any(t.pos_ in ("VERB", "AUX") for t in inside):
            return None  # ""Bloodline," returns the singer": a title, not a statement
        noun_cue = self._noun_cue_after(words, right)
        if noun_cue is not None:
            return noun_cue
        for i in words[:7]:
            t = self.doc[i]
            if t.pos_ != "VERB" or t.dep_ not in ("ROOT", "parataxis", "conj", "ccomp"):
                continue
            subj = speakers.subject(t)
            if (subj is None or self.quoted[subj.i] != -1) and i == words[0] and self.cue_ok(t) \
                    and self._inverted_description(t) is not None:
                return t  # ""...," read the statement": an inverted cue whose speaker the parse made its object
            if subj is None or self.quoted[subj.i] != -1 or not speakers.can_speak(subj):
                return None
            before = [j for j in words if j < i]
            if subj.i < i and not all(j in {x.i for x in subj.subtree} or self.doc[j].dep_ in ("aux", "advmod")
                                      for j in before):
                return None  # "..., the mayor of the town that closed its port said": not a plain clause
            if subj.i > i and before:
                return None
            return t
        return None

    def _noun_cue_after(self, words: list[int], right: list[int]) -> Token | None:
        """""...," the editorial read.": a short clause closing the sentence whose last word is a cue the
        tagger read as a noun ("read"), after a noun phrase that can speak."""
        if not right or self.doc[right[-1]].text not in _FINAL or not 2 <= len(words) <= 4:
            return None
        cue, before = self.doc[words[-1]], [self.doc[i] for i in words[:-1]]
        if cue.pos_ != "NOUN" or names.cue_strength(cue.lower_) is None or before[0].pos_ != "DET" \
                or not all(t.pos_ in ("DET", "ADJ", "NOUN", "PROPN") for t in before):
            return None
        return cue if speakers.can_speak(before[-1]) and before[-1].pos_ != "DET" else None

    def _continues_quote(self, s: QuoteSpan) -> bool:
        """The previous quote of the paragraph ends this sentence's first half, and only its cue clause
        stands between ("...," he said, "and they're terrifying.")."""
        n = self.spans.index(s)
        if n == 0:
            return False
        prev = self.spans[n - 1]
        if self.para_of(prev.open) != self.para_of(s.open) or self._ends_sentence(n - 1):
            return False
        gap = self.doc[self.tok_end(prev.close):self.tok(s.open)]
        if any(t.text in _FINAL for t in gap):
            return False
        between = [t for t in gap if not (t.is_punct or t.is_space)]
        return 0 < len(between) <= _JOIN_WORDS and any(self.cue_ok(t) for t in between)

    def _dash_signature(self, item: _Item) -> None:
        """"..." ― Sonya Herridge: a quote signed with a dash and a name closing its line."""
        s = item.span
        line_end = self.text.find("\n", s.close)
        m = _SIGNATURE.match(self.text, s.close, line_end if line_end >= 0 else len(self.text))
        if m is None and line_end >= 0 and not self.text[s.close:line_end].strip():
            # the quote is its paragraph, the signature the next one (""..." / - Bernie Sanders.")
            nxt = len(self.text) - len(self.text[line_end:].lstrip())  # the next paragraph's start
            nxt_end = self.text.find("\n", nxt)
            m = _SIGNED_LINE.match(self.text, nxt, nxt_end if nxt_end >= 0 else len(self.text))
        if m is None:
            return
        start, end = m.span(1)
        mention = self.mention_at(start)
        item.speaker_text, item.speaker_start, item.speaker_end = m.group(1), start, end
        self._named(item, m.group(1), mention if mention is not None and mention.end >= end else None)
        item.signed, item.how = True, "signed"

    def _colon_before(self, char: int) -> bool:
        j = char - 1
        while j >= 0 and self.text[j].isspace():
            j -= 1
        return j >= 0 and self.text[j] == ":"

    def _cue_before_colon(self, char: int) -> Token | None:
        """"He said:" closing the previous line or sentence introduces the quote."""
        i = self.tok(char) - 1
        while i >= 0 and (self.doc[i].is_space or self.doc[i].text == ":"):
            i -= 1
        seen = 0
        while i >= 0 and self.quoted[i] == -1 and self.doc[i].text not in _FINAL and seen < 25:
            if self.cue_ok(self.doc[i]) and self._strength(self.doc[i]) == "strong":
                return self.doc[i]
            i, seen = i - 1, seen + 1
        return None

    def _verb_before_colon(self, char: int) -> Token | None:
        """"Trump went even further:", "Clinton has since apologized for what happened:": the main verb
        of the clause the colon closes, when its subject is a name or a personal pronoun (a clause about
        a thing, "The rationale they use is blind faith:", introduces no speaker)."""
        end = self.tok(char) - 1
        while end >= 0 and (self.doc[end].is_space or self.doc[end].text in (":", ",")):
            end -= 1
        lo = end
        while lo > 0 and self.quoted[lo - 1] == -1 and self.doc[lo - 1].text not in _FINAL \
                and not (self.doc[lo - 1].text in _DASHES and not self._hyphen(self.doc[lo - 1])) \
                and "\n" not in self.doc[lo - 1].text and end - lo < 40:
            lo -= 1
        tops = [t for t in self.doc[lo:end + 1] if t.dep_ == "ROOT" or not lo <= t.head.i <= end]
        verb = next((t for t in tops if t.pos_ in ("VERB", "AUX")), None)
        if verb is None:
            return None
        subj = speakers.subject(verb)
        if subj is None or not lo <= subj.i < verb.i:
            return None
        mention = self.mention_at(subj.idx)
        if (mention is not None and mention.label in ("PERSON", "ORG", "GPE", "NORP")) or subj.lower_ in PRONOUNS \
                or subj.lower_ in ("they", "we", "i"):
            return verb
        # "The Clinton campaign, in a Q&A, worded it even more carefully:", "A footnote in the report makes
        # that clear:": a document, or a noun whose own name or owner is named
        if subj.pos_ == "NOUN" and (speakers.is_document(subj) or speakers.can_speak(subj) and any(
                (m := self.mention_at(c.idx)) is not None and m.label in ("PERSON", "ORG")
                for c in subj.children if c.dep_ in ("compound", "poss"))):
            return verb
        return None

    def _hyphen(self, tok: Token) -> bool:
        """A hyphen inside a word ("e-mail"), not a dash between clauses."""
        return tok.text == "-" and tok.i > 0 and not self.doc[tok.i - 1].whitespace_ and not tok.whitespace_

    def _name_before_colon(self, item: _Item, mentions_only: bool = False) -> bool:
        """"Philip Bump: "..."", "From the report: "..."": the name (or, unless ``mentions_only``, the
        noun) the colon follows speaks. Whether it was found."""
        i = self.tok(item.span.open) - 1
        while i >= 0 and (self.doc[i].is_space or self.doc[i].text == ":"):
            i -= 1
        if i < 0 or self.quoted[i] != -1:
            return False
        t = self.doc[i]
        mention = self.mention_at(t.idx)
        if mention is not None and mention.label in ("PERSON", "ORG", "GPE", "NORP"):
            item.speaker_text, item.speaker_start, item.speaker_end = mention.text, mention.start, mention.end
            self._named(item, mention.text, mention)
        elif not mentions_only and t.pos_ in ("NOUN", "PROPN") and speakers.is_document(t):
            self._speaker_from(item, t)
        elif (name := self._dashed_name(i)) is not None:
            item.speaker_text, item.speaker_start, item.speaker_end = name.text, name.start_char, name.end_char
            self._named(item, name.text, None)
        else:
            return False
        item.how = "colon-name"
        return True

    def _dashed_name(self, end: int) -> Span | None:
        """"... for Republican contests - Philip Bump: "..."": one to four capitalised words between a dash
        and the colon name who speaks, whether or not the entity model knew them."""
        lo = end
        while lo >= 0 and end - lo < 4 and self.doc[lo].is_alpha and self.doc[lo].text[:1].isupper() \
                and self.quoted[lo] == -1:
            lo -= 1
        if lo == end or lo < 0 or self.doc[lo].text not in _DASHES or self._hyphen(self.doc[lo]):
            return None
        return self.doc[lo + 1:end + 1]

    def _fragment(self, s: QuoteSpan, left: list[int], right: list[int]) -> bool:
        """A partial quote woven into reported speech ("pledging to "carve out ..."", "mentioned "A," "B"").

        Woven in on the left: a word stands right before the mark (not a cue: "said "We ..."" is a full
        quote), or the quote starts in lower case without a cue's comma or colon before it. On the
        right only: a short quote the sentence runs on from ("“American Skin” was written by ...").
        """
        j = s.open - 1
        while j >= 0 and self.text[j] in " \t\u00a0":
            j -= 1
        before = self.text[j] if j >= 0 else "\n"
        lower = self.text[s.start:s.start + 1].islower() and not self._continues_quote(s)
        words = [i for i in left if not self.doc[i].is_punct]
        if before.isalnum() and words:
            prev = self.doc[words[-1]]
            if not self.cue_ok(prev) or lower:
                return True
        if lower and words:  # "said that under Obama, "the generals have been ..."": reported speech
            return True
        content = self.text[s.start:s.end].rstrip()
        k = s.close
        while k < len(self.text) and self.text[k] in " \t\u00a0":
            k += 1
        after = self.text[k] if k < len(self.text) else "\n"
        runs_on = bool(content) and content[-1] not in _END_PUNCT and (after.isalnum() or after == "(")
        return runs_on and len(content.split()) < 6

    def _speaker(self, item: _Item, cue: Token) -> None:
        subj = speakers.subject(cue)
        if subj is not None and self.quoted[subj.i] == -1 and subj.head.i == cue.i and subj.i > cue.i \
                and item.span.open > cue.idx and not self._opens_sentence(cue):
            return  # "Calls men names, like "pigs"": a subject after its verb speaks only an earlier quote
        if subj is None or subj.head.i != cue.i:
            # a name right before the verb is its subject whatever the parse made of it ("Beck joked",
            # parsed as a compound of "joked" under "shouted" and its subject "someone")
            named = self.mention_at(self.doc[cue.i - 1].idx) if cue.i > 0 else None
            if named is not None and named.label == "PERSON" and self.quoted[cue.i - 1] == -1 \
                    and self.tok_end(named.end) == cue.i:
                subj = self.doc[cue.i - 1]
        if subj is None or self.quoted[subj.i] != -1:
            # inverted only right after the quote (""...," said Heng"), not after a subject the parse lost
            # (""...," Trump, the GOP frontrunner, said when Boyle asked him")
            inverted = item.span.close <= cue.idx and all(
                t.is_punct or t.is_space for t in self.doc[self.tok_end(item.span.close):cue.i])
            subj = self._adjacent_name(cue, inverted)
        if (subj is None or self.quoted[subj.i] != -1) and cue.idx >= item.span.close:
            subj = self._inverted_description(cue)
        if subj is None:
            return
        self._speaker_from(item, subj)

    def _opens_sentence(self, cue: Token) -> bool:
        """"Said Dorothy Poynter, who grew up with Ali, "..."": the cue is the first word of its sentence."""
        i = cue.i - 1
        while i >= 0 and self.doc[i].is_space:
            i -= 1
        return i < 0 or self.doc[i].text in _FINAL or self.para_of(self.doc[i].idx) != self.para_of(cue.idx)

    def _inverted_description(self, cue: Token) -> Token | None:
        """"...," said a person close to the Clintons; "...," added another New Hampshire Republican:
        a noun phrase right after an inverted cue, whatever role the parse gave it."""
        for t in cue.rights:
            if self.quoted[t.i] != -1 or t.is_punct:
                break
            if t.pos_ in ("NOUN", "PROPN") and t.left_edge.i == cue.i + 1 and speakers.can_speak(t):
                return t
            if t.i > cue.i + 1:
                break
        return None

    def _speaker_from(self, item: _Item, subj: Token) -> None:
        if subj.tag_ in ("WP", "WDT") and subj.head.dep_ == "relcl":
            subj = speakers.antecedent(subj, subj.head)  # "Fowler, who said ..."
        subj = self._appositive_name(subj)
        after = subj.i + 2
        if after < len(self.doc) and self.abbreviation(self.doc[subj.i + 1]) and self._person_at(after) \
                and self.quoted[after] == -1:
            subj = self.doc[after]  # "said Army Capt. Ilse Varga", the parse's subject "Capt": the name after it
        mention = self.mention_at(subj.idx)
        if mention is not None and mention.label == "NORP" and any(c.dep_ == "det" for c in subj.lefts):
            mention = None  # "a New Hampshire Democrat" is a description, not the name "Democrat"
        if mention is not None:
            item.speaker_text, item.speaker_start, item.speaker_end = mention.text, mention.start, mention.end
            self._named(item, mention.text, mention)
            return
        if subj.is_alpha and subj.text[:1].isupper() and subj.pos_ not in ("PROPN", "PRON", "DET") \
                and self.people.find(subj.text) is not None:  # "said Skelly" with "Skelly" tagged an adverb
            item.speaker_text, item.speaker_start, item.speaker_end = subj.text, subj.idx, subj.idx + len(subj)
            self._named(item, subj.text, None)
            return
        if not speakers.can_speak(subj):
            return  # "5:45 p.m.", "52 percent", "the choice": the parse's subject is no speaker
        if subj.pos_ == "PROPN" and subj.text[:1].isupper() and not any(c.dep_ == "det" for c in subj.lefts):
            lo = subj.i
            while lo > 0 and self.doc[lo - 1].dep_ == "compound" and self.doc[lo - 1].head.i >= lo \
                    and self.doc[lo - 1].text[:1].isupper() and self.doc[lo - 1].is_alpha \
                    and self.doc[lo - 1].ent_type_ != "NORP" and not names.is_title_word(self.doc[lo - 1].text):
                lo -= 1  # not "Democrat" or "Senator" before the name
            span = self.doc[lo:subj.i + 1]
            item.speaker_text, item.speaker_start, item.speaker_end = span.text, span.start_char, span.end_char
            self._named(item, span.text, None)
            return
        if subj.pos_ == "PRON" and subj.lower_ in _INDEFINITE:  # "Another tweeted", "Some chanted": as written
            item.speaker_text, item.speaker_start, item.speaker_end = subj.text, subj.idx, subj.idx + len(subj)
            item.speaker, item.speaker_kind = subj.lower_, "description"
            return
        if subj.pos_ == "PRON":
            item.speaker_text, item.speaker_start, item.speaker_end = subj.text, subj.idx, subj.idx + len(subj)
            item.speaker_kind = "pronoun"
            gender = PRONOUNS.get(subj.lower_)
            if gender:
                person = self.resolve_pronoun(subj.idx, gender)
                if person is not None:
                    self._set_person(item, person)
            return
        if subj.pos_ in ("NOUN", "PROPN", "ADJ", "NUM"):
            phrase = speakers.noun_phrase(subj, lambda i: self.quoted[i] == -1)
            item.speaker_text, item.speaker_start, item.speaker_end = (
                phrase.text, phrase.start_char, phrase.end_char)
            item.speaker = speakers.lower_det(phrase.text)
            if speakers.is_document(subj, phrase.text):
                owner = next((m for c in subj.children if c.dep_ == "poss" and self.quoted[c.i] == -1
                              and (m := self.mention_at(c.idx)) is not None and m.label == "PERSON"), None)
                if owner is not None:  # "Bush's Facebook post said": Bush speaks through it
                    item.speaker_text, item.speaker_start, item.speaker_end = owner.text, owner.start, owner.end
                    self._named(item, names.strip_possessive(owner.text), owner)
                    return
                item.speaker_kind = "document"
                return
            item.speaker_kind = "description"
            if definite(phrase, subj) and names.is_title_word(subj.text):
                person = self.resolve_description(subj, phrase)
                if person is not None:
                    self._set_person(item, person)

    def _appositive_name(self, subj: Token) -> Token:
        """"His partner, Lawrence Cummings, said" -> the name, wherever the parse put it inside the
        appositive ("Lee's niece, state Del. Marcia Price (D-Fenwick), said"), leaving out clauses,
        phrases and possessors within it ("Cooper, Lee's opponent in the race, said" stays Cooper)."""
        named = self.mention_at(subj.idx)
        if named is not None and named.label == "PERSON":
            return subj
        for child in subj.children:
            if child.dep_ != "appos":
                continue
            inside, todo = [], [child]
            while todo:
                t = todo.pop()
                inside.append(t)
                todo.extend(c for c in t.children if c.dep_ not in _NOT_IN_APPOSITIVE)
            for t in sorted(inside, key=lambda t: t.i):
                named = self.mention_at(t.idx) if self.quoted[t.i] == -1 else None
                if named is not None and named.label == "PERSON":
                    return self.doc[self.tok(named.start)]
        return subj

    def _adjacent_name(self, cue: Token, inverted: bool = False) -> Token | None:
        """When the parse gave the cue no subject: the name right after an inverted cue ("said Heng"; after
        a quote, a person named within its next words: ""...," said retired neurosurgeon Ben Carson"),
        else the nearest person named before it in the sentence (not across a paragraph break) who is not
        an owner or an object there ("Durbin, noting the size of Sanders's following, said": Durbin),
        failing that the first one named."""
        sent = cue.sent
        owned: Token | None = None
        ahead = []
        if inverted:
            for i in range(cue.i + 2, min(cue.i + 7, len(self.doc))):
                if self.doc[i].is_punct or self.quoted[i] != -1:
                    break
                ahead.append(i)
        start = cue.i  # back to the sentence start, never over a paragraph break the parse ran across
        while start > sent.start and "\n" not in self.doc[start - 1].text:
            start -= 1
        back = list(range(cue.i - 1, start - 1, -1))
        order = [cue.i + 1] + [i for i in ahead if self._person_at(i) or self._unlabelled_name(i)] + back
        if cue.lemma_ == "tell":  # "..., Ramos, 58, told AFP": who is told comes after the verb, who tells before it
            order = back
        for i in order:
            if not (0 <= i < len(self.doc)) or self.quoted[i] != -1:
                continue
            t = self.doc[i]
            mention = self.mention_at(t.idx)
            if (mention is not None and mention.label == "PERSON") or (
                    i == cue.i + 1 and t.pos_ == "PROPN" and t.ent_type_ in ("", "PERSON", "ORG", "GPE", "NORP")) or (
                    inverted and (i == cue.i + 1 or i in ahead) and self._unlabelled_name(i)):
                while t.dep_ == "compound" and t.head.i == t.i + 1:
                    t = t.head
                if i < cue.i and self._in_object(t):
                    owned = t  # failing a better one, the first named in the sentence
                    continue
                return t
        return owned

    @staticmethod
    def _in_object(t: Token) -> bool:
        """The name is (part of, or owns) an object: "the size of Sanders's following", "the Koch and
        Giuliani administrations"; not "Barrett's dictum was"."""
        steps = 0
        while t.dep_ in ("compound", "conj", "poss", "flat", "cc") and t.head.i != t.i and steps < 6:
            t, steps = t.head, steps + 1
        return t.dep_ in ("pobj", "dobj")

    def _unlabelled_name(self, i: int) -> bool:
        """A name the entity model missed: a capitalised word that is the name of a person the article
        names elsewhere (""...," said Skelly", "Skelly" tagged an adverb), or a given name the name
        dictionary knows followed by a capitalised word ("said ranking Democrat Elijah Cummings")."""
        t = self.doc[i]
        if not (t.is_alpha and t.text[:1].isupper() and t.text[1:2].islower()) or t.ent_type_ not in ("", "PERSON"):
            return False
        if self.people.find(t.text) is not None:
            return True
        nxt = self.doc[i + 1] if i + 1 < len(self.doc) else None
        return nxt is not None and nxt.is_alpha and nxt.text[:1].isupper() and self.quoted[nxt.i] == -1 \
            and names.is_given_name(t.text)

    def _person_at(self, i: int) -> bool:
        mention = self.mention_at(self.doc[i].idx)
        return mention is not None and mention.label == "PERSON"

    def _named(self, item: _Item, text: str, mention: Mention | None) -> None:
        item.speaker_kind = "name"
        person = self.people.at(mention.start) if mention is not None else self.people.find(text)
        if person is not None:
            self._set_person(item, person, mention.start if mention is not None else None)
            return
        item.speaker = names.strip_possessive(text)
        item.speaker_mention = mention.start if mention is not None else None

    def _set_person(self, item: _Item, person: Person, at: int | None = None) -> None:
        item.person = person
        item.speaker = person.name
        item.speaker_mention = at if at is not None else person.starts[0]

def _cue_text(cue: Token | None) -> str | None:
    if cue is None:
        return None
    return "according to" if cue.lower_ == "according" else cue.text.lower()


# --------------------------------------------------------------------------- across quotes


def _merge_continued(items: list[_Item]) -> list[_Item]:
    """A quote whose paragraphs each reopen the mark is one quote."""
    out: list[_Item] = []
    for it in items:
        prev = out[-1] if out else None
        if prev is not None and prev.span.continues and prev.parts[-1][1] < it.span.start:
            prev.parts.append((it.span.start, it.span.end))
            prev.span = replace(prev.span, continues=it.span.continues)
            if prev.cue is None and it.cue is not None:
                prev.cue, prev.speaker, prev.speaker_kind, prev.how = it.cue, it.speaker, it.speaker_kind, it.how
                prev.speaker_text, prev.speaker_start, prev.speaker_end = it.speaker_text, it.speaker_start, it.speaker_end
                prev.speaker_mention, prev.person = it.speaker_mention, it.person
            continue
        out.append(it)
    return out


def _inherit(items: list[_Item], reader: _Reader) -> None:
    """Speakers for quotes without a cue: the quote before (same or previous paragraph), or a matching one."""
    last: _Item | None = None
    for it in items:
        if (it.speaker is None and it.cue is None and not it.fragment and last is not None and it.standalone
                and not reader.heading(it) and last.speaker is not None and it.para - last.para <= 2
                and not (last.inherited and last.para != it.para) and not reader.other_person_between(last, it)):
            _copy_speaker(it, last)
            it.inherited = True
        elif (it.speaker is None and it.speaker_text is None and it.cue is not None and not it.fragment
                and speakers.subject(it.cue) is None and last is not None and last.speaker is not None
                and it.para - last.para <= 1 and not reader.other_person_between(last, it)):
            _copy_speaker(it, last)  # "... "wasn't good." Adding, "...": a cue without a subject goes on
            it.inherited = True
        if it.speaker is not None or it.cue is not None:
            last = it
    attributed = [it for it in items if it.speaker is not None]
    for it in items:
        if it.speaker is None and it.cue is None:
            words = _words(reader.text[it.span.start:it.span.end])
            best = max(attributed, key=lambda a: _jaccard(words, _words(reader.text[a.span.start:a.span.end])),
                       default=None)
            if best is not None and _jaccard(words, _words(reader.text[best.span.start:best.span.end])) >= 0.5:
                _copy_speaker(it, best)
                it.inherited = True


def _copy_speaker(dst: _Item, src: _Item) -> None:
    dst.speaker, dst.speaker_kind, dst.person, dst.speaker_mention = (
        src.speaker, src.speaker_kind, src.person, src.speaker_mention)
    dst.speaker_text, dst.speaker_start, dst.speaker_end = src.speaker_text, src.speaker_start, src.speaker_end


def _join(items: list[_Item], reader: _Reader) -> list[_Item]:
    """"...," she said, "..." and "...," she said. "..." in one paragraph are one quote."""
    out: list[_Item] = []
    for it in items:
        prev = out[-1] if out else None
        if prev is not None and _continues(prev, it, reader):
            prev.parts.extend(it.parts)
            prev.span = replace(prev.span, close=it.span.close, end=it.span.end)
            continue
        # a title or a partial quote inside the attribution between the two parts is stepped over
        # (""...," said Cuban, who is also a host on the TV show "Shark Tank." "..."")
        k = len(out) - 1
        while k >= 0 and out[k].para == it.para and _inert(out[k]):
            k -= 1
        if 0 <= k < len(out) - 1 and _continues(out[k], it, reader, out[k + 1:]):
            out[k].parts.extend(it.parts)
            out[k].span = replace(out[k].span, close=it.span.close, end=it.span.end)
            continue
        out.append(it)
    return out


def _inert(it: _Item) -> bool:
    """A quote that is no statement of its own: a partial quote, or marks with neither cue nor speaker."""
    return it.fragment or (it.cue is None and it.speaker is None and not it.signed)


def _continues(a: _Item, b: _Item, reader: _Reader, within: Sequence[_Item] = ()) -> bool:
    """Quote ``b`` is the second part of ``a``; ``within`` are quotes between them that are part of
    the attribution ("Shark Tank" in "said Cuban, a host of "Shark Tank."")."""
    if a.para != b.para or a.fragment or b.fragment or a.cue is None and a.speaker is None:
        return False
    gap = reader.text[a.span.close:b.span.open]
    for w in within:  # their marks are no quote between the two parts
        lo, hi = w.span.open - a.span.close, w.span.close - a.span.close
        gap = gap[:lo] + " " * (hi - lo) + gap[hi:]
    if '"' in gap or "\u201c" in gap or "\u201d" in gap:
        return False
    if b.cue is not None and (a.cue is None or b.cue.i != a.cue.i):
        return False
    if b.cue is None and not (b.standalone or b.inherited or b.opens or not gap.strip(" ,.")):
        return False
    cue_between = a.cue is not None and a.span.close <= a.cue.idx < b.span.open
    if cue_between and a.cue is not None:
        # (a no-break space before the next mark is a token of its own: it ends nothing)
        between = [t for t in reader.doc[reader.tok(a.span.close):reader.tok(b.span.open)]
                   if reader.quoted[t.i] == -1 and not t.is_space]
        if any(t.text in _FINAL and not reader.abbreviation(t) for t in between[:-1]):
            return False
        for t in between:  # "..., Blige sings to Clinton before asking her, "...": a second statement
            if t.i > a.cue.i and reader.cue_ok(t):
                tail = [x for x in between if x.i > t.i and not x.is_punct]
                if len(tail) <= 2 and not any(x.pos_ == "ADP" for x in tail):
                    return False
        # across a sentence end only when the attribution sentence is not a story of its own: the
        # annotated PolNeAR training split joins ""...," said Rendell, referring to the list of
        # endorsements. "..."" (its gold quote is both parts); _JOIN_WORDS is fitted on its two halves
        if between and between[-1].text in _FINAL:
            subj = speakers.subject(a.cue)
            skip = {x.i for x in subj.subtree} if subj is not None else set()
            rest = [t for t in between if not (t.is_punct or t.is_space) and t.i != a.cue.i and t.i not in skip]
            if len(rest) > _JOIN_WORDS:
                return False
    return cue_between or not gap.strip(" \t,.") or (b.inherited and b.standalone)


def _joined_text(text: str, parts: Sequence[tuple[int, int]]) -> str:
    pieces = [text[s:e] for s, e in parts]
    for k in range(len(pieces) - 1):
        nxt = pieces[k + 1]
        gap = text[parts[k][1]:parts[k + 1][0]]
        if pieces[k].endswith(",") and "." in gap and nxt[:1].isupper():
            pieces[k] = pieces[k][:-1] + "."
    return " ".join(p.strip() for p in pieces)


def _words(text: str) -> set[str]:
    return set(_WORD.findall(names.fold(text)))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
