"""Inferred article dates and the merged timeline (when/timeline): small cases, the seeds, and the measured
run on TempEval-3 (slow)."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re

import pytest

from rashomon.model import Article, Notes, Sentence
from rashomon.when.timeline import infer_dates, timeline
from rashomon.when.times import find_times
from rashomon.who.mentions import find_mentions

from ..conftest import SHARED, seed_path
from ..pipeline_runs import by_prefix, run


def _notes(nlp, art: Article) -> Notes:
    doc = nlp(art.text)
    return Notes(art.id, sentences=tuple(Sentence(s.start_char, s.end_char) for s in doc.sents),
                 times=find_times(doc, art), mentions=find_mentions(doc, art))


def test_inferred_dates_from_family_then_story(nlp):
    arts = [Article(id="a", input="-", text="Envoys met in Sarnia on Friday.", date="2026-03-06", family="f1"),
            Article(id="b", input="-", text="Ships left Valdra on Saturday.", date="2026-03-07", family="f2"),
            Article(id="c", input="-", text="Ships left Valdra on Saturday.", date="2026-03-07", family="f2"),
            Article(id="d", input="-", text="Today the envoys met in Sarnia.", family="f1"),
            Article(id="e", input="-", text="The envoys met in Sarnia on Friday.", family="f3")]
    notes = {a.id: _notes(nlp, a) for a in arts}
    out, notes2 = infer_dates(arts, notes, {a.id: "s1" for a in arts})
    by = {a.id: a for a in out}
    assert by["d"].date == "2026-03-06" and by["d"].date_source == "inferred"  # its family's date
    assert by["e"].date == "2026-03-07"  # the story's most common date
    assert [t.value for t in notes2["d"].times] == ["2026-03-06"]  # "Today", resolved again
    assert by["a"].date_source is None  # dated articles are left alone


def test_no_story_no_inference():
    art = Article(id="x", input="-", text="Today.")
    out, _ = infer_dates([art], {}, {})
    assert out[0].date is None


def test_timeline_merges_the_same_happening_and_keeps_each_wording(nlp):
    arts = [Article(id="a", input="-", story="s", date="2026-03-06",
                    text="Premier Ilse Varn met Governor Tomas Reed in Sarnia on Friday to sign the river accord."),
            Article(id="b", input="-", story="s", date="2026-03-06",
                    text="Ilse Varn met Tomas Reed in Sarnia Friday and signed the river accord."),
            Article(id="c", input="-", story="s", date="2026-03-06",
                    text="Today Premier Ilse Varn met Governor Tomas Reed in Sarnia to sign the river accord."),
            Article(id="d", input="-", story="s", date="2026-03-06",
                    text="Flooding closed the Sarnia bridge in January.")]
    notes = {a.id: _notes(nlp, a) for a in arts}
    items = timeline(arts, notes)
    # one meeting, one row, citing every report of it, "Today" included (the same day and place)
    friday = [i for i in items if i.date == "2026-03-06"]
    assert len(friday) == 1 and set(friday[0].article_ids) == {"a", "b", "c"}
    assert {s.article_id: s.expression for s in friday[0].sources} == {"a": "on Friday", "b": "Friday", "c": "Today"}
    assert friday[0].expression != "Today"  # a named day leads: "today" is true only on the report's day
    # each article's own wording stays in the sources of an item carrying its id
    for art in arts:
        for t in notes[art.id].times:
            if t.value:
                assert any(art.id in i.article_ids and any(s.article_id == art.id and s.expression == t.expression
                                                           for s in i.sources) for i in items)
    assert [i.date for i in items] == sorted(i.date for i in items)
    assert items[0].date == "2026-01" and items[0].article_ids == ("d",)


def test_one_row_per_happening_whatever_the_wording(nlp):
    # one meeting told five ways (a named day, "today", a stopover, the talks, a plan to arrive), and two
    # earlier trips in one month, in different places: three rows, each citing every report of it
    day = "2026-03-06"
    texts = {
        "a": "Premier Ilse Varn took a brief stopover in Orvia on Friday evening to meet her counterpart.",
        "b": "Premier Ilse Varn vowed Friday to deepen trade ties, in the Orvia leg of her tour.",
        "c": "Premier Ilse Varn is set to arrive in Orvia on Friday for the last stop of her tour.",
        "d": "Today, the Premier, Ilse Varn, met with the President of Orvia, Tomas Reed.",
        "e": "Ilse Varn made a trip to Lentia in January and signed a fishing accord there.",
        "f": "Fresh from a speech at the Kessin Forum in January, she made a call for calm.",
        "g": "She also made a visit to Lentia in January, her first in years.",
    }
    arts = [Article(id=k, input="-", story="s", date=day, text=t) for k, t in texts.items()]
    notes = {a.id: _notes(nlp, a) for a in arts}
    items = timeline(arts, notes)
    by_date = {}
    for i in items:
        by_date.setdefault(i.date, []).append(set(i.article_ids))
    assert by_date[day] == [{"a", "b", "c", "d"}]
    assert sorted(map(sorted, by_date["2026-01"])) == [["e", "g"], ["f"]]


# ---------------------------------------------------------------------------------------- seeds


def seed_article(prefix: str) -> Article:
    raw = seed_path(prefix).read_text(encoding="utf-8")
    m = re.match(r"\s*date (\d{4}-\d\d-\d\d) ?", raw)
    return Article(id=prefix, input=str(seed_path(prefix)), text=raw[m.end():] if m else raw,
                   date=m.group(1) if m else None, date_source="header" if m else None, story="s")


@pytest.fixture(scope="module")
def seeds(nlp):
    arts = [seed_article(p) for p in ("000", "001", "002", "003", "004")]
    notes = {a.id: _notes(nlp, a) for a in arts}
    arts, notes = infer_dates(arts, notes, {a.id: "s" for a in arts})
    return {a.id: a for a in arts}, notes


def _values(seeds, aid: str, word: str, near: str | None = None) -> set[str | None]:
    """Values of a seed's expressions holding ``word`` (in sentences holding ``near``, when given)."""
    arts, notes = seeds
    n, text = notes[aid], arts[aid].text
    out = set()
    for t in n.times:
        if word in t.expression:  # case matters: "Last year" opens a sentence, "November last year" does not
            s = n.sentences[t.sentence]
            if near is None or near.lower() in text[s.start:s.end].lower():
                out.add(t.value)
    return out


