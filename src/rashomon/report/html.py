"""The HTML report of an Analysis: a folder that opens from ``file://`` with no external request.

:func:`render_report` gives its files: ``report.html``, the entry point — an index of the stories with
search and filters (date, outlet, language, size) and the threads — and one page per story under
``stories/``, opened on demand, plus ``entities.html``. :func:`render_html` gives one page holding every
story (a single story's export, and small inputs).

A story's page: the overview with its families, coverage at a glance (who reported first, who copied whom
as a tree on a date axis, which claims each outlet carries as a matrix, each with a text alternative), the
brief whose citations jump to the very sentence in the source, where the reports differ, the claims with
their corroboration counts, quotes by speaker with the wording differences marked word by word, the
timeline as an SVG chart, the events, the sources side by side (family by family) and the entities.

Article content is untrusted: the templates autoescape everything (nothing is marked safe). Story pages
carry a Content-Security-Policy that allows no script at all and no request beyond the page itself; the
index allows one script, its own (by hash), which only shows and hides rows.

>>> from rashomon.model import Analysis, Article
>>> page = render_html(Analysis(generated_at="now", articles=(Article(id="a1", input="x", text="<script>alert(1)</script>"),)))
>>> "<script>alert(1)" in page, "&lt;script&gt;alert(1)" in page
(False, True)
"""

from __future__ import annotations

import base64
import bisect
import difflib
import hashlib
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from ..model import Analysis, Article, Quote, Story, Thread, TimelineItem, source_labels
from ..read import language
from . import coverage as cover
from .markdown import reference

_FRAMING = re.compile(r"^(?:another report says|according to)\s+", re.IGNORECASE)


def _env() -> Any:
    import jinja2

    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                              lstrip_blocks=True)


# ------------------------------------------------------------------------------ cited sentences


@dataclass
class _Source:
    """An article as the page shows it: its text in pieces, some of them marked as cited by the brief."""

    article: Article
    number: int
    label: str = ""  # a readable name: outlet, site, or "Source N" (model.source_labels)
    pieces: list[tuple[str, str | None]] = field(default_factory=list)  # (text, mark id or None)
    marks: list[tuple[int, int, str]] = field(default_factory=list)


# whitespace to fold into one space: a run of several characters, or one that is not a plain space
_FOLD = re.compile(r"\s{2,}|[^\S ]")


