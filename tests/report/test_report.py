"""brief.md and report.html: references, citations that lead to the cited words, escaping, a real browser."""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from rashomon.model import Analysis, Article, BriefSentence, Quote, Story, TimelineItem
from rashomon.report import render_html, render_markdown
from rashomon.report.html import _find, timeline_chart, word_diff

from ..pipeline_runs import run

CHROMIUM = Path("/usr/bin/chromium")
HOSTILE = ('Kessa port reopened on Monday. <script>window.__pwned = 1; console.error("ran")</script> '
           '<img src="https://tracker.invalid/x.png" onerror="window.__pwned = 2"> Ships queued all day.')


def _small() -> Analysis:
    a = Article(id="a1", input="kessa.txt", outlet="Kessa Post", title="Port <b>reopens</b>", date="2026-02-03",
                text=HOSTILE)
    b = Article(id="a2", input="lent.txt", outlet="Lent Herald", date="2026-02-03",
                text="Kessa port reopened on Monday after the storm. Ships queued all day.")
    story = Story(id="s1", title="Kessa port reopens", article_ids=("a1", "a2"), families=(("a1",), ("a2",)),
                  independent_sources=2, date="2026-02-03",
                  brief=(BriefSentence("Kessa port reopened on Monday.", ("a1",)),
                         BriefSentence("Ships queued all day.", ("a1", "a2"))))
    quotes = (Quote("q1", "We are ready to open the gates", "a1", 0, 10, speaker="Ida Varn", group="g"),
              Quote("q2", "We are ready to open the port", "a2", 0, 10, speaker="Ida Varn", group="g"))
    timeline = (TimelineItem("2026-02-02", "on Monday", "Kessa port reopened on Monday.", ("a1", "a2"), 0, 9),)
    return Analysis(generated_at="now", articles=(a, b), stories=(story,), quotes=quotes, timeline=timeline,
                    brief=story.brief)


# ------------------------------------------------------------------------------------ brief.md


def test_markdown_numbers_references_with_outlet_title_and_date():
    md = render_markdown(_small())
    assert "Kessa port reopened on Monday. [1]" in md
    assert "Ships queued all day. [1][2]" in md
    assert '1. Kessa Post, "Port &lt;b&gt;reopens&lt;/b&gt;", 2026-02-03' in md
    assert "2. Lent Herald, 2026-02-03" in md
    assert "kessa.txt" not in md  # a local file's path is no source's name


def _nameless() -> Analysis:
    """Three reports naming no outlet: one saved from a site, two read from local files (one untitled)."""
    arts = (Article(id="a8f3c2d1e0b9a7c6", input="/data/in/001_8c14ec1ce92ef49a.txt", text="Kessa port reopened.",
                    url="https://www.kessapost.example/news/port", title="Port reopens", story="s1"),
            Article(id="b8f3c2d1e0b9a7c6", input="/data/in/002_53c07e667ae7bbc6.txt", text="Ships queued.",
                    title="Ships queue at Kessa", story="s1"),
            Article(id="c8f3c2d1e0b9a7c6", input="/data/in/003_a192cf07296280e9.txt", text="Ships queued.",
                    story="s1"))
    story = Story(id="s1", title="Kessa port reopens", article_ids=tuple(a.id for a in arts),
                  families=tuple((a.id,) for a in arts), independent_sources=3,
                  brief=(BriefSentence("Kessa port reopened.", (arts[0].id,)),
                         BriefSentence("Ships queued.", (arts[1].id, arts[2].id))))
    quotes = (Quote("q1", "We are ready to open the gates", arts[1].id, 0, 10, speaker="Ida Varn", group="g"),
              Quote("q2", "We are ready to open the port", arts[2].id, 0, 10, speaker="Ida Varn", group="g"))
    return Analysis(generated_at="now", articles=arts, stories=(story,), quotes=quotes, brief=story.brief)


def test_no_source_is_named_by_a_path_or_an_id():
    analysis = _nameless()
    md, page = render_markdown(analysis), render_html(analysis)
    data = analysis.to_contract()
    assert "Unknown outlet" not in md and "unknown outlet" not in page.lower()
    assert "/data/in" not in md and "8f3c2d1e" not in md and ".txt" not in md
    assert "1. kessapost.example, \"Port reopens\"" in md and '2. "Ships queue at Kessa"' in md
    assert "3. Source 3" in md
    assert [a["label"] for a in data["articles"]] == ["kessapost.example", "Source 2", "Source 3"]
    # the report page names the sources the same way in its cards, quotes and references
    visible = re.sub(r'(id|href|data-[a-z]+)="[^"]*"', "", page)
    assert "/data/in" not in visible and ".txt" not in visible and "8f3c2d1e" not in visible
    assert "Source 3" in visible and "kessapost.example" in visible


