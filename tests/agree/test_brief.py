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


def _brief_of(art: Article) -> list[str]:
    """The brief's sentences for a story of one article, parsed for real."""
    notes = {n.article_id: n for n in annotate([art])}
    return [s.text for s in brief.write(_story([art]), [art], notes, (), (), (), (), Config())]


def test_a_short_heading_and_a_boilerplate_line_are_never_in_the_brief():
    art = Article(id="a", input="a.txt", text=(
        "Orvia and Lent signed a fishing pact in Kessa on Monday after two days of talks.\n\n"
        "A NEW START\n\n"
        "The pact sets a quota of 12,000 tonnes of cod for each fleet.\n\n"
        "Share this article on social media.\n\n"
        "Follow us on Twitter and Facebook."))
    texts = _brief_of(art)
    assert texts and not any("NEW START" in t or "Share this" in t or "Follow us" in t for t in texts)


def test_a_passage_opening_in_lower_case_or_with_markup_is_never_in_the_brief():
    # the tail of a sentence the parser cut after a quotation's inner stop, and a tweet's escaped markup,
    # were brief sentences of the PolNeAR 840 ("to steal the election," X said ...; "&lt;tweet ...&gt;...")
    art = Article(id="a", input="a.txt", text=(
        "Orvia and Lent signed a fishing pact in Kessa on Monday after two days of talks.\n\n"
        "&lt;tweet author=\"@kessa\"&gt;The pact sets a quota of 12,000 tonnes of cod for each fleet of the two.\n\n"
        "to keep the cod stocks alive for our children, both fleets must fish less this year, the ministers said.\n\n"
        "The quota of cod will be reviewed by both governments in March next year."))
    texts = _brief_of(art)
    assert texts and not any(t[:1].islower() or "&lt;" in t for t in texts), texts


def test_a_blogs_publishing_stamp_is_never_in_the_brief():
    # a law firm's blog post reprinting a crash report opened with its stamp, which was an ECB+ brief's
    # sentence: early, naming a date and a person, it has a lead's marks
    art = Article(id="a", input="a.txt", date="2013-05-03", text=(
        "Driver sought after crash in Kessa\n\n"
        "On behalf of Ilsa Marrow, Esq. posted in Road Safety on Friday, May 3, 2013.\n\n"
        "A woman was struck and killed by a hit-and-run driver in Kessa on the night of April 29, police said.\n\n"
        "Investigators said the driver fled north on Harbour Road in a dark van and has not been found."))
    texts = _brief_of(art)
    assert texts and not any("posted in" in t for t in texts), texts


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
    assert "another report says" not in tail and " reports that " in tail  # each side credited by name
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
    assert "trade" in low
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


# --------------------------------------------------------------------- what a reader sees first (issue 17)


def test_a_statement_named_as_another_reports_is_checked_against_that_report():
    text = ("Orvia Post reports that the pact sets a quota of 12,000 tonnes of cod for each fleet; "
            "Lent Herald reports that the agreement was signed in Kessa.")
    assert support.check(text, [ORVIA, LENT]).ok
    swapped = ("Lent Herald reports that the pact sets a quota of 12,000 tonnes of cod for each fleet; "
               "Orvia Post reports that the agreement was signed in Kessa.")
    assert not support.check(swapped, [ORVIA, LENT]).ok


def test_a_report_telling_the_statement_in_its_own_words_corroborates_it():
    own = Article(id="own", input="own.txt", outlet="Kessa Wire", text=(
        "In a joint statement, Ilse Varn and Tomas Reed agreed on a fisheries partnership and a roadmap for "
        "cooperation in priority areas covering quotas, patrols, research and port fees."))
    other = Article(id="other", input="other.txt", outlet="Lent Herald", text=(
        "During their meeting, Premier Ilse Varn and President Tomas Reed agreed to intensify cooperation "
        "across a range of priority areas, including quotas, patrols and port fees."))
    unrelated = Article(id="unrelated", input="u.txt", outlet="Avel Times", text=(
        "Fishermen in Avel protested on Monday against the closure of the northern cod grounds."))
    text = own.text
    assert support.check(text, [own, other]).ok  # cited beside the report it is quoted from
    assert not support.check(text, [own, unrelated]).ok
    assert not support.check(text, [other]).ok  # but never quoted from a report that words it otherwise


