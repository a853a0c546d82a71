"""Read models over the store shared by the CLI and the API (library code: no printing, no HTTP).

>>> from rashomon.store import Store
>>> with Store(":memory:") as store:
...     story_rows(store)
[]
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from .group import story_titles
from .store import Store


def story_rows(store: Store) -> list[dict[str, Any]]:
    """Every story in the store (without brief): id, title, date, article ids, families and the number of
    independent sources; newest first."""
    families, story_of = store.assignments()
    members: dict[str, list[str]] = defaultdict(list)
    for aid, sid in story_of.items():
        members[sid].append(aid)
    rows = []
    all_ids = [aid for ids in members.values() for aid in ids]
    articles = {a.id: a for a in store.articles(all_ids)}
    for sid, ids in members.items():
        group = [articles[i] for i in ids if i in articles]
        if not group:
            continue
        fams: dict[str, list[str]] = defaultdict(list)
        for a in group:
            fams[families.get(a.id, a.id)].append(a.id)
        title, date = story_titles.describe(group, {})
        rows.append({"id": sid, "title": title, "date": date, "article_ids": [a.id for a in group],
                     "families": list(fams.values()), "independent_sources": len(fams)})
    rows.sort(key=lambda r: (str(r["date"] or ""), len(r["article_ids"]) if isinstance(r["article_ids"], list) else 0),
              reverse=True)
    return rows
