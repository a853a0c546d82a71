"""Quote groups across articles (who/quote_groups): one group per statement, and only one statement per
group."""

from __future__ import annotations

from rashomon.model import Article, Notes
from rashomon.who.entities import resolve
from rashomon.who.mentions import find_mentions
from rashomon.who.quote_groups import build
from rashomon.who.quotes import find_quotes


def _corpus(nlp, texts: dict[str, tuple[str, str]]):
    arts = [Article(id=aid, input="-", text=text, outlet=outlet) for aid, (outlet, text) in texts.items()]
    notes = {}
    for a in arts:
        doc = nlp(a.text)
        ms = find_mentions(doc, a)
        notes[a.id] = Notes(a.id, mentions=ms, quotes=find_quotes(doc, a, ms))
    ents, index = resolve(arts, notes)
    return build(arts, notes, index, {})


def test_two_statements_of_one_speaker_are_not_one_worded_differently(nlp):
    # the same speaker on the same topic: two different statements that share a couple of words
    qs, diffs = _corpus(nlp, {
        "x": ("Kestrel Post", "\u201cThe harbour tariffs are hurting our fishermen and their families,\u201d "
                              "Mayor Ilse Varga said."),
        "y": ("Valley Times", "\u201cOur families deserve a harbour that works,\u201d Varga told reporters."),
    })
    assert qs[0].speaker_id == qs[1].speaker_id is not None
    assert qs[0].group != qs[1].group and diffs == ()


def test_a_trimmed_or_translated_statement_is_still_one(nlp):
    qs, diffs = _corpus(nlp, {
        "x": ("Kestrel Post", "\u201cFirstly, and most importantly, we are strengthening our cooperation in "
                              "security and defence through information sharing and joint patrols at sea,\u201d "
                              "Mayor Ilse Varga said."),
        "y": ("Valley Times", "\u201cWe are enhancing our security and defense cooperation through information "
                              "sharing, joint patrols,\u201d Varga said."),
    })
    assert qs[0].group == qs[1].group and len(diffs) == 1