SUMMIT = {
    "wire": ("Kessa Wire", "date 2026-05-08",
             "Orvia's premier Ilse Varn met Lentish President Tomas Reed in Kessa on Friday, and the two agreed to "
             "deepen cooperation on fisheries and ports.\n"
             "In a joint statement, Varn and Reed agreed on a fisheries partnership and a roadmap for cooperation "
             "in priority areas covering quotas, patrols, research and port fees.\n"
             "Lent is Orvia's third-largest trading partner and its largest buyer of cod, according to official "
             "data.\n"
             "Orvia has long been seeking access to Lentish waters for its northern fleet."),
    "herald": ("Lent Herald", "date 2026-05-08",
               "President Tomas Reed welcomed Premier Ilse Varn in Kessa on Friday for talks on fisheries.\n"
               "During their meeting, Premier Ilse Varn and President Tomas Reed agreed to intensify cooperation "
               "across a range of priority areas, including quotas, patrols and port fees.\n"
               "Lent is Orvia's third-largest trading partner and its largest buyer of cod.\n"
               "Orvia has long been seeking access to Lentish waters for its fleet."),
    "release": ("Orvia Government", "date 2026-05-08",
                "Premier Ilse Varn met President Tomas Reed of Lent in Kessa on Friday.\n"
                "Premier Varn invited President Reed to visit Orvia in the autumn.\n"
                "Ahead of the leaders' meeting, fisheries ministers Anna Lind and Per Holm held talks on quotas.\n"
                "Lent is Orvia's third-largest trading partner, according to official data."),
}


def _summit():
    from rashomon.run import reduce as pipeline

    arts = [Article(id=k, input=f"{k}.txt", outlet=outlet, date=date.split()[1], date_source="header", text=text)
            for k, (outlet, date, text) in SUMMIT.items()]
    notes = {n.article_id: n for n in annotate(arts)}
    analysis = pipeline.reduce(arts, notes, Config(), families={a.id: a.id for a in arts},
                               story_of={a.id: "s" for a in arts})
    return analysis, notes


def test_the_brief_leads_with_the_event_tells_each_statement_once_and_puts_background_last():
    analysis, notes = _summit()
    _check_brief(analysis, notes)
    texts = [s.text for s in analysis.brief]
    assert "met" in texts[0] and "Friday" in texts[0]  # the event leads
    # the standing fact, carried by every report, comes after every piece of news (if told at all)
    facts = [i for i, t in enumerate(texts) if "third-largest trading partner" in t or "long been" in t]
    news = [i for i, t in enumerate(texts) if "invited" in t or "held talks" in t or "agreed" in t]
    assert news and all(f > n for f in facts for n in news), texts
    # the agreement is told once, citing both reports that carry it
    agreed = [s for s in analysis.brief if "priority areas" in s.text]
    assert len(agreed) == 1 and set(agreed[0].article_ids) >= {"wire", "herald"}, texts
    # a happening one report alone tells is news all the same
    assert any("invited" in t for t in texts) and any("held talks" in t for t in texts), texts


def test_seed_brief_tells_the_news_first_each_once_and_cites_every_family_that_carries_it(seeds_dir):
    analysis, notes = run("seeds")
    _check_brief(analysis, notes)
    ids = {by_prefix(analysis, p).id: p for p in ("000", "001", "002", "003", "004")}
    brief = [(s.text, {ids[a] for a in s.article_ids}) for s in analysis.brief]
    texts = [t for t, _ in brief]
    # background never takes a lead slot: the standing facts come last, if at all
    for fact in ("fourth-largest foreign investor", "Under Canada’s Indo-Pacific strategy"):
        assert not any(fact in t for t in texts[:5]), texts
    # the news the reports carry: the invitation, the defence ministers' talks
    assert any("invited" in t and "visit Canada" in t for t in texts), texts
    assert any("Koizumi" in t and "McGuinty" in t for t in texts), texts
    # the partnership is told once and cites both independent reports that carry it
    partnership = [(t, cited) for t, cited in brief if "priority areas" in t]
    assert len(partnership) == 1 and {"002", "004"} <= partnership[0][1], brief
    # "agreed to strengthen cooperation" is not told three times over
    assert sum("agreed" in t and "cooperation" in t for t in texts) <= 1, texts
    # the disagreement names the outlets and credits each wording to its report
    fused = next(t for t in texts if "support for Washington" in t)
    assert fused.startswith("AFP reports that") and "another report says" not in fused
    assert "Source 3 reports that Ottawa" in fused


