"""Claims: figures normalised, aligned across differently worded reports, counted by independent family."""

from __future__ import annotations

import pytest

from rashomon.agree import claims
from rashomon.model import Article, Claim
from rashomon.run.annotate import annotate
from rashomon.text import quantities

from ..pipeline_runs import by_prefix, run


def _articles(texts: dict[str, str], outlets: dict[str, str] | None = None) -> list[Article]:
    outlets = outlets or {}
    return [Article(id=k, input=f"{k}.txt", text=t, story="s", outlet=outlets.get(k, f"Outlet {k}"),
                    date="2026-04-02") for k, t in texts.items()]


def _claims(texts: dict[str, str], families: dict[str, str]) -> tuple[Claim, ...]:
    arts = _articles(texts)
    notes = {n.article_id: n for n in annotate(arts)}
    return claims.build(arts, notes, families)


def _with_value(cls: tuple[Claim, ...], needle: str) -> Claim:
    found = [c for c in cls if any(needle in v for v in c.values)]
    assert len(found) == 1, [(c.text, c.values) for c in cls]
    return found[0]


# ------------------------------------------------------------------------------------- figures


@pytest.mark.parametrize(("text", "kind", "value", "unit"), [
    ("Exports to Tarnland rose by 70% last year.", "percent", 70.0, None),
    ("Exports to Tarnland rose by 70 percent last year.", "percent", 70.0, None),
    ("Exports to Tarnland rose by seventy per cent last year.", "percent", 70.0, None),
    ("Orvia is the world's fourth-largest economy.", "rank", 4.0, "economy"),
    ("Orvia, the fourth biggest economy, voted.", "rank", 4.0, "economy"),
    ("They created a fund of 1.2 billion marks.", "money", 1.2e9, "mark"),
    ("They created a fund of C$3 million.", "money", 3e6, "CAD"),
    ("The base hosts some 12,000 soldiers.", "count", 12000.0, "soldier"),
])
def test_figures_are_normalised(nlp, text, kind, value, unit):
    values = quantities.find_values(nlp(text), Article(id="a", input="-", text=text))
    assert [(v.kind, v.value, v.unit) for v in values] == [(kind, value, unit)]


def test_dates_are_not_figures(nlp):
    text = "The talks in Port Lem on March 19, 2026 lasted two days."
    values = quantities.find_values(nlp(text), Article(id="a", input="-", text=text))
    assert [v.kind for v in values if v.kind in {"year", "number"} and v.value in {19.0, 2026.0}] == []


def test_a_figure_inside_a_word_is_not_a_figure():
    assert quantities.figures("Tents were carried to the camp.") == []
    assert quantities.figures("No one came.") == []


# ----------------------------------------------------------------------------------- alignment


def test_a_claim_is_aligned_across_paraphrases():
    cls = _claims({
        "a": "The central bank of Orvia said on Tuesday that inflation reached 7.5 percent in March, the highest "
             "rate in a decade.",
        "b": "Inflation in Orvia hit 7.5% in March, its highest level in ten years, according to the central bank.",
        "c": "Farmers in the north of Orvia protested against the price of diesel on Tuesday.",
    }, {"a": "a", "b": "b", "c": "c"})
    claim = _with_value(cls, "7.5")
    assert claim.article_ids == ("a", "b")
    assert (claim.families, claim.status) == (2, "corroborated")


def test_copies_count_once():
    wire = "The port of Kessa handled 4.2 million containers last year, a record for the region."
    cls = _claims({
        "wire": wire,
        "copy": wire + " Dockers are to strike next week.",
        "other": "Dockers at Kessa are to strike next week over pay, their union announced on Monday.",
    }, {"wire": "f1", "copy": "f1", "other": "other"})
    claim = _with_value(cls, "4.2 million")
    assert claim.article_ids == ("wire", "copy")
    assert (claim.families, claim.status) == (1, "single-source")


def test_the_same_figure_from_an_independent_report_corroborates():
    wire = "The port of Kessa handled 4.2 million containers last year, a record for the region."
    cls = _claims({
        "wire": wire,
        "copy": wire,
        "other": "Kessa, which handled a record 4.2 million containers last year, expects fewer this year.",
    }, {"wire": "f1", "copy": "f1", "other": "other"})
    claim = _with_value(cls, "4.2 million")
    assert set(claim.article_ids) == {"wire", "copy", "other"}
    assert (claim.families, claim.status) == (2, "corroborated")


