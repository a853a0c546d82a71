"""Time: expressions and their dates, the calendar arithmetic (property tests), inferred article dates,
the merged timeline, the seeds, and the measured run on TempEval-3 (slow)."""

from __future__ import annotations

import importlib.util
import json
import re
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rashomon.model import Article, Notes, Sentence
from rashomon.when import timecalc
from rashomon.when.timeline import infer_dates, timeline
from rashomon.when.times import find_times
from rashomon.when.timex import scan

from .conftest import SHARED, seed_path

DAYS = st.dates(min_value=date(1900, 3, 1), max_value=date(2099, 10, 31))


def times(nlp, text: str, day: str | None = "2026-03-06"):
    art = Article(id="a1", input="-", text=text, date=day)
    return find_times(nlp(text), art)


def value_of(ts, word: str) -> str | None:
    """The value of the expression that is ``word`` (give or take "on"/"in"), else the first holding it."""
    exact = [t for t in ts if re.sub(r"(?i)^(on|in) ", "", t.expression).lower() == word.lower()]
    found = exact or [t for t in ts if word.lower() in t.expression.lower()]
    assert found, f"no expression with {word!r} in {[t.expression for t in ts]}"
    return found[0].value


# ------------------------------------------------------------------------------ calendar arithmetic


@given(DAYS, st.integers(0, 6))
def test_past_weekday_is_the_latest_on_or_before_the_anchor(anchor, wd):
    got = date.fromisoformat(timecalc.resolve(f"wd:{wd}", anchor, "past"))
    assert got.weekday() == wd and 0 <= (anchor - got).days <= 6


@given(DAYS, st.integers(0, 6))
def test_future_weekday_is_the_first_on_or_after_the_anchor(anchor, wd):
    got = date.fromisoformat(timecalc.resolve(f"wd:{wd}", anchor, "future"))
    assert got.weekday() == wd and 0 <= (got - anchor).days <= 6


@given(DAYS, st.integers(0, 6), st.sampled_from(["past", "future", "present", None]))
def test_weekday_modes(anchor, wd, tense):
    strict_past = date.fromisoformat(timecalc.resolve(f"wd:{wd}|x", anchor, "past"))
    assert strict_past.weekday() == wd and 1 <= (anchor - strict_past).days <= 7
    last = date.fromisoformat(timecalc.resolve(f"wd:{wd}:last", anchor, tense))
    nxt = date.fromisoformat(timecalc.resolve(f"wd:{wd}:next", anchor, tense))
    assert 1 <= (anchor - last).days <= 7 and 1 <= (nxt - anchor).days <= 7
    nearest = date.fromisoformat(timecalc.resolve(f"wd:{wd}", anchor, "present"))
    assert abs((nearest - anchor).days) <= 3


@given(DAYS, st.integers(1, 12))
def test_month_without_year(anchor, month):
    past = timecalc.resolve(f"m:{month}", anchor, "past")
    future = timecalc.resolve(f"m:{month}", anchor, "future")
    last = timecalc.resolve(f"m:{month}:last", anchor, None)
    here = anchor.year * 12 + anchor.month

    def idx(v):
        return int(v[:4]) * 12 + int(v[5:7])

    assert int(past[5:]) == int(future[5:]) == int(last[5:]) == month
    # looking back, except that a month at most three ahead beats one nine or more behind
    assert -11 <= idx(past) - here <= 3
    assert 0 <= idx(future) - here <= 11
    assert -12 <= idx(last) - here <= -1


@given(DAYS, st.integers(1, 12), st.integers(1, 28), st.sampled_from(["past", "future"]))
def test_month_day_lands_within_a_year_of_the_anchor(anchor, month, day, tense):
    got = date.fromisoformat(timecalc.resolve(f"md:{month}:{day}", anchor, tense))
    assert (got.month, got.day) == (month, day)
    delta = (got - anchor).days
    assert (0 <= delta <= 366) if tense == "future" else (-366 <= delta <= 120)


@given(DAYS, st.integers(-30, 30))
def test_relative_days_and_years(anchor, n):
    assert timecalc.resolve(f"day:{n}", anchor) == (anchor + timedelta(days=n)).isoformat()
    assert timecalc.resolve(f"unit:year:{n}", anchor) == f"{anchor.year + n:04d}"
    assert timecalc.resolve(f"ago:day:{-abs(n)}", anchor) == (anchor - timedelta(days=abs(n))).isoformat()


@given(DAYS)
def test_weeks_are_as_precise_as_a_calendar_unit_holding_them(anchor):
    v = timecalc.resolve("unit:week:-1", anchor)
    monday = anchor - timedelta(days=anchor.weekday() + 7)
    sunday = monday + timedelta(days=6)
    if (monday.year, monday.month) == (sunday.year, sunday.month):
        assert v == monday.isoformat()[:7]
    elif monday.year == sunday.year:
        assert v == str(monday.year)
    else:
        assert v is None


def test_rules_without_an_anchor_and_not_dates():
    assert timecalc.resolve("wd:4", None, "past") is None
    assert timecalc.resolve("abs:1998-08-07", None) == "1998-08-07"
    assert timecalc.resolve("dur", "2026-03-06") is None
    assert timecalc.resolve("hol:thu>=11-22", "1999-12-01", "past") == "1999-11-25"
    assert timecalc.resolve("ana:day:1", "2026-03-06", reference="2026-02-27") == "2026-02-28"
    assert timecalc.resolve("ana:day:1", "2026-03-06", reference="2026") is None


