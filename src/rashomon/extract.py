"""Main text and metadata of a saved web page, through trafilatura (and its htmldate date extraction).

A page nested deeper than libxml2 can hold is flattened first (:mod:`rashomon.limits`), so its article is
not cut away with the deep part.

trafilatura runs in precision mode (it scores higher on the ScrapingHub benchmark, see README), falling
back to its default and recall modes when precision keeps too little of a page.

>>> page = extract_html("<html><head><title>Flood in Kell - Harbour Post</title></head><body><article>"
...                     "<p>" + "Water rose in the harbour district of Kell overnight. " * 6 + "</p>"
...                     "</article></body></html>")
>>> page.text.startswith("Water rose")
True
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from typing import Any

from . import limits

# trafilatura and htmldate log every rejected candidate at WARNING; they are not our user's problem
for _name in ("trafilatura", "htmldate", "charset_normalizer"):
    logging.getLogger(_name).setLevel(logging.ERROR)

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 controls but tab and line breaks
_SURROGATES = re.compile(r"[\ud800-\udfff]")
MIN_CHARS = 250  # below this, precision mode probably cut the article: try the other modes


@dataclass(frozen=True, slots=True)
class Page:
    text: str
    title: str | None = None
    date: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    author: str | None = None


def extract_html(html: str, url: str | None = None) -> Page | None:
    """The article in a web page, or None when the page holds no extractable text."""
    import trafilatura

    if limits.needs_flattening(html):
        html = limits.flatten_html(html)
    best: Any = None
    for precision, recall in ((True, False), (False, False), (False, True)):
        try:
            doc: Any = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                                   include_tables=True, favor_precision=precision,
                                                   favor_recall=recall)
        except Exception:  # noqa: BLE001 - a third-party parser failing on one page must not stop a run
            doc = None
        if doc is None or not (doc.text or "").strip():
            continue
        if best is None or len(best.text or "") < MIN_CHARS <= len(doc.text or ""):
            best = doc
        if len(best.text or "") >= MIN_CHARS:
            break
    if best is None:
        return None
    text = best.text or ""
    title = _clean(best.title)
    first, _, rest = text.partition("\n")
    if title and rest.strip() and _same_line(first, title):
        text = rest  # the headline is the title field, not the body's first paragraph
    return Page(
        text=text,
        title=title,
        date=_clean(best.date),
        outlet=_clean(best.sitename) or _clean(best.hostname),
        url=_clean(best.url) or url,
        language=_clean(best.language),
        author=_clean(best.author),
    )


def html_fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed entry's content): block elements become line breaks."""
    import lxml.html

    # lxml refuses to set a tail holding a control character or a lone surrogate (ValueError)
    fragment = _SURROGATES.sub("\ufffd", _CONTROLS.sub(" ", fragment))
    if limits.needs_flattening(fragment):
        fragment = limits.flatten_html(fragment)
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
        for bad in root.xpath("//script|//style|//noscript"):
            bad.drop_tree()
        for block in root.xpath("//p|//br|//div|//li|//h1|//h2|//h3|//h4|//blockquote"):
            block.tail = "\n" + (block.tail or "")
        text = root.text_content()
    except Exception:  # noqa: BLE001 - malformed markup: fall back to stripping tags
        text = re.sub(r"<[^>]+>", " ", fragment)
    return "\n".join(line.strip() for line in text.split("\n") if line.strip())


def _same_line(a: str, b: str) -> bool:
    def key(s: str) -> str:
        return re.sub(r"\W+", " ", s).strip().lower()

    return key(a) == key(b)


def _clean(value: object) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text if text and text != "None" else None
