"""The map stage: each chunk is parsed inside a spaCy memory zone, so the vocabulary does not grow with
every new word a long stream brings, and nothing in the Notes refers back to the freed parse."""

from __future__ import annotations

import dataclasses

from rashomon.model import Article
from rashomon.run.annotate import annotate
from rashomon.text import nlp

# invented names and words, so they cannot already be in the model's vocabulary
_NOVEL = ("Minister Olveth Quarrimund of Zentharia told Praxovel Daily on Tuesday that 17,384 drelwicks had "
          "arrived in Vossagrund. \"Brennimar talks will resume,\" Quarrimund said, according to Krastelby.")
_PLAIN = ("Premier Ilsa Marrow of Kethra met Tovian envoys in Port Avel on Monday. \"We agreed on 40 million "
          "marks of aid,\" Marrow told reporters, adding that talks would resume in March.")


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, input="-", text=text, date="2026-02-03")


def _plain_values(value: object, path: str = "notes") -> list[str]:
    """Paths of every value in a record tree that is not a plain Python value (str, number, bool, None)."""
    if value is None or type(value) in (str, int, float, bool):
        return []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [p for f in dataclasses.fields(value)
                for p in _plain_values(getattr(value, f.name), f"{path}.{f.name}")]
    if type(value) in (tuple, list):
        return [p for i, v in enumerate(value) for p in _plain_values(v, f"{path}[{i}]")]
    return [f"{path}: {type(value).__module__}.{type(value).__name__}"]


def test_new_words_do_not_stay_in_the_vocabulary():
    strings = nlp.load().vocab.strings
    annotate([_article("warm", _PLAIN)])
    before = len(strings)
    notes = annotate([_article("n1", _NOVEL)])[0]
    assert any(m.text.endswith("Quarrimund") for m in notes.mentions)  # the words were really parsed
    assert len(strings) == before
    assert "Quarrimund" not in strings and "drelwicks" not in strings


def test_notes_hold_only_plain_values_and_survive_the_zone():
    notes = annotate([_article("n1", _NOVEL), _article("p1", _PLAIN)])
    for n in notes:
        assert _plain_values(n) == []
    # read after the zone closed: the strings are Python's own copies
    assert [q.text for q in notes[0].quotes] == ["Brennimar talks will resume"]
    assert any("Zentharia" in m.text for m in notes[0].mentions)


def test_the_same_article_gets_the_same_notes_in_any_chunk():
    alone = annotate([_article("p1", _PLAIN)])[0]
    annotate([_article("n1", _NOVEL)])  # another zone in between, with other new words
    together = annotate([_article("n2", _NOVEL), _article("p1", _PLAIN)])[1]
    assert together == alone
