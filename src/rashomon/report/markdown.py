"""brief.md: per story, the brief with numbered references (outlet, title, date, address).

Titles, outlets, inputs and sentences come from the articles, so they are written inert (:func:`md_text`):
a Markdown renderer that passes HTML through must not receive a ``<script>``, an ``<img onerror>`` or a
``[link](javascript:...)`` from a hostile page, and normal text must still read as it was written.

>>> from rashomon.model import Analysis, Article, BriefSentence, Story
>>> a = Article(id="a1", input="kell.txt", text="...", outlet="Harbour Post", title="Kell votes", date="2026-01-05")
>>> s = Story(id="s1", title="Kell votes", article_ids=("a1",), families=(("a1",),), independent_sources=1,
...           brief=(BriefSentence("The council of Kell voted.", ("a1",)),))
>>> print(render_markdown(Analysis(generated_at="now", articles=(a,), stories=(s,))))
# Kell votes
<BLANKLINE>
1 article, 1 independent source.
<BLANKLINE>
The council of Kell voted. [1]
<BLANKLINE>
## References
<BLANKLINE>
1. Harbour Post, "Kell votes", 2026-01-05
<BLANKLINE>
"""

from __future__ import annotations

import re
from urllib.parse import quote

from ..model import Analysis, Article, source_labels
from ..read import language, metadata

_ENTITY = re.compile(r"&(?=#?\w+;)")  # "&" that would start a character reference; a lone "&" is text
_BLOCK_START = re.compile(r"^(?:[#>+*=|-]|\d+[.)])")  # would open a heading, quote, list or table


def md_text(value: object, line_start: bool = False) -> str:
    r"""Text from an article made inert in Markdown and still readable: one line (a line break could open
    a block), ``<`` and ``>`` as entities (no raw HTML, no autolink), ``[``, ``]`` and backticks escaped
    (no link, image or code span), backslashes and entity-like ``&`` kept literal. With ``line_start``,
    a leading heading, quote or list marker is escaped too.

    >>> md_text('<img src=x onerror="alert(1)"> [x](javascript:alert(1)) Johnson & Johnson')
    '&lt;img src=x onerror="alert(1)"&gt; \\[x\\](javascript:alert(1)) Johnson & Johnson'
    """
    text = " ".join(str(value).split())
    text = text.replace("\\", "\\\\").replace("`", "\\`").replace("[", "\\[").replace("]", "\\]")
    text = _ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    if line_start and (m := _BLOCK_START.match(text)):
        text = text[:m.end() - 1] + "\\" + text[m.end() - 1:]
    return text


def reference(article: Article, label: str | None = None) -> str:
    """One reference line: the source's name (outlet, else its site's domain), title, date and address,
    skipping what is unknown. A local file's path or an internal id is never shown: a reference with
    nothing else to name it takes ``label`` ("Source 3")."""
    name = article.outlet or metadata.domain(article.url)
    parts = [md_text(name)] if name else []
    if article.title:
        parts.append(f'"{md_text(article.title)}"')
    if not parts:
        parts.append(md_text(label or "Untitled report"))
    if article.date:
        parts.append(md_text(article.date) + (" (inferred)" if article.date_source == "inferred" else ""))
    return ", ".join(parts) + (f" {md_url(article.url)}" if article.url else "")


def md_url(url: str) -> str:
    """An article's address as a Markdown autolink when it is an http(s) URL (every character that could
    end the link or open markup percent-encoded), else as inert text."""
    if re.match(r"https?://[^\s]+$", url.strip(), re.I):
        return "<" + quote(url.strip(), safe="!#$%&'()*+,-./:;=?@[]^_{|}~") + ">"
    return md_text(url)


def render_markdown(analysis: Analysis) -> str:
    """The brief of every story, most recent first, each sentence followed by its citations."""
    by_id = {a.id: a for a in analysis.articles}
    out: list[str] = []
    if not analysis.stories:
        return "# rashomon brief\n\nNo articles were analysed.\n"
    for story in analysis.stories:
        n = len(story.article_ids)
        sources = story.independent_sources
        out.append(f"# {md_text(story.title) if story.title else 'Untitled story'}\n")
        when = f" Main date: {md_text(story.date)}." if story.date else ""
        out.append(f"{n} article{'s' * (n != 1)}, {sources} independent source{'s' * (sources != 1)}.{when}\n")
        notes = language.notes(by_id[aid] for aid in story.article_ids if aid in by_id)
        if notes:
            out.append("".join(f"_{line}._\n" for line in notes))
        numbers = {aid: i for i, aid in enumerate(story.article_ids, 1)}
        if story.brief:
            for sentence in story.brief:
                cites = "".join(f"[{numbers[a]}]" for a in sentence.article_ids if a in numbers)
                marker = f" _({language.name(sentence.language)}, as the source wrote it)_" if sentence.language else ""
                out.append(f"{md_text(sentence.text, line_start=True)} {cites}{marker}".rstrip())
            out.append("")
        else:
            out.append("_No brief could be written for this story._\n")
        out.append("## References\n")
        labels = source_labels([by_id[aid] for aid in numbers if aid in by_id])
        for aid, i in numbers.items():
            if aid in by_id:
                out.append(f"{i}. {reference(by_id[aid], labels[aid])}")
        out.append("")
    return "\n".join(out)
