"""The web app in a real browser: Playwright driving Debian's Chromium (never a downloaded browser).

The desk is served for real (uvicorn on a free port) over a store built from the example corpus with one
report held back; the test adds that report through the form and watches it join its story. Screenshots of
the pages are saved under out/screenshots/, or under docs/screenshots/ (the README's) when
RASHOMON_SCREENSHOTS=docs is set (`make screenshots`), so an ordinary test run leaves the tree clean.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import httpx
import pytest

from rashomon.api import create_app
from rashomon.config import Config
from rashomon.run.runner import analyze
from rashomon.store import Store
from rashomon.web import STATIC

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "corpus"
SHOTS = ROOT / ("docs" if os.environ.get("RASHOMON_SCREENSHOTS") == "docs" else "out") / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
HELD_BACK = "03_valley_times.txt"  # a lightly edited reprint of the wire report: it must join the wire's story
WIRE = "01_mpa_wire.txt"

PAYLOAD = "<script>window.__pwned = 1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__pwned = 2">'


# ---------------------------------------------------------------------------------------- no browser


def test_the_scripts_never_write_markup() -> None:
    """Article content reaches the page only as text: no code path may parse strings as HTML."""
    sinks = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|srcdoc")
    for path in STATIC.glob("*.js"):
        assert not sinks.search(path.read_text(encoding="utf-8")), path.name
    html = (STATIC / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "onload=" not in html  # the CSP forbids inline script anyway


# ------------------------------------------------------------------------------------------ fixtures


@pytest.fixture(scope="module")
def desk(live_server, tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("web")
    db = folder / "desk.db"
    inputs = [str(p) for p in sorted(EXAMPLES.iterdir()) if p.name != HELD_BACK]
    with Store(db) as store:
        analyze(inputs, Config(), store)
        wire = next(a for a in store.articles() if a.input.endswith(WIRE))
    base = live_server(create_app(Config(db=str(db)), warm=False))
    return {"base": base, "db": db, "wire": wire.id, "wire_story": wire.story}


@pytest.fixture(scope="module")
def browser_context():
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium); browser tests need it")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="rashomon-chromium-")
    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM), headless=True, viewport={"width": 1280, "height": 900},
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"])
        try:
            yield context
        finally:
            context.close()
            shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture()
def page(browser_context):
    page = browser_context.new_page()
    page.errors = []  # type: ignore[attr-defined]
    page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]
    page.on("dialog", lambda dialog: (page.errors.append("dialog: " + dialog.message),  # type: ignore[attr-defined]
                                      dialog.dismiss()))
    yield page
    page.close()


# ------------------------------------------------------------------------------------------- the desk


@pytest.mark.browser
def test_add_an_article_through_the_form_and_follow_a_citation(desk: dict, page) -> None:
    base = desk["base"]
    page.goto(base + "/")
    card = page.locator(f'.card[data-story="{desk["wire_story"]}"]')
    card.wait_for()
    before = int(card.locator(".article-count").get_attribute("data-count"))

    page.get_by_role("tab", name="Upload").click()
    page.set_input_files("#upload-form input[type=file]", str(EXAMPLES / HELD_BACK))
    page.locator("#upload-form button[type=submit]").click()
    added = page.locator(".added-article")
    added.wait_for()
    new_id, joined = added.get_attribute("data-article"), added.get_attribute("data-story")
    assert joined == desk["wire_story"], "the reprint should join the wire report's story"
    # the list refreshes: the story now counts one article more and is highlighted
    page.locator(f'.card[data-story="{joined}"] .article-count[data-count="{before + 1}"]').wait_for()
    assert "just-joined" in (page.locator(f'.card[data-story="{joined}"]').get_attribute("class") or "")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "stories.png"))

    added.locator("a.joined").click()
    page.locator(".story-title").wait_for()
    assert page.locator(f'.source[data-article="{new_id}"]').count() == 1
    assert page.locator(f'.source[data-article="{desk["wire"]}"]').count() == 1
    sentences = page.locator(".brief-sentence")
    assert sentences.count() >= 1, "the story page shows its brief"
    assert sentences.first.locator(".brief-text").inner_text().strip()
    page.screenshot(path=str(SHOTS / "story.png"))  # title, sections and the cited brief
    for section in ("sources", "quotes", "claims", "timeline"):
        page.locator(f"#sec-{section}").screenshot(path=str(SHOTS / f"story-{section}.png"))

    cite = sentences.first.locator("a.cite").first
    cited = cite.get_attribute("data-article")
    cite.click()
    page.wait_for_function("() => location.hash.includes('/source/')")
    target = page.locator(f'.source[data-article="{cited}"]')
    target.wait_for()
    page.wait_for_function("id => document.querySelector(`.source[data-article='${id}']`)"
                           "?.classList.contains('targeted')", arg=cited)
    assert target.get_attribute("open") is not None
    box, height = target.bounding_box(), page.viewport_size["height"]
    assert box is not None and 0 <= box["y"] < height, "the cited source is scrolled into view"
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_entity_and_search_pages(desk: dict, page) -> None:
    base = desk["base"]
    page.goto(f"{base}/#/story/{desk['wire_story']}")
    page.locator(".story-title").wait_for()
    chips = page.locator("#sec-entities a.chip")
    if chips.count():
        name = chips.first.locator(".name").inner_text().strip()
        chips.first.click()
        page.locator(".entity h1").wait_for()
        assert page.locator(".entity h1").inner_text().strip() == name
        assert page.locator(".entity a[href^='#/story/']").count() >= 1
    else:
        assert page.locator("#sec-entities .empty").count() == 1
    page.fill("#search input", "Sarn")
    page.press("#search input", "Enter")
    page.locator(".search h1").wait_for()
    assert page.locator(".search .hits li").count() >= 1
    assert page.locator(".search mark").first.inner_text().lower().startswith("sarn")
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_a_script_inside_an_article_never_runs(desk: dict, page) -> None:
    base = desk["base"]
    article = {
        "title": f"Harbour of Lenz {PAYLOAD} reopens {IMG_PAYLOAD}",
        "outlet": "<b>Lenz Courier</b>",
        "url": "javascript:window.__pwned = 3",
        "date": "2026-06-01",
        "text": (f"The port authority of Lenz reopened the inner harbour on Monday. {PAYLOAD} The harbour master, "
                 f"Oda Frell, said: \"Ships can dock again {IMG_PAYLOAD} from today.\" Repairs took two years."),
    }
    r = httpx.post(base + "/api/articles", json=article, timeout=120)
    assert r.status_code == 201, r.text
    placed = r.json()["articles"][0]

    for path in (f"/#/story/{placed['story']}", f"/#/article/{placed['id']}", "/#/search/Lenz", "/"):
        page.goto(base + path)
        page.wait_for_selector("#view > *:not(noscript)")
        page.wait_for_load_state("networkidle")
        assert page.evaluate("window.__pwned") is None, path
        assert page.locator("#view script, #view img, #view b").count() == 0, path
        assert page.locator("#view a[href^='javascript']").count() == 0, path
    page.goto(f"{base}/#/story/{placed['story']}")
    page.locator(".story-title").wait_for()
    assert PAYLOAD in page.locator(".story-title").inner_text()
    page.locator(f'.source[data-article="{placed["id"]}"] summary').click()
    assert PAYLOAD in page.locator(f'.source[data-article="{placed["id"]}"] .source-body').inner_text()
    assert "<b>Lenz Courier</b>" in page.locator(f'.source[data-article="{placed["id"]}"] .outlet').inner_text()
    assert page.errors == []  # type: ignore[attr-defined]


# ------------------------------------------------------------------------- rendering the contract


# An invented story in the contract's shape, exercising every section the page draws.
CONTRACT = {
    "schema": "rashomon.analysis/1", "generated_at": "2026-01-01T00:00:00Z",
    "articles": [
        {"id": "x1", "source_id": None, "input": "wire.txt", "outlet": "Norda Wire", "title": "Tolm dam opens",
         "date": "2026-03-02", "date_source": "header", "language": "en", "text": "The Tolm dam opened.\nIt cost 2 billion.",
         "removed": ["Subscribe now"], "family": "x1", "story": "st", "url": "https://example.org/tolm"},
        {"id": "x2", "source_id": None, "input": "copy.txt", "outlet": "Bay Daily", "title": "Tolm dam opens",
         "date": "2026-03-02", "date_source": "text", "language": "en", "text": "The Tolm dam opened.", "removed": [],
         "family": "x1", "story": "st", "url": None},
        {"id": "x3", "source_id": None, "input": "own.txt", "outlet": "Fjell Post", "title": "Dam opens late",
         "date": "2026-03", "date_source": "metadata", "language": "en", "text": "The dam cost 3 billion.",
         "removed": [], "family": "x3", "story": "st", "url": None},
    ],
    "stories": [{"id": "st", "title": "Tolm dam opens", "article_ids": ["x1", "x2", "x3"],
                 "families": [["x1", "x2"], ["x3"]], "independent_sources": 2, "date": "2026-03-02",
                 "brief": [{"text": "The Tolm dam opened on Monday.", "article_ids": ["x1", "x3"]},
                           {"text": "Its cost is disputed.", "article_ids": ["x3"]}]}],
    "entities": [{"id": "p1", "name": "Rika Holm", "type": "PERSON", "aliases": ["Holm"], "descriptions": ["engineer"],
                  "country": None, "article_ids": ["x1", "x3"], "store_id": "eabc"},
                 {"id": "g1", "name": "Norda", "type": "GPE", "aliases": [], "descriptions": [], "country": "NOR",
                  "article_ids": ["x1"], "store_id": "edef"}],
    "quotes": [{"id": "q1", "text": "The river is finally tamed", "speaker": "Rika Holm", "speaker_id": "p1",
                "article_id": "x1", "start": 0, "end": 5, "fragment": False, "cue": "said", "group": "g"},
               {"id": "q2", "text": "The river is tamed at last", "speaker": "Rika Holm", "speaker_id": "p1",
                "article_id": "x3", "start": 0, "end": 5, "fragment": False, "cue": "told", "group": "g"}],
    "claims": [{"id": "c1", "text": "The dam opened.", "article_ids": ["x1", "x2", "x3"], "families": 2,
                "status": "corroborated", "values": [], "note": None},
               {"id": "c2", "text": "The dam cost 2 billion.", "article_ids": ["x1", "x3"], "families": 2,
                "status": "disputed", "values": ["2 billion", "3 billion"], "note": "2 vs 3 billion"}],
    "events": [{"id": "v1", "type": "COOPERATE", "source_actor": "NOR", "target_actor": None,
                "source_entity": "Norda", "target_entity": None, "date": "2026-03-02", "location": "Tolm",
                "text": "Norda opened the dam.", "article_ids": ["x1"]}],
    "timeline": [{"date": "2026-03-02", "expression": "on Monday", "text": "The dam opened on Monday.",
                  "article_ids": ["x1", "x2"], "start": 0, "end": 9},
                 {"date": "2025", "expression": "last year", "text": "Work ended last year.",
                  "article_ids": ["x3"], "start": 0, "end": 9}],
    "differences": [{"kind": "number", "summary": "The cost differs: 2 billion vs 3 billion.",
                     "article_ids": ["x1", "x3"], "items": [{"article_id": "x1", "text": "2 billion", "outlet": None},
                                                           {"article_id": "x3", "text": "3 billion", "outlet": None}]}],
    "brief": [],
    "coverage": {
        "outlets": [{"name": "Norda Wire", "article_ids": ["x1"], "date": "2026-03-02", "first": True},
                    {"name": "Bay Daily", "article_ids": ["x2"], "date": "2026-03-02", "first": True},
                    {"name": "Fjell Post", "article_ids": ["x3"], "date": "2026-03", "first": False}],
        "first": {"date": "2026-03-02", "outlets": ["Norda Wire", "Bay Daily"]},
        "claims": [{"id": "c2", "text": "The dam cost 2 billion.", "status": "disputed", "families": 2, "outlets": 2},
                   {"id": "c1", "text": "The dam opened.", "status": "corroborated", "families": 2, "outlets": 3}],
        "claims_total": 2,
        "carries": {"Norda Wire": ["c2", "c1"], "Bay Daily": ["c1"], "Fjell Post": ["c2", "c1"]},
        "families": [{"origin": "x1", "members": [
            {"id": "x1", "outlet": "Norda Wire", "title": "Tolm dam opens", "date": "2026-03-02", "parent": None},
            {"id": "x2", "outlet": "Bay Daily", "title": "Tolm dam opens", "date": "2026-03-02", "parent": "x1"}]},
            {"origin": "x3", "members": [
                {"id": "x3", "outlet": "Fjell Post", "title": "Dam opens late", "date": "2026-03", "parent": None}]}],
    },
}
RENDER = """async (data) => {
  const { renderStory } = await import('/static/story.js');
  document.getElementById('view').replaceChildren(renderStory(data, null));
}"""


@pytest.mark.browser
def test_the_story_page_draws_every_section_of_the_contract(desk: dict, page) -> None:
    page.goto(desk["base"] + "/#/unknown")
    page.locator("#view .error").wait_for()
    page.evaluate(RENDER, CONTRACT)
    brief = page.locator(".brief-sentence")
    assert brief.count() == 2
    assert [c.inner_text() for c in brief.first.locator("a.cite").all()] == ["[1]", "[3]"]
    assert brief.first.locator("a.cite").first.get_attribute("href") == "#/story/st/source/x1"
    assert page.locator(".family").count() == 2
    assert page.locator(".family").first.locator(".source").count() == 2
    # one statement in two wordings: the second shows what changed
    assert page.locator(".speaker").count() == 1 and page.locator(".statement").count() == 1
    assert page.locator(".statement del").all_inner_texts() == ["finally"]
    assert page.locator(".statement ins").all_inner_texts() == ["at", "last"]
    assert page.locator(".speaker h3 a").get_attribute("href") == "#/entity/eabc"
    statuses = page.locator("table.claims tbody tr").evaluate_all("rows => rows.map(r => r.className)")
    assert statuses == ["status-disputed", "status-corroborated"]
    assert page.locator("svg.chart circle").count() == 2
    assert page.locator("svg.chart circle.precision-year").count() == 1
    assert page.locator("table.events tbody tr").count() == 1
    assert page.locator("#sec-entities a.chip").count() == 2
    assert page.locator(".difference.kind-number").count() == 1
    assert page.locator(".empty").count() == 0
    # coverage: a square per (outlet, claim) carried, a node per report, a copy joined to its origin
    assert page.locator("#sec-coverage svg.matrix rect.on").count() == 5
    assert page.locator("#sec-coverage svg.matrix rect.on.disputed").count() == 2
    assert page.locator("#sec-coverage svg.tree g.node").count() == 3
    assert page.locator("#sec-coverage svg.tree path.edge").count() == 1
    assert page.locator("#sec-coverage .matrix-table tbody tr").count() == 3  # the text alternative
    assert "Norda Wire, Bay Daily" in page.locator("#sec-coverage .first-report").inner_text()
    # every badge reads at 4.5:1 or more against its own background
    ratios = page.locator(".badge").evaluate_all(CONTRAST)
    assert ratios and min(ratios) >= 4.5, ratios

    empty = {**CONTRACT, "stories": [{**CONTRACT["stories"][0], "brief": []}], "entities": [], "quotes": [],
             "claims": [], "events": [], "timeline": [], "differences": [], "coverage": None}
    page.evaluate(RENDER, empty)
    assert page.locator("section.block .empty").count() == 8  # every section but the sources says it is empty
    assert page.errors == []  # type: ignore[attr-defined]


CONTRAST = """nodes => nodes.map(n => {
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = (c) => { const [r, g, b] = rgb(c).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
                       return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const style = getComputedStyle(n);
  const [a, b] = [lum(style.color), lum(style.backgroundColor)].sort((x, y) => y - x);
  return Math.round((a + 0.05) / (b + 0.05) * 100) / 100;
})"""


# ---------------------------------------------------------------------------------------- the live desk


THREAD = ROOT / "tests" / "data" / "thread"


def _wire_text() -> str:
    lines = (EXAMPLES / WIRE).read_text(encoding="utf-8").splitlines()
    return "\n".join(lines[1:])  # without the ' date' header line


def _open_story(page, base: str, story: str) -> None:
    page.goto(f"{base}/#/story/{story}")
    page.locator(".story-title").wait_for()


@pytest.mark.browser
def test_an_open_story_updates_itself_when_an_article_joins(desk: dict, page) -> None:
    """The page is open; an article arrives through the API; the page redraws with the new source, its new
    claim and the new disagreement marked, and says so."""
    base = desk["base"]
    _open_story(page, base, desk["wire_story"])
    before = int(page.locator(".story-meta .article-count").get_attribute("data-count"))
    text = (_wire_text().replace("1.2 billion marks", "1.5 billion marks")
            + "\n\nTarvik's mayor, Oren Hal, said the town would spend 300,000 marks on a river festival in June.")
    r = httpx.post(base + "/api/articles", json={"title": "Sarn accord signed", "outlet": "Tarvik Daily",
                                                 "date": "2026-05-15", "text": text}, timeout=120)
    assert r.status_code == 201, r.text
    added = r.json()["articles"][0]
    assert added["story"] == desk["wire_story"], "the edited reprint joins the wire's story"
    notice = page.locator(".live-notice")
    notice.wait_for(timeout=90_000)
    said = notice.inner_text()
    assert "1 new source (Tarvik Daily)" in said and "new claim" in said, said
    assert page.locator(f'.source.is-new[data-article="{added["id"]}"]').count() == 1
    assert page.locator(f'.story-meta .article-count[data-count="{before + 1}"]').count() == 1
    assert page.locator("table.claims tr.is-new").count() >= 1
    assert page.locator(".differences .is-new, table.claims tr.is-new.status-disputed").count() >= 1, \
        "the 1.5 vs 1.2 billion figure is a new disagreement"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "story-live.png"))
    page.locator(".live-notice a.jump").click()
    assert page.locator(f'.source[data-article="{added["id"]}"]').get_attribute("open") is not None
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_the_coverage_matrix_and_the_family_tree(desk: dict, page) -> None:
    _open_story(page, desk["base"], desk["wire_story"])
    coverage = page.locator("#sec-coverage")
    assert "MPA" in coverage.locator(".first-report").inner_text()
    assert coverage.locator("svg.matrix rect.on").count() >= 5
    rows = coverage.locator(".matrix-table tbody tr").count()
    assert rows == coverage.locator("svg.matrix text.row").count() >= 3
    nodes = coverage.locator("svg.tree g.node")
    assert nodes.count() == int(page.locator(".story-meta .article-count").get_attribute("data-count"))
    assert coverage.locator("svg.tree path.edge").count() >= 2, "the wire's reprints hang from it"
    assert coverage.locator("svg.matrix").get_attribute("aria-label").startswith("Coverage matrix")
    assert "copied from MPA" in coverage.locator(".tree-list").text_content()
    coverage.screenshot(path=str(SHOTS / "story-coverage.png"))
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_an_outlet_is_corrected_from_the_story_page(desk: dict, page) -> None:
    base = desk["base"]
    story = httpx.get(f"{base}/api/stories/{desk['wire_story']}", timeout=120).json()
    target = next(a for a in story["articles"] if a["input"].endswith("04_ostranski_vestnik_translated.txt"))
    _open_story(page, base, desk["wire_story"])
    card = page.locator(f'.source[data-article="{target["id"]}"]')
    card.locator("summary").click()
    card.locator("button.edit-open").click()
    card.locator(".edit-form input[name=outlet]").fill("Ostranski Vestnik")
    card.locator(".edit-form button[type=submit]").click()
    page.locator(f'.source[data-article="{target["id"]}"] .outlet', has_text="Ostranski Vestnik").wait_for(timeout=60_000)
    assert httpx.get(f"{base}/api/articles/{target['id']}").json()["outlet"] == "Ostranski Vestnik"
    assert "Ostranski Vestnik" in page.locator("#sec-coverage svg.matrix").text_content()
    md = httpx.get(f"{base}/api/stories/{desk['wire_story']}/export", params={"format": "md"}, timeout=120).text
    assert "Ostranski Vestnik" in md and "04_ostranski_vestnik_translated" not in md  # a name, never a path
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_a_story_is_exported_from_its_page(desk: dict, page) -> None:
    _open_story(page, desk["base"], desk["wire_story"])
    with page.expect_download() as got:
        page.locator(".story-actions a", has_text="Markdown").click()
    download = got.value
    assert download.suggested_filename == f"{desk['wire_story']}.md"
    assert "## References" in Path(download.path()).read_text(encoding="utf-8")
    for label, kind, marker in (("JSON", "application/json", '"schema": "rashomon.analysis/1"'),
                                ("HTML page", "text/html", "Coverage at a glance")):
        href = page.locator(".story-actions a", has_text=label).get_attribute("href")
        assert href.startswith(desk["base"] + "/api/stories/")
        r = page.request.get(href)
        assert r.headers["content-type"].startswith(kind) and "attachment" in r.headers["content-disposition"]
        assert marker in r.text()
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_an_article_is_deleted_from_its_page(desk: dict, page) -> None:
    base = desk["base"]
    r = httpx.post(base + "/api/articles", json={
        "title": "Lenz ferry timetable changes", "outlet": "Lenz Courier", "date": "2026-07-01",
        "text": "The Lenz ferry company will run two more crossings a day from July, its director Ansa Holt said on "
                "Wednesday. Tickets will cost the same."}, timeout=120)
    placed = r.json()["articles"][0]
    page.goto(f"{base}/#/article/{placed['id']}")
    page.locator(".article-page h1").wait_for()
    page.locator(".article-actions .confirm > button.danger").click()
    ask = page.locator(".article-actions .confirm-ask")
    assert ask.is_visible() and "cannot be undone" in ask.inner_text()
    ask.locator("button.yes").click()
    page.wait_for_function("() => location.hash === '#/'")
    page.locator(".stories .card").first.wait_for()
    assert httpx.get(f"{base}/api/articles/{placed['id']}").status_code == 404
    assert page.locator(f'.card[data-story="{placed["story"]}"]').count() == 0
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_the_entities_index(desk: dict, page) -> None:
    base = desk["base"]
    page.goto(base + "/")
    page.locator(".main-nav a", has_text="Entities").click()
    rows = page.locator(".entity-table tbody tr")
    rows.first.wait_for()
    total = httpx.get(base + "/api/entities", params={"limit": 1}).json()["total"]
    assert f"of {total} entit" in page.locator(".entity-count").inner_text()
    page.fill(".entity-filter input[name=q]", "venn")
    page.locator(".entity-count", has_text="of 1 entity").wait_for()
    assert rows.count() == 1 and "Daria Venn" in rows.first.inner_text()
    page.select_option(".entity-filter select[name=type]", "ORG")
    page.locator(".entity-count", has_text="No entity matches").wait_for()
    page.select_option(".entity-filter select[name=type]", "PERSON")
    page.locator(".entity-count", has_text="of 1 entity").wait_for()
    assert "venn" in page.evaluate("decodeURIComponent(location.hash)")  # the filter is in the address
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "entities.png"))
    page.locator(".entity-table a", has_text="Daria Venn").click()
    page.locator(".entity h1", has_text="Daria Venn").wait_for()
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_threads_are_listed_and_linked_from_their_stories(desk: dict, page) -> None:
    base = desk["base"]
    files = [("file", (p.name, p.read_bytes(), "text/plain")) for p in sorted(THREAD.iterdir())]
    placed = httpx.post(base + "/api/articles", files=files, timeout=300).json()["articles"]
    stories = [a["story"] for a in placed]
    page.goto(base + "/")
    thread = page.locator(".threads li.thread", has_text="Tomas Reld")
    thread.wait_for(timeout=60_000)
    links = thread.locator("ol a")
    assert links.count() == 3
    assert [a.get_attribute("href") for a in links.all()] == [f"#/story/{s}" for s in stories]
    links.nth(1).click()
    line = page.locator(".thread-line")
    line.wait_for(state="visible")
    assert "2 of 3" in line.inner_text() and line.locator("a.thread-nav").count() == 2
    line.locator("a.thread-nav").last.click()
    page.wait_for_function("s => location.hash === '#/story/' + s", arg=stories[2])
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_the_story_page_on_a_phone_and_from_the_keyboard(desk: dict, page) -> None:
    base = desk["base"]
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 844})
        for path in (f"/#/story/{desk['wire_story']}", "/", "/#/entities"):
            page.goto(base + path)
            page.wait_for_selector("#view > *:not(noscript)")
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (width, path)
    _open_story(page, base, desk["wire_story"])  # still 390 px wide
    claim = page.locator("table.claims tbody tr").first
    assert claim.evaluate("r => getComputedStyle(r).display") == "block", "claims become cards"
    page.evaluate("document.querySelector('#sec-claims').scrollIntoView()")
    page.screenshot(path=str(SHOTS / "story-phone.png"))
    page.evaluate("window.scrollTo(0, 0)")

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "view"
    for _ in range(400):  # every timeline dot is reachable with the Tab key, and says what happened
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('dot')"):
            break
    else:
        pytest.fail("no timeline dot took the focus")
    detail = page.locator(".timeline-detail").inner_text()
    assert re.search(r"\d{4}", detail) and "—" in detail, detail

    page.goto(base + "/")
    paste = page.get_by_role("tab", name="Paste")
    paste.focus()
    page.keyboard.press("ArrowRight")
    upload = page.get_by_role("tab", name="Upload")
    assert upload.get_attribute("aria-selected") == "true" and upload.evaluate("b => b === document.activeElement")
    assert page.locator("#upload-form").is_visible() and not page.locator("#paste-form").is_visible()
    page.keyboard.press("Home")
    assert paste.get_attribute("aria-selected") == "true" and page.locator("#paste-form").is_visible()
    assert page.errors == []  # type: ignore[attr-defined]


@pytest.mark.browser
def test_a_source_without_an_outlet_is_never_named_by_its_id_and_a_reader_can_name_it(desk: dict, page) -> None:
    base = desk["base"]
    text = ("The ferry service between Lenz and Orva resumed on Tuesday after a week of storms, the operator said. "
            "The first crossing left Lenz at dawn with 120 passengers on board.")
    r = httpx.post(base + "/api/articles", json={"text": text, "title": "Lenz ferry resumes"}, timeout=120)
    placed = r.json()["articles"][0]
    page.goto(f"{base}/#/story/{placed['story']}")
    card = page.locator(f'.source[data-article="{placed["id"]}"]')
    card.wait_for()
    name = card.locator(".outlet").inner_text()
    assert name.startswith("Source ") and placed["id"] not in page.locator("#view").inner_text()
    card.locator("summary").click()
    card.locator("button.edit-open").click()
    card.locator(".edit-form input[name=outlet]").fill("Lenz Courier")
    card.locator(".edit-form button[type=submit]").click()
    page.locator(f'.source[data-article="{placed["id"]}"] .outlet', has_text="Lenz Courier").wait_for()
    assert httpx.get(f"{base}/api/articles/{placed['id']}", timeout=60).json()["outlet"] == "Lenz Courier"
    assert page.errors == []  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------ serve --watch, live


@pytest.mark.browser
def test_a_followed_feed_grows_an_open_story_page(live_server, page, tmp_path) -> None:
    """``serve --watch``: the follower runs beside the web app on a loopback feed server. Two reports come
    in through the feed; their story page is open when the feed gains a third (a rewrite from another
    outlet), and the page redraws itself with the new source marked and named."""
    from ..feedserver import REPORTS, FeedServer, rss

    feeds = FeedServer()
    try:
        for key in REPORTS:
            feeds.page(key)
        feeds.feed("/wire.rss", rss(feeds.base, "Harbour Wire", ["pier", "ferry"]))
        config = Config(db=str(tmp_path / "watched.db"), fetch_timeout=5, fetch_allowed_networks=("127.0.0.1/32",),
                        watch_interval=1, watch_host_delay=0, workers=1)
        app = create_app(config, warm=False, watch=[feeds.base + "/wire.rss"])
        base = live_server(app)
        story = _wait_for(lambda: next((s["id"] for s in httpx.get(base + "/api/stories", timeout=30).json()["stories"]
                                        if len(s["article_ids"]) == 2), None), 120)
        _open_story(page, base, story)
        before = int(page.locator(".story-meta .article-count").get_attribute("data-count"))
        assert before == 2
        feeds.feed("/wire.rss", rss(feeds.base, "Harbour Wire", ["rewrite", "pier", "ferry"]))
        notice = page.locator(".live-notice")
        notice.wait_for(timeout=120_000)
        said = notice.inner_text()
        assert "1 new source (Sorne Evening Post)" in said, said
        new = page.locator(".source.is-new")
        assert new.count() == 1 and "Haldam ferry pier shut" in new.inner_text()
        assert page.locator('.story-meta .article-count[data-count="3"]').count() == 1
        feed_state = httpx.get(base + "/api/status", timeout=30).json()["feeds"]
        assert [(f["url"], f["items"], f["failures"]) for f in feed_state] == [(feeds.base + "/wire.rss", 3, 0)]
        assert feed_state[0]["status"] in {"ok", "not modified"}  # polled again since, unchanged
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        watcher = app.state.watcher if "app" in locals() else None
        if watcher is not None:
            watcher.stop.set()
        feeds.close()


def _wait_for(probe, seconds: float):
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = probe()
        if found:
            return found
        time.sleep(0.3)
    raise AssertionError(f"nothing after {seconds} s")
