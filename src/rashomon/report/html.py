"""report.html: one self-contained page (no external requests). Article content is untrusted: the
template autoescapes everything, and the page carries a Content-Security-Policy that forbids scripts
other than its own inline one.

>>> from rashomon.model import Analysis, Article
>>> page = render_html(Analysis(generated_at="now", articles=(Article(id="a1", input="x", text="<script>alert(1)</script>"),)))
>>> "<script>alert(1)" in page, "&lt;script&gt;alert(1)" in page
(False, True)
"""

from __future__ import annotations

from collections import defaultdict
from importlib import resources
from typing import Any

from rashomon.model import Analysis


def _env() -> Any:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    return env


def render_html(analysis: Analysis) -> str:
    """The report page for an analysis."""
    template = resources.files("rashomon").joinpath("report/report.html").read_text(encoding="utf-8")
    style = resources.files("rashomon").joinpath("report/report.css").read_text(encoding="utf-8")
    by_id = {a.id: a for a in analysis.articles}
    quotes_by_speaker: dict[str, list[Any]] = defaultdict(list)
    for q in analysis.quotes:
        quotes_by_speaker[q.speaker or "Unattributed"].append(q)
    return str(_env().from_string(template).render(
        a=analysis, articles=by_id, style=style, quotes_by_speaker=dict(sorted(quotes_by_speaker.items())),
        dates=sorted({t.date for t in analysis.timeline}),
    ))
