"""Outlet and date from the text itself (read/metadata): datelines and stamps, never a biography's date."""

from __future__ import annotations

from rashomon.model import RawDocument
from rashomon.read.clean import clean
from rashomon.read.metadata import date_from_text, domain, outlet_from_text, without_dateline


def test_a_sentence_near_the_top_is_not_a_dateline():
    # an obituary's second line gives the birth date: it is not when the report was written
    text = ("Screen star Ilsa Marrow dies in Kell at 85\n"
            "Marrow was born on April 22, 1923, in Port Avel.\n"
            "She died on Thursday after a short illness, her agent said.")
    assert date_from_text(text) is None
    assert date_from_text("Founded on March 3, 1998, in Kell, the club won again.\nIt won on Sunday.") is None


def test_stamps_and_datelines_still_date_a_report():
    assert date_from_text("Marrow dies at 85\nMay 3, 2013 | 5: 03pm\nMarrow died on Friday.") == "2013-05-03"
    assert date_from_text("Story Created: Aug 7, 2012 at 9: 56 AM AKDT\nThe council met.") == "2012-08-07"
    assert date_from_text("Last updated on: November 11, 2011 19: 04 IST\nThe council met.") == "2011-11-11"
    assert date_from_text("KELL, Jan 5, 2026 (HPA) - The council met on Monday and voted.") == "2026-01-05"
    assert date_from_text("Title\non Jul 7 2012, 5: 55p\nThe fight ended early.") == "2012-07-07"
    assert date_from_text("Published: March 6, 2026\nThe council met.") == "2026-03-06"


# ------------------------------------------------------------------------------------------- outlets


def test_a_datelines_agency_names_the_outlet():
    assert outlet_from_text("KELL, March 7 (Kyodo) – The council met on Monday.") == "Kyodo"
    assert outlet_from_text("KELL, March 7 (Kell News) – The council met on Monday.") == "Kell News"


def test_a_report_without_an_outlet_is_named_by_its_sites_domain():
    raw = RawDocument(input="c.jsonl:3", kind="jsonl", source_id="k-3", url="https://www.kellpost.example/n/17",
                      text="The council of Kell voted on Monday to rebuild the old harbour wall at Sorne.")
    assert clean(raw).outlet == "kellpost.example"
    assert domain("http://news.kellpost.example/x") == "news.kellpost.example" and domain("/tmp/a.txt") is None
    # a scraped record whose first line is its address
    text = "http: / / www. avelgazette. example / 2013 / may / 03 / harbour\n" + raw.text
    assert clean(RawDocument(input="c.jsonl:4", kind="jsonl", text=text)).outlet == "avelgazette.example"


def test_a_sentence_quoted_without_its_reports_dateline():
    # a brief quoting a wire report's first sentence showed "ORLANDO, Fla. (Reuters) - President ..."
    assert without_dateline("KELLPORT, Ore. (Wirex) - The mayor opened the bridge.") == "The mayor opened the bridge."
    assert without_dateline("BOSTON, March 3 (UPI) — Dock workers voted to strike.") == "Dock workers voted to strike."
    assert without_dateline("CHICAGO —Standing before the crowd, she spoke.") == "Standing before the crowd, she spoke."
    # not a dateline: a country's name before a dash, capitals that are no city, a hyphenated word
    for text in ("U.S. - China talks resumed.", "NATO — the alliance — met.", "WASHINGTON-Based groups sued.",
                 "The mayor opened the bridge."):
        assert without_dateline(text) == text
