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
  its cue ("...," she said, "..."; also across an attribution sentence of up to ``quote_cues.JOIN_WORDS``
  other words, and over a title it quotes: "said Cuban, a host of "Shark Tank." "..."") is one quote with two
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

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from ..model import Article, Mention, QuoteMention
from . import names, speakers
from .mentions import Person
from .quote_cues import DASHES, FINAL, JOIN_WORDS, WORD, CueReader, QuoteItem
from .quote_marks import QuoteSpan, scan
from .speakers import PRONOUNS, definite

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

# parts of an appositive that name someone else ("Lee's opponent", "who met Lee", "of Lee's party")
_NOT_IN_APPOSITIVE = frozenset({"poss", "relcl", "acl", "advcl", "prep", "conj", "appos", "cc"})
# a signature closing a quote's line: dash, then up to six capitalised words (initials allowed)
_SIGNATURE = re.compile(r"[ \t\u00a0]*(?:[\u2015\u2014\u2013]|--?)[ \t\u00a0]*"
                        r"((?:[A-Z][\w'\u2019.-]*[ \t\u00a0]+){0,5}[A-Z][\w'\u2019.-]*?)[.,]?[ \t\u00a0]*$")
# a paragraph that is only a signature: dash, a name, maybe where the person is from ("- Michelle Marks, Ohio.")
_SIGNED_LINE = re.compile(r"(?:[\u2015\u2014\u2013]|--?)[ \t\u00a0]*"
                          r"((?:[A-Z][\w'\u2019.-]*[ \t\u00a0]+){0,4}[A-Z][\w'\u2019-]*)"
                          r"(?:,[^\n]{0,60})?[.]?[ \t\u00a0]*$")
#: pronouns that stand for someone not named, kept as written like "a government official"
_INDEFINITE = frozenset({"another", "someone", "somebody", "one", "others", "some", "many"})
#: cues that name or write a title ("called it "A Real Woman"", "wrote "Tough Choices"")
_TITLE_CUES = frozenset({"call", "name", "dub", "title", "label", "entitle"})
#: words a title keeps in lower case ("Generations with Kevin Swanson")
_TITLE_SMALL = frozenset({"with", "from", "into", "onto", "over", "upon", "than", "that", "about"})


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
            text=joined_text(text, parts), start=parts[0][0], end=parts[-1][1],
            cue=_cue_text(it.cue), speaker=it.speaker, speaker_text=it.speaker_text,
            speaker_start=it.speaker_start, speaker_end=it.speaker_end, speaker_kind=it.speaker_kind,
            fragment=it.fragment, sentence=reader.sentence_of(parts[0][0]), parts=parts,
            speaker_mention=it.speaker_mention,
        ))
    return tuple(out)


