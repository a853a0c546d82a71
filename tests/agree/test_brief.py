"""The brief and its support check: every sentence cites, is supported by what it cites, nothing invented."""

from __future__ import annotations

import re

import pytest

from rashomon.agree import brief, support
from rashomon.config import Config
from rashomon.model import Analysis, Article, Story
from rashomon.run.annotate import annotate

from ..pipeline_runs import by_prefix, run

ORVIA = Article(id="orvia", input="orvia.txt", outlet="Orvia Post", text=(
    "Orvia and Lent signed a fishing pact in Kessa on Monday after two days of talks. "
    "The pact sets a quota of 12,000 tonnes of cod for each fleet. "
    "Fisheries minister Ada Morrow said the deal ended a quarrel of ten years."))
LENT = Article(id="lent", input="lent.txt", outlet="Lent Herald", text=(
    "Lent's fleet will be allowed to catch 15,000 tonnes of cod under the new pact with Orvia. "
    "The agreement was signed in Kessa."))


# -------------------------------------------------------------------------------- support check


def test_a_sentence_taken_from_the_cited_article_is_supported():
    assert support.check("The pact sets a quota of 12,000 tonnes of cod for each fleet.", [ORVIA]).ok


def test_a_changed_word_is_not_supported():
    v = support.check("Orvia and Lent signed a trade pact in Kessa on Monday after two days of talks.", [ORVIA])
    assert not v.ok and "trade" in v.reason


def test_a_changed_figure_is_not_supported():
    v = support.check("The pact sets a quota of 15,000 tonnes of cod for each fleet.", [ORVIA])
    assert not v.ok and "15,000" in v.reason


def test_a_figure_written_differently_is_still_supported():
    art = Article(id="x", input="x", text="About 70 percent of Orvia's grain leaves through Kessa.")
    assert support.check("About 70% of Orvia's grain leaves through Kessa.", [art]).ok


def test_an_added_name_is_not_supported():
    v = support.check("Orvia and Lent signed a fishing pact in Kessa on Monday, Tarnland said.", [ORVIA])
    assert not v.ok


def test_a_wrong_citation_is_rejected():
    text = "The pact sets a quota of 12,000 tonnes of cod for each fleet."
    assert not support.check(text, [LENT]).ok
    # citing a second article that says nothing of it is an error too
    v = support.check(text, [ORVIA, LENT])
    assert not v.ok and "lent" in v.reason


def test_a_fused_sentence_needs_both_reports_cited():
    text = ("The pact sets a quota of 12,000 tonnes of cod for each fleet; another report says Lent's fleet will "
            "be allowed to catch 15,000 tonnes of cod under the new pact with Orvia.")
    assert support.check(text, [ORVIA, LENT]).ok
    assert not support.check(text, [ORVIA]).ok


# ---------------------------------------------------------------------------------- the writer


def _story(articles: list[Article]) -> Story:
    return Story(id="s", title="t", article_ids=tuple(a.id for a in articles),
                 families=tuple((a.id,) for a in articles), independent_sources=len(articles))


def test_every_sentence_of_a_brief_is_supported_by_what_it_cites():
    arts = [ORVIA, LENT]
    notes = {n.article_id: n for n in annotate(arts)}
    sentences = brief.write(_story(arts), arts, notes, (), (), (), (), Config())
    assert sentences
    for s in sentences:
        assert s.article_ids
        assert support.check(s.text, [a for a in arts if a.id in s.article_ids], notes).ok, s


def test_a_short_heading_and_a_boilerplate_line_are_never_in_the_brief():
    art = Article(id="a", input="a.txt", text=(
        "Orvia and Lent signed a fishing pact in Kessa on Monday after two days of talks.\n\n"
        "A NEW START\n\n"
        "The pact sets a quota of 12,000 tonnes of cod for each fleet.\n\n"
        "Share this article on social media.\n\n"
        "Follow us on Twitter and Facebook."))
    notes = {n.article_id: n for n in annotate([art])}
    texts = [s.text for s in brief.write(_story([art]), [art], notes, (), (), (), (), Config())]
    assert texts and not any("NEW START" in t or "Share this" in t or "Follow us" in t for t in texts)


