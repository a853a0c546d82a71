"""Differences: figures that disagree, contradictory stances, facts only one family reports."""

from __future__ import annotations

from rashomon.agree import claims, compare
from rashomon.model import Article, Difference
from rashomon.run.annotate import annotate

from ..pipeline_runs import by_prefix, run


def _differences(texts: dict[str, str], families: dict[str, str] | None = None) -> tuple[Difference, ...]:
    arts = [Article(id=k, input=f"{k}.txt", text=t, story="s", outlet=f"Outlet {k}", date="2026-04-02")
            for k, t in texts.items()]
    families = families or {k: k for k in texts}
    notes = {n.article_id: n for n in annotate(arts)}
    cls = claims.build(arts, notes, families)
    return compare.differences(arts, notes, cls, families)


def _kind(diffs: tuple[Difference, ...], kind: str) -> list[Difference]:
    return [d for d in diffs if d.kind == kind]


# ------------------------------------------------------------------------------------- figures


def test_different_amounts_for_the_same_fund_are_a_number_difference():
    diffs = _differences({
        "a": "The two states will set up a joint fund of 2.5 billion crowns to rebuild the Tesk bridge.",
        "b": "A joint fund of 2.8 billion crowns will rebuild the Tesk bridge, officials said.",
    })
    (d,) = _kind(diffs, "number")
    assert set(d.article_ids) == {"a", "b"}
    assert "2.5 billion crowns" in d.summary and "2.8 billion crowns" in d.summary
    assert {it.article_id for it in d.items} == {"a", "b"}


def test_different_counts_of_the_same_people_are_a_number_difference():
    diffs = _differences({
        "a": "The dam irrigates the fields of some 40,000 farmers in the Tesk valley.",
        "b": "About 65,000 farmers in the Tesk valley depend on the dam, which irrigates their fields.",
    })
    (d,) = _kind(diffs, "number")
    assert "40,000" in d.summary and "65,000" in d.summary


def test_a_share_and_a_change_in_percentage_points_are_no_number_difference():
    # PolNeAR: "Source 3 says "4.1 percentage points", Source 4 says "42%"" was called one percentage
    diffs = _differences({
        "a": "Marrow leads Brenner by 4.1 percentage points in the new Kessa Post poll of harbour voters.",
        "b": "Marrow leads Brenner with 42 percent in the new Kessa Post poll of harbour voters.",
    })
    assert not _kind(diffs, "number"), diffs
    # two changes in points still disagree
    diffs = _differences({
        "a": "Marrow leads Brenner by 4.1 percentage points in the new Kessa Post poll of harbour voters.",
        "b": "Marrow leads Brenner by 6 percentage points in the new Kessa Post poll of harbour voters.",
    })
    assert len(_kind(diffs, "number")) == 1, diffs


def test_the_same_figure_written_differently_is_no_difference():
    diffs = _differences({
        "a": "About 70% of the country's grain is shipped through the port of Kessa.",
        "b": "Some 70 percent of the grain the country sells goes through Kessa's port.",
    })
    assert _kind(diffs, "number") == []


def test_shares_of_different_owners_are_no_difference():
    diffs = _differences({
        "a": "The treaty gives Orvia 60 percent of the river's summer flow.",
        "b": "Under the treaty Lent gets 40 percent of the river's summer flow.",
    })
    assert _kind(diffs, "number") == []


def test_figures_about_different_people_are_no_difference():
    diffs = _differences({
        "a": "Kessa United signed striker Peter Novak to a five-year contract worth $40 million.",
        "b": "Kessa United signed goalkeeper David Ortega to a five-year contract worth $55 million.",
    })
    assert _kind(diffs, "number") == []


def test_copies_are_never_compared_with_each_other():
    diffs = _differences({
        "a": "A joint fund of 2.5 billion crowns will rebuild the Tesk bridge.",
        "b": "A joint fund of 2.8 billion crowns will rebuild the Tesk bridge.",
    }, {"a": "f", "b": "f"})
    assert _kind(diffs, "number") == []


# ------------------------------------------------------------------------------------- stances


def test_backing_and_refusing_to_back_the_same_claim_contradict():
    diffs = _differences({
        "a": "Orvia has backed Lent's claim to the Skerry reefs, the minister said on Monday.",
        "b": "Orvia has refused to back Lent's claim to the Skerry reefs, a dispute kept off the agenda.",
    })
    (d,) = _kind(diffs, "contradiction")
    assert set(d.article_ids) == {"a", "b"}
    assert "Orvia" in d.summary


def test_a_verdict_of_illegality_contradicts_support_for_the_attacker():
    diffs = _differences({
        "a": "Norwegian Prime Minister Ola Brekke said the Danish strikes on Sweden appeared illegal.",
        "b": "Oslo has expressed its support for Copenhagen, while Helsinki stayed silent.",
    })
    (d,) = _kind(diffs, "contradiction")
    assert set(d.article_ids) == {"a", "b"}


