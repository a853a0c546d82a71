"""rashomon.read.extract: the article of a saved web page, trafilatura checked by three other extractors.

Pages here are written for the tests (an invented town, Kell); the measured run over the shared benchmark
pages is the one slow test at the end."""

from __future__ import annotations

import hashlib
import importlib.util
import json

import pytest

from rashomon.read import extract
from rashomon.read.extract import Choice, choose, extract_html, is_headline, shingles

from ..conftest import SHARED

BODY = [
    "The council of Kell voted on Monday to rebuild the old harbour wall, which storms breached twice last winter.",
    "The work will take two years and cost 14 million crowns, the mayor, Ana Brisk, told reporters after the vote.",
    "Fishermen had asked for the repair since the wall first cracked in 2019, and the harbour master welcomed it.",
    "Opponents said the money should go to the flood defences upstream, where hundreds of homes are at risk.",
    "The first stones will be laid in April, once the spring tides have passed, and the quay will stay open.",
]
MENU = ["Home", "Politics", "Harbour news", "Weather", "Subscribe to our newsletter"]
RELATED = ["Kell ferry timetable changes for summer season", "New mayor sworn in at the Kell town hall",
           "Ten best beaches near the Kell lighthouse"]
COMMENTS = ["What a waste of money, the wall was fine until the council stopped maintaining it years ago!",
            "Finally some good news for the harbour, my grandfather worked on the old wall in the sixties."]


def page(title: str = "Kell to rebuild harbour wall - Kell Gazette", headline: str = "Kell to rebuild harbour wall",
         body: list[str] = BODY) -> str:
    nav = "".join(f'<li><a href="/{i}">{m}</a></li>' for i, m in enumerate(MENU))
    related = "".join(f'<li><a href="/r{i}">{r}</a></li>' for i, r in enumerate(RELATED))
    comments = "".join(f'<div class="comment"><p>{c}</p></div>' for c in COMMENTS)
    paragraphs = "".join(f"<p>{p}</p>" for p in body)
    return (f"<html><head><title>{title}</title><meta property=\"og:site_name\" content=\"Kell Gazette\">"
            f"<meta name=\"date\" content=\"2026-03-02\"></head><body>"
            f"<header><nav><ul>{nav}</ul></nav></header>"
            f"<main><article><h1>{headline}</h1><p class=\"byline\">By Jon Reed</p>{paragraphs}</article>"
            f"<aside class=\"related\"><h3>Related stories</h3><ul>{related}</ul></aside>"
            f"<section id=\"comments\" class=\"comments\"><h3>2 comments</h3>{comments}</section></main>"
            f"<footer><p>Copyright 2026 Kell Gazette. All rights reserved.</p></footer></body></html>")


def test_article_kept_clutter_left_out():
    got = extract_html(page())
    assert got is not None
    for paragraph in BODY:
        assert paragraph in got.text
    for clutter in MENU + RELATED + COMMENTS + ["All rights reserved"]:
        assert clutter not in got.text
    assert got.title and got.title.startswith("Kell to rebuild harbour wall")
    assert got.date == "2026-03-02"
    assert got.outlet == "Kell Gazette"


def test_headline_is_the_title_not_the_body():
    got = extract_html(page())
    assert got is not None and not got.text.startswith("Kell to rebuild")
    assert is_headline("Kell to rebuild harbour wall", "Kell to rebuild harbour wall - Kell Gazette")
    assert not is_headline("Kell", "Kell to rebuild harbour wall")  # a dateline, not the headline
    assert not is_headline("Kell will rebuild the wall.", "Kell will rebuild the wall - Kell Gazette")


def test_link_lines_inside_the_article_are_dropped():
    inline = ('The harbour master, <a href="/p/ola-ness">Ola Ness</a>, said the <a href="/t/wall">wall</a> '
              'had held for ninety years before the storms.')
    teasers = "".join(f'<p>Related: <a href="/r{i}">{r}</a></p>' for i, r in enumerate(RELATED))
    body = [BODY[0], inline, BODY[1], BODY[2], BODY[3], BODY[4]]
    html = page(body=body).replace(f"<p>{BODY[2]}</p>", f"<p>{BODY[2]}</p>{teasers}")
    got = extract_html(html)
    assert got is not None
    assert "The harbour master, Ola Ness, said the wall had held" in got.text  # a few links in a sentence
    for paragraph in BODY:
        assert paragraph in got.text
    for teaser in RELATED:
        assert teaser not in got.text


def test_drop_link_lines_keeps_what_it_cannot_place():
    html = '<p><a href="/a">Ten best beaches near the Kell lighthouse</a></p>'
    assert extract.drop_link_lines("Ten best beaches near the Kell lighthouse\nA line not on the page", html) \
        == "A line not on the page"
    assert extract.drop_link_lines("Ten best beaches near the Kell lighthouse", html) \
        == "Ten best beaches near the Kell lighthouse"  # never the whole text
    assert extract.drop_link_lines("Some text", "") == "Some text"


def test_xhtml_with_an_encoding_declaration():
    teaser = '<p>Related: <a href="/r">Ten best beaches near the Kell lighthouse this summer</a></p>'
    html = '<?xml version="1.0" encoding="utf-8"?>\n' + page().replace(f"<p>{BODY[2]}</p>", f"<p>{BODY[2]}</p>{teaser}")
    got = extract_html(html)
    assert got is not None and BODY[2] in got.text and "Ten best beaches" not in got.text


def test_same_page_same_result():
    html = page()
    assert extract_html(html) == extract_html(html)


# ------------------------------------------------------------------------------ the agreement check

ARTICLE = "\n".join(BODY)


