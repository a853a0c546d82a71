"""Quotes and mentions in other languages: each language's own quotation marks; French speakers and
speech verbs from the French parse."""

from __future__ import annotations

import pytest

from rashomon.model import Article
from rashomon.who import multilingual as ml


@pytest.mark.parametrize(("language", "text", "quotes"), [
    ("de", "Er sagte: „Wir bauen die Brücke neu.“ Dann „ging“ er.", ["Wir bauen die Brücke neu.", "ging"]),
    ("de", "»Das ist ein Angriff«, sagte Fenn. „Nein“, rief sie.", ["Das ist ein Angriff", "Nein"]),
    ("fr", "« Nous ne céderons pas », a-t-il dit, « jamais ».", ["Nous ne céderons pas", "jamais"]),
    ("fr", "Il a dit : « Elle a parlé d’un “ avenir ” radieux. »", ["Elle a parlé d’un “ avenir ” radieux."]),
    ("es", "«Vamos a ganar», dijo el entrenador.", ["Vamos a ganar"]),
])
def test_each_language_pairs_its_own_marks(language, text, quotes):
    assert [text[s.start:s.end] for s in ml.scan(text, language)] == quotes


def test_unanalysed_languages_keep_quoted_statements_without_a_speaker():
    art = Article(id="d", input="-", language="de", text="„Wir gewinnen das Spiel morgen“, sagte Lamm. Ein „Wunder“.")
    assert [(q.text, q.speaker, q.cue, q.fragment) for q in ml.marked_quotes(art, [0])] == \
        [("Wir gewinnen das Spiel morgen", None, None, False)]


def test_french_sentences_are_not_cut_at_guillemets_or_titles():
    text = "« Nous viendrons. Sans faute », a dit M. Heller. Il est parti.\n« Oui. » Non."
    assert [text[a:b] for a, b in ml.sentences(text, "fr")] == [
        "« Nous viendrons. Sans faute », a dit M. Heller.", "Il est parti.", "« Oui. »", "Non."]


def test_french_mentions_and_speakers(nlp):
    from rashomon.text import nlp as nlp_mod

    text = ("La Première ministre Anouk Varenne a rencontré jeudi Tomas Heller. « La Lorvanie sera aux côtés "
            "de Port-Avel », a affirmé M. Heller. Elle a répondu : « Nous comptons sur vous. »\n"
            "« C'est une promesse. »\nLe ministre a qualifié de « honteux » le retard.")
    art = Article(id="f", input="-", text=text, language="fr")
    doc = nlp_mod.load(language="fr")(text)
    spans = ml.sentences(text, "fr")
    mentions = ml.mentions(doc, art, [a for a, _ in spans])
    heller = [m for m in mentions if m.text == "Heller"]
    assert heller and heller[0].title == "M."  # "M. Heller" is Heller, titled
    found = [(q.text, q.cue, q.speaker, q.speaker_kind, q.fragment) for q in ml.quotes(doc, art, mentions, spans)]
    assert found[0] == ("La Lorvanie sera aux côtés de Port-Avel", "a affirmé", "Heller", "name", False)
    assert found[1][:4] == ("Nous comptons sur vous.", "a répondu", "Anouk Varenne", "pronoun")  # elle: not Heller
    assert found[2][2] == "Anouk Varenne" and found[2][1] is None  # a quote of its own continues its speaker
    assert found[3][0] == "honteux" and found[3][4] is True  # woven into the sentence: a fragment