EVIL = ('Kessa <script>alert("x")</script> port <img src=x onerror="alert(2)"> reopened. '
        '[click](javascript:alert(3)) ![i](javascript:alert(4)) <javascript:alert(5)> &lt;b&gt; AT&T, a\\[b]c.'
        '\n\n[ref]: javascript:alert(6)\n<div onclick="alert(7)">x</div> `code` 2 < 3 > 1')


def _evil() -> Analysis:
    a = Article(id="a1", input="<b>in</b>.txt", outlet="[Evil](javascript:alert(8))", title=EVIL, text=EVIL,
                date="2026-02-03")
    story = Story(id="s1", title=EVIL, article_ids=("a1",), families=(("a1",),), independent_sources=1,
                  brief=(BriefSentence(EVIL, ("a1",)), BriefSentence("# 1. > - not a heading", ("a1",))))
    return Analysis(generated_at="now", articles=(a,), stories=(story,))


def test_markdown_from_hostile_articles_renders_no_markup_and_no_script_link():
    from markdown_it import MarkdownIt

    md = render_markdown(_evil())
    for renderer in (MarkdownIt("commonmark", {"html": True}), MarkdownIt("gfm-like", {"html": True, "linkify": True})
                     if _has_linkify() else MarkdownIt("commonmark", {"html": True})):
        page = renderer.render(md)
        assert "<script" not in page and "<img" not in page and "<div" not in page and "onclick=" not in page.replace(
            "onclick=&quot;", "")
        assert "javascript:" not in re.sub(r">[^<]*<", "><", page)  # only in text, never in a tag or an href
        assert "href=" not in page  # no link at all: the article's brackets are text
        assert page.count("<h1>") == 1 and "<blockquote>" not in page and "<code>" not in page
        text = html.unescape(re.sub(r"<[^>]+>", "", page))
        # what the article said is still there, readable, as text
        assert '<script>alert("x")</script>' in text and "[click](javascript:alert(3))" in text
        assert "AT&T" in text and "&lt;b&gt;" in text and "a\\[b]c" in text and "2 < 3 > 1" in text
        assert "# 1. > - not a heading" in text


def _has_linkify() -> bool:
    try:
        import linkify_it  # noqa: F401
    except ImportError:
        return False
    return True


def test_markdown_keeps_ordinary_text_as_it_was():
    md = render_markdown(_small())
    assert "Kessa port reopened on Monday. [1]" in md  # nothing escaped that did not need it
    plain = "Johnson & Johnson's 3.5% rise (the first since 2019) was \"welcome\", said O'Neil; 10 * 2 = 20."
    b = dataclasses.replace(_small().articles[1], title=plain)
    out = render_markdown(dataclasses.replace(_small(), articles=(_small().articles[0], b)))
    assert plain in out


def test_markdown_of_the_example_corpus_cites_every_sentence():
    analysis, _ = run("examples")
    md = render_markdown(analysis)
    body = [line for line in md.splitlines() if line and not line.startswith(("#", "1.", "2.", "3.", "4.", "5.",
                                                                              "6.", "7.", "8.", "9."))
            and "independent source" not in line]
    assert body and all(re.search(r"\[\d+\]$", line) for line in body), body


# ---------------------------------------------------------------------------------- report.html


def test_article_content_is_escaped_everywhere():
    page = render_html(_small())
    assert "<script>window.__pwned" not in page and "<img src=\"https://" not in page
    assert html.escape("<script>window.__pwned = 1;", quote=False) in page
    assert "Port &lt;b&gt;reopens&lt;/b&gt;" in page
    # the page's only script-like content is none at all, and its policy forbids any
    assert "<script" not in page.replace("&lt;script", "")
    assert "default-src 'none'" in page


def test_brief_citations_point_at_the_cited_words_in_the_sources():
    page = render_html(_small())
    targets = re.findall(r'<a class="cite" href="#([^"]+)"', page)
    assert targets
    for t in targets:
        assert f'id="{t}"' in page
    assert re.search(r'<mark id="s1-b0-a1-0">Kessa port reopened on Monday</mark>', page)


def test_a_cited_segment_is_found_across_line_breaks_and_a_lowered_first_word():
    text = "Officials in Brenn said on Monday.\nThe harbour  accord was\n\tsigned after talks.  The end."
    start, end = _find(text, "The harbour accord was signed after talks.")
    assert text[start:end] == "The harbour  accord was\n\tsigned after talks"
    # fused after a connector, "the harbour accord" stands for "The harbour accord"
    assert _find(text, "the harbour accord was signed") == (start, text.index("signed") + len("signed"))
    assert _find(text, "said on Monday") == (text.index("said"), text.index("Monday") + len("Monday"))
    assert _find(text, "accord was never signed") is None
    assert _find(text, "The end") is None  # too short to place


