"""Stories: incremental placement, same-kind events kept apart, time-aware, seeds, saved state, describe."""

from __future__ import annotations

import collections
import json
import random

import numpy as np
import pytest

from rashomon.config import Config
from rashomon.group.families import FamilyIndex
from rashomon.group.features import embed
from rashomon.group.metrics import bcubed
from rashomon.group.stories import NEIGHBOUR_SHARE, SHARED_WEIGHT, StoryIndex
from rashomon.group.story_titles import describe
from rashomon.model import Article, Notes

from .test_families import seed_article

# Two earthquakes: the same kind of event, different place, people, figures and day.
QUAKE_A = [
    "A magnitude 6.1 earthquake struck the mountain town of Orvath in northern Veldra on Sunday, killing "
    "at least 42 people. Rescue chief Lena Moor said teams were searching collapsed houses in Orvath.",
    "Rescuers dug through rubble in Orvath after the 6.1 quake. Lena Moor, who leads the rescue service, "
    "said the death toll had risen to 42 and that the old quarter of Orvath was worst hit.",
    "Veldra declared three days of mourning for the 42 victims of the Orvath earthquake. Lena Moor warned "
    "that aftershocks could bring down more buildings in Orvath.",
]
QUAKE_B = [
    "A 5.2 magnitude earthquake shook the coastal city of Talmere in Kessin province on Wednesday, injuring "
    "seven people. Mayor Iwo Brant said several old warehouses in the Talmere docks had cracked.",
    "Mayor Iwo Brant said seven people were hurt when the 5.2 quake hit Talmere. Engineers were checking "
    "the docks and the Talmere bridge for damage.",
    "The Talmere earthquake left seven injured and closed the docks for inspection, Mayor Iwo Brant said, "
    "adding that schools in Talmere would reopen after engineers finish their checks.",
]
# Unrelated news, so that the corpus has some background.
OTHER = [
    "The Kessin Owls beat the Port Avel Gulls 3-1 on Saturday to reach the cup final for the first time.",
    "Wheat prices rose for a third week as dry weather hurt crops across the southern plains.",
    "The national library reopened its reading room after a two-year renovation of the old building.",
]


def notes_for(articles: list[Article]) -> dict[str, Notes]:
    vectors = embed([a.text for a in articles])
    return {a.id: Notes(article_id=a.id, vector=v) for a, v in zip(articles, vectors, strict=True)}


def place(articles: list[Article], config: Config | None = None) -> tuple[dict[str, str], dict[str, str]]:
    config = config or Config()
    notes = notes_for(articles)
    fam, sto = FamilyIndex(config), StoryIndex(config)
    for a in articles:
        sto.add(a, notes[a.id], fam.add(a))
    return fam.assignments(), sto.assignments()


def partition(assign: dict[str, str]) -> set[frozenset[str]]:
    groups = collections.defaultdict(set)
    for k, v in assign.items():
        groups[v].add(k)
    return {frozenset(g) for g in groups.values()}


def corpus() -> list[Article]:
    arts = [Article(id=f"qa{i}", input="-", text=t, date="2026-04-05") for i, t in enumerate(QUAKE_A)]
    arts += [Article(id=f"qb{i}", input="-", text=t, date="2026-04-08") for i, t in enumerate(QUAKE_B)]
    arts += [Article(id=f"o{i}", input="-", text=t) for i, t in enumerate(OTHER)]
    return arts


def test_two_earthquakes_are_two_stories_in_any_order() -> None:
    arts = corpus()
    expected = {frozenset({"qa0", "qa1", "qa2"}), frozenset({"qb0", "qb1", "qb2"})}
    rng = random.Random(5)
    for _ in range(6):
        rng.shuffle(arts)
        _, stories = place(arts)
        groups = partition(stories)
        assert expected <= groups, groups


def test_a_new_article_joins_without_moving_the_others() -> None:
    arts = corpus()
    notes = notes_for(arts)
    index = StoryIndex(Config())
    first = [index.add(a, notes[a.id]) for a in arts[:1] + arts[3:4]]
    assert first == ["s-qa0", "s-qb0"]
    assert index.add(arts[1], notes["qa1"]) == "s-qa0"
    assert index.assignments() == {"qa0": "s-qa0", "qb0": "s-qb0", "qa1": "s-qa0"}