def test_an_agreement_told_in_the_past_is_news_and_an_earlier_one_reported_is_background():
    """Whether or not the event coder codes it, an agreement the story's reports tell as done is news; one
    "it was reported" to have been reached earlier (pluperfect) is background."""
    import dataclasses

    from rashomon.agree.claims import alignment

    art = Article(id="a", input="a.txt", outlet="Kessa Wire", date="2026-05-08", date_source="header", story="s",
                  family="a", text=("Premier Ilse Varn and President Tomas Reed agreed on a fisheries partnership "
                                    "covering quotas, patrols and port fees.\n"
                                    "Earlier, it was reported that Orvia and Lent had agreed to share the northern "
                                    "cod grounds with each other."))
    note = dataclasses.replace(annotate([art])[0], events=())  # nothing coded: the cue alone decides
    cands = brief._candidates(alignment([art], {"a": note}), [art], {"a": note}, {"a": "a"}, brief._settings(),
                              "2026-05-08")
    flags = {c.text.split()[0]: (c.news, c.background) for c in cands}
    assert flags == {"Premier": (True, False), "Earlier,": (False, True)}, flags


def test_the_briefs_yes_or_no_agrees_with_the_full_verdict_on_the_seeds(seeds_dir):
    # support.supported is the brief's fast path of check_passages(...).ok: it must never disagree with it,
    # on sentences of the reports themselves, on altered ones, and against one report or all five
    from rashomon.config import Config as Cfg
    from rashomon.read.clean import clean
    from rashomon.read.ingest import iter_inputs

    arts = [a for a in (clean(r) for r in iter_inputs([str(seeds_dir)], Cfg())) if isinstance(a, Article)]
    sources = {a.id: support.passages(a, None) for a in arts}
    names = {a.id: a.outlet or "" for a in arts}
    sentences = [s.strip() for a in arts for s in re.split(r"(?<=[.!?])\s+", a.text) if 40 < len(s) < 300][:60]
    altered = [s.replace("Japan", "Korea").replace("three", "seven") for s in sentences[::3]]
    agreed = 0
    for text in sentences + altered:
        for scope in (sources, {arts[0].id: sources[arts[0].id]}):
            full = support.check_passages(text, scope, (), names).ok
            assert support.supported(text, scope, (), names) == full, text
            agreed += full
    assert 0 < agreed < 2 * len(sentences + altered)  # both answers occur


def test_a_credited_sentence_starts_in_lower_case_unless_it_starts_with_a_name():
    from rashomon.agree.brief import _attributed

    lower = {"despite", "president", "voters"}  # words the story writes in lower case
    assert _attributed("Kell Post", "Despite the rain, talks went on.", lower) == \
        "Kell Post reports that despite the rain, talks went on."
    assert _attributed("Kell Post", "A deal was struck.", lower) == "Kell Post reports that a deal was struck."
    assert _attributed("Kell Post", "President Ilsa Marrow spoke.", lower).endswith("that President Ilsa Marrow spoke.")
    assert _attributed("Kell Post", "Marrow spoke.", lower).endswith("that Marrow spoke.")
    assert _attributed("Kell Post", "UN envoys met.", lower).endswith("that UN envoys met.")


