"""Figures normalised across wordings, and across languages."""

from __future__ import annotations

import pytest

from rashomon.text import quantities


@pytest.mark.parametrize(("french", "english"), [
    ("1,2 milliard d'euros", "1.2 billion euros"),
    ("40 milliards de dollars", "$40 billion"),
    ("70 %", "70 percent"),
    ("70\u00a0%", "70%"),
    ("12 000 emplois", "12,000 jobs"),
    ("3,5 millions", "3.5 million"),
])
def test_a_french_figure_and_its_english_translation_are_one_value(french, english):
    fr = quantities.figures(french, "fr")[0]
    en = quantities.figures(english)[0]
    assert fr.kind == en.kind and quantities.same_value(fr.value, en.value) and fr.unit == en.unit


def test_french_conventions_are_not_read_as_english_ones():
    assert [f.value for f in quantities.figures("1,2 milliard")] != [1.2e9]  # English reads "1" and "2"
    assert [(f.kind, f.value) for f in quantities.figures("en 2027, 4 500 emplois", "fr")] == [("year", 2027.0),
                                                                                             ("number", 4500.0)]
