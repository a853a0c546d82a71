"""brief.md: per story, the brief with numbered references (outlet, title, date, input).

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
1. Harbour Post, "Kell votes", 2026-01-05 (kell.txt)
<BLANKLINE>
"""

from __future__ import annotations

from ..model import Analysis, Article
from ..read import language


def reference(article: Article) -> str:
    """One reference line: outlet, title, date and input, skipping what is unknown."""
    parts = [article.outlet or "Unknown outlet"]
    if article.title:
        parts.append(f'"{article.title}"')
    if article.date:
        parts.append(article.date + (" (inferred)" if article.date_source == "inferred" else ""))
    return ", ".join(parts) + f" ({article.input})"


def render_markdown(analysis: Analysis) -> str:
    """The brief of every story, most recent first, each sentence followed by its citations."""
    by_id = {a.id: a for a in analysis.articles}
    out: list[str] = []
    if not analysis.stories:
        return "# rashomon brief\n\nNo articles were analysed.\n"
    for story in analysis.stories:
        n = len(story.article_ids)
        sources = story.independent_sources
        out.append(f"# {story.title or 'Untitled story'}\n")
        when = f" Main date: {story.date}." if story.date else ""
        out.append(f"{n} article{'s' * (n != 1)}, {sources} independent source{'s' * (sources != 1)}.{when}\n")
        notes = language.notes(by_id[aid] for aid in story.article_ids if aid in by_id)
        if notes:
            out.append("".join(f"_{line}._\n" for line in notes))
        numbers = {aid: i for i, aid in enumerate(story.article_ids, 1)}
        if story.brief:
            for sentence in story.brief:
                cites = "".join(f"[{numbers[a]}]" for a in sentence.article_ids if a in numbers)
                marker = f" _({language.name(sentence.language)}, as the source wrote it)_" if sentence.language else ""
                out.append(f"{sentence.text} {cites}{marker}".rstrip())
            out.append("")
        else:
            out.append("_No brief could be written for this story._\n")
        out.append("## References\n")
        for aid, i in numbers.items():
            if aid in by_id:
                out.append(f"{i}. {reference(by_id[aid])}")
        out.append("")
    return "\n".join(out)