# ---------------------------------------------------------------------------------- patterns


def test_scan_spellings():
    rules = {c.text: c.rule for c in scan(
        "They met on 2026-03-06, on 3/7/2026, on March 19, on Mar. 6, on 6 March 2026, on the 6th of May, "
        "in July 1997, in nineteen ninety-six and two years ago.")}
    assert rules["2026-03-06"] == "abs:2026-03-06"
    assert rules["3/7/2026"] == "abs:2026-03-07"
    assert rules["March 19"] == "md:3:19" and rules["Mar. 6"] == "md:3:6"
    assert rules["6 March 2026"] == "abs:2026-03-06" and rules["the 6th of May"] == "md:5:6"
    assert rules["July 1997"] == "abs:1997-07" and rules["nineteen ninety-six"] == "abs:1996"
    assert rules["two years ago"] == "ago:year:-2"


def test_scan_does_not_take_numbers_modals_or_ages_for_dates(nlp):
    ts = times(nlp, "May I add that 1,990 people, 2000 troops and a 42-year-old man were there?")
    assert [t for t in ts if t.value] == []


# ---------------------------------------------------------------------------- resolved in context


def test_weekday_by_tense(nlp):
    # the anchor is a Friday
    ts = times(nlp, "Governor Elsa Kurt met the envoys on Tuesday and will return to Valdra on Saturday.")
    assert value_of(ts, "Tuesday") == "2026-03-03"
    assert value_of(ts, "Saturday") == "2026-03-07"
    ts = times(nlp, "The mayor of Brenton, who is set to travel on Friday, spoke on Monday.")
    assert value_of(ts, "Friday") == "2026-03-06"  # the article's own day counts
    assert value_of(ts, "Monday") == "2026-03-02"


def test_a_clause_after_the_fact_lies_before_the_anchor_day(nlp):
    # anchor Saturday 2026-03-07: "came after they began ... on Saturday" is the Saturday before
    ts = times(nlp, "The visit came after the two navies began joint drills on Saturday.", "2026-03-07")
    assert value_of(ts, "Saturday") == "2026-02-28"
    ts = times(nlp, "The two navies began joint drills on Saturday.", "2026-03-07")
    assert value_of(ts, "Saturday") == "2026-03-07"


def test_months_and_relative_years(nlp):
    ts = times(nlp, "Ms Orla Penn suggested in November that the port might close. "
                    "The plant opened in July last year and will expand next month. "
                    "Sales rose last year and this year, and fell a year ago.")
    assert value_of(ts, "November") == "2025-11"
    assert value_of(ts, "July last year") == "2025-07"
    assert value_of(ts, "next month") == "2026-04"
    assert value_of(ts, "last year") == "2025"
    assert value_of(ts, "this year") == "2026"
    assert value_of(ts, "a year ago") == "2025"
    ts = times(nlp, "Profit for the full year rose, as it had earlier in the year; the year before it fell.")
    assert value_of(ts, "the full year") == "2026" and value_of(ts, "earlier in the year") == "2026"
    assert value_of(ts, "the year before") == "2025"


def test_weeks_days_and_the_nth(nlp):
    ts = times(nlp, "Earlier this week the council voted. Yesterday it met, today it rests, and on the 2nd, "
                    "the mayor resigned.")
    assert value_of(ts, "Earlier this week") == "2026-03"
    assert value_of(ts, "Yesterday") == "2026-03-05"
    assert value_of(ts, "today") == "2026-03-06"
    assert value_of(ts, "the 2nd") == "2026-03-02"


def test_durations_and_clock_times_are_not_dates(nlp):
    ts = times(nlp, "After two years of talks and a two-day summit, the vote came at 10:30 a.m. on Friday.")
    assert value_of(ts, "two years") is None
    assert value_of(ts, "two-day") is None
    assert value_of(ts, "10:30") is None
    assert value_of(ts, "Friday") == "2026-03-06"


def test_no_anchor_no_relative_value_but_absolute_dates_stay(nlp):
    ts = times(nlp, "The treaty of March 3, 1999 was signed on Friday.", day=None)
    assert value_of(ts, "March 3, 1999") == "1999-03-03"
    assert value_of(ts, "Friday") is None
    assert [t.rule for t in ts if "Friday" in t.expression] == ["wd:4"]


# ------------------------------------------------------------------------------ corpus stage


def _notes(nlp, art: Article) -> Notes:
    doc = nlp(art.text)
    return Notes(art.id, sentences=tuple(Sentence(s.start_char, s.end_char) for s in doc.sents),
                 times=find_times(doc, art))


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
    friday = [i for i in items if i.date == "2026-03-06" and "friday" in i.expression.lower()]
    assert len(friday) == 1 and set(friday[0].article_ids) == {"a", "b"}
    assert {s.article_id: s.expression for s in friday[0].sources} == {"a": "on Friday", "b": "Friday"}
    # each article's own wording can be found in an item carrying its id (contains / is contained)
    for art in arts:
        for t in notes[art.id].times:
            if t.value:
                assert any(art.id in i.article_ids and (t.expression.lower() in i.expression.lower()
                                                        or i.expression.lower() in t.expression.lower())
                           for i in items)
    assert [i.date for i in items] == sorted(i.date for i in items)
    assert items[0].date == "2026-01" and items[0].article_ids == ("d",)


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