def test_primary_kept_when_voters_agree_with_it():
    voters = {"a": ARTICLE, "b": ARTICLE + "\n" + "\n".join(RELATED), "c": "\n".join(BODY[1:])}
    got = choose(ARTICLE, voters)
    assert got.source == "primary" and got.text == ARTICLE
    assert got.recall == pytest.approx(1.0) and got.precision == pytest.approx(1.0)


def test_primary_that_cut_the_article_short_is_replaced():
    voters = {"a": ARTICLE, "b": ARTICLE, "c": "\n".join(MENU)}
    got = choose(BODY[0], voters)  # one paragraph of five
    assert got.source == "a" and got.text == ARTICLE
    assert got.recall is not None and got.recall < extract.MIN_RECALL


def test_primary_that_took_the_wrong_part_is_replaced():
    wrong = "\n".join(COMMENTS + RELATED + BODY[:1])
    voters = {"a": ARTICLE, "b": "\n".join(BODY[:4]), "c": ARTICLE}
    got = choose(wrong, voters)
    assert got.source in {"a", "c"} and "harbour wall" in got.text and COMMENTS[0] not in got.text


def test_best_agreeing_voter_replaces_and_ties_go_to_the_first():
    voters = {"a": "\n".join(BODY[:3]), "b": ARTICLE, "c": ARTICLE}
    assert choose("", voters).source == "b"


def test_no_consensus_keeps_the_primary_or_takes_the_only_voter():
    assert choose(ARTICLE, {"a": ARTICLE, "b": "", "c": ""}) == Choice(ARTICLE, "primary", None, None)
    assert choose("", {"a": "", "b": ARTICLE, "c": ""}).text == ARTICLE
    assert choose("", {}).text == ""


def test_shingles():
    assert shingles("One two") == {("one", "two")}
    assert shingles("A b c d e") == {("a", "b", "c", "d"), ("b", "c", "d", "e")}
    assert shingles("“Ünïcode” QUOTES ok fine") == shingles('"ünïcode" quotes OK fine')
    assert shingles("") == set()


# ------------------------------------------------------------------------------ failing extractors


def _boom(html: str, url: str | None = None) -> str:
    raise RuntimeError("extractor crashed")


def test_failing_voters_have_no_say():
    voters = {"broken": _boom, "missing": lambda h, u: (_ for _ in ()).throw(ImportError("no module")),
              "empty": lambda h, u: ""}
    got = extract_html(page(), voters=voters)
    assert got is not None and BODY[2] in got.text


def test_failing_primary_falls_back_to_the_voters(monkeypatch):
    import trafilatura

    def broken(*args, **kwargs):
        raise ValueError("parser failed")

    monkeypatch.setattr(trafilatura, "bare_extraction", broken)
    got = extract_html(page())
    assert got is not None
    for paragraph in BODY:
        assert paragraph in got.text
    assert COMMENTS[0] not in got.text
    assert got.title and "harbour wall" in got.title  # metadata read on its own


def test_everything_failing_gives_none(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)
    assert extract_html(page(), voters={"broken": _boom, "empty": lambda h, u: " \n "}) is None


def test_default_voters_are_independent_extractors():
    assert set(extract.VOTERS) == {"trafilatura", "readability", "resiliparse"}
    html = page()
    for name, fn in extract.VOTERS.items():
        text = fn(html, None)
        assert BODY[1] in text, name


# ------------------------------------------------------------------------------ the site's name

FLOOD = "<p>" + "Water rose in the harbour district of Kell overnight. " * 6 + "</p>"


def _flood_page(head: str):
    return extract_html(f"<html><head>{head}</head><body><article>{FLOOD}</article></body></html>")


def test_the_titles_suffix_names_the_site():
    """A page with no site-name field is named by what its <title> carries after the headline."""
    for sep in ("-", "|", "–"):
        got = _flood_page(f"<title>Flood in Kell {sep} Harbour Post</title>")
        assert (got.title, got.outlet) == ("Flood in Kell", "Harbour Post")


def test_the_site_name_field_wins_and_a_bare_title_names_nothing():
    got = _flood_page('<title>Flood in Kell - HP</title><meta property="og:site_name" content="The Harbour Post">')
    assert got.outlet == "The Harbour Post"
    assert _flood_page("<title>Flood in Kell</title>").outlet is None


def test_the_titles_suffix_names_the_site_when_a_voter_replaced_the_text(monkeypatch):
    import trafilatura

    monkeypatch.setattr(trafilatura, "bare_extraction", lambda *a, **k: None)  # metadata read on its own
    got = _flood_page("<title>Flood in Kell | Harbour Post</title>")
    assert got is not None and (got.title, got.outlet) == ("Flood in Kell", "Harbour Post")


# ------------------------------------------------------------------------------ the measured run


@pytest.mark.slow
def test_benchmark_pages_both_halves(data_dir):
    """The ScrapingHub pages in ../shared/data/extraction, split in two fixed halves by a hash of the id:
    rashomon's extraction must be at least as good as trafilatura alone on each half."""
    folder = data_dir / "extraction"
    if not (folder / "gold.json").exists():
        pytest.skip("no extraction benchmark data")
    spec = importlib.util.spec_from_file_location("score", SHARED / "tools" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    truth = json.loads((folder / "gold.json").read_text(encoding="utf-8"))["truth"]
    pages = [json.loads(line) for line in (folder / "input.jsonl").open(encoding="utf-8") if line.strip()]
    pairs = {"A": [], "B": []}
    for p in pages:
        half = "AB"[hashlib.sha256(b"rashomon-extraction-half:" + p["id"].encode()).digest()[0] & 1]
        got = extract_html(p["html"], url=p.get("url"))
        pairs[half].append(score.prf(truth[p["id"]], got.text if got else ""))
    for half, rows in pairs.items():
        assert score.f1_of(rows) >= 0.97, half
