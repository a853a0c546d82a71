"""Records' decoding: the decoder written for each record type gives what the general path gives."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, fields

import pytest

from rashomon.model import (
    SHARED_STR,
    Analysis,
    Entity,
    Mention,
    Notes,
    QuoteMention,
    RunSummary,
    Sentence,
    Skipped,
    StanceMention,
    Thread,
    TimeMention,
    ValueMention,
    _decoder,
    _slots_filled_by_init,
    from_data,
    to_data,
)


def both(cls: type, data: object) -> tuple[object, object]:
    """The record decoded by the specialised decoder and by the general path (on copies: neither keeps it)."""
    dec = _decoder(cls)
    fast = dec(pickle.loads(pickle.dumps(data)))
    general = dec.general(pickle.loads(pickle.dumps(data)))
    assert fast == general
    assert pickle.dumps(fast) == pickle.dumps(general)  # same types, same shared strings
    return fast, general


def test_every_field_given_decodes_as_the_general_path():
    m, _ = both(Mention, {"text": "Mark Carney", "label": "PERSON", "start": 3, "end": 14, "sentence": 0,
                          "descriptions": ["prime minister", "x" * (SHARED_STR + 1)], "country": "CAN",
                          "title": None})
    assert m == Mention("Mark Carney", "PERSON", 3, 14, 0, ("prime minister", "x" * (SHARED_STR + 1)), "CAN")
    assert type(m.descriptions) is tuple


def test_unknown_keys_are_ignored():
    s, _ = both(Sentence, {"start": 0, "end": 9, "tense": "past", "extra": [1, 2], "more": None})
    assert s == Sentence(0, 9, "past")


def test_missing_keys_take_the_defaults():
    q, _ = both(QuoteMention, {"text": "We will", "start": 3, "end": 10, "parts": [[1, 2], [4, 6]], "x": 1})
    assert q == QuoteMention("We will", 3, 10, parts=((1, 2), (4, 6)))
    a, _ = both(Analysis, {"generated_at": "now"})
    assert a.run == RunSummary()


def test_none_stays_none():
    assert from_data(Mention, None) is None
    assert both(Notes, {"article_id": "a", "version": 1, "sentences": None, "mentions": None, "quotes": None,
                        "times": None, "events": None, "values": None, "vector": None, "stances": None})[0] \
        == Notes("a", 1, None, None, None, None, None, None, None, None)  # type: ignore[arg-type]
    t, _ = both(TimeMention, {"expression": "today", "start": 0, "end": 5, "sentence": 0, "value": None,
                              "rule": "", "tense": None, "verb": None})
    assert t.value is None


def test_ints_become_floats_where_the_field_is_a_float():
    v, _ = both(ValueMention, {"text": "3", "start": 0, "end": 1, "sentence": 0, "kind": "number", "value": 3,
                               "unit": None})
    assert type(v.value) is float
    n, _ = both(Notes, {"article_id": "a", "version": 1, "vector": [1, 0.5, True, 2.0]})
    assert n.vector == (1.0, 0.5, 1.0, 2.0) and [type(x) for x in n.vector] == [float] * 4
    n, _ = both(Notes, {"article_id": "a", "version": 1, "sentences": [], "mentions": [], "quotes": [],
                        "times": [], "events": [], "values": [], "vector": [0.25, -1.5], "stances": []})
    assert n.vector == (0.25, -1.5)


def test_short_strings_are_shared():
    label = "".join(["PER", "SON"])
    m, _ = both(Mention, {"text": "Kell", "label": label, "start": 0, "end": 4, "sentence": 0,
                          "descriptions": [], "country": None, "title": None})
    assert m.label is "PERSON"  # noqa: F632 - the very object: interned
    long = "y" * (SHARED_STR + 1)
    m = from_data(Mention, {"text": long, "label": "ORG", "start": 0, "end": 4, "sentence": 0})
    assert m.text is long


def test_nested_tuples_and_records():
    data = {"article_id": "a1", "version": 7,
            "sentences": [{"start": 0, "end": 5, "tense": None}, {"start": 6, "end": 9, "odd": 1}],
            "quotes": [{"text": "Yes", "start": 1, "end": 4, "parts": [[1, 2], [3, 4, 5]], "sentence": 0}],
            "stances": [{"sentence": 0, "start": 0, "end": 3, "cue": "back", "polarity": "support",
                         "target_actors": ["#CAN", "kell"]}],
            "unknown": {"deep": [1]}}
    n, _ = both(Notes, data)
    assert n.quotes[0].parts == ((1, 2), (3, 4))  # as before: a pair, extra members dropped
    assert n.stances[0] == StanceMention(0, 0, 3, "back", "support", target_actors=("#CAN", "kell"))
    assert n.sentences == (Sentence(0, 5), Sentence(6, 9))
    th, _ = both(Thread, {"id": "t", "title": "T", "story_ids": ["s1"], "date_range": ["2026", None]})
    assert th.date_range == ("2026", None)
    run, _ = both(RunSummary, {"inputs": 1, "skipped": [{"input": "x", "reason": "empty"}]})
    assert run.skipped == (Skipped("x", "empty"),)


def test_data_that_is_not_a_mapping_fails_as_before():
    for cls, data in ((Sentence, [0, 5]), (Entity, "x")):
        errors = []
        for dec in (_decoder(cls), _decoder(cls).general):
            try:
                dec(data)
            except Exception as e:  # noqa: BLE001 - the same error either way
                errors.append(type(e))
        assert len(errors) == 2 and errors[0] is errors[1]


def test_round_trip_of_every_notes_field():
    n = Notes("a1", 3, (Sentence(0, 4, "past"),),
              (Mention("Kell", "GPE", 0, 4, 0, ("city",), "KEL", None),),
              (QuoteMention("Go", 1, 3, "said", "Ana", "she", 5, 8, "pronoun", False, 0, ((1, 3),), 0),),
              (TimeMention("today", 0, 5, 0, "2026-01-05", "today", "past", "say"),), (),
              (ValueMention("3%", 0, 2, 0, "percent", 3.0, "%"),), (0.5, 1.0),
              (StanceMention(0, 0, 3, "back", "support", "Ana", None, "plan", "plan", ("ana",)),))
    assert both(Notes, to_data(n))[0] == n


@dataclass(frozen=True)
class Node:
    """A record that holds itself."""

    name: str
    children: tuple[Node, ...] = ()
    parent: Node | None = None


def test_records_that_contain_themselves():
    data = {"name": "root", "children": [{"name": "a", "children": [{"name": "b", "zz": 0}]}],
            "parent": {"name": "up"}}
    node, _ = both(Node, data)
    assert node == Node("root", (Node("a", (Node("b"),)),), Node("up"))


@dataclass(frozen=True, slots=True)
class Checked:
    """A record whose __post_init__ must run: its decoder calls the class, never fills its slots itself."""

    name: str
    size: int = 0

    def __post_init__(self) -> None:
        if self.size < 0:
            raise ValueError("negative size")


def test_slots_are_filled_only_where_init_does_nothing_else():
    assert _slots_filled_by_init(Mention, fields(Mention)) is not None
    assert _slots_filled_by_init(Checked, fields(Checked)) is None
    assert _slots_filled_by_init(Node, fields(Node)) is None  # no slots
    with pytest.raises(ValueError, match="negative"):
        from_data(Checked, {"name": "x", "size": -1})
    assert both(Checked, {"name": "x", "size": 2})[0] == Checked("x", 2)
