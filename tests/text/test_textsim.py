"""textsim: content keys and passages, and that memoising them never changes or leaks a result."""

from __future__ import annotations

from rashomon.model import Article, Notes, Sentence, ValueMention
from rashomon.text import textsim

TEXT = ("Velmora and Ostrana signed a grain accord in Kessin on Monday.\n"
        "The ministers agreed on:\n• Shared rail gauges.\n• Joint harbour drills.\n"
        "Officials said 40 percent of the grain would go by rail.")


def _article(text: str = TEXT, aid: str = "a1") -> Article:
    return Article(id=aid, input="-", text=text)


def test_keys_fold_stems_spellings_and_places() -> None:
    ks = textsim.keys("Canada's defence ties with Japan were strengthened.")
    assert ks == {"#CAN", "#JPN", "canada", "defense", "japan", "strengthen", "tie"}
    # stop words and one-letter stems carry no content; without places no state codes
    assert textsim.keys("It was a day of the talks, he said.", places=False) == {"day", "talk"}
    assert textsim.keys("Ottawa hosted them.") >= {"#CAN"}


def test_place_codes_read_runs_and_hyphenated_parts() -> None:
    assert textsim.place_codes("Canadian-Japanese talks opened in Nairobi.") == {"CAN", "JPN", "KEN"}
    assert textsim.place_codes("nothing capitalised here") == set()


def test_passages_split_lines_and_bullets() -> None:
    ps = textsim.passages(_article(), None)
    assert [p.text for p in ps][:4] == ["Velmora and Ostrana signed a grain accord in Kessin on Monday.",
                                        "The ministers agreed on:", "Shared rail gauges.", "Joint harbour drills."]
    assert [p.bullet for p in ps][:4] == [False, False, True, True]
    assert all(TEXT[p.start:p.end].replace("\n", " ") == p.text for p in ps)


def test_passages_are_memoised_by_content() -> None:
    a = _article()
    first = textsim.passages(a, None)
    again = textsim.passages(_article(), None)  # an equal article, another object: same passages
    assert again == first and again[0] is first[0]
    again.append(first[0])  # callers get their own list
    assert len(textsim.passages(a, None)) == len(first)
    # another text, id, sentence split or set of figures is another key, never a stale answer
    other = textsim.passages(_article(TEXT.replace("grain", "salt")), None)
    assert "salt" in other[0].text
    assert textsim.passages(_article(aid="a2"), None)[0].article_id == "a2"
    one_sentence = Notes("a1", sentences=(Sentence(0, len(TEXT)),))
    assert {p.sentence for p in textsim.passages(a, one_sentence)} == {0} != {p.sentence for p in first}
    start = TEXT.index("40")
    value = ValueMention(text="40 percent", start=start, end=start + 10, sentence=0, kind="percent", value=40.0)
    with_value = textsim.passages(a, Notes("a1", sentences=(Sentence(0, len(TEXT)),), values=(value,)))
    assert [p for p in with_value if p.values] and not [p for p in first if p.values]


def test_passages_memo_is_bounded(monkeypatch) -> None:
    monkeypatch.setattr(textsim, "KEEP_PASSAGES", 3)
    for i in range(6):
        textsim.passages(_article(f"Report number {i} of the Kessin talks.", aid=f"m{i}"), None)
    assert len(textsim._PASSAGES) == 3
    assert [k[0] for k in textsim._PASSAGES] == ["m3", "m4", "m5"]