def test_wording_differences_are_marked_word_by_word():
    assert word_diff("we are ready to open the gates", "we are ready to open the port") == [
        ("same", "we are ready to open the "), ("del", "gates"), ("ins", "port")]
    page = render_html(_small())
    assert "<del>gates</del>" in page and "<ins>port</ins>" in page


def test_timeline_chart_places_labels_without_overlap():
    items = [TimelineItem(f"2026-05-{d:02d}", "x", "t", ("a",), 0, 1) for d in (13, 14, 15, 16)]
    chart = timeline_chart(items)
    spots = [(round(p["x"]), p["label_y"]) for p in chart["points"]]
    for i, (x, y) in enumerate(spots):
        for x2, y2 in spots[i + 1:]:
            assert y != y2 or abs(x - x2) >= 84


def test_report_of_the_seeds_has_every_part(seeds_dir):
    analysis, _ = run("seeds")
    page = render_html(analysis)
    for heading in ("Brief", "Where the reports differ", "Claims", "Quotes by speaker", "Timeline",
                    "Events (PLOVER)", "Sources side by side", "Entities"):
        assert f">{html.escape(heading)}</h" in page, heading
    assert page.count('class="family"') == len(analysis.stories[0].families)
    assert "<svg" in page or not analysis.timeline
    # every citation of the brief resolves inside the page
    for t in re.findall(r'<a class="cite" href="#([^"]+)"', page):
        assert f'id="{t}"' in page


# ------------------------------------------------------------------------------------- browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="rashomon-report-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"])
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


def _open(browser, page_html: str, tmp_path: Path):
    path = tmp_path / "report.html"
    path.write_text(page_html, encoding="utf-8")
    page = browser.new_page()
    seen = {"console": [], "errors": [], "requests": []}
    page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.on("request", lambda r: seen["requests"].append(r.url))
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page, seen, path


@pytest.mark.browser
def test_report_renders_without_console_errors_or_requests(browser, tmp_path):
    analysis, _ = run("examples")
    page, seen, path = _open(browser, render_html(analysis), tmp_path)
    try:
        assert seen["errors"] == []
        assert [c for c in seen["console"] if c.startswith("error")] == []
        assert seen["requests"] == [path.as_uri()]
        assert page.locator("ol.brief li").count() >= 6
        # a citation takes the reader to the cited sentence in its source
        link = page.locator("ol.brief a.cite").first
        target = link.get_attribute("href")
        link.click()
        assert page.evaluate("location.hash") == target
        assert page.locator(f"mark{target}").count() == 1
    finally:
        page.close()


@pytest.mark.browser
def test_a_script_inside_an_article_is_shown_as_text_not_run(browser, tmp_path):
    analysis, _ = run("examples")
    hostile = dataclasses.replace(analysis.articles[0], text=analysis.articles[0].text + "\n\n" + HOSTILE)
    analysis = dataclasses.replace(analysis, articles=(hostile, *analysis.articles[1:]))
    page, seen, path = _open(browser, render_html(analysis), tmp_path)
    try:
        assert page.evaluate("window.__pwned") is None
        assert "<script>window.__pwned = 1;" in page.locator(f"#s1-src-{hostile.id} .text").inner_text()
        assert seen["errors"] == [] and not any("ran" in c for c in seen["console"])
        assert seen["requests"] == [path.as_uri()]  # the tracker image was never fetched
    finally:
        page.close()


# ------------------------------------------------------------------------------- the report folder


def test_the_report_is_a_folder_whose_index_links_every_story_page(tmp_path):
    from rashomon.report import write_outputs

    analysis, _ = run("examples")
    paths = write_outputs(analysis, tmp_path)
    index = paths["report.html"].read_text(encoding="utf-8")
    links = re.findall(r'<a href="(stories/[^"]+)">', index)
    assert len(links) == len(analysis.stories) >= 2
    for link in links:
        page = (tmp_path / link).read_text(encoding="utf-8")
        assert 'href="../report.html"' in page and "Coverage at a glance" in page
        assert "<script" not in page.replace("&lt;script", "") and "default-src 'none'" in page
    # the index holds no article text, and its only script is its own, allowed by hash
    assert analysis.articles[0].text[:80] not in index
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+';", index)  # that one script, nothing else
    assert index.count("<script>") == 1 and "<script src" not in index
    # a page left from an earlier run whose story is gone is removed; report.html is written last
    stale = tmp_path / "stories" / "s-gone.html"
    stale.write_text("old", encoding="utf-8")
    write_outputs(analysis, tmp_path)
    assert not stale.exists()
    assert paths["report.html"].stat().st_mtime_ns >= max(p.stat().st_mtime_ns for p in (tmp_path / "stories").iterdir())


