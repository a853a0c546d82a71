"""Coverage at a glance, for one story: which outlets carried it and when, who reported first, who copied
whom (each syndication family as a tree with its dates), and which claims each outlet carries.

:func:`coverage` gives plain data (JSON-ready: the API sends it with a story, the web app draws it), and
:func:`matrix_chart` / :func:`tree_chart` give the coordinates report.html draws as SVG.

Who copied whom: inside a family, the members in date order (arrival order among equal dates); the first is
the family's origin, and each later member hangs from the earlier one whose wording it shares most (word
4-gram overlap), so a reprint of a reprint hangs from the reprint it was made from.

>>> from rashomon.model import Article, Claim, Story
>>> arts = [Article(id="w", input="w.txt", outlet="Wire", date="2026-05-14", text="The two leaders signed the accord on Thursday in Kessin."),
...         Article(id="c", input="c.txt", outlet="Herald", date="2026-05-15", text="The two leaders signed the accord on Thursday in Kessin, officials said."),
...         Article(id="o", input="o.txt", outlet="Ledger", date="2026-05-14", text="An accord was signed.")]
>>> story = Story("s", "Accord", ("w", "c", "o"), (("w", "c"), ("o",)), 2)
>>> cov = coverage(story, {a.id: a for a in arts}, [Claim("k1", "Signed", ("w", "c", "o"), 2, "corroborated")])
>>> [(o["name"], o["first"]) for o in cov["outlets"]], cov["first"]
([('Wire', True), ('Ledger', True), ('Herald', False)], {'date': '2026-05-14', 'outlets': ['Wire', 'Ledger']})
>>> [(m["outlet"], m["parent"]) for m in cov["families"][0]["members"]]
[('Wire', None), ('Herald', 'w')]
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from ..model import Article, Claim, Story, source_labels

MAX_CLAIMS = 24  # columns of the matrix; the rest are counted, not drawn
_STATUS_ORDER = {"disputed": 0, "corroborated": 1, "single-source": 2}
_WORD = re.compile(r"\w+")


def _when(article: Article, order: int) -> tuple[bool, str, int]:
    return (article.date is None, article.date or "", order)


def coverage(story: Story, articles: Mapping[str, Article], claims: Sequence[Claim],
             labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The story's outlets (first to last), families as copy trees (the earliest first), and the claims
    matrix. Each report is named by its ``labels`` entry (default :func:`rashomon.model.source_labels`:
    its outlet, else its site, else "Source N"; never a path or an id)."""
    order = {aid: k for k, aid in enumerate(story.article_ids)}
    arts = [articles[aid] for aid in story.article_ids if aid in articles]
    names = dict(labels) if labels is not None else source_labels(arts)
    by_outlet: dict[str, list[Article]] = {}
    for a in sorted(arts, key=lambda a: _when(a, order[a.id])):
        by_outlet.setdefault(names[a.id], []).append(a)
    dated = [a.date for a in arts if a.date]
    first_date = min(dated) if dated else None
    outlets: list[dict[str, Any]] = [{"name": name, "article_ids": [a.id for a in group], "date": group[0].date,
                                      "first": first_date is not None and group[0].date == first_date}
                                     for name, group in by_outlet.items()]
    mine = [c for c in claims if any(aid in order for aid in c.article_ids)]
    mine.sort(key=lambda c: (_STATUS_ORDER.get(c.status, 3), -c.families, c.id))
    shown = mine[:MAX_CLAIMS]
    matrix = [[c.id for c in shown if set(o["article_ids"]) & set(c.article_ids)] for o in outlets]
    return {
        "outlets": outlets,
        "first": {"date": first_date, "outlets": [o["name"] for o in outlets if o["first"]]},
        "claims": [{"id": c.id, "text": c.text, "status": c.status, "families": c.families,
                    "outlets": sum(1 for row in matrix if c.id in row)} for c in shown],
        "claims_total": len(mine),
        "carries": {o["name"]: row for o, row in zip(outlets, matrix, strict=True)},
        "families": [t for _, t in sorted(((_first(fam, articles, order), k), _tree(fam, articles, order, names))
                                          for k, fam in enumerate(story.families))],
    }