def test_different_words_for_the_same_stance_do_not_contradict():
    diffs = _differences({
        "a": "Orvia has backed Lent's claim to the Skerry reefs.",
        "b": "Orvia endorsed Lent's claim to the Skerry reefs on Monday.",
    })
    assert _kind(diffs, "contradiction") == []


def test_opposite_stances_of_different_holders_do_not_contradict():
    diffs = _differences({
        "a": "Orvia has backed Lent's claim to the Skerry reefs.",
        "b": "Tarnland has refused to back Lent's claim to the Skerry reefs.",
    })
    assert _kind(diffs, "contradiction") == []


# ------------------------------------------------------------------------------------- only-in


def test_a_claim_one_family_alone_reports_is_only_in():
    diffs = _differences({
        "a": "Orvia and Lent signed a fishing pact in Kessa on Monday. The pact sets a quota of 12,000 tonnes of cod.",
        "b": "Lent and Orvia signed the fishing pact in Kessa, ending years of quarrels.",
    })
    only = _kind(diffs, "only-in")
    assert any("12,000 tonnes" in d.summary and d.article_ids == ("a",) for d in only), only
    assert all(len(d.summary.split(". ")) <= 2 for d in only)


def test_a_single_family_story_has_no_only_in_items():
    diffs = _differences({"a": "The pact sets a quota of 12,000 tonnes of cod for Lent's fleet."})
    assert _kind(diffs, "only-in") == []


# --------------------------------------------------------------------------------------- seeds


def test_seed_disagreement_over_canada_and_the_strikes_on_iran(seeds_dir):
    analysis, _ = run("seeds")
    afp, rewrite, kyodo = (by_prefix(analysis, p).id for p in ("001", "000", "002"))
    contradictions = [d for d in analysis.differences if d.kind == "contradiction"]
    assert any({afp, kyodo} <= set(d.article_ids) for d in contradictions), contradictions
    d = next(d for d in contradictions if {afp, kyodo} <= set(d.article_ids))
    texts = {it.article_id: it.text for it in d.items}
    assert "international law" in texts[afp] and "support for Washington" in texts[kyodo]
    assert rewrite in d.article_ids  # the rewrite says the same as the wire


def test_seed_quote_worded_differently_in_the_wire_and_its_rewrite(seeds_dir):
    analysis, _ = run("seeds")
    afp, rewrite = by_prefix(analysis, "001").id, by_prefix(analysis, "000").id
    wording = [d for d in analysis.differences if d.kind == "quote-wording"]
    assert any({afp, rewrite} <= set(d.article_ids) for d in wording), wording


def test_seed_differences_each_have_a_one_sentence_summary(seeds_dir):
    analysis, _ = run("seeds")
    assert analysis.differences
    for d in analysis.differences:
        assert d.summary and d.article_ids and d.items


# ----------------------------------------------------------------------------- who says what (issue 17)


def test_a_summary_names_reports_readably_and_credits_each_wording_to_its_report():
    arts = [Article(id="a1f0c9", input="/in/a1f0c9.txt", story="s", date="2026-04-02",
                    text="Norwegian Prime Minister Ola Brekke said the Danish strikes on Sweden appeared "
                         "“incompatible with international law”."),
            Article(id="b2e1d8", input="/in/b2e1d8.txt", outlet="Kell Wire", story="s", date="2026-04-02",
                    text="Norwegian Prime Minister Ola Brekke said the Danish strikes on Sweden appeared "
                         "“inconsistent with international law”."),
            Article(id="c3d2e7", input="/in/c3d2e7.txt", story="s", date="2026-04-02",
                    text="Oslo has expressed its support for Copenhagen, while Helsinki stayed silent.")]
    families = {"a1f0c9": "b2e1d8", "b2e1d8": "b2e1d8", "c3d2e7": "c3d2e7"}  # a1 translates Kell Wire's report
    notes = {n.article_id: n for n in annotate(arts)}
    diffs = compare.differences(arts, notes, claims.build(arts, notes, families), families)
    (d,) = _kind(diffs, "contradiction")
    assert "/in/" not in d.summary and ".txt" not in d.summary and "c3d2e7" not in d.summary
    assert "Kell Wire" in d.summary and "Source 3" in d.summary
    assert "inconsistent" in d.summary and "incompatible" not in d.summary  # the wire's own words


def test_backing_a_rival_of_someone_is_no_stance_on_that_someone():
    # PolNeAR: "Beck opposing Trump" against "Beck backing Trump rival Sen. Ted Cruz" was a contradiction
    diffs = _differences({
        "a": "Radio host Glenn Vane virulently opposed Marrow during the Kessa primaries, a report said.",
        "b": "Radio host Glenn Vane will endorse Marrow rival Sen. Ilsa Brenner at a rally in Kessa on Saturday, "
             "a report said.",
    })
    assert not _kind(diffs, "contradiction"), diffs
