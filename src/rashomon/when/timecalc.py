"""Calendar arithmetic for temporal expressions (shared by the map stage and the corpus stage of ``when``): a rule (what the words say) plus an anchor date (the
article's day) and the tense of the clause give a date, as precise as the words.

Rules are short strings so that they can be stored in :class:`~rashomon.model.TimeMention` and resolved
again when the corpus stage infers a missing article date. Their grammar is ``kind:arg:arg...`` with an
optional ``|flags`` tail (``x``: strictly before the anchor, for clauses opened by "after"):

========================  =====================================================  ===========================
rule                      meaning                                                example words
========================  =====================================================  ===========================
``abs:2026-03-06``        a date the text spells in full (also ``abs:2026-03``)   "March 6, 2026", "July 1997"
``md:3:6[:mode]``         month and day, year from mode or tense                 "March 6", "the 6th of March"
``m:11[:mode]``           month, year from mode or tense                         "in November", "last April"
``my:7:-1``               month of a year relative to the anchor's               "July last year"
``wd:4[:mode]``           weekday, week from mode or tense                       "on Friday", "last Monday"
``wdw:4:1``               weekday of the week before/of/after the anchor's       "Friday next week"
``day:-1``                days from the anchor                                   "yesterday"
``unit:year:-1[:part]``   the calendar week/month/year before/of/after           "last year", "earlier this week"
``ago:month:-5``          the anchor moved by a count of units                   "five months ago"
``dom:6``                 day of the month, month from tense                     "the 6th"
``hol:thu>=11-22[:mode]`` a holiday by rule, year from mode or tense             "Thanksgiving"
``ana:day:1``             relative to the time mentioned just before             "the next day"
``dur`` ``clock`` ``vague``  recognised, never a calendar date                   "two years", "10 a.m."
========================  =====================================================  ===========================

Modes are ``last``, ``this`` and ``next`` (from words such as "last", "this coming"); without one, the
tense decides: ``past`` looks back (the anchor's own day counts), ``future`` forward, ``present`` or no
tense takes the nearest.

>>> resolve("wd:5", "2026-03-06", "future")        # "is set to return on Saturday", said on a Friday
'2026-03-07'
>>> resolve("wd:5|x", "2026-03-07", "past")        # "... after they began bombarding on Saturday"
'2026-02-28'
>>> resolve("m:11", "2026-03-06", "past"), resolve("unit:year:-1", "2026-03-06", None)
('2025-11', '2025')
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.easter import easter
from dateutil.relativedelta import relativedelta

WEEKDAY_CODES = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}
NO_DATE = frozenset({"dur", "clock", "vague"})


@dataclass(frozen=True, slots=True)
class Rule:
    kind: str
    args: tuple[str, ...]
    exclusive: bool = False

    @classmethod
    def parse(cls, text: str) -> Rule:
        """``"wd:5|x"`` -> Rule("wd", ("5",), exclusive=True)."""
        body, _, flags = text.partition("|")
        kind, *args = body.split(":")
        return cls(kind, tuple(args), "x" in flags)


def to_date(value: str | date | None) -> date | None:
    """A ``date`` from an ISO day (``YYYY-MM-DD``; longer timestamps are cut), else None."""
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def precision(value: str) -> str:
    """``day``, ``month`` or ``year`` for an ISO value."""
    return {10: "day", 7: "month"}.get(len(value), "year")


def fmt(d: date, unit: str) -> str:
    """ISO text of ``d`` cut to ``unit`` (day | month | year)."""
    return d.isoformat()[: {"day": 10, "month": 7}.get(unit, 4)]


def span_value(first: date, last: date) -> str | None:
    """The smallest calendar unit (month, year) holding a whole period: a week inside March is '2026-03'."""
    if first == last:
        return first.isoformat()
    if (first.year, first.month) == (last.year, last.month):
        return fmt(first, "month")
    if first.year == last.year:
        return fmt(first, "year")
    return None


def direction(mode: str, tense: str | None, exclusive: bool = False) -> str:
    """past | past_strict | future | future_strict | nearest | this, from an explicit mode or the tense."""
    if mode == "last":
        return "past_strict"
    if mode == "next":
        return "future_strict"
    if mode == "this":
        return "this"
    if tense == "future":
        return "future"
    if tense == "present":
        return "nearest"
    # reported news is mostly about the past: a clause with no tense (a headline, a dateline) looks back
    return "past_strict" if exclusive else "past"


def weekday(anchor: date, wd: int, how: str) -> date:
    """The day with weekday ``wd`` (Monday = 0) in the direction ``how`` from ``anchor``.

    >>> str(weekday(date(2026, 3, 7), 5, "past")), str(weekday(date(2026, 3, 7), 5, "past_strict"))
    ('2026-03-07', '2026-02-28')
    """
    back = (anchor.weekday() - wd) % 7
    ahead = (wd - anchor.weekday()) % 7
    if how == "past":
        return anchor - timedelta(days=back)
    if how == "past_strict":
        return anchor - timedelta(days=back or 7)
    if how == "future":
        return anchor + timedelta(days=ahead)
    if how == "future_strict":
        return anchor + timedelta(days=ahead or 7)
    if how == "this":
        return anchor - timedelta(days=anchor.weekday()) + timedelta(days=wd)
    return anchor - timedelta(days=back) if back <= ahead else anchor + timedelta(days=ahead)


def _valid_day(year: int, month: int, day: int) -> date | None:
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return date(year, month, day)


def yearly(anchor: date, make: YearlyDate, how: str, unit: str = "day") -> date | None:
    """The occurrence of a once-a-year date (``make(year)``) in the direction ``how`` from ``anchor``.

    ``unit`` is the granularity compared: for a month ("in November") the whole month counts as the
    anchor's own when it is the anchor's month.
    """
    def key(d: date) -> tuple[int, ...]:
        return (d.year, d.month) if unit == "month" else (d.year, d.month, d.day)

    here = key(anchor)
    options = [d for d in (make(anchor.year - 1), make(anchor.year), make(anchor.year + 1)) if d is not None]
    if not options:
        return None
    if how == "this":
        return make(anchor.year)
    if how == "past":
        # a past clause can still name a date a little ahead ("payable Nov. 17", written in October):
        # going forward costs more than going back, so the forward date wins only when it is much nearer
        return min(options, key=lambda d: _distance(anchor, d, unit) * (1 if key(d) <= here else AGAINST_TENSE))
    if how == "past_strict":
        earlier = [d for d in options if key(d) < here]
        return max(earlier) if earlier else None
    if how == "future":
        later = [d for d in options if key(d) >= here]
        return min(later) if later else None
    if how == "future_strict":
        later = [d for d in options if key(d) > here]
        return min(later) if later else None
    # nearest; a tie (six months either way) goes to the past
    return min(options, key=lambda d: (_distance(anchor, d, unit), d > anchor))


AGAINST_TENSE = 2.5  # how much more a step against the clause's tense costs than a step with it


def _distance(anchor: date, d: date, unit: str) -> int:
    """Whole months (for month rules) or days between two dates."""
    if unit == "month":
        return abs((d.year - anchor.year) * 12 + d.month - anchor.month)
    return abs((d - anchor).days)


class YearlyDate:
    """A callable year -> date for month-days, months and holiday rules."""

    def __init__(self, spec: str) -> None:
        self.spec = spec

    def __call__(self, year: int) -> date | None:
        spec = self.spec
        if spec.startswith("easter"):
            return easter(year) + timedelta(days=int(spec[6:] or 0))
        if ">=" in spec or "<=" in spec:
            op = ">=" if ">=" in spec else "<="
            wd_name, md = spec.split(op)
            month, day = (int(x) for x in md.split("-"))
            base = _valid_day(year, month, day)
            if base is None:
                return None
            wd = WEEKDAY_CODES[wd_name.strip()]
            if op == ">=":
                return base + timedelta(days=(wd - base.weekday()) % 7)
            return base - timedelta(days=(base.weekday() - wd) % 7)
        month, day = (int(x) for x in spec.split("-"))
        return _valid_day(year, month, day)


def shift(d: date, unit: str, n: int) -> date:
    """``d`` moved by ``n`` days, weeks, months or years (clamped to the month's end)."""
    if unit == "day":
        return d + timedelta(days=n)
    if unit == "week":
        return d + timedelta(days=7 * n)
    if unit == "month":
        return d + relativedelta(months=n)
    return d + relativedelta(years=n)


def parse_value(value: str) -> tuple[date, str] | None:
    """(first day, precision) of an ISO value ``YYYY[-MM[-DD]]``."""
    try:
        if len(value) == 4:
            return date(int(value), 1, 1), "year"
        if len(value) == 7:
            return date(int(value[:4]), int(value[5:7]), 1), "month"
        return date.fromisoformat(value), "day"
    except ValueError:
        return None


_RANK = {"day": 0, "month": 1, "year": 2}


def resolve(rule: str, anchor: str | date | None, tense: str | None = None,
            reference: str | None = None) -> str | None:
    """The ISO value (``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``) a rule names, or None.

    ``anchor`` is the article's date; ``reference`` the value of the time mentioned last (for "the next
    day"). Absolute rules need no anchor; relative ones give None without one.

    >>> resolve("md:3:19", "2026-03-06", "future"), resolve("my:7:-1", "2026-03-07")
    ('2026-03-19', '2025-07')
    >>> resolve("unit:week:0", "2026-03-06"), resolve("ago:day:-14", "1998-03-22")
    ('2026-03', '1998-03-08')
    """
    r = Rule.parse(rule)
    if r.kind in NO_DATE:
        return None
    if r.kind == "abs":
        return r.args[0]
    if r.kind == "ana":
        return _anaphora(r, reference, anchor)
    a = to_date(anchor)
    if a is None:
        return None
    mode = r.args[-1] if r.args and r.args[-1] in {"last", "this", "next"} else ""
    how = direction(mode, tense, r.exclusive)
    k, args = r.kind, r.args
    if k == "wd":
        return weekday(a, int(args[0]), how).isoformat()
    if k == "wdw":
        monday = a - timedelta(days=a.weekday()) + timedelta(days=7 * int(args[1]))
        return (monday + timedelta(days=int(args[0]))).isoformat()
    if k == "day":
        return (a + timedelta(days=int(args[0]))).isoformat()
    if k == "md":
        d = yearly(a, YearlyDate(f"{int(args[0]):02d}-{int(args[1]):02d}"), how)
        return d.isoformat() if d else None
    if k == "hol":
        d = yearly(a, YearlyDate(args[0]), how)
        return d.isoformat() if d else None
    if k == "m":
        d = yearly(a, YearlyDate(f"{int(args[0]):02d}-01"), how, unit="month")
        return fmt(d, "month") if d else None
    if k == "my":
        return f"{a.year + int(args[1]):04d}-{int(args[0]):02d}"
    if k == "dom":
        day = int(args[0])

        def monthly(offset: int) -> date | None:
            m = a.replace(day=1) + relativedelta(months=offset)
            return _valid_day(m.year, m.month, day)

        options = [d for d in (monthly(-1), monthly(0), monthly(1)) if d]
        pick = {"past": [d for d in options if d <= a], "past_strict": [d for d in options if d < a],
                "future": [d for d in options if d >= a], "future_strict": [d for d in options if d > a]}
        if how in pick:
            chosen = pick[how]
            if not chosen:
                return None
            return (max(chosen) if how.startswith("past") else min(chosen)).isoformat()
        this = monthly(0)
        return this.isoformat() if this else None
    if k == "ago":
        unit, n = args[0], int(args[1])
        out_unit = "day" if unit in {"day", "week"} else unit
        return fmt(shift(a, unit, n), out_unit)
    if k == "unit":
        return _unit(a, args[0], int(args[1]), args[2] if len(args) > 2 else "", how)
    return None


def _unit(a: date, unit: str, n: int, part: str, how: str) -> str | None:
    """The week/weekend/month/year/season ``n`` steps from the anchor's, narrowed by ``part``."""
    if unit == "year":
        return f"{a.year + n:04d}"
    if unit == "month":
        return fmt(a.replace(day=1) + relativedelta(months=n), "month")
    if unit == "week":
        monday = a - timedelta(days=a.weekday()) + timedelta(days=7 * n)
        first, last = monday, monday + timedelta(days=6)
        if n == 0 and part == "earlier":
            last = max(first, a - timedelta(days=1))
        elif n == 0 and part == "later":
            first = min(last, a + timedelta(days=1))
        return span_value(first, last)
    if unit == "weekend":
        saturday = a - timedelta(days=a.weekday()) + timedelta(days=5 + 7 * n)
        if n == 0 and how.startswith("past") and saturday > a:
            saturday -= timedelta(days=7)
        return span_value(saturday, saturday + timedelta(days=1))
    if unit in SEASONS:
        start, end = SEASONS[unit]
        # the season's year is the year its first month falls in; winter straddles two years
        begin = date(a.year, start, 1)
        if n == 0 and how.startswith("past") and begin > a:
            begin = begin.replace(year=a.year - 1)
        elif n != 0:
            in_or_after = begin if begin <= a else begin.replace(year=a.year - 1)
            begin = in_or_after.replace(year=in_or_after.year + n)
        if end < start:
            return None
        return f"{begin.year:04d}"
    return None


def _anaphora(r: Rule, reference: str | None, anchor: str | date | None) -> str | None:
    """'the next day', 'that year': moved from the time mentioned last, never finer than that time."""
    unit, n = r.args[0], int(r.args[1])
    base = parse_value(reference) if reference else None
    if base is None:
        return None
    d, prec = base
    if _RANK[prec] > _RANK[unit]:
        return None
    return fmt(shift(d, unit, n), unit)
