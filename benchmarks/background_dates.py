"""How many articles and stories are dated before the events they report (a biography's or background date
taken for the report's own).

Usage: ``python benchmarks/background_dates.py out/ecbplus/analysis.json [--days 30] [--show]``

Definition (independent of how rashomon dates anything): an article's *reported date* is the latest full
calendar date (year, month and day, or year and month) its own text spells out — "May 3, 2013", "December
2008" — since a report tells of its newest happening last in time; a biography or a background sentence
names earlier ones. Dates in sentences that look ahead ("will", "scheduled", "set for", "until", ...) are
left out: a schedule is not a happening. An article's **date precedes its events** when it lies more than ``--days`` days
before its reported date. A story's reported date is the median of its articles' reported dates, and the
story's **date precedes its events** when it lies more than ``--days`` days before that median. Articles and
stories whose texts spell no full date are not judged (counted as "unjudged").
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rashomon.when.timex import scan  # noqa: E402


def _day(value: str) -> date | None:
    """The first day of an ISO value of day or month precision (a bare year is too vague to judge)."""
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
        if len(value) == 7:
            return date(int(value[:4]), int(value[5:7]), 1)
    except ValueError:
        return None
    return None


_AHEAD = re.compile(r"(?i)\b(?:will|would|shall|to be|scheduled|set (?:for|to)|slated|due|expected|plans?|planned|"
                    r"next|upcoming|until|through|deadline)\b")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")


def reported(text: str) -> date | None:
    """The latest full date the text spells out (with its year) in a sentence that does not look ahead
    ("will", "scheduled", "set for", "until": a schedule is not a happening), or None."""
    days = []
    for s in _SENTENCE.finditer(text):
        if _AHEAD.search(s.group()):
            continue
        days += [d for c in scan(s.group()) if c.rule.startswith("abs:") and (d := _day(c.rule[4:]))]
    return max(days) if days else None


def measure(analysis: dict, days: int, show: bool = False) -> dict[str, int]:
    arts = {a["id"]: a for a in analysis["articles"]}
    found = {aid: reported(a["text"]) for aid, a in arts.items()}
    out = {"articles_dated": 0, "articles_judged": 0, "articles_before": 0,
           "stories_dated": 0, "stories_judged": 0, "stories_before": 0}
    for aid, a in arts.items():
        own = _day(a["date"] or "") if a.get("date") else None
        if own is None:
            continue
        out["articles_dated"] += 1
        if found[aid] is None:
            continue
        out["articles_judged"] += 1
        if (found[aid] - own).days > days:
            out["articles_before"] += 1
            if show:
                print(f"  article {aid}: dated {a['date']} ({a['date_source']}), reports {found[aid]}")
    for s in analysis["stories"]:
        own = _day(s.get("date") or "")
        if own is None:
            continue
        out["stories_dated"] += 1
        seen = sorted(d for aid in s["article_ids"] if (d := found.get(aid)) is not None)
        if not seen:
            continue
        out["stories_judged"] += 1
        middle = seen[len(seen) // 2] if len(seen) % 2 else seen[len(seen) // 2 - 1]
        median = date.fromordinal(int(statistics.median(d.toordinal() for d in seen)))
        if (median - own).days > days:
            out["stories_before"] += 1
            if show:
                print(f"  story {s['id']} ({len(s['article_ids'])} articles): dated {s['date']}, "
                      f"its articles report {median} (median; lower middle {middle}): {s['title'][:70]}")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("analysis", type=Path)
    ap.add_argument("--days", type=int, default=30)
    ap.add_argument("--show", action="store_true", help="list the articles and stories judged early")
    args = ap.parse_args()
    analysis = json.loads(args.analysis.read_text(encoding="utf-8"))
    out = measure(analysis, args.days, args.show)
    print(f"articles: {out['articles_before']} of {out['articles_judged']} judged dated more than {args.days} days "
          f"before their reported date ({out['articles_dated']} dated)")
    print(f"stories:  {out['stories_before']} of {out['stories_judged']} judged dated more than {args.days} days "
          f"before their articles' median reported date ({out['stories_dated']} dated)")


if __name__ == "__main__":
    main()