def test_a_statement_credited_to_its_report_reads_as_one_sentence():
    # "Source 4 reports that Despite leading ...": a preposition that opens a report's sentence is lowered
    # after "reports that" even where no report of the story writes it mid-sentence; names keep their capital
    assert brief._attributed("Kell Post", "Despite leading the polls, Vane lost.") == \
        "Kell Post reports that despite leading the polls, Vane lost."
    assert brief._attributed("Kell Post", "Amid protests, the port reopened.") == \
        "Kell Post reports that amid protests, the port reopened."
    assert brief._attributed("Kell Post", "Vane lost the vote.") == "Kell Post reports that Vane lost the vote."
    # a wire dateline is not part of what the report says
    assert brief._attributed("Wirex", "KELLPORT, Ore. (Wirex) - The mayor opened the bridge.") == \
        "Wirex reports that the mayor opened the bridge."


def _disagreements_said(texts: dict[str, str], disputed: list[tuple[str, str, str]]) -> list[str]:
    """The brief's disagreement sentences over reports ``texts`` (one family and outlet each, "A Post", ...)
    for the number differences ``disputed`` ((what, left id, right id), each quoting the two whole texts)."""
    from rashomon.model import Difference, DifferenceItem, source_labels
    from rashomon.text.textsim import passages

    arts = [Article(id=k, input=f"{k}.txt", outlet=f"{k.upper()} Post", text=t, story="s", family=k)
            for k, t in texts.items()]
    diffs = [Difference("number", what, (x, y), (DifferenceItem(x, texts[x]), DifferenceItem(y, texts[y])))
             for what, x, y in disputed]
    raw = {a.id: passages(a, None) for a in arts}
    out = brief._disagreements(diffs, raw, {a.id: a.id for a in arts}, {a.id: i for i, a in enumerate(arts)},
                               source_labels(arts))
    return [s.text for s, _ in out]


def test_a_sentence_one_disagreement_quotes_is_not_quoted_by_another():
    # two figures of one sentence disputed by two other reports made two brief sentences opening alike
    # ("AP reports that Trump won at least 44 of the 50 delegates ...; AP reports that ...")
    said = _disagreements_said(
        {"a": "Vane won at least 44 of the 50 delegates in Kessa, and Marrow won 12 of them.",
         "b": "Vane won 40 of the 50 delegates in Kessa, officials in the port said.",
         "c": "Marrow won 10 of the delegates in Kessa, the party said on Monday."},
        [("delegates for Vane", "a", "b"), ("delegates for Marrow", "a", "c")])
    assert len(said) == 1 and said[0].startswith("A Post reports that Vane won at least 44"), said


def test_a_disagreement_never_quotes_a_sentence_whose_subject_is_a_pronoun():
    # "Source 3 reports that with Bush and Rubio still in the mix, he won't have the money ...; Source 4
    # reports that he could fare well ..." named no one: 9 of 55 PolNeAR disagreement sentences were so
    said = _disagreements_said(
        {"a": "With Marrow still in the race, he won 44 of the 50 delegates in Kessa on Monday.",
         "b": "Vane won 40 of the 50 delegates in Kessa, officials in the port said.",
         "c": "Vane won 38 of the 50 delegates in Kessa, the party said on Monday."},
        [("delegates for Vane", "a", "b"), ("delegates for Vane", "b", "c")])
    assert said == ["B Post reports that Vane won 40 of the 50 delegates in Kessa, officials in the port said; "
                    "C Post reports that Vane won 38 of the 50 delegates in Kessa, the party said on Monday."], said


def test_a_passage_going_on_from_a_sentence_before_it_is_never_in_the_brief():
    # 101 of 3,259 PolNeAR brief sentences opened with "But", 65 with "And", 20 with "That was ..."
    texts = ["But when the votes were counted, Orvia and Lent had signed a fishing pact in Kessa on Monday.",
             "Orvia and Lent signed a fishing pact in Kessa on Monday after two days of talks, officials said.",
             "That was welcome news for the fleets of Orvia and Lent, which had quarrelled for ten years."]
    from rashomon.run import reduce as pipeline

    arts = [Article(id=f"r{i}", input=f"r{i}.txt", outlet=f"Paper {i}", text=" ".join(texts)) for i in range(2)]
    notes = {n.article_id: n for n in annotate(arts)}
    analysis = pipeline.reduce(arts, notes, Config(), families={a.id: a.id for a in arts},
                               story_of={a.id: "s" for a in arts})
    said = [s.text for s in analysis.brief]
    assert said and not any(t.startswith(("But", "That was")) for t in said), said
