"""Saved web pages (read/extract): the site's name when the page has no site-name field."""

from __future__ import annotations

from rashomon.read.extract import extract_html

BODY = "<p>" + "Water rose in the harbour district of Kell overnight. " * 6 + "</p>"


def _page(head: str):
    return extract_html(f"<html><head>{head}</head><body><article>{BODY}</article></body></html>")


def test_the_titles_suffix_names_the_site():
    for sep in ("-", "|", "–"):
        page = _page(f"<title>Flood in Kell {sep} Harbour Post</title>")
        assert (page.title, page.outlet) == ("Flood in Kell", "Harbour Post")


def test_the_site_name_field_wins_and_a_bare_title_names_nothing():
    page = _page('<title>Flood in Kell - HP</title><meta property="og:site_name" content="The Harbour Post">')
    assert page.outlet == "The Harbour Post"
    assert _page("<title>Flood in Kell</title>").outlet is None
