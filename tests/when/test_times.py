"""Time expressions in one article and their dates (when/times, when/timex), and the calendar arithmetic
(when/timecalc, property tests)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from rashomon.model import Article
from rashomon.when import timecalc
from rashomon.when.times import find_times
from rashomon.when.timex import scan

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


def test_a_same_day_weekday_in_past_tense_is_that_day(nlp):
    # anchor Friday 2026-03-06: the meeting an "after" clause tells was that Friday, not the one before
    ts = times(nlp, "The two ministers agreed to reopen the border after they met in Kessin on Friday.")
    assert value_of(ts, "Friday") == "2026-03-06"
    ts = times(nlp, "The pact came after the envoys met in Kessin on Friday.")
    assert value_of(ts, "Friday") == "2026-03-06"


def test_a_weekday_of_another_week_is_a_day(nlp):
    ts = times(nlp, "The council will vote on Friday next week and meet again on Monday of last week's venue.")
    assert value_of(ts, "Friday next week") == "2026-03-13"
    ts = times(nlp, "The envoys met Monday of last week and will meet again next week on Tuesday.")
    assert value_of(ts, "Monday of last week") == "2026-02-23"
    assert value_of(ts, "next week on Tuesday") == "2026-03-10"
    assert [(c.text, c.rule) for c in scan("on Friday next week")] == [("Friday next week", "wdw:4:1")]


def test_the_tense_of_a_sentence_tells_news_from_background(nlp):
    from rashomon.when.times import sentence_tense

    doc = nlp("Premier Ilse Varn invited President Reed to visit Orvia. Lent is Orvia's third-largest partner. "
              "Orvia has joined the patrols. Varn is set to arrive on Friday. Envoys had met in May.")
    assert [sentence_tense(s) for s in doc.sents] == ["past", "present", "perfect", "future", "pluperfect"]
    # an impersonal report ("it was reported that ...") has the tense of what it reports
    doc = nlp("Earlier, it was reported that Orvia and Lent had agreed to widen the pact. "
              "It was announced that the envoys met in Kessa. Varn said that the envoys had met.")
    assert [sentence_tense(s) for s in doc.sents] == ["pluperfect", "past", "past"]


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


def test_numbers_that_count_or_label_are_no_years(nlp):
    # the small parser calls such numbers dates; a timeline showed "the year 1001" and "early 1000"
    text = ("The ministry found 312 more files, which brings the total to nearly 1000. Prosecutors cite Article "
            "1001 of the Kell penal code, and the bill, HB 1523, failed. Of the 1,590 votes cast, 1128 were for "
            "Marrow. Flight 1549 landed safely in Port Avel.")
    assert [t.value for t in times(nlp, text) if t.value and t.value[:2] in ("10", "11", "15")] == []


def test_bare_years_with_a_cue_or_in_a_parsed_date_stay_years(nlp):
    ts = times(nlp, "The 1960 election was close. It recalls the charter of 1780, and the party, founded in 1848, "
                    "won again in early 2009; 2012 brought a split.")
    assert {t.value for t in ts} >= {"1960", "1780", "1848", "2009", "2012"}


def test_a_decade_written_with_an_apostrophe_is_no_year(nlp):
    # ECB+'s "who swam to stardom in the 1940's" put the year 1940 on the timeline; a year's possessive stays
    ts = times(nlp, "Lind swam to stardom in the 1940's and the mid 1930’s saw her start. In 2010's race she "
                    "backed Marrow, and the 1990 race was hers.")
    values = {t.value for t in ts}
    assert not values & {"1940", "1930"} and {"2010", "1990"} <= values