def test_a_write_that_fails_halfway_leaves_the_earlier_outputs_whole_and_no_temporary_files(tmp_path, monkeypatch):
    from rashomon.report import html, write_outputs

    analysis, _ = run("examples")
    write_outputs(analysis, tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    real = html._story_view

    def fails_on_the_second_page(no, *args):
        if no == 2:
            raise OSError("disk full")
        return real(no, *args)

    monkeypatch.setattr(html, "_story_view", fails_on_the_second_page)
    with pytest.raises(OSError, match="disk full"):
        write_outputs(dataclasses.replace(analysis, generated_at="later"), tmp_path)
    after = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert after == before  # nothing moved into place: analysis.json, brief.md and every page as they were


def test_coverage_names_the_first_report_and_who_copied_whom():
    from rashomon.report.coverage import coverage

    analysis, _ = run("examples")
    story = next(s for s in analysis.stories if len(s.article_ids) > 3)
    articles = {a.id: a for a in analysis.articles}
    cov = coverage(story, articles, analysis.claims)
    wire = next(a for a in analysis.articles if a.input.endswith("01_mpa_wire.txt"))
    assert "MPA" in cov["first"]["outlets"] and cov["first"]["date"] == "2026-05-14"
    family = next(f for f in cov["families"] if any(m["id"] == wire.id for m in f["members"]))
    assert family["origin"] == wire.id and len(family["members"]) >= 3
    assert all(m["parent"] for m in family["members"][1:])  # every copy hangs from an earlier report
    assert all(set(row) <= {c["id"] for c in cov["claims"]} for row in cov["carries"].values())
    assert not any("/" in o["name"] for o in cov["outlets"])  # an outlet, never a path


@pytest.mark.browser
def test_the_index_filters_and_every_page_fits_a_phone(browser, tmp_path):
    from rashomon.report import write_outputs

    analysis, _ = run("examples")
    write_outputs(analysis, tmp_path)
    page = browser.new_page()
    seen: list[str] = []
    page.on("console", lambda m: seen.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: seen.append(str(e)))
    page.on("request", lambda r: seen.append("request " + r.url) if not r.url.startswith("file://") else None)
    try:
        page.goto((tmp_path / "report.html").as_uri())
        rows = page.locator(".index-table tbody tr")
        assert rows.count() == len(analysis.stories)
        page.fill("#filters input[name=q]", "earthquake")
        assert page.locator(".index-table tbody tr:not([hidden])").count() == 1
        assert "1 of" in page.locator("#shown").inner_text()
        page.fill("#filters input[name=q]", "")
        page.select_option("#filters select[name=outlet]", "MPA")
        visible = page.locator(".index-table tbody tr:not([hidden])")
        assert visible.count() == 1 and "Sarn" in visible.inner_text()
        page.select_option("#filters select[name=size]", "20")
        assert page.locator(".index-table tbody tr:not([hidden])").count() == 0 and page.locator("#none").is_visible()
        page.select_option("#filters select[name=size]", "0")
        page.select_option("#filters select[name=outlet]", "")
        visible.first.locator("a").click()  # a story page, from file://
        page.locator("section.coverage svg.matrix").wait_for()
        assert page.locator("svg.tree circle").count() >= 3
        page.set_viewport_size({"width": 390, "height": 844})
        for path in ("report.html", *(f"stories/{p.name}" for p in (tmp_path / "stories").iterdir()), "entities.html"):
            page.goto((tmp_path / path).as_uri())
            assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert [s for s in seen if not s.startswith(("log", "info"))] == []
    finally:
        page.close()


def test_seed_sources_are_never_named_by_a_path_or_an_id(seeds_dir):
    from rashomon.report.html import render_report

    analysis, _ = run("seeds")
    md, page, data = render_markdown(analysis), render_html(analysis), analysis.to_contract()
    pages = [page, *render_report(analysis).values()]  # one page, and the report folder's index and pages
    visible = [re.sub(r'(id|href|data-[a-z]+)="[^"]*"', "", p) for p in pages]
    stems = [Path(a.input).stem for a in analysis.articles] + [a.id for a in analysis.articles]
    for out in (md, *visible, " ".join(d["summary"] for d in data["differences"])):
        assert str(seeds_dir) not in out and "Unknown outlet" not in out
        assert not any(s in out for s in stems), [s for s in stems if s in out]
    assert all(a["label"] and "/" not in a["label"] for a in data["articles"])
