"""Outlet and date from the text itself (read/metadata): datelines and stamps, never a biography's date."""

from __future__ import annotations

from rashomon.read.metadata import date_from_text


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
