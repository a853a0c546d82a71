"""French dates resolved with the English rules and tense; other languages give ISO dates only."""

from __future__ import annotations

import pytest

from rashomon.model import Article
from rashomon.text import nlp
from rashomon.when import multilingual as wm
from rashomon.when.timex import scan
from rashomon.who.multilingual import sentences

TEXT = ("Anouk Varenne a rencontré vendredi à Port-Avel son homologue. Elle se rendra à Lisbonne la semaine "
        "prochaine et reviendra le 20 mars. L'an dernier, le port avait fermé en novembre. Le chantier "
        "commencera en mai 2026 et durera deux ans. Hier, elle a visité le chantier ; il y a trois jours, le "
        "ministre l'avait fait. Elle doit se rendre samedi à Veldra, et ira à Lorvan vendredi prochain.")


@pytest.fixture(scope="module")
def found():
    art = Article(id="f", input="-", text=TEXT, language="fr", date="2026-03-06")  # a Friday
    doc = nlp.load(language="fr")(TEXT)
    return {t.expression.lower(): (t.value, t.tense) for t in wm.find_times_fr(doc, art, [a for a, _ in sentences(TEXT, "fr")])}


@pytest.mark.parametrize(("expression", "value"), [
    ("vendredi", "2026-03-06"),  # "a rencontré vendredi": past, the anchor's own day
    ("la semaine prochaine", "2026-03"),
    ("le 20 mars", "2026-03-20"),  # "reviendra": future
    ("l'an dernier", "2025"),
    ("novembre", "2025-11"),  # "avait fermé en novembre": past
    ("mai 2026", "2026-05"),
    ("deux ans", None),  # a duration, never a date
    ("hier", "2026-03-05"),
    ("il y a trois jours", "2026-03-03"),
    ("samedi", "2026-03-07"),  # "doit se rendre samedi": future
    ("vendredi prochain", "2026-03-13"),
])
def test_french_dates_resolve_with_the_same_rules(found, expression, value):
    assert found[expression][0] == value


def test_the_tense_comes_from_the_french_parse(found):
    assert found["le 20 mars"][1] == "future" and found["vendredi"][1] == "past" and found["samedi"][1] == "future"


def test_french_words_are_not_english_dates():
    assert scan("Le 6 mars, vendredi dernier.") == []  # the English patterns know none of it
    assert [c.rule for c in wm.scan_fr("Le 6 mars, vendredi dernier.")] == ["md:3:6", "wd:4:last"]
    assert wm.scan_fr("La planète Mars et le mois de mai.")[0].rule == "m:5"  # a bare month needs its cue


def test_a_language_without_a_model_gives_iso_dates_only():
    art = Article(id="d", input="-", language="de", text="Am Freitag, dem 6. März, und am 2026-03-15 spielt Kessin.")
    assert [(t.expression, t.value) for t in wm.iso_times(art, [0])] == [("2026-03-15", "2026-03-15")]