def attributed(doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[tuple[QuoteItem, _Reader]]:
    """Every quote the marks give, attributed, joined and continued, before any is left out (what
    ``benchmarks/quotes_fit.py`` reads to study them)."""
    spans = scan(article.text)
    if not spans:
        return []
    reader = _Reader(doc, article.text, mentions, spans)
    items = [reader.attribute(i) for i in range(len(spans))]
    items = merge_continued(items)
    inherit_speakers(items, reader)
    return [(it, reader) for it in join_parts(items, reader)]


def _names_a_title(it: QuoteItem, reader: _Reader) -> bool:
    """"wrote "Tough Choices."", "called "A Real Woman"": a name in title case, without a verb, ending in no
    "!" or "?", that the cue calls or writes (a title, not speech); "his radio show, "Generations with
    Kevin Swanson,"", "a Web ad, "Playing Trump,"": a name in title case set after a common noun and a
    comma, as that noun's name."""
    if len(it.parts) > 1:
        return False
    s = it.span
    content = reader.text[s.start:s.end].rstrip(" .,")
    words = WORD.findall(content)
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


class _Reader(CueReader):
    """One article's quotes attributed: each quote's cue (:class:`CueReader`), then who speaks it."""

    # attribution ------------------------------------------------------------------------------
    def attribute(self, n: int) -> QuoteItem:
        s = self.spans[n]
        para = self.para_of(s.open)
        item = QuoteItem(s, para, [(s.start, s.end)])
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

    def _dash_signature(self, item: QuoteItem) -> None:
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

    def _name_before_colon(self, item: QuoteItem, mentions_only: bool = False) -> bool:
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
        if lo == end or lo < 0 or self.doc[lo].text not in DASHES or self._hyphen(self.doc[lo]):
            return None
        return self.doc[lo + 1:end + 1]

    def _speaker(self, item: QuoteItem, cue: Token) -> None:
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
        return i < 0 or self.doc[i].text in FINAL or self.para_of(self.doc[i].idx) != self.para_of(cue.idx)

    def _speaker_from(self, item: QuoteItem, subj: Token) -> None:
        if subj.tag_ in ("WP", "WDT") and subj.head.dep_ == "relcl":
            subj = speakers.antecedent(subj, subj.head)  # "Fowler, who said ..."
        subj = self._appositive_name(subj)
        after = subj.i + 2
        if after < len(self.doc) and self.abbreviation(self.doc[subj.i + 1]) and self._person_at(after) \
                and self.quoted[after] == -1:
            subj = self.doc[after]  # "said Army Capt. Ilse Varga", the parse's subject "Capt": the name after it
        mention = self.mention_at(subj.idx)
        if mention is not None and mention.label == "NORP" and any(c.dep_ in ("det", "nummod") for c in subj.lefts):
            mention = None  # "a New Hampshire Democrat", "one senior Democrat": a description, not the name "Democrat"
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
        if subj.pos_ == "PROPN" and subj.text[:1].isupper() and not any(c.dep_ in ("det", "nummod") for c in subj.lefts):
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

    def _named(self, item: QuoteItem, text: str, mention: Mention | None) -> None:
        item.speaker_kind = "name"
        person = self.people.at(mention.start) if mention is not None else self.people.find(text)
        if person is not None:
            self._set_person(item, person, mention.start if mention is not None else None)
            return
        item.speaker = names.strip_possessive(text)
        item.speaker_mention = mention.start if mention is not None else None

    def _set_person(self, item: QuoteItem, person: Person, at: int | None = None) -> None:
        item.person = person
        item.speaker = person.name
        item.speaker_mention = at if at is not None else person.starts[0]


def _cue_text(cue: Token | None) -> str | None:
    if cue is None:
        return None
    return "according to" if cue.lower_ == "according" else cue.text.lower()


# ------------------------------------------------------------------- quotes across one article's quotes
# a quote whose paragraphs each reopen the mark is one quote, a quote without a cue continues the speaker
# before it, and a quote split around its cue ("...," she said, "...") is one quote with two ``parts``


def merge_continued(items: list[QuoteItem]) -> list[QuoteItem]:
    """A quote whose paragraphs each reopen the mark is one quote."""
    out: list[QuoteItem] = []
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


def inherit_speakers(items: list[QuoteItem], reader: CueReader) -> None:
    """Speakers for quotes without a cue: the quote before (same or previous paragraph), or a matching one."""
    last: QuoteItem | None = None
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


def _copy_speaker(dst: QuoteItem, src: QuoteItem) -> None:
    dst.speaker, dst.speaker_kind, dst.person, dst.speaker_mention = (
        src.speaker, src.speaker_kind, src.person, src.speaker_mention)
    dst.speaker_text, dst.speaker_start, dst.speaker_end = src.speaker_text, src.speaker_start, src.speaker_end


def join_parts(items: list[QuoteItem], reader: CueReader) -> list[QuoteItem]:
    """"...," she said, "..." and "...," she said. "..." in one paragraph are one quote."""
    out: list[QuoteItem] = []
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


def _inert(it: QuoteItem) -> bool:
    """A quote that is no statement of its own: a partial quote, or marks with neither cue nor speaker."""
    return it.fragment or (it.cue is None and it.speaker is None and not it.signed)


def _continues(a: QuoteItem, b: QuoteItem, reader: CueReader, within: Sequence[QuoteItem] = ()) -> bool:
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
        if any(t.text in FINAL and not reader.abbreviation(t) for t in between[:-1]):
            return False
        for t in between:  # "..., Blige sings to Clinton before asking her, "...": a second statement
            if t.i > a.cue.i and reader.cue_ok(t):
                tail = [x for x in between if x.i > t.i and not x.is_punct]
                if len(tail) <= 2 and not any(x.pos_ == "ADP" for x in tail):
                    return False
        # across a sentence end only when the attribution sentence is not a story of its own: the
        # annotated PolNeAR training split joins ""...," said Rendell, referring to the list of
        # endorsements. "..."" (its gold quote is both parts); JOIN_WORDS is fitted on its two halves
        if between and between[-1].text in FINAL:
            subj = speakers.subject(a.cue)
            skip = {x.i for x in subj.subtree} if subj is not None else set()
            rest = [t for t in between if not (t.is_punct or t.is_space) and t.i != a.cue.i and t.i not in skip]
            if len(rest) > JOIN_WORDS:
                return False
    return cue_between or not gap.strip(" \t,.") or (b.inherited and b.standalone)


def joined_text(text: str, parts: Sequence[tuple[int, int]]) -> str:
    pieces = [text[s:e] for s, e in parts]
    for k in range(len(pieces) - 1):
        nxt = pieces[k + 1]
        gap = text[parts[k][1]:parts[k + 1][0]]
        if pieces[k].endswith(",") and "." in gap and nxt[:1].isupper():
            pieces[k] = pieces[k][:-1] + "."
    return " ".join(p.strip() for p in pieces)


def _words(text: str) -> set[str]:
    return set(WORD.findall(names.fold(text)))


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0
