"""Human-readable outputs of an Analysis: ``brief.md`` (:func:`render_markdown`) and the self-contained
``report.html`` (:func:`render_html`)."""

from .html import render_html
from .markdown import render_markdown

__all__ = ["render_html", "render_markdown"]