def test_same_words_months_apart_are_two_stories() -> None:
    text = ("The Orvath lantern festival drew 20,000 visitors to the river banks, organiser Tova Lind said. "
            "Lind said the Orvath lanterns would float down the river at midnight.")
    arts = [Article(id="y1", input="-", text=text, date="2025-09-14"),
            Article(id="y2", input="-", date="2026-09-13",
                    text="Some 22,000 people came to the Orvath lantern festival on the river banks, Tova Lind, "
                         "its organiser, said. At midnight the lanterns of Orvath floated down the river.")]
    _, undated = place([Article(id=a.id, input="-", text=a.text) for a in arts])
    assert undated["y1"] == undated["y2"]
    _, dated = place(arts)
    assert dated["y1"] != dated["y2"]


def test_seeds_are_one_story_with_four_independent_sources(seeds_dir) -> None:
    arts = [seed_article(p) for p in ("000", "001", "002", "003", "004")]
    families, stories = place(arts)
    assert len(set(stories.values())) == 1
    assert len({families[a.id] for a in arts}) == 4


def test_dump_and_load_keep_state() -> None:
    arts = corpus()
    notes = notes_for(arts)
    config = Config()
    index = StoryIndex(config)
    for a in arts[:4]:
        index.add(a, notes[a.id])
    restored = StoryIndex.load(index.dump(), config)
    assert restored.assignments() == index.assignments()
    for a in arts[4:]:
        assert restored.add(a, notes[a.id]) == index.add(a, notes[a.id])
    assert restored.assignments() == index.assignments()


def test_remove_keeps_the_rest() -> None:
    arts = corpus()
    notes = notes_for(arts)
    index = StoryIndex(Config())
    for a in arts:
        index.add(a, notes[a.id])
    before = index.assignments()
    index.remove("qa1")
    after = index.assignments()
    assert "qa1" not in after
    assert after == {k: v for k, v in before.items() if k != "qa1"}


def test_copies_are_always_one_story() -> None:
    a = Article(id="c1", input="-", text=QUAKE_A[0])
    b = Article(id="c2", input="-", text=QUAKE_A[0], date="2026-04-05")
    _, stories = place([a, b])
    assert stories["c1"] == stories["c2"]


def test_shared_neighbours_lift_only_pairs_that_are_neighbours() -> None:
    # Two reports that each have one report near them (here the third) share that neighbour; the shared
    # term lifts their similarity only when they are at least NEIGHBOUR_SHARE of the threshold similar
    # themselves: a one-off report at the edge of a bigger story is not pulled in by one common neighbour.
    index = StoryIndex(Config())
    arts = corpus()[:3]
    notes = notes_for(arts)
    for a in arts:
        index.add(a, notes[a.id])
    index._near[:3] = -1
    index._near[0, 0] = index._near[1, 0] = 2  # both have the third as their nearest
    bar = NEIGHBOUR_SHARE * index.config.story_threshold
    low, high = bar * 0.9, bar * 1.1
    sims = np.array([[1.0, low, 0.0], [low, 1.0, 0.0], [0.0, 0.0, 1.0]])
    assert index._with_shared([0, 1, 2], sims)[0, 1] == pytest.approx(low / (1 + SHARED_WEIGHT))
    sims[0, 1] = sims[1, 0] = high
    assert index._with_shared([0, 1, 2], sims)[0, 1] > high / (1 + SHARED_WEIGHT)


def test_describe_picks_a_supported_title_and_the_common_date() -> None:
    arts = [Article(id="1", input="-", text=QUAKE_A[0], title="Deadly quake hits Orvath", date="2026-04-05"),
            Article(id="2", input="-", text=QUAKE_A[1], title="Orvath quake toll rises to 42", date="2026-04-05"),
            Article(id="3", input="-", text=QUAKE_A[2], title="Mourning declared", date="2026-04-06")]
    title, date = describe(arts, {})
    assert title in {"Deadly quake hits Orvath", "Orvath quake toll rises to 42"}
    assert date == "2026-04-05"
    untitled = [Article(id="4", input="-", text=QUAKE_B[0])]
    title, date = describe(untitled, {})
    assert title.startswith("A 5.2 magnitude earthquake") and date is None


def test_embed_is_offline_unit_length_and_deterministic() -> None:
    v1 = np.array(embed(["Rescuers searched the rubble in Orvath.", ""]))
    v2 = np.array(embed(["Rescuers searched the rubble in Orvath."]))
    assert v1.shape == (2, 256)
    assert abs(float(np.linalg.norm(v1[0])) - 1.0) < 1e-4
    assert not v1[1].any()
    assert np.allclose(v1[0], v2[0])


def test_bad_threshold_names_the_fix() -> None:
    with pytest.raises(Exception, match="story_threshold"):
        StoryIndex(Config().with_overrides(story_threshold=1.5))