def test_seed_dates_inferred(seeds):
    arts, _ = seeds
    assert (arts["000"].date, arts["000"].date_source) == ("2026-03-06", "inferred")
    assert (arts["004"].date, arts["004"].date_source) == ("2026-03-06", "inferred")
    assert arts["002"].date == "2026-03-07"


def test_seed_expressions(seeds):
    expect = {
        "000": {"Friday": "2026-03-06", "Saturday": "2026-03-07", "Thursday": "2026-03-05",
                "January": "2026-01", "November": "2025-11", "this week": "2026-03"},
        "001": {"Friday": "2026-03-06", "Tuesday": "2026-03-03", "March 19": "2026-03-19",
                "November": "2025-11", "January": "2026-01", "Saturday": "2026-03-07"},
        "002": {"July last year": "2025-07", "a year ago": "2025", "this year": "2026", "January": "2026-01"},
        "003": {"Mar 6": "2026-03-06", "Last year": "2025", "November last year": "2025-11",
                "January": "2026-01"},
        "004": {"Today": "2026-03-06"},
    }
    for aid, words in expect.items():
        for word, value in words.items():
            assert _values(seeds, aid, word) == {value}, (aid, word, _values(seeds, aid, word))
    # the Saturday the strikes began lies in the week before the article's own Saturday
    assert _values(seeds, "002", "Saturday", near="bombard") == {"2026-02-28"}
    assert _values(seeds, "002", "Saturday", near="two-day") == {"2026-03-07"}
    # "on Friday and Saturday" in 003: both days of the talks
    assert {t.value for t in seeds[1]["003"].times if t.expression.endswith(("Friday", "Saturday"))} == \
        {"2026-03-06", "2026-03-07"}
    # durations in the seeds are recognised and carry no date
    assert _values(seeds, "002", "two-day") == {None}