@lru_cache(maxsize=256)
def _flat(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` with every run of whitespace as one space, and how to map an offset in it back: from
    flat offset ``after[k]`` on, ``shift[k]`` characters were folded away before it. Cached: every brief
    sentence citing an article looks for its segments in the same text."""
    parts: list[str] = []
    after: list[int] = []
    shift: list[int] = []
    pos = gone = 0
    for m in _FOLD.finditer(text):
        parts.append(text[pos:m.start()])
        parts.append(" ")
        after.append(m.start() - gone + 1)
        gone += m.end() - m.start() - 1
        shift.append(gone)
        pos = m.end()
    parts.append(text[pos:])
    return "".join(parts), after, shift


def _unflat(text: str, i: int) -> int:
    """The offset in ``text`` of character ``i`` of its :func:`_flat` form."""
    _, after, shift = _flat(text)
    k = bisect.bisect_right(after, i)
    return i + shift[k - 1] if k else i


def _find(text: str, segment: str) -> tuple[int, int] | None:
    """Where a brief segment stands in an article, whitespace and a final stop aside.

    >>> _find("They met in\\n  Kessin on Monday.", "They met in Kessin.")
    (0, 20)
    """
    words = segment.strip().rstrip(".;").split()
    if len(words) < 3:
        return None
    # a plain search in the text with its whitespace runs folded, not one regular expression per segment
    flat = _flat(text)[0]
    needle = " ".join(words)
    at = flat.find(needle)
    if at < 0 and words[0][:1].islower() and len(words[0]) > 1:
        # "the accord ..." fused after a connector was "The accord ..."
        needle = words[0][0].upper() + needle[1:]
        at = flat.find(needle)
    return (_unflat(text, at), _unflat(text, at + len(needle) - 1) + 1) if at >= 0 else None


def _segments(sentence: str) -> list[str]:
    return [_FRAMING.sub("", s.strip()) for s in re.split(r"[;:]\s+", sentence) if s.strip()]


def _pieces(text: str, marks: Sequence[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    pos = 0
    for start, end, mid in sorted(marks):
        if start < pos:
            continue  # two brief sentences citing the same words: the first keeps the mark
        if start > pos:
            out.append((text[pos:start], None))
        out.append((text[start:end], mid))
        pos = end
    if pos < len(text):
        out.append((text[pos:], None))
    return out


def _cite_targets(story_no: int, story: Story, sources: dict[str, _Source]) -> list[list[tuple[int, str, str]]]:
    """For each brief sentence, its citations as (reference number, anchor, reference); the anchor is the
    cited sentence itself when it is found in the source, else the source card."""
    out = []
    for i, sentence in enumerate(story.brief):
        cites = []
        for aid in sentence.article_ids:
            src = sources.get(aid)
            if src is None:
                continue
            anchor = f"s{story_no}-src-{aid}"
            for j, seg in enumerate(_segments(sentence.text)):
                span = _find(src.article.text, seg)
                if span:
                    mid = f"s{story_no}-b{i}-{aid}-{j}"
                    src.marks.append((span[0], span[1], mid))
                    if anchor.startswith(f"s{story_no}-src-"):
                        anchor = mid
            cites.append((src.number, anchor, reference(src.article, src.label)))
        out.append(cites)
    return out


# ------------------------------------------------------------------------------------ quotes


def word_diff(a: str, b: str) -> list[tuple[str, str]]:
    """Word-level differences between two wordings: (op, text) with op ``same``, ``del`` or ``ins``.

    >>> word_diff("we are ready to act", "we are ready to do more")
    [('same', 'we are ready to '), ('del', 'act'), ('ins', 'do more')]
    """
    ta, tb = re.findall(r"\S+\s*", a), re.findall(r"\S+\s*", b)
    norm = lambda ts: [re.sub(r"[^\w]", "", t).lower() for t in ts]  # noqa: E731 - local key
    out: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, norm(ta), norm(tb), autojunk=False).get_opcodes():
        if op == "equal":
            out.append(("same", "".join(tb[j1:j2])))
        else:
            if i2 > i1:
                out.append(("del", "".join(ta[i1:i2]).rstrip()))
            if j2 > j1:
                out.append(("ins", "".join(tb[j1:j2]).rstrip()))
    return out


def _quote_groups(quotes: Iterable[Quote], articles: dict[str, Article],
                  labels: Mapping[str, str]) -> list[dict[str, Any]]:
    """Quotes by speaker; within a speaker, one entry per statement with each outlet's wording, the
    later wordings diffed against the first."""
    by_speaker: dict[str, dict[str, list[Quote]]] = defaultdict(lambda: defaultdict(list))
    for q in quotes:
        by_speaker[q.speaker or "Unattributed"][q.group or q.id].append(q)
    out = []
    for speaker in sorted(by_speaker, key=lambda s: (s == "Unattributed", s)):
        statements = []
        for qs in by_speaker[speaker].values():
            first = qs[0]
            wordings = [{"quote": first, "outlet": labels.get(first.article_id, "unknown"), "diff": None}]
            for q in qs[1:]:
                same = re.sub(r"\W", "", q.text.lower()) == re.sub(r"\W", "", first.text.lower())
                wordings.append({"quote": q, "outlet": labels.get(q.article_id, "unknown"),
                                 "diff": None if same else word_diff(first.text, q.text)})
            statements.append({"wordings": wordings, "differs": any(w["diff"] for w in wordings)})
        out.append({"speaker": speaker, "statements": statements})
    return out


# ----------------------------------------------------------------------------------- timeline


def _day(value: str) -> date | None:
    try:
        if len(value) == 4:
            return date(int(value), 7, 1)
        if len(value) == 7:
            return date(int(value[:4]), int(value[5:7]), 15)
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def timeline_chart(items: Sequence[TimelineItem], width: int = 960) -> dict[str, Any]:
    """Coordinates for an SVG timeline: one dot per date on a date axis, its size by the number of reports
    that date statements there, labels placed in rows above and below so that they never overlap.

    >>> from rashomon.model import TimelineItem
    >>> c = timeline_chart([TimelineItem("2026-03-06", "Friday", "Leaders met.", ("a", "b"), 0, 6)])
    >>> [(round(p["x"]), p["label"], p["sources"]) for p in c["points"]]
    [(480, '2026-03-06', 2)]
    """
    by_date: dict[str, list[TimelineItem]] = defaultdict(list)
    for t in items:
        if _day(t.date) is not None:
            by_date[t.date].append(t)
    if not by_date:
        return {"width": width, "height": 0, "points": [], "ticks": []}
    days = {d: _day(d) for d in by_date}
    lo, hi = min(days.values()), max(days.values())  # type: ignore[type-var]
    span = max(1, (hi - lo).days)  # type: ignore[operator]
    pad, axis, label_w, row_h = 70, 110, 84, 16
    rows = [axis - 24 - i * row_h for i in range(4)] + [axis + 34 + i * row_h for i in range(4)]
    row_end = [-1e9] * len(rows)
    points = []
    for d in sorted(by_date, key=lambda k: (days[k], k)):
        group = by_date[d]
        x = width / 2 if hi == lo else pad + (width - 2 * pad) * (days[d] - lo).days / span  # type: ignore[operator]
        free = [i for i in range(len(rows)) if row_end[i] < x - label_w / 2]
        row = min(free, key=lambda i: (i % 4, i // 4)) if free else min(range(len(rows)), key=row_end.__getitem__)
        row_end[row] = x + label_w / 2
        reports = {aid for t in group for aid in t.article_ids}
        points.append({"x": x, "y": axis, "r": 4 + 2 * min(len(reports), 6), "label": d,
                       "expression": "; ".join(dict.fromkeys(t.expression for t in group)),
                       "text": " / ".join(t.text for t in group[:3]), "sources": len(reports),
                       "statements": len(group), "label_y": rows[row]})
    ticks = [{"x": points[0]["x"], "label": points[0]["label"]},
             {"x": points[-1]["x"], "label": points[-1]["label"]}] if hi != lo else []
    return {"width": width, "height": 220, "points": points, "ticks": ticks, "axis": axis}


# ------------------------------------------------------------------------------------- stories


def _per_story(items: Iterable[Any], article_ids: Callable[[Any], Iterable[str]],
               stories_of: Mapping[str, list[int]]) -> dict[int, list[Any]]:
    """Items listed under every story (by position) that holds one of their articles, in the items' order:
    one pass over the corpus' items instead of one per story (stories x items).

    >>> _per_story(["x", "y"], lambda i: ("a1", "b1") if i == "x" else ("b2",), {"a1": [0], "b1": [1], "b2": [1]})
    {0: ['x'], 1: ['x', 'y']}
    """
    out: dict[int, list[Any]] = defaultdict(list)
    for item in items:
        for k in dict.fromkeys(k for aid in article_ids(item) for k in stories_of.get(aid, ())):
            out[k].append(item)
    return dict(out)


def _story_items(a: Analysis) -> list[dict[str, list[Any]]]:
    """For each story (by position), the corpus' claims, timeline items, differences, quotes, events and
    entities that touch it, in corpus order: lists of the analysis' own records, no copies."""
    stories_of: dict[str, list[int]] = defaultdict(list)
    for k, story in enumerate(a.stories):
        for aid in dict.fromkeys(story.article_ids):
            stories_of[aid].append(k)
    per = {"claims": _per_story(a.claims, lambda c: c.article_ids, stories_of),
           "timeline": _per_story(a.timeline, lambda t: t.article_ids, stories_of),
           "differences": _per_story(a.differences, lambda d: d.article_ids, stories_of),
           "quotes": _per_story(a.quotes, lambda q: (q.article_id,), stories_of),
           "events": _per_story(a.events, lambda e: e.article_ids, stories_of),
           "entities": _per_story(a.entities, lambda e: e.article_ids, stories_of)}
    return [{name: found.get(k, []) for name, found in per.items()} for k in range(len(a.stories))]


def _story_views(a: Analysis, articles: dict[str, Article]) -> list[dict[str, Any]]:
    return [_story_view(k + 1, s, mine, articles) for k, (s, mine) in enumerate(zip(a.stories, _story_items(a),
                                                                                      strict=True))]


def _story_view(no: int, story: Story, mine: Mapping[str, list[Any]], articles: dict[str, Article]) -> dict[str, Any]:
    """One story's part of the page; ``mine``: the corpus' claims, timeline items, differences, quotes and
    events that touch the story, in corpus order."""
    numbers = {aid: i for i, aid in enumerate(story.article_ids, 1)}
    labels = source_labels([articles[aid] for aid in story.article_ids if aid in articles])
    sources = {aid: _Source(articles[aid], numbers[aid], labels[aid]) for aid in story.article_ids if aid in articles}
    cites = _cite_targets(no, story, sources)
    for src in sources.values():
        src.pieces = _pieces(src.article.text, src.marks)
    families = []
    for fam in story.families:
        members = [sources[aid] for aid in fam if aid in sources]
        families.append({"members": members, "copies": len(members) - 1})
    claims = list(mine["claims"])
    claims.sort(key=lambda c: ({"disputed": 0, "corroborated": 1}.get(c.status, 2), -c.families))
    timeline = mine["timeline"]
    cov = cover.coverage(story, articles, mine["claims"], labels)
    return {
        "no": no, "story": story, "sources": sources, "families": families,
        "coverage": cov, "matrix": cover.matrix_chart(cov), "tree": cover.tree_chart(cov),
        "outlet_of": labels,
        "entities": mine["entities"], "thread": None,
        "brief": list(zip(story.brief, cites, strict=True)),
        "differences": [d for d in mine["differences"] if d.kind != "quote-wording"],
        "claims": [{"claim": c, "refs": [(numbers[x], f"s{no}-src-{x}") for x in c.article_ids if x in numbers]}
                   for c in claims],
        "quotes": _quote_groups(mine["quotes"], articles, labels),
        "timeline": timeline, "chart": timeline_chart(timeline),
        "events": mine["events"],
        "references": {aid: reference(articles[aid], labels[aid]) for aid in story.article_ids if aid in articles},
        # languages other than English: what was analysed and what was only grouped (read/language.py)
        "languages": language.notes(src.article for src in sources.values()),
        "language_names": {b.language: language.name(b.language) for b in story.brief if b.language},
    }


def _verbatim(code: str) -> Any:
    import markupsafe

    return markupsafe.Markup(code)  # noqa: S704 - the report's own script file, never data


def _resource(name: str) -> str:
    return resources.files("rashomon").joinpath(f"report/{name}").read_text(encoding="utf-8")


@cache
def _template(name: str) -> Any:
    """A page template, compiled once per process (a tenth of a second for the three)."""
    return _env().from_string(_resource(name))


def warm_up() -> None:
    """Compile the page templates (the runner does it while the workers parse, not after them)."""
    for name in ("story.html", "entities.html", "index.html"):
        _template(name)


def _loose(analysis: Analysis) -> list[Article]:
    in_story = {aid for s in analysis.stories for aid in s.article_ids}
    return [a for a in analysis.articles if a.id not in in_story]


def render_html(analysis: Analysis) -> str:
    """One page holding every story of an analysis (and every entity): a single story's export, or the
    whole of a small input. :func:`render_report` splits a bigger one into pages."""
    articles = {a.id: a for a in analysis.articles}
    stories = _story_views(analysis, articles)
    _link_threads(stories, analysis.threads, lambda v: f"#story-{v['no']}")
    loose = _loose(analysis)
    return str(_template("story.html").render(
        a=analysis, stories=stories, style=_resource("report.css"), loose=loose, names=source_labels(loose),
        entities=analysis.entities, index_href=None, total_stories=len(stories)))


def page_names(stories: Sequence[Story]) -> dict[str, str]:
    """Each story's page, ``stories/<id>.html``, its id made safe for a file name (and kept unique).

    >>> page_names([Story("s-a/1", "", (), (), 0), Story("s-a_1", "", (), (), 0)])
    {'s-a/1': 'stories/s-a_1.html', 's-a_1': 'stories/s-a_1-2.html'}
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    for story in stories:
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", story.id).strip(".") or "story"
        name, k = base, 1
        while name.lower() in taken:
            k += 1
            name = f"{base}-{k}"
        taken.add(name.lower())
        out[story.id] = f"stories/{name}.html"
    return out


def render_report(analysis: Analysis) -> dict[str, str]:
    """The report's files, by path relative to its folder: ``report.html`` (the index), one page per
    story under ``stories/``, and ``entities.html`` (:func:`report_files`, gathered).

    >>> files = render_report(Analysis(generated_at="now", stories=(Story("s1", "Kell votes", (), (), 0),)))
    >>> sorted(files)
    ['entities.html', 'report.html', 'stories/s1.html']
    >>> 'href="stories/s1.html"' in files["report.html"], 'href="../report.html"' in files["stories/s1.html"]
    (True, True)
    """
    return dict(report_files(analysis))


def report_files(analysis: Analysis, pages: Callable[[int], bool] | None = None,
                 index: bool = True) -> Iterator[tuple[str, str]]:
    """The report's files one at a time, as (path, content): each story's page, then ``entities.html``,
    then ``report.html``. A story's page is made only when its turn comes and is not kept: a page holds its
    sources' whole texts, so the pages of a big corpus together are as big as the corpus.

    A part of them, for writers that share the work: with ``pages``, only the pages of the stories whose
    position it accepts; without ``index``, neither ``entities.html`` nor ``report.html``."""
    articles = {a.id: a for a in analysis.articles}
    names = page_names(analysis.stories)
    items = _story_items(analysis)
    # what the index and the thread links need of every story; the rest of a view is made page by page
    stubs: list[dict[str, Any]] = [{"no": k + 1, "story": s, "entities": mine["entities"], "thread": None}
                                   for k, (s, mine) in enumerate(zip(analysis.stories, items, strict=True))]
    _link_threads(stubs, analysis.threads, lambda v: names[v["story"].id].removeprefix("stories/"))
    style = _resource("report.css")
    story_page = _template("story.html")
    for k, (stub, mine) in enumerate(zip(stubs, items, strict=True)):
        if pages is not None and not pages(k):
            continue
        view = _story_view(stub["no"], stub["story"], mine, articles)
        view["thread"] = stub["thread"]
        yield names[stub["story"].id], str(story_page.render(
            a=analysis, stories=[view], style=style, loose=[], names={}, entities=view["entities"],
            index_href="../report.html", total_stories=len(stubs)))
    if not index:
        return
    yield "entities.html", str(_template("entities.html").render(a=analysis, style=style))
    script = _resource("index.js")  # our own code, not content: inserted verbatim, allowed by its hash
    if "</" in script:
        raise ValueError("index.js must not contain '</' (it is inlined in a <script> element)")
    digest = "sha256-" + base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    rows = [_index_row(v, names[v["story"].id], articles) for v in stubs]
    by_id = {v["story"].id: v for v in stubs}
    threads = [{"title": t.title, "date_range": t.date_range,
                "stories": [{"title": by_id[sid]["story"].title or "Untitled story", "href": names[sid],
                             "date": by_id[sid]["story"].date} for sid in t.story_ids if sid in by_id]}
               for t in analysis.threads]
    loose = _loose(analysis)
    yield "report.html", str(_template("index.html").render(
        a=analysis, stories=rows, threads=threads, style=style, loose=loose, names=source_labels(loose),
        script=_verbatim(script),
        language_notes=language.notes(analysis.articles), warnings=analysis.run.warnings,
        script_hash=digest, outlets=sorted({o for r in rows for o in r["outlets"]}, key=str.casefold),
        languages=sorted({x for r in rows for x in r["languages"]}),
        dates=sorted(d for r in rows if (d := r["date"]) and len(d) == 10)))


def _index_row(view: Mapping[str, Any], href: str, articles: Mapping[str, Article]) -> dict[str, Any]:
    story: Story = view["story"]
    arts = [articles[aid] for aid in story.article_ids if aid in articles]
    outlets = list(dict.fromkeys(a.outlet for a in sorted(arts, key=lambda a: (a.date is None, a.date or ""))
                                 if a.outlet))  # named outlets only: the filter lists outlets, not file names
    names = [e.name for e in sorted(view["entities"], key=lambda e: -len(e.article_ids))[:20]]
    title = story.title or "Untitled story"
    thread = view["thread"]["title"] if view["thread"] else None
    return {"href": href, "title": title, "date": story.date, "size": len(story.article_ids),
            "independent": story.independent_sources, "outlets": outlets,
            "languages": sorted({a.language for a in arts if a.language}), "thread": thread,
            "search": " ".join([title, *outlets, *names, thread or ""]).casefold()}


def _link_threads(views: Sequence[dict[str, Any]], threads: Sequence[Thread], href: Callable[[Any], str]) -> None:
    """Tell each story view its thread: the thread's title and dates, its place in it, and its neighbours."""
    by_id = {v["story"].id: v for v in views}
    for t in threads:
        members = [by_id[sid] for sid in t.story_ids if sid in by_id]
        for k, v in enumerate(members):
            near = {"previous": members[k - 1] if k else None, "next": members[k + 1] if k + 1 < len(members) else None}
            v["thread"] = {"title": t.title, "date_range": t.date_range, "position": k + 1, "size": len(members),
                           **{key: {"title": n["story"].title or "Untitled story", "href": href(n)} if n else None
                              for key, n in near.items()}}
