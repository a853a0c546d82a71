"""Human-readable outputs of an Analysis: ``brief.md`` (:func:`render_markdown`), the self-contained
``report.html`` (:func:`render_html`), and the three files of a run written atomically (:func:`write_outputs`)."""

from .html import render_html
from .markdown import render_markdown
from .write import write_outputs

__all__ = ["render_html", "render_markdown", "write_outputs"]
