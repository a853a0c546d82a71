"""An article's language: the text decides, a declared language is a hint, and a contradiction is said."""

from __future__ import annotations

import json
from pathlib import Path

from rashomon.config import Config
from rashomon.model import InputWarning
from rashomon.read import language
from rashomon.run.runner import ingest
from rashomon.store import Store

FRENCH = ("La Première ministre de Kessinie, Anouk Varenne, a annoncé vendredi un plan pour reconstruire le "
          "vieux port de Port-Avel, détruit par une tempête l'an dernier.")
GERMAN = ("Der Hafenklub Port-Avel hat am Samstag das Derby gegen den FC Saltmere gewonnen. Der Trainer "
          "sagte nach dem Spiel, die Mannschaft habe ein großes Herz gezeigt.")
ENGLISH = "The council of Kessin voted on Tuesday to close the old ferry port after a long debate."


def test_the_text_decides_and_a_contradicted_hint_is_kept_as_declared():
    v = language.judge(FRENCH, "en")
    assert (v.language, v.declared, v.analysed, v.reason) == ("fr", "en", True, None)
    v = language.judge(GERMAN, "fr-FR")
    assert (v.language, v.declared, v.analysed) == ("de", "fr", False)
    assert v.reason == "German: no model installed for this language"


def test_a_hint_the_text_agrees_with_or_cannot_judge_stands():
    assert language.judge(ENGLISH, "EN-gb") == language.Verdict("en")
    short = language.judge("Kessin 3, Avel 1.", "de")  # too few letters to tell: the hint stands
    assert (short.language, short.declared, short.analysed) == ("de", None, False)
    assert language.judge("12 34", None).language is None


def test_metadata_that_contradicts_the_text_is_corrected_and_reported(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in (
        {"id": "fr1", "text": FRENCH, "language": "en"},
        {"id": "en1", "text": ENGLISH, "language": "en"},
        {"id": "de1", "text": GERMAN},
    )), encoding="utf-8")
    with Store(":memory:") as store:
        ids, summary = ingest([str(corpus)], Config(workers=1), store)
        arts = {a.id: a for a in store.articles(ids)}
    assert (arts["fr1"].language, arts["fr1"].language_declared) == ("fr", "en")
    assert (arts["en1"].language, arts["en1"].language_declared) == ("en", None)
    assert not arts["de1"].analysed and arts["de1"].analysed_reason.startswith("German: ")
    assert summary.warnings == (InputWarning(f"{corpus}:1", "declared English (en), but the text is French (fr); "
                                                            "language set to fr"),)
    assert {(x.language, x.articles, x.analysed) for x in summary.languages} == {("fr", 1, True), ("en", 1, True),
                                                                                ("de", 1, False)}


def test_what_the_summary_says_of_each_language():
    assert language.summary_line("en", 3, True, None) is None
    assert language.summary_line("de", 12, False, "German: no model installed for this language") == \
        "12 articles in German: grouped, not analysed (no model installed for this language)"


def test_plainly_english_text_skips_the_detector_only_where_the_detector_is_sure_of_english():
    """The function-word shortcut vouches only for text the detector itself ranks English with p >= 0.99, and
    never for another language's text."""
    from langdetect import DetectorFactory, detect_langs

    from ..conftest import SEEDS

    root = Path(__file__).resolve().parents[2]
    english = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    english += [p.read_text(encoding="utf-8") for p in sorted((root / "benchmarks/data/languages").glob("*_en_*.txt"))]
    others = [p.read_text(encoding="utf-8") for p in sorted((root / "benchmarks/data/languages").iterdir())
              if "_en_" not in p.name]
    assert len(english) >= 10 and len(others) >= 6
    plain = [t for t in english if language.plainly_english(t[:language.SAMPLE])]
    assert len(plain) >= len(english) // 2  # most news text is plain enough
    for text in plain:
        DetectorFactory.seed = 0
        best = detect_langs(text[:language.SAMPLE])[0]
        assert (best.lang, best.prob >= 0.99) == ("en", True)
        assert language.judge(text).language == "en"
    assert not any(language.plainly_english(t[:language.SAMPLE]) for t in others + [FRENCH, GERMAN])
    assert not language.plainly_english(ENGLISH)  # too short to vouch for: the detector decides
