"""Shared text representations for families and stories."""

from __future__ import annotations

from rashomon.group import represent


def test_sentences_split_at_ends_and_lines_not_at_titles() -> None:
    text = "Dr. Lind met Mr. Ebbe in Orvath. They agreed on a plan!\n\nA second paragraph without an end"
    assert represent.sentences(text) == ["Dr. Lind met Mr. Ebbe in Orvath.", "They agreed on a plan!",
                                         "A second paragraph without an end"]


def test_story_features_channels() -> None:
    f = represent.story_features("Mayor Iwo Brant said 7 people were hurt in Talmere on Wednesday.")
    assert f["n:brant"] == 1 and f["b:iwo_brant"] == 1 and f["n:talmere"] == 1
    assert f["#7"] == 1 and f["t:people"] == 1 and f["t:wednesday"] == 1
    assert "n:wednesday" not in f and "n:said" not in f
    assert {represent.channel(k) for k in f} <= set(represent.CHANNELS)


def test_story_features_take_entity_mentions_as_names() -> None:
    f = represent.story_features("the council met.", names=["Kessin Council"])
    assert f["n:kessin"] == 1 and f["n:council"] == 1


def test_quotes_and_figures() -> None:
    text = 'Lind said: "We will rebuild every pier before winter." Costs reached 240 million, or 2.5 percent.'
    assert len(represent.quotes(text)) == 1
    assert represent.figures(text) == {"240", "2.5"}


def test_vocabulary_is_dense_and_stable() -> None:
    v = represent.Vocabulary()
    assert [v.id(k) for k in ("a", "b", "a", "c")] == [0, 1, 0, 2]
    assert v.get("b") == 1 and v.get("zzz") is None and len(v) == 3