@pytest.mark.slow
def test_ecbplus_bcubed_f1(data_dir) -> None:
    """ECB+ (each topic holds two events of the same kind): BCubed F1 >= 0.90 in input order and shuffled."""
    rows = [json.loads(line) for line in (data_dir / "ecbplus" / "input.jsonl").read_text().splitlines()]
    gold = json.loads((data_dir / "ecbplus" / "gold.json").read_text())
    arts = [Article(id=r["id"], input="ecbplus", text=r["text"]) for r in rows]
    for seed in (None, 1):
        if seed is not None:
            random.Random(seed).shuffle(arts)
        _, stories = place(arts)
        assert bcubed(stories, gold)[2] >= 0.90


def test_story_date_is_what_the_reports_give_not_an_echo_or_a_copy_run() -> None:
    # one report dated itself from a stray date (its date spread to three undated copies by inference);
    # two independent reports carry the day of the news: the story takes that day
    own = [Article(id="1", input="-", text=QUAKE_A[0], date="2026-04-05", date_source="text", family="f1"),
           Article(id="2", input="-", text=QUAKE_A[1], date="2026-04-05", date_source="header", family="f2"),
           Article(id="3", input="-", text=QUAKE_A[2], date="1961-08-30", date_source="text", family="f3")]
    echoes = [Article(id=f"e{i}", input="-", text=QUAKE_A[2], date="1961-08-30", date_source="inferred",
                      family="f3") for i in range(3)]
    assert describe(own + echoes, {})[1] == "2026-04-05"
    # copies of one report vote once
    copies = [Article(id=f"c{i}", input="-", text=QUAKE_A[2], date="2026-04-06", date_source="header",
                      family="f9") for i in range(3)]
    assert describe(own[:2] + copies, {})[1] == "2026-04-05"


def test_pages_holding_only_their_sites_stub_are_not_one_story() -> None:
    stub = "Chat with us in Kell Messenger.\nFind out what's happening in the world as it unfolds."
    pages = [Article(id="p", input="-", title="Harbour wall collapses in Kell after storm", text=stub),
             Article(id="q", input="-", title="Mayor Ilse Varn resigns over budget row", text=stub)]
    _, stories = place(pages)
    assert stories["p"] != stories["q"]


# The same kind of event told twice in the same words, with other people and places: two arrests.
ARREST = ("In {city}, police arrested {person}, a former treasurer of the {club}, on Tuesday on suspicion of "
          "taking 40,000 from the club's accounts. {person} was held overnight and will appear before a "
          "judge in {city} on Thursday, a police spokesman said. The {club} said it would help the inquiry.")
ARREST_A = {"city": "Orvath", "person": "Jonas Kell", "club": "Orvath Rowing Club"}
ARREST_B = {"city": "Talmere", "person": "Mira Sand", "club": "Talmere Chess Society"}


def entity_notes(article: Article, vector: tuple[float, ...], entities: dict[str, str]) -> Notes:
    """Notes holding the entity mentions a parser would find: each entity at each place the text names it."""
    from rashomon.model import Mention

    found: list[Mention] = []
    for name, label in sorted(entities.items(), key=lambda e: -len(e[0])):  # the longest name at a place
        start = article.text.find(name)
        while start >= 0:
            if not any(m.start < start + len(name) and start < m.end for m in found):
                found.append(Mention(text=name, label=label, start=start, end=start + len(name), sentence=0))
            start = article.text.find(name, start + 1)
    return Notes(article_id=article.id, vector=vector, mentions=tuple(sorted(found, key=lambda m: m.start)))


def test_the_same_kind_of_event_with_other_entities_is_another_story(monkeypatch) -> None:
    # Two arrests told in the same words: only the people, clubs and places differ. The entity mentions share
    # nothing, so the entities' bar (AGREE_ENTITIES) keeps them apart; without mentions (a text the parser
    # found no names in, or no notes) the bar reads nothing and placement is as it was.
    from rashomon.group import stories

    arts = [Article(id="ka", input="-", text=ARREST.format(**ARREST_A), date="2026-05-05"),
            Article(id="kb", input="-", text=ARREST.format(**ARREST_B), date="2026-05-06")]
    vectors = embed([a.text for a in arts])
    labels = [{v: ("PERSON" if k == "person" else "GPE" if k == "city" else "ORG") for k, v in e.items()}
              for e in (ARREST_A, ARREST_B)]

    def placed(with_mentions: bool) -> dict[str, str]:
        index = StoryIndex(Config())
        for a, v, e in zip(arts, vectors, labels, strict=True):
            index.add(a, entity_notes(a, v, e) if with_mentions else Notes(article_id=a.id, vector=v))
        return index.assignments()

    assert stories.AGREE_ENTITIES > 0
    split = placed(True)
    assert split["ka"] != split["kb"]
    assert (lambda s: s["ka"] == s["kb"])(placed(False))  # no mentions: no bar
    monkeypatch.setattr(stories, "AGREE_ENTITIES", 0.0)
    assert (lambda s: s["ka"] == s["kb"])(placed(True))  # the bar is what keeps them apart


