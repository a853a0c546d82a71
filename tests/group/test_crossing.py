"""Reports across languages: a translation is one family with its source, reports of one event in two
languages one story, and nothing else joins (texts of our own writing in tests/data/languages)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rashomon.config import Config
from rashomon.group import crossing
from rashomon.group.families import FamilyIndex
from rashomon.model import Article
from rashomon.read import language

DATA = Path(__file__).resolve().parents[1] / "data" / "languages"


def _article(name: str) -> Article:
    text = (DATA / name).read_text(encoding="utf-8")
    head, _, body = text.partition("\n")
    return Article(id=name.split(".")[0], input=name, text=body, date=head.split()[1],
                   language=language.judge(body).language)


def test_anchors_cross_languages():
    fr = crossing.sentence_anchors("Les États-Unis ont promis vendredi 1,2 milliard d'euros à Anouk Varenne.", "fr")
    en = crossing.sentence_anchors("The United States on Friday pledged 1.2 billion euros to Anouk Varenne.", "en")
    assert fr == en == {"@USA", "wd4", "#1200000000", "anouk", "varenne"}


def test_a_french_report_and_its_english_translation_are_one_family():
    index = FamilyIndex(Config())
    for name in ("fr_port.txt", "en_port_independent.txt", "fr_unrelated.txt", "en_port_translation.txt"):
        index.add(_article(name))
    fam = index.assignments()
    assert fam["fr_port"] == fam["en_port_translation"]
    assert len({fam["fr_port"], fam["en_port_independent"], fam["fr_unrelated"]}) == 3


def test_an_independent_report_of_the_event_in_another_language_is_not_a_translation():
    fr, en = _article("fr_port.txt"), _article("en_port_independent.txt")
    assert crossing.translation_score(crossing.anchors(fr.text, "fr"), crossing.anchors(en.text, "en")) < 0.3


@pytest.mark.slow
def test_the_languages_corpus_end_to_end(tmp_path):
    from rashomon.run.runner import analyze
    from rashomon.store import Store

    with Store(tmp_path / "s.db") as store:
        result = analyze([str(DATA)], Config(workers=1), store)
    by_name = {Path(a.input).stem: a for a in result.articles}
    assert by_name["fr_port"].family == by_name["en_port_translation"].family
    port = {by_name[n].story for n in ("fr_port", "en_port_translation", "en_port_independent")}
    assert len(port) == 1
    story = next(s for s in result.stories if s.id in port)
    assert story.independent_sources == 2
    german = [a for a in result.articles if a.language == "de"]
    assert len({a.story for a in german}) == len(german) == 5  # five unrelated German reports, five stories
    assert all(not a.analysed and a.analysed_reason == "German: no model installed for this language" for a in german)
    german_ids = {a.id for a in german}
    assert not any(set(e.article_ids) & german_ids for e in result.entities)
    assert not any(set(e.article_ids) & german_ids for e in result.events)
    varenne = [e for e in result.entities if e.name == "Anouk Varenne"]
    assert len(varenne) == 1 and {by_name["fr_port"].id, by_name["en_port_translation"].id} <= set(varenne[0].article_ids)
    usa = [e for e in result.entities if e.country == "USA" and e.type == "GPE"]
    assert len(usa) == 1 and "États-Unis" in usa[0].aliases and "United States" in usa[0].aliases
    assert {x.language: x.analysed for x in result.run.languages} == {"en": True, "fr": True, "de": False}