@pytest.mark.parametrize("n", [1, 3, 5])
def test_the_length_setting_caps_the_brief(n):
    analysis, notes = run("examples")
    story = max(analysis.stories, key=lambda s: len(s.article_ids))
    arts = [a for a in analysis.articles if a.story == story.id]
    ids = {a.id for a in arts}
    out = brief.write(story, arts, notes, [c for c in analysis.claims if ids & set(c.article_ids)],
                      [d for d in analysis.differences if ids & set(d.article_ids)], (), (),
                      Config().with_overrides(brief_sentences=n))
    assert len(out) == n


def test_the_default_brief_is_about_eight_sentences_and_deterministic():
    analysis, notes = run("examples")
    story = max(analysis.stories, key=lambda s: len(s.article_ids))
    assert 6 <= len(story.brief) <= 8
    arts = [a for a in analysis.articles if a.story == story.id]
    ids = {a.id for a in arts}
    again = brief.write(story, arts, notes, [c for c in analysis.claims if ids & set(c.article_ids)],
                        [d for d in analysis.differences if ids & set(d.article_ids)], (), (), Config())
    assert again == story.brief


def _check_brief(analysis: Analysis, notes) -> None:
    by_id = {a.id: a for a in analysis.articles}
    for story in analysis.stories:
        for s in story.brief:
            assert s.article_ids and set(s.article_ids) <= set(story.article_ids)
            assert support.check(s.text, [by_id[i] for i in s.article_ids], notes).ok, s


def test_example_corpus_brief_leads_with_the_event_and_ends_with_the_disagreements():
    analysis, notes = run("examples")
    _check_brief(analysis, notes)
    story = max(analysis.stories, key=lambda s: len(s.article_ids))
    texts = [s.text for s in story.brief]
    assert "signed" in texts[0] and "Thursday" in texts[0]
    tail = " ".join(texts[-2:])
    assert "another report says" in tail
    assert "Lind islands" in tail or "billion marks" in tail
    # the government release's blog clutter never reaches the brief
    removed = [r for a in analysis.articles for r in a.removed]
    assert removed
    for t in texts:
        assert not any(line.strip() and line.strip() in t for r in removed for line in r.splitlines()
                       if len(line.strip()) > 12)


# --------------------------------------------------------------------------------------- seeds


def test_seed_brief_covers_the_meeting_and_its_outcomes(seeds_dir):
    analysis, notes = run("seeds")
    assert len(analysis.stories) == 1, "stories.py should put the five seed reports in one story"
    _check_brief(analysis, notes)
    text = " ".join(s.text for s in analysis.brief)
    low = text.lower()
    assert re.search(r"\b(met|meet|meeting|talks)\b", low)
    assert "partnership" in low
    assert re.search(r"defen[cs]e", low) and "security" in low
    assert "critical mineral" in low
    assert "energy" in low
    assert "coast guard" in low and "memorand" in low


def test_seed_brief_has_nothing_from_the_blog_clutter(seeds_dir):
    analysis, _ = run("seeds")
    release = by_prefix(analysis, "004")
    assert release.removed, "the cleaner should have removed the blog's clutter from 004"
    clutter = [line.strip() for block in release.removed for line in block.splitlines() if len(line.strip()) > 12]
    for s in analysis.brief:
        assert not any(line in s.text or s.text in line for line in clutter), s.text


def test_seed_brief_surfaces_the_disagreement_over_the_strikes_on_iran(seeds_dir):
    analysis, _ = run("seeds")
    afp, kyodo = by_prefix(analysis, "001").id, by_prefix(analysis, "002").id
    fused = [s for s in analysis.brief if "international law" in s.text and "support for Washington" in s.text]
    assert fused and {afp, kyodo} <= set(fused[0].article_ids)
    assert analysis.brief[-1] == fused[0]  # disagreements come last