def test_two_reports_of_one_arrest_with_their_entities_stay_one_story() -> None:
    first = ARREST.format(**ARREST_A)
    second = ("Jonas Kell, who kept the books of the Orvath Rowing Club for six years, spent the night in a cell "
              "after his arrest in Orvath. Prosecutors say 40,000 went missing; Kell will face a judge on Thursday.")
    arts = [Article(id="r1", input="-", text=first, date="2026-05-05"),
            Article(id="r2", input="-", text=second, date="2026-05-05")]
    vectors = embed([a.text for a in arts])
    ents = {"Jonas Kell": "PERSON", "Kell": "PERSON", "Orvath Rowing Club": "ORG", "Orvath": "GPE"}
    index = StoryIndex(Config())
    placed = [index.add(a, entity_notes(a, v, ents)) for a, v in zip(arts, vectors, strict=True)]
    assert placed[0] == placed[1]


# One event told from two angles: every report names the singer and the clinic, half of them tell the court
# hearing and half the family's side.
REHAB_CORE = ["Singer Marla Quenby checked into the Harwell rehab clinic on Tuesday, her publicist said.",
              "Quenby, 26, entered rehab at Harwell after a judge ordered treatment.",
              "The Harwell clinic confirmed that Marla Quenby arrived there on Tuesday for rehab."]
REHAB_COURT = ["Her lawyer Dov Pell told the Lisburn court that she would serve her probation in treatment.",
               "Judge Anna Fenwick of the Lisburn court warned that breaking probation means jail, Pell said.",
               "Pell said the Lisburn court deal spares her a jail term of 90 days.",
               "Prosecutors in Lisburn accepted the probation deal Dov Pell offered Judge Fenwick.",
               "Fenwick set a hearing in Lisburn for May to check on the probation terms."]
REHAB_FAMILY = ["Her mother Dana Lusk said the family prayed she would stay the full three months.",
                "Dana Lusk said her daughter had tried to leave Sunmere, her last clinic, after one week.",
                "Fans gathered at the gates with letters, and Dana Lusk thanked them on television.",
                "Sunmere staff had said she left against advice; Dana Lusk hopes this time will be different.",
                "Lusk told the Evening Post that her daughter sounded calm on the phone."]
LATER_KINDS = ["A fire destroyed a warehouse in {p} on Monday, and fire chief {n} said nobody was hurt.",
               "Voters in {p} elected {n} as mayor on Monday after a close count.",
               "{n} scored twice as {p} won the regional cup final on Monday.",
               "Bus drivers in {p} went on strike on Monday, union leader {n} said.",
               "Floods cut the road to {p} on Monday; {n}, who runs the council, asked for army help."]
LATER_PEOPLE = ["Oren Vasq", "Tilda Marr", "Jep Holloran", "Nia Castell", "Bram Ostrev", "Ula Denning", "Kai Farrow",
                "Mira Solberg", "Teo Vant", "Ines Korrow", "Per Aldane", "Yuna Greve", "Cas Molloy", "Edda Rusk"]
LATER_PLACES = ["Varnby", "Oskel", "Trelling", "Moorcastle", "Dunvik", "Pelham Bay", "Kestrel Point", "Ardmore",
                "Salk", "Ferrow", "Halden", "Brisco", "Tamsin", "Corvale"]