def _tree(family: Sequence[str], articles: Mapping[str, Article], order: Mapping[str, int],
          names: Mapping[str, str]) -> dict[str, Any]:
    """One family as a copy tree: members in date order, each with the earlier member it copies."""
    members = sorted((articles[aid] for aid in family if aid in articles), key=lambda a: _when(a, order.get(a.id, 0)))
    grams = [_grams(a.text) for a in members]
    out = []
    for k, a in enumerate(members):
        parent = None
        if k:
            best = max(range(k), key=lambda j: (_overlap(grams[k], grams[j]), -j))
            parent = members[best].id
        out.append({"id": a.id, "outlet": names[a.id], "title": a.title, "date": a.date, "parent": parent})
    return {"origin": members[0].id if members else None, "members": out}


def _first(family: Sequence[str], articles: Mapping[str, Article], order: Mapping[str, int]) -> tuple[bool, str, int]:
    return min((_when(articles[aid], order.get(aid, 0)) for aid in family if aid in articles), default=(True, "", 0))


def _grams(text: str, n: int = 4) -> frozenset[tuple[str, ...]]:
    words = _WORD.findall(text.lower())
    return frozenset(tuple(words[i:i + n]) for i in range(max(0, len(words) - n + 1)))


def _overlap(a: frozenset[tuple[str, ...]], b: frozenset[tuple[str, ...]]) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


# ----------------------------------------------------------------------------------- geometry (SVG)

LABEL_W, CELL, ROW, PAD = 190, 24, 22, 10


def matrix_chart(cov: Mapping[str, Any]) -> dict[str, Any]:
    """Coordinates of the coverage matrix: one row per outlet, one column per claim, a square where the
    outlet carries the claim.

    >>> c = matrix_chart({"outlets": [{"name": "Wire"}], "claims": [{"id": "k1", "status": "corroborated"}],
    ...                   "carries": {"Wire": ["k1"]}})
    >>> c["width"], c["height"], [(x["x"], x["y"]) for x in c["cells"]]
    (224, 62, [(200, 30)])
    """
    claims = cov["claims"]
    top = 30
    cells = []
    for i, o in enumerate(cov["outlets"]):
        carried = set(cov["carries"].get(o["name"], ()))
        for j, c in enumerate(claims):
            cells.append({"x": LABEL_W + PAD + j * CELL, "y": top + i * ROW, "row": i, "col": j,
                          "on": c["id"] in carried, "status": c["status"]})
    return {"width": LABEL_W + PAD + max(1, len(claims)) * CELL, "height": top + len(cov["outlets"]) * ROW + PAD,
            "top": top, "left": LABEL_W + PAD - 3, "cells": cells, "cell": CELL - 6, "row": ROW,
            "columns": [{"x": LABEL_W + PAD + j * CELL + (CELL - 6) / 2, "label": f"C{j + 1}"}
                        for j in range(len(claims))],
            "rows": [{"y": top + i * ROW + (CELL - 6) / 2 + 4, "label": o["name"]} for i, o in enumerate(cov["outlets"])]}


def tree_chart(cov: Mapping[str, Any], width: int = 760) -> dict[str, Any]:
    """Coordinates of the family trees on a date axis: one row per report, families one under the other,
    an elbow from each copy to the report it copies. Undated reports stand in a column at the right."""
    rows = []
    for f, fam in enumerate(cov["families"]):
        for m in fam["members"]:
            rows.append({**m, "family": f})
    days = sorted({r["date"] for r in rows if r["date"]})
    lo_x, hi_x = LABEL_W + 2 * PAD, width - 70
    span = len(days) - 1

    def x_of(d: str | None) -> float:
        if d is None:
            return width - 30
        if not span:
            return (lo_x + hi_x) / 2
        return lo_x + (hi_x - lo_x) * days.index(d) / span  # one column per date: days close together stay apart

    y = 20
    placed: dict[str, dict[str, Any]] = {}
    for k, r in enumerate(rows):
        if k and r["family"] != rows[k - 1]["family"]:
            y += 8  # a gap between families
        placed[r["id"]] = {**r, "x": x_of(r["date"]), "y": y, "is_copy": r["parent"] is not None}
        y += ROW
    edges = [{"x1": placed[r["parent"]]["x"], "y1": placed[r["parent"]]["y"], "x2": p["x"], "y2": p["y"]}
             for r in rows if r["parent"] in placed for p in (placed[r["id"]],)]
    ticks = [{"x": x_of(d), "label": d} for d in days] if len(days) <= 8 else \
        [{"x": x_of(days[0]), "label": days[0]}, {"x": x_of(days[-1]), "label": days[-1]}]
    if any(r["date"] is None for r in rows):
        ticks.append({"x": width - 30, "label": "undated"})
    return {"width": width, "height": y + 24, "nodes": list(placed.values()), "edges": edges, "ticks": ticks,
            "axis": y + 4}