def test_seed_timeline_one_row_per_happening():
    analysis, _ = run("seeds")
    ids = {by_prefix(analysis, p).id: p for p in ("000", "001", "002", "003", "004")}
    items = [dataclasses.replace(i, article_ids=tuple(ids[a] for a in i.article_ids)) for i in analysis.timeline]
    meeting = [i for i in items if i.date == "2026-03-06"]
    assert len(meeting) == 1 and {"000", "001", "003", "004"} <= set(meeting[0].article_ids)
    january = [i for i in items if i.date == "2026-01"]
    china = [i for i in january if "China" in i.text and "Davos" not in i.text]
    davos = [i for i in january if "Davos" in i.text]
    assert len(january) == 2 and len(china) == 1 and len(davos) == 1
    assert {"000", "001", "002"} <= set(china[0].article_ids) and {"000", "001", "003"} <= set(davos[0].article_ids)


def test_seed_timeline(seeds):
    arts, notes = seeds
    items = timeline(list(arts.values()), notes)
    assert [i.date for i in items] == sorted(i.date for i in items)
    saturday = [i for i in items if i.date == "2026-03-07" and {"000", "001"} <= set(i.article_ids)]
    assert saturday, "the planned return on Saturday, reported by the wire and its rewrite, is one item"
    assert any(i.date == "2026-02-28" for i in items)


# ------------------------------------------------------------------------------ measured (slow)


def _score_module():
    spec = importlib.util.spec_from_file_location("score", SHARED / "tools" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.mark.slow
def test_tempeval_date_values(nlp, data_dir):
    folder = data_dir / "timex"
    rows = [json.loads(line) for line in (folder / "input.jsonl").read_text(encoding="utf-8").splitlines()]
    arts, notes = [], {}
    for r, doc in zip(rows, nlp.pipe([r["text"] for r in rows], batch_size=32), strict=True):
        art = Article(id=r["id"], input="-", text=r["text"], source_id=r["id"], date=r.get("date"))
        arts.append(art)
        notes[art.id] = Notes(art.id, sentences=tuple(Sentence(s.start_char, s.end_char) for s in doc.sents),
                              times=find_times(doc, art))
    items = timeline(arts, notes)
    data = {"articles": [{"id": a.id, "source_id": a.source_id} for a in arts],
            "timeline": [{"date": i.date, "expression": i.expression, "article_ids": list(i.article_ids)}
                         for i in items]}
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    accuracy, _ = _score_module().timex(data, gold)
    assert accuracy >= 0.90


def test_a_timeline_item_quotes_its_own_line_of_the_sentence(nlp):
    # a heading the parser ran into the dateline's sentence, and a paragraph's closing quote mark it left at
    # the start of the next one: the item quoted both, line breaks and a stray quote mark included
    text = ("Kethra floods close the river port\nPOSTED: 0930 GMT, March 6, 2026\n\n"
            "\"We will reopen it,\" Ilse Varn said. \"It will take weeks.\"\n\nThe port reopened on April 2, 2026.")
    art = Article(id="a", input="-", story="s", date="2026-03-06", text=text)
    items = timeline([art], {"a": _notes(nlp, art)})
    assert items and all("\n" not in i.text and not i.text.startswith(('"', "”")) for i in items)
    by_date = {i.date: i.text for i in items}
    assert by_date["2026-03-06"] == "POSTED: 0930 GMT, March 6, 2026"
    assert by_date["2026-04-02"] == "The port reopened on April 2, 2026."
