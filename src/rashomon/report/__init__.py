"""Human-readable outputs of an Analysis: ``brief.md`` (:func:`render_markdown`), the HTML report — a folder
with ``report.html`` as its index and a page per story (:func:`render_report`), or one page of everything
(:func:`render_html`) — and the files of a run written atomically (:func:`write_outputs`)."""

from .html import render_html, render_report
from .markdown import render_markdown
from .write import write_outputs

__all__ = ["render_html", "render_markdown", "render_report", "write_outputs"]
