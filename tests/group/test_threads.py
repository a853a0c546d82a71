"""Threads (corpus stage): stories of one long-running topic linked by the rare names they share."""

from __future__ import annotations

from pathlib import Path

from rashomon.config import Config
from rashomon.group import threads
from rashomon.group.threads import StoryFacts, link
from rashomon.model import Entity, Story

from ..conftest import EXAMPLES, ROOT

THREAD = ROOT / "tests" / "data" / "thread"


def facts(sid: str, date: str | None, *names: str, title: str = "") -> StoryFacts:
    return StoryFacts(sid, title or sid, date, {n: 1.0 for n in names})


def background(n: int) -> list[StoryFacts]:
    """Unrelated stories, each with names of its own (and a common one), so rarity means something."""
    return [facts(f"x{i}", f"2026-0{1 + i % 9}-1{i % 10}", f"PERSON\tOther {i}", f"ORG\tBody {i}", "GPE\tUnited States")
            for i in range(n)]


def test_stories_sharing_rare_names_form_one_thread_in_date_order():
    inquiry = [facts("s3", "2026-06-20", "PERSON\tAna Velt", "ORG\tKell Port Authority", "GPE\tKell"),
               facts("s1", "2026-01-10", "PERSON\tAna Velt", "ORG\tKell Port Authority", "PERSON\tIdo Marr"),
               facts("s2", "2026-03", "PERSON\tAna Velt", "PERSON\tIdo Marr", "GPE\tKell")]
    found = link(background(12) + inquiry)
    assert [(t.id, t.story_ids, t.date_range) for t in found] == [("t-s1", ("s1", "s2", "s3"), ("2026-01-10", "2026-06-20"))]
    assert found[0].title.startswith("Ana Velt")  # the name every story shares comes first


def test_one_shared_name_or_only_common_names_link_nothing():
    lone = [facts("a", "2026-01-01", "PERSON\tAna Velt", "ORG\tHarbour Board"),
            facts("b", "2026-02-01", "PERSON\tAna Velt", "ORG\tRail Board")]
    assert link(background(12) + lone, min_names=2) == []
    crowd = background(12)  # every one names the United States: a shared place is no thread
    assert link(crowd) == []


def test_threads_are_deterministic_whatever_the_order():
    stories = background(8) + [facts("p", "2026-05-01", "PERSON\tOla Brun", "ORG\tDelta Mines", title="Mine strike"),
                               facts("q", None, "PERSON\tOla Brun", "ORG\tDelta Mines", title="Mine strike ends"),
                               facts("r", "2026-04-01", "PERSON\tOla Brun", "ORG\tDelta Mines")]
    first = link(stories)
    assert link(list(reversed(stories))) == first
    assert first[0].story_ids == ("r", "p", "q")  # undated last
    assert first[0].date_range == ("2026-04-01", "2026-05-01")


def test_facts_weigh_each_name_by_the_share_of_the_story_that_names_it():
    stories = [Story("s1", "Kell", ("a", "b", "c", "d"), (("a",), ("b",), ("c",), ("d",)), 4),
               Story("s2", "Avel", ("e",), (("e",),), 1)]
    ents = [Entity("e1", "Ana Velt", "PERSON", article_ids=("a", "b", "e")),
            Entity("e2", "2026", "DATE", article_ids=("a",))]  # not a name
    got = {f.id: dict(f.names) for f in threads.facts(stories, ents)}
    assert got == {"s1": {"PERSON\tAna Velt": 0.5}, "s2": {"PERSON\tAna Velt": 1.0}}


def test_the_settings_default_to_the_tuned_values():
    assert Config().thread_threshold == threads.THRESHOLD and Config().thread_min_names == threads.MIN_NAMES


def test_an_investigation_over_months_is_one_thread_of_its_stories(tmp_path):
    """Three reports of an invented bribery case (an audit, an arrest nine months later, the trial the year
    after) are three events, hence three stories, and one thread; the example corpus' two stories (a river
    accord, an earthquake) stay out of it."""
    from rashomon.run.runner import analyze
    from rashomon.store import Store

    with Store(tmp_path / "db.sqlite") as store:
        analysis = analyze([str(EXAMPLES), str(THREAD)], Config(), store)
    story_of = {Path(a.input).name: a.story for a in analysis.articles}
    case = [story_of[name] for name in ("2026-01-audit.txt", "2026-10-arrest.txt", "2027-06-trial.txt")]
    assert len(set(case)) == 3
    assert len(analysis.threads) == 1, analysis.threads
    thread = analysis.threads[0]
    assert thread.story_ids == tuple(case) and thread.id == "t-" + case[0]
    assert thread.date_range == ("2026-01-12", "2027-06-21")
    assert "Tomas Reld" in thread.title or "Orlen Dredging" in thread.title
    assert analysis.to_contract()["threads"] == [{"id": thread.id, "title": thread.title, "story_ids": case,
                                                  "date_range": ["2026-01-12", "2027-06-21"]}]


def test_candidate_pairs_are_every_pair_sharing_a_seeding_name_counted_with_the_common_ones() -> None:
    """The pairs, made row by row (never all held at once), are exactly the pairs of stories that share a
    name carried by few enough stories, each counting every name the two share, common ones included."""
    import itertools
    import random

    rng = random.Random(3)
    pool = [f"PERSON\tName {i}" for i in range(60)]
    stories = [facts(f"s{i}", None, *rng.sample(pool, rng.randint(0, 5)), *(["GPE\tKell"] if i % 3 else []))
               for i in range(90)]  # "Kell" is in 60 of 90 stories: common, seeds nothing, still counts
    per_name: dict[str, int] = {}
    for s in stories:
        for k in s.names:
            per_name[k] = per_name.get(k, 0) + 1
    limit = max(threads.POSTING_MIN, min(int(threads.COMMON * len(stories)), threads.POSTING_MAX))
    expected = []
    for a, b in itertools.combinations(stories, 2):
        shared = a.names.keys() & b.names.keys()
        if any(2 <= per_name[k] <= limit for k in shared):
            expected.append((a.id, b.id, len(shared)))
    found = [(x, y, n) for x, y, _, n in threads.scored_pairs(stories)]
    assert per_name["GPE\tKell"] > limit
    assert found == expected and len(found) > 50