def test_an_event_split_while_the_corpus_was_young_is_merged_later(monkeypatch) -> None:
    # The event's eight reports arrive first: in a corpus of nothing else, the names all of them share weigh
    # little, and the two angles are cut apart. 120 reports of other events follow; at the doubling to 128
    # the two halves are weighed again with that corpus's IDF and merge (CONSOLIDATE). Without that step the
    # early split stays, as nothing of the event arrives again.
    from rashomon.group import stories

    arts = []
    for i in range(8):
        angle = REHAB_COURT if i % 2 == 0 else REHAB_FAMILY
        core = [REHAB_CORE[i % 3]] + ([REHAB_CORE[(i + 1) % 3]] if (i // 2) % 2 else [])
        arts.append(Article(id=f"x{i}", input="-", date="2026-03-03",
                            text=" ".join(core + angle[i % 5:] + angle[:i % 5])))
    for j in range(120):
        t = LATER_KINDS[j % 5].format(p=LATER_PLACES[j % 14], n=LATER_PEOPLE[(j * 5) % 14])
        arts.append(Article(id=f"o{j}", input="-", text=t + " " + t.replace(" on Monday", ""),
                            date=f"2026-0{1 + j % 9}-1{j % 9}"))
    notes = notes_for(arts)

    def event_parts() -> list[int]:
        index = StoryIndex(Config())
        for a in arts:
            index.add(a, notes[a.id])
        placed = index.assignments()
        return sorted(collections.Counter(placed[f"x{i}"] for i in range(8)).values())

    assert stories.CONSOLIDATE
    assert event_parts() == [8]
    monkeypatch.setattr(stories, "CONSOLIDATE", False)
    assert event_parts() == [4, 4]


# A ferry sinking told by three reports, and a report of another day's news that retells the sinking in one
# passing sentence (a roundup's background line): that sentence shares the ferry's names and words, nothing else.
FERRY_KEY = "The ferry Asta Maren sank off Port Avel on Monday with 80 passengers aboard, the Veldra coastguard said."
FERRY = [
    [FERRY_KEY, "Divers from Port Avel searched the wreck of the Asta Maren through the night.",
     "Coastguard chief Ilse Varga said 61 passengers had been pulled from the water alive.",
     "The Asta Maren had left Kessin harbour two hours before it sank.",
     "Relatives gathered at the Port Avel quay waiting for news of the missing."],
    ["Coastguard chief Ilse Varga said 61 of the 80 people aboard the Asta Maren were rescued.",
     FERRY_KEY, "Survivors told reporters in Port Avel that the Asta Maren listed sharply before it went down.",
     "Ilse Varga said divers would keep searching the wreck for the 19 missing.",
     "The ferry operator in Kessin said the Asta Maren passed an inspection in March."],
    ["Nineteen people are still missing after the Asta Maren sinking, Ilse Varga told reporters.",
     "The Asta Maren went down in calm seas off Port Avel, survivors said.",
     "The Veldra transport ministry ordered an inquiry into the ferry operator in Kessin.", FERRY_KEY,
     "Divers recovered the ship's log from the Asta Maren wreck on Tuesday."],
]
ROUNDUP = ["The new Trelling toll bridge opened to traffic on Tuesday after four years of building.",
           "Mayor Oren Vasq cut the ribbon as the first lorries crossed the Trelling bridge.",
           FERRY_KEY,
           "Tolls on the Trelling bridge will be waived for residents until the end of the year, Vasq said.",
           "Traders in Trelling said the bridge would cut their delivery times to the coast by an hour."]


def sentence_notes(article: Article, vector: tuple[float, ...]) -> Notes:
    """Notes with the sentence spans a parser would find (each sentence ends at ". ")."""
    from rashomon.model import Sentence

    spans, start = [], 0
    for part in article.text.split(". "):
        end = start + len(part) + (0 if start + len(part) >= len(article.text) else 1)
        spans.append(Sentence(start, end))
        start = end + 1
    return Notes(article_id=article.id, vector=vector, sentences=tuple(spans))


def test_a_report_that_retells_one_sentence_of_a_story_is_not_of_that_story(monkeypatch) -> None:
    # The roundup shares the ferry reports' key sentence word for word: all it shares with each lies in that one
    # sentence of each (SPREAD_BAR), so it is held apart; the three ferry reports also share only that sentence
    # word for word, but their other sentences tell the same sinking, and they stay one story.
    from rashomon.group import stories

    arts = [Article(id=f"f{i}", input="-", text=" ".join(t), date="2026-06-01") for i, t in enumerate(FERRY)]
    arts += [Article(id="roundup", input="-", text=" ".join(ROUNDUP), date="2026-06-02")]
    arts += [Article(id=f"o{i}", input="-", text=t) for i, t in enumerate(OTHER)]
    vectors = embed([a.text for a in arts])

    def placed() -> dict[str, str]:
        index, families = StoryIndex(Config()), FamilyIndex(Config())
        for a, v in zip(arts, vectors, strict=True):
            index.add(a, sentence_notes(a, v), families.add(a))
        return index.assignments()

    assert stories.SPREAD_BAR < 1
    got = placed()
    assert got["f0"] == got["f1"] == got["f2"]
    assert got["roundup"] not in {got["f0"], got["o0"], got["o1"], got["o2"]}
    monkeypatch.setattr(stories, "SPREAD_BAR", 1.0)
    off = placed()
    assert off["roundup"] == off["f0"]  # without the test, the retold sentence joins it to the sinking
