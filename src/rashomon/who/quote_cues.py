"""Reading one article's parse around its quotes (map stage, for :mod:`rashomon.who.quotes`): which tokens
are quoted, each quote's sentence frame, and the cue it hangs from.

:class:`CueReader` finds the cue (the speech verb the quote hangs from, the nearest strong cue in the
sentence, a verb after a quote ending in a comma, "?" or "!", a verb before a colon) and tells a
partial quote woven into reported speech (``fragment``); :mod:`rashomon.who.quotes` reads the speaker
on top of it, and :mod:`rashomon.who.quotes` asks it whether two quotes are one.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Mention
from . import names, speakers
from .mentions import Person
from .quote_marks import QuoteSpan
from .speakers import PRONOUNS, Referents

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

FINAL = (".", "!", "?")
DASHES = ("\u2015", "\u2014", "\u2013", "-", "--")
_END_PUNCT = ",.!?;:\u2026\u2014\u2013-'\u2019\")"
WORD = re.compile(r"\w+")
#: words besides the cue and its subject that an attribution sentence may hold for the quotes on
#: either side of it to be one quote (8 and 14 did worse on both halves of the training split, 60 no better)
JOIN_WORDS = 25


@dataclass(slots=True)
class QuoteItem:
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


class CueReader(Referents):
    """One article's parse seen from its quotes: which tokens are quoted, sentence frames, mentions, and
    the cue of each quote (the speaker is read by the subclass in :mod:`rashomon.who.quotes`)."""

    def __init__(self, doc: Doc, text: str, mentions: Sequence[Mention], spans: Sequence[QuoteSpan]) -> None:
        super().__init__(doc, mentions)
        self.text, self.spans = text, spans
        for n, s in enumerate(spans):
            for i in range(self.tok(s.open), self.tok_end(s.close)):
                self.quoted[i] = n
        # paragraph starts, blank lines not counted (a blank line between paragraphs is common)
        self.paras = [m.start() for m in re.finditer(r"(?m)^(?=[ \t\u00a0]*\S)", text)] or [0]
        self.done: list[QuoteItem] = []

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
                if doc[i].text in FINAL or "\n" in doc[i].text:
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
                if doc[i].text in FINAL:
                    break
            elif self._ends_sentence(quoted[i]) and not any(self.cue_ok(doc[j]) for j in right):
                break
            i += 1
        content = self.text[s.start:s.end].rstrip("\"'\u2019\u201d ")
        if (content.endswith(FINAL) and right and not any(self.cue_ok(doc[j]) for j in right[:4])
                and not self._cue_after_name(right) and doc[right[0]].text not in DASHES):
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
        return self.text[s.start:s.end].rstrip("\"'\u2019\u201d ").endswith(FINAL)

    def heading(self, it: QuoteItem) -> bool:
        """The quote is a line of its own without final punctuation: a heading, not a continued statement."""
        s = it.span
        line_start = self.text.rfind("\n", 0, s.open) + 1
        line_end = self.text.find("\n", s.close)
        line = self.text[line_start:line_end if line_end >= 0 else len(self.text)].strip()
        return line.endswith(("\u201d", '"', "\u00bb")) and not self.text[s.start:s.end].rstrip().endswith(FINAL)

    def other_person_between(self, a: QuoteItem, b: QuoteItem) -> bool:
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

    # cues -------------------------------------------------------------------------------------
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
                if self.doc[i].text in FINAL:
                    break
                i += 1
            if not right or not self.doc[right[0]].text[:1].islower() and (
                    len(right) > 9 or self.doc[right[-1]].text not in FINAL):
                return None  # a capital after "!": only a short attribution closing the sentence
        words = [i for i in right if not (self.doc[i].is_punct or self.doc[i].is_space)]
        if not words or (self.doc[right[0]].is_punct and self.doc[right[0]].text != ","):
            return None
        inside = self.doc[self.tok(s.start):self.tok_end(s.end)]
        if len(WORD.findall(content)) < 3 or not any(t.pos_ in ("VERB", "AUX") for t in inside):
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
        if not right or self.doc[right[-1]].text not in FINAL or not 2 <= len(words) <= 4:
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
        if any(t.text in FINAL for t in gap):
            return False
        between = [t for t in gap if not (t.is_punct or t.is_space)]
        return 0 < len(between) <= JOIN_WORDS and any(self.cue_ok(t) for t in between)

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
        while i >= 0 and self.quoted[i] == -1 and self.doc[i].text not in FINAL and seen < 25:
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
        while lo > 0 and self.quoted[lo - 1] == -1 and self.doc[lo - 1].text not in FINAL \
                and not (self.doc[lo - 1].text in DASHES and not self._hyphen(self.doc[lo - 1])) \
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