def test_the_same_rank_of_different_things_is_not_one_claim():
    cls = _claims({
        "a": "Orvia is the world's fourth-largest economy and depends on imported gas.",
        "b": "Orvia is Tarnland's fourth-largest foreign investor, official data show.",
    }, {"a": "a", "b": "b"})
    ranked = [c for c in cls if any("fourth" in v for v in c.values)]
    assert len(ranked) == 2
    assert all(c.families == 1 for c in ranked)


def test_an_agreement_is_a_claim_without_a_figure():
    cls = _claims({
        "a": "Orvia and Lent signed a fishing pact in Kessa on Monday after two days of talks.",
        "b": "After two days of talks, Lent and Orvia signed the fishing pact in Kessa.",
    }, {"a": "a", "b": "b"})
    assert [(c.article_ids, c.status, c.values) for c in cls] == [(("a", "b"), "corroborated", ())]


def test_a_figure_another_family_gives_differently_is_disputed():
    cls = _claims({
        "a": "The two states will set up a joint fund of 2.5 billion crowns to rebuild the Tesk bridge.",
        "b": "A joint fund of 2.8 billion crowns will rebuild the Tesk bridge, officials said.",
    }, {"a": "a", "b": "b"})
    disputed = [c for c in cls if c.status == "disputed"]
    assert disputed, [(c.text, c.status) for c in cls]
    assert any("2.8 billion crowns" in (c.note or "") and "Outlet b" in (c.note or "") for c in disputed)


def test_claims_are_deterministic():
    texts = {
        "a": "The central bank of Orvia said inflation reached 7.5 percent in March.",
        "b": "Inflation in Orvia hit 7.5% in March, the central bank said.",
    }
    assert _claims(texts, {"a": "a", "b": "b"}) == _claims(texts, {"a": "a", "b": "b"})


# --------------------------------------------------------------------------------------- seeds


def test_seed_figures_only_the_wire_and_its_rewrite_carry_count_once(seeds_dir):
    analysis, _ = run("seeds")
    wire, rewrite = by_prefix(analysis, "001"), by_prefix(analysis, "000")
    if wire.family != rewrite.family:
        pytest.fail("families.py does not put the AFP report (001) and its rewrite (000) in one family")
    for needle in ("60,000", "fourth-largest", "70"):
        claim = next(c for c in analysis.claims if any(needle in v for v in c.values)
                     and wire.id in c.article_ids)
        assert set(claim.article_ids) == {wire.id, rewrite.id}, claim
        assert (claim.families, claim.status) == (1, "single-source")


def test_seed_claims_reported_by_several_agencies_are_corroborated(seeds_dir):
    analysis, _ = run("seeds")
    corroborated = [c for c in analysis.claims if c.status == "corroborated"]
    assert corroborated
    for c in corroborated:
        fams = {a.family for a in analysis.articles if a.id in c.article_ids}
        assert c.families == len(fams) >= 2


def test_alignments_are_reused_and_bounded_by_articles(monkeypatch):
    monkeypatch.setattr(claims, "KEEP_ALIGNED_ARTICLES", 4)
    claims._ALIGNMENTS.clear()
    stories = [[Article(id=f"{s}{k}", input="-", text=f"Story {s}: the Brenn council met for the {k} time.",
                        story=s) for k in range(n)] for s, n in (("x", 2), ("y", 2), ("z", 3))]
    first = claims.alignment(stories[0], {})
    assert claims.alignment(stories[0], {}) is first  # the brief reuses the claims' alignment
    claims.alignment(stories[1], {})
    assert len(claims._ALIGNMENTS) == 2  # 4 articles: both kept
    claims.alignment(stories[2], {})  # 7 articles: the oldest stories go until 4 or fewer are left
    assert [len(k) for k in claims._ALIGNMENTS] == [3]
    assert claims.alignment(stories[0], {}) is not first
    claims._ALIGNMENTS.clear()


def test_figures_beyond_float_range_are_no_figures():
    """A 400-digit number, or 300 digits times "billion", overflowed to inf, which JSON cannot hold (found
    by tests/test_fuzz.py)."""
    assert quantities.parse_number("9" * 400) is None and quantities.parse_number("inf") is None
    huge = "9" * 300
    found = quantities.figures(f"It cost ${huge} billion, or {huge} billion crowns, and {huge} billion people.")
    assert found == []
    assert [f.value for f in quantities.figures("It cost $1.2 billion.")] == [1.2e9]
