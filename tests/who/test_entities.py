"""Entities: mentions with titles, roles and states; one canonical entity per referent; the seeds."""

from __future__ import annotations

import re

import pytest

from rashomon.model import Article, Mention, Notes
from rashomon.who.entities import resolve
from rashomon.who.mentions import find_mentions

from ..conftest import seed_path
from ..pipeline_runs import run


def mentions(nlp, text: str, aid: str = "a1"):
    return find_mentions(nlp(text), Article(id=aid, input="-", text=text))


def corpus(nlp, texts: list[str]):
    arts = [Article(id=f"a{i}", input="-", text=t) for i, t in enumerate(texts)]
    notes = {a.id: Notes(a.id, mentions=find_mentions(nlp(a.text), a)) for a in arts}
    return resolve(arts, notes)


def by_name(ents):
    return {e.name: e for e in ents}


# ---------------------------------------------------------------------------------- map stage


def test_title_country_and_role_before_a_name(nlp):
    ms = mentions(nlp, "Japanese Defense Minister Ivo Brandt met Canada's Prime Minister Lena Ford in Osaka.")
    people = {m.text: m for m in ms if m.label == "PERSON"}
    assert (people["Ivo Brandt"].title, people["Ivo Brandt"].country) == ("Defense Minister", "JPN")
    assert (people["Lena Ford"].title, people["Lena Ford"].country) == ("Prime Minister", "CAN")
    assert "Defense Minister" in people["Ivo Brandt"].descriptions


def test_appositive_role(nlp):
    ms = mentions(nlp, "Lena Ford, professor of history at Fenwick University, said the archive was lost.")
    ford = next(m for m in ms if m.text == "Lena Ford")
    assert ford.descriptions == ("professor of history at Fenwick University",)


def test_name_in_apposition_to_a_title_with_its_state(nlp):
    ms = mentions(nlp, "Today, the Prime Minister of Japan, Tanabe Haruka, met the press.")
    person = next(m for m in ms if m.label == "PERSON")
    assert (person.text, person.title, person.country) == ("Tanabe Haruka", "Prime Minister", "JPN")


def test_capitals_and_demonyms_carry_their_state(nlp):
    ms = mentions(nlp, "Ottawa said on Monday that Tokyo began importing grain, and the Canadian leader agreed.")
    states = {m.text: (m.label, m.country) for m in ms}
    assert states["Ottawa"] == ("GPE", "CAN")
    assert states["Tokyo"] == ("GPE", "JPN")
    assert states["Canadian"] == ("NORP", "CAN")


def test_all_capital_headings_give_no_entities(nlp):
    ms = mentions(nlp, "A NEW HARBOUR FOR KESTREL\nThe council met in Kestrel on Monday.")
    assert all(m.start > len("A NEW HARBOUR FOR KESTREL") for m in ms)


# -------------------------------------------------------------------------------- corpus stage


def test_both_name_orders_are_one_person_named_given_name_first(nlp):
    ents, _ = corpus(nlp, [
        "Prime Minister Haruka Tanabe arrived in Osaka on Monday. Tanabe spoke briefly.",
        "The Prime Minister of Japan, Tanabe Haruka, met reporters. Prime Minister Tanabe left early.",
    ])
    people = [e for e in ents if e.type == "PERSON"]
    assert len(people) == 1
    assert people[0].name == "Haruka Tanabe"
    assert {"Haruka Tanabe", "Tanabe Haruka", "Tanabe"} <= set(people[0].aliases)
    assert people[0].country == "JPN"


def test_a_family_name_of_two_words_written_mostly_alone_is_named_with_the_given_name(nlp):
    # "Wasserman Schultz" (18 articles), "Peña Nieto" and "Vargas Llosa" were named without their given names
    ents, _ = corpus(nlp, [
        "Rep. Bob Vander Kolk chairs the committee. Vander Kolk said on Monday the vote would go ahead.",
        "Vander Kolk spoke to reporters. Later, Vander Kolk left the hall.",
        "Critics of Vander Kolk gathered outside. Vander Kolk did not reply.",
    ])
    people = [e for e in ents if e.type == "PERSON"]
    assert [e.name for e in people] == ["Bob Vander Kolk"]
    assert {"Vander Kolk", "Bob Vander Kolk"} <= set(people[0].aliases)


def test_a_name_whose_first_word_is_written_alone_keeps_its_order_unless_it_ends_in_a_given_name():
    # "Mika Brzezinski" was named "Brzezinski Mika" and "Latino Decisions" "Decisions Latino": the word
    # written alone opened the name, as a family name opens "Tanabe Haruka"
    texts = {
        "a": "Mika Brandvold hosted the show. Mika laughed. Veldran Insights ran the poll.",
        "b": "Mika Brandvold said so. Mika left. Veldran Insights said Veldran voters moved.",
        "c": "Tanabe Haruka spoke. Tanabe left. Veldran London, the site's edition, ran it. Veldran did.",
    }
    notes = {
        "a": _spans(texts["a"], ("Mika Brandvold", "PERSON"), ("Mika", "PERSON"), ("Veldran Insights", "PERSON")),
        "b": _spans(texts["b"], ("Mika Brandvold", "PERSON"), ("Mika", "PERSON"), ("Veldran Insights", "PERSON"),
                    ("Veldran", "PERSON")),
        "c": _spans(texts["c"], ("Tanabe Haruka", "PERSON"), ("Tanabe", "PERSON"), ("Veldran London", "PERSON"),
                    ("Veldran", "PERSON")),
    }
    ents, _ = _resolve_drawn(texts, notes)
    # "London" is a given name too, but a place's name: "Breitbart London" was "London Breitbart"
    assert sorted(e.name for e in ents if e.type == "PERSON") == [
        "Haruka Tanabe", "Mika Brandvold", "Veldran Insights", "Veldran London"]


def test_local_government_and_police_titles_are_no_part_of_the_name(nlp):
    # "Sheriff Lee Baca", "Councilman Jumaane D. Williams", "Senior Trooper William Hakim" were persons so
    # named in ECB+, apart from the same persons written without the title
    ents, _ = corpus(nlp, [
        "Sheriff Orla Vantor said the road would stay closed. Councilman Tomas Reddick called it a disgrace.",
        "Orla Vantor, the county sheriff, spoke on Monday. Tomas Reddick did not.",
        "Senior Trooper Ilsa Marrow found the car. Detective Brann Oaks took the case.",
    ])
    people = {e.name for e in ents if e.type == "PERSON"}
    assert {"Orla Vantor", "Tomas Reddick", "Ilsa Marrow", "Brann Oaks"} <= people
    assert not any(w in n for n in people for w in ("Sheriff", "Councilman", "Trooper", "Detective"))
    assert len(by_name(ents)["Orla Vantor"].article_ids) == 2


def test_surname_possessive_and_case_variants_join_the_full_name(nlp):
    ents, index = corpus(nlp, [
        "Greta Lind opened the session. Lind's proposal passed. Later LIND said nothing.",
        "Greta Lind left on Tuesday.",
    ])
    lind = [e for e in ents if e.type == "PERSON"]
    assert [e.name for e in lind] == ["Greta Lind"]
    assert set(lind[0].article_ids) == {"a0", "a1"}
    assert {"Lind", "LIND"} <= set(lind[0].aliases)


def test_two_people_who_share_only_a_surname_stay_apart(nlp):
    texts = ["Anna Kovac chairs the port authority.", "Peter Kovac runs the rail company."]
    ents, _ = corpus(nlp, [*texts, "Dr. Kovac declined to comment."])
    names = sorted(e.name for e in ents if e.type == "PERSON")
    assert names == ["Anna Kovac", "Kovac", "Peter Kovac"]
    # an honorific is evidence: "Mr. Kovac" can only be Peter
    ents, _ = corpus(nlp, [*texts, "Mr. Kovac declined to comment."])
    assert "Kovac" in by_name(ents)["Peter Kovac"].aliases
    assert sorted(e.name for e in ents if e.type == "PERSON") == ["Anna Kovac", "Peter Kovac"]


def test_surname_goes_to_the_person_its_own_article_names(nlp):
    ents, index = corpus(nlp, [
        "Anna Kovac chairs the port authority.",
        "Peter Kovac runs the rail company. Kovac declined to comment.",
    ])
    peter = by_name(ents)["Peter Kovac"]
    assert "Kovac" in peter.aliases and "a1" in peter.article_ids
    assert "Kovac" not in by_name(ents)["Anna Kovac"].aliases


def test_model_slips_are_fixed_with_corpus_evidence():
    # the model called a person an organisation in one article and a place in another
    arts = [Article(id=x, input="-", text="") for x in ("a", "b", "c")]
    notes = {
        "a": Notes("a", mentions=(Mention("Oskar Brenner", "PERSON", 0, 13, 0, title="President"),)),
        "b": Notes("b", mentions=(Mention("Brenner", "ORG", 0, 7, 0),)),
        "c": Notes("c", mentions=(Mention("Brenner’s", "GPE", 5, 14, 0), Mention("Ottawa", "GPE", 30, 36, 1))),
    }
    ents, index = resolve(arts, notes)
    brenner = by_name(ents)["Oskar Brenner"]
    assert brenner.type == "PERSON" and set(brenner.article_ids) == {"a", "b", "c"}
    assert index.entity_at("c", 5) == brenner
    assert by_name(ents)["Ottawa"].country == "CAN"


def test_a_name_the_model_mostly_labels_a_place_is_no_person_however_often_it_slips():
    # a small model calls a state a person now and then; before, that one slip made a person, and every
    # mention of the state in the corpus then joined it (a campaign corpus' tenth "person" was "Florida")
    arts = [Article(id=f"a{i}", input="-", text="") for i in range(6)]
    notes = {a.id: Notes(a.id, mentions=(Mention("Varnholm", "GPE", 0, 8, 0),)) for a in arts[:5]}
    notes["a5"] = Notes("a5", mentions=(Mention("Varnholm", "PERSON", 0, 8, 0), Mention("Kell Harbour", "PERSON", 20, 32, 0)))
    for k in (1, 2, 3):
        notes[f"a{k}"] = Notes(f"a{k}", mentions=(*notes[f"a{k}"].mentions, Mention("Kell Harbour", "FAC", 20, 32, 0)))
    ents, index = resolve(arts, notes)
    assert [e.type for e in ents if e.type == "PERSON"] == []
    varnholm = by_name(ents)["Varnholm"]
    assert varnholm.type == "GPE" and set(varnholm.article_ids) == {f"a{i}" for i in range(6)}
    assert by_name(ents)["Kell Harbour"].type == "FAC" and index.entity_at("a5", 20) == by_name(ents)["Kell Harbour"]


def test_a_person_label_the_corpus_outvotes_goes_with_the_names_other_mentions():
    # "Chinese" once a person, else a group (a demonym: keyed by its state); a charter once a person, else a law
    arts = [Article(id=f"a{i}", input="-", text="") for i in range(4)]
    notes = {a.id: Notes(a.id, mentions=(Mention("Chinese", "NORP", 0, 7, 0), Mention("Kell Charter", "LAW", 20, 32, 0)))
             for a in arts[:3]}
    notes["a3"] = Notes("a3", mentions=(Mention("Chinese", "PERSON", 0, 7, 0), Mention("Kell Charter", "PERSON", 20, 32, 0)))
    ents, index = resolve(arts, notes)
    assert sorted((e.name, e.type, len(e.article_ids)) for e in ents) == [("Chinese", "NORP", 4), ("Kell Charter", "LAW", 4)]


def test_a_person_keeps_her_own_mentions_of_a_name_the_corpus_uses_for_a_place():
    # "Ilsa Varn" and, in her article, "Varn"; elsewhere "Varn" is a region the model labels a place
    arts = [Article(id=f"a{i}", input="-", text="") for i in range(5)]
    notes = {a.id: Notes(a.id, mentions=(Mention("Varn", "GPE", 0, 4, 0),)) for a in arts[1:]}
    notes["a0"] = Notes("a0", mentions=(Mention("Ilsa Varn", "PERSON", 0, 9, 0), Mention("Varn", "PERSON", 40, 44, 1)))
    ents, index = resolve(arts, notes)
    ilsa = by_name(ents)["Ilsa Varn"]
    assert ilsa.type == "PERSON" and ilsa.article_ids == ("a0",) and index.entity_at("a0", 40) == ilsa
    assert by_name(ents)["Varn"].type == "GPE" and set(by_name(ents)["Varn"].article_ids) == {"a1", "a2", "a3", "a4"}


def test_a_surname_alone_is_the_person_the_corpus_names_far_more_often():
    def corpus(full: dict[str, int]):
        arts, notes = [], {}
        for name, n in full.items():
            for k in range(n):
                aid = f"{name.split()[0]}{k}"
                arts.append(Article(id=aid, input="-", text=""))
                notes[aid] = Notes(aid, mentions=(Mention(name, "PERSON", 0, len(name), 0),))
        arts.append(Article(id="alone", input="-", text=""))
        notes["alone"] = Notes("alone", mentions=(Mention("Marrow", "PERSON", 0, 6, 0, title="Premier"),))
        return resolve(arts, notes)

    ents, index = corpus({"Ilsa Marrow": 8, "Tomas Marrow": 1})  # "Obama" in a campaign corpus
    assert index.entity_at("alone", 0) == by_name(ents)["Ilsa Marrow"] and "Marrow" not in by_name(ents)
    ents, index = corpus({"Ilsa Marrow": 5, "Tomas Marrow": 3})  # "Bush": neither is meant for sure
    assert index.entity_at("alone", 0) == by_name(ents)["Marrow"]


def test_a_name_the_model_ran_on_past_is_the_person_it_holds():
    # headline spans ("Certainly Ilsa Marrow", "Ilsa Marrow Wins Again") each made a person of its own, who
    # took its article's mentions: a campaign corpus listed eighteen "Donald Trump"s
    arts = [Article(id=f"a{i}", input="-", text="") for i in range(6)]
    notes = {f"a{i}": Notes(f"a{i}", mentions=(Mention("Ilsa Marrow", "PERSON", 0, 11, 0),)) for i in range(3)}
    notes["a3"] = Notes("a3", mentions=(Mention("Certainly Ilsa Marrow", "PERSON", 0, 21, 0), Mention("Marrow", "PERSON", 40, 46, 1)))
    notes["a4"] = Notes("a4", mentions=(Mention("Ilsa Marrow Wins Again", "PERSON", 0, 22, 0),))
    notes["a5"] = Notes("a5", mentions=(Mention("Ilsa Anna Marrow", "PERSON", 0, 16, 0),))
    ents, index = resolve(arts, notes)
    people = [e for e in ents if e.type == "PERSON"]
    assert [e.name for e in people] == ["Ilsa Marrow"] and set(people[0].article_ids) == {f"a{i}" for i in range(6)}
    assert index.entity_at("a3", 40) == people[0]


def test_a_name_with_a_maiden_name_is_the_person_but_a_relative_in_it_is_not():
    # "Hillary Rodham Clinton", written "Hillary Rodham" too, stood beside "Hillary Clinton"; a span
    # "Ilsa & Petra Marrow" written "Petra Marrow" holds a relative, who shares the family name alone
    def corpus(wider: tuple[str, ...]):
        arts = [Article(id=f"a{i}", input="-", text="") for i in range(5)]
        notes = {f"a{i}": Notes(f"a{i}", mentions=(Mention("Ilsa Marrow", "PERSON", 0, 11, 0),)) for i in range(3)}
        notes["a3"] = Notes("a3", mentions=tuple(Mention(w, "PERSON", 30 * j, 30 * j + len(w), j)
                                                 for j, w in enumerate(wider)))
        notes["a4"] = Notes("a4", mentions=(Mention("Ilsa Marrow Wins", "PERSON", 0, 16, 0),))  # a headline's run-on
        return [e for e in resolve(arts, notes)[0] if e.type == "PERSON"]

    people = corpus(("Ilsa Varn Marrow", "Ilsa Varn"))
    assert [(e.name, len(e.article_ids)) for e in people] == [("Ilsa Marrow", 5)]
    people = corpus(("Ilsa Petra Marrow", "Petra Marrow"))
    assert sorted((e.name, len(e.article_ids)) for e in people) == [("Ilsa Marrow", 4), ("Petra Marrow", 1)]


def test_a_platform_the_model_takes_for_a_person_is_an_organisation():
    arts = [Article(id=f"a{i}", input="-", text="") for i in range(3)]
    notes = {a.id: Notes(a.id, mentions=(Mention("Twitter", "PERSON", 0, 7, 0), Mention("Ilsa Marrow", "PERSON", 20, 31, 1)))
             for a in arts}
    ents, _ = resolve(arts, notes)
    assert sorted((e.name, e.type) for e in ents) == [("Ilsa Marrow", "PERSON"), ("Twitter", "ORG")]


def test_names_that_say_what_they_are_are_no_persons_whatever_the_model_said():
    # a ship (and its name alone elsewhere), a people in the plural, a town written in full, a title alone:
    # each stood among a news corpus' most cited persons ("MV Gibe", "Greeks", "Bandar Abbas", "Sgt")
    arts = [Article(id=f"a{i}", input="-", text="") for i in range(3)]
    notes = {
        "a0": Notes("a0", mentions=(Mention("HMS Kelland", "PERSON", 0, 11, 0), Mention("Greeks", "PERSON", 20, 26, 0),
                                    Mention("Sgt", "PERSON", 30, 33, 1), Mention("Ilsa Marrow", "PERSON", 40, 51, 1))),
        "a1": Notes("a1", mentions=(Mention("Kelland", "PERSON", 0, 7, 0), Mention("Bandar Abbas", "PERSON", 20, 32, 0))),
        "a2": Notes("a2", mentions=(Mention("Billy King", "PERSON", 0, 10, 0), Mention("King", "PERSON", 20, 24, 1),
                                    Mention("MS Varnik", "PERSON", 30, 39, 2),  # two capitals: a person's initials
                                    Mention("Twitter @IlsaMarrow", "PERSON", 50, 69, 3))),  # "Follow ... on Twitter @..."
    }
    ents, index = resolve(arts, notes)
    kinds = {(e.name, e.type) for e in ents}
    assert {("HMS Kelland", "PRODUCT"), ("Greeks", "NORP"), ("Bandar Abbas", "GPE"), ("Ilsa Marrow", "PERSON")} <= kinds
    assert index.entity_at("a1", 0) is not None and index.entity_at("a1", 0).type == "PRODUCT"
    assert not any(e.name == "Sgt" for e in ents) and index.entity_at("a2", 30).type == "PERSON"
    assert index.entity_at("a2", 50) is None
    # "King" after a given name is a surname, not a title alone
    assert index.entity_at("a2", 20) == by_name(ents)["Billy King"]


def test_a_building_named_after_a_person_is_no_person_but_a_person_named_like_it_is():
    # "Trump Tower", labelled a person 15 times of 24, made a person "Tower Trump" (family name first)
    # (the family name ends persons' names far more often than the noun does, which a person "Jon Tower" has)
    arts = [Article(id=f"a{i}", input="-", text="") for i in range(27)]
    notes = {f"a{i}": Notes(f"a{i}", mentions=(Mention("Ilsa Marrow", "PERSON", 0, 11, 0),)) for i in range(25)}
    for k in (25, 26):
        notes[f"a{k}"] = Notes(f"a{k}", mentions=(Mention("Marrow Tower", "PERSON", 0, 12, 0),
                                                  Mention("Jon Tower", "PERSON", 30, 39, 1),
                                                  Mention("Marrow Foundation", "PERSON", 60, 77, 2)))
    ents, index = resolve(arts, notes)
    kinds = {(e.name, e.type) for e in ents}
    assert {("Marrow Tower", "FAC"), ("Marrow Foundation", "ORG"), ("Jon Tower", "PERSON"), ("Ilsa Marrow", "PERSON")} == kinds
    assert len(by_name(ents)["Ilsa Marrow"].article_ids) == 25


def test_a_family_name_in_the_plural_is_a_family_not_a_person():
    arts = [Article(id=f"a{i}", input="-", text="") for i in range(3)]
    notes = {a.id: Notes(a.id, mentions=(Mention("Ilsa Marrow", "PERSON", 0, 11, 0), Mention("Marrows", "PERSON", 30, 37, 1),
                                         Mention("Tomas Sanders", "PERSON", 50, 63, 2), Mention("Sanders", "PERSON", 70, 77, 3)))
             for a in arts}
    ents, index = resolve(arts, notes)
    assert by_name(ents)["Marrows"].type == "NORP" and index.entity_at("a0", 70) == by_name(ents)["Tomas Sanders"]
    assert sorted(e.name for e in ents if e.type == "PERSON") == ["Ilsa Marrow", "Tomas Sanders"]


def _resolve_drawn(texts: dict[str, str], drawn: dict[str, tuple[Mention, ...]]):
    """The corpus stage over articles ``texts`` whose mentions are ``drawn`` (by :func:`_spans`)."""
    arts = [Article(id=k, input="-", text=t) for k, t in texts.items()]
    return resolve(arts, {k: Notes(k, mentions=v) for k, v in drawn.items()})


def _spans(text: str, *found: tuple[str, str]) -> tuple[Mention, ...]:
    """Mentions of these (written form, label) pairs at their first place in ``text`` after the previous one,
    as the small model draws them."""
    out, at = [], 0
    for written, label in found:
        at = text.index(written, at)
        out.append(Mention(written, label, at, at + len(written), 0))
        at += len(written)
    return tuple(out)


def test_spans_the_model_drew_wrong_are_read_with_the_words_around_them():
    # each of these made a visible entity of a campaign corpus: "State" an organisation of 93 articles,
    # "Super" a place of 18, "Latinos" a person of 16, "White House Obama" a person of 9
    texts = {
        "a": "Secretary of State Ilsa Marrow met Veldran Latinos. The Supreme Court Tuesday ruled for the Marrow White House.",
        "b": "On Super Tuesday, Marrow won in Kessin Tuesday night. The White House said Kessin and Latino voters turned out.",
        "c": "Voting on Super Tuesday. The White House praised Marrow. Kessin waits, and the White House spoke for State.",
    }
    notes = {
        "a": _spans(texts["a"], ("State", "ORG"), ("Ilsa Marrow", "PERSON"), ("Veldran", "NORP"), ("Latinos", "PERSON"),
                    ("Supreme Court Tuesday", "ORG"), ("Marrow White House", "PERSON")),
        "b": _spans(texts["b"], ("Super", "GPE"), ("Marrow", "PERSON"), ("Kessin", "GPE"), ("White House", "ORG"),
                    ("Kessin", "GPE"), ("Latino", "NORP")),
        "c": _spans(texts["c"], ("Super Tuesday", "EVENT"), ("White House", "ORG"), ("Marrow", "PERSON"),
                    ("Kessin", "GPE"), ("White House", "ORG"), ("State", "ORG")),
    }
    ents, index = _resolve_drawn(texts, notes)
    kinds = {(e.name, e.type) for e in ents}
    # the title's "State" and the named day's "Super" are no entities; "State" alone elsewhere still is one,
    # and "Kessin" before "Tuesday" after "in" is the place it is in the other articles
    assert ("Super", "GPE") not in kinds and ("Super Tuesday", "EVENT") in kinds
    assert by_name(ents)["State"].article_ids == ("c",)
    assert by_name(ents)["Kessin"].article_ids == ("b", "c")
    # the weekday is cut from the court's name; the person's name before "White House" names the White House
    assert ("Supreme Court", "ORG") in kinds
    assert index.entity_at("a", texts["a"].index("Marrow White House")) == by_name(ents)["White House"]
    assert sorted(e.name for e in ents if e.type == "PERSON") == ["Ilsa Marrow"]
    latinos = [e for e in ents if "Latinos" in e.aliases]  # one group with "Latino" (plural and singular)
    assert len(latinos) == 1 and latinos[0].type == "NORP" and "Latino" in latinos[0].aliases


def test_a_time_zone_after_a_time_and_a_number_are_no_organisations():
    # "GMT" was an organisation of 15 ECB+ reports ("(0300 GMT)", "about 2045 GMT"), "288" a facility
    text = "Polls closed at 6:00 p.m. (1300 GMT). The fire began at about 2045 GMT, and 288 crews of the KFS came in 2016 KFS drills."
    notes = {"a": Notes("a", mentions=_spans(text, ("GMT", "ORG"), ("GMT", "ORG"), ("288", "FAC"), ("KFS", "ORG"), ("KFS", "ORG")))}
    ents, index = resolve([Article(id="a", input="-", text=text)], notes)
    assert [(e.name, e.type, len(index.by_mention)) for e in ents] == [("KFS", "ORG", 2)]


def test_a_us_state_abbreviated_in_news_style_is_that_state():
    # "Fla." was a place of 42 PolNeAR articles beside "Florida", "Calif." of 11 ECB+ reports beside "California"
    # "Tex" (of "R-Tex.", the period left out of the span) was a place of 10 PolNeAR articles beside "Texas"
    texts = {"a": "KESSIN, Calif. (AP) - A fire near Kessin, Calif., burned.",
             "b": "California crews came. Rep. Ilsa Marrow (D-Conn.) spoke. Sen. Veldo Roof (R-Tex.) did not, LA said.",
             "c": "Texas voted. LA voted."}
    notes = {"a": Notes("a", mentions=_spans(texts["a"], ("Calif.", "GPE"), ("Kessin", "GPE"), ("Calif.", "GPE"))),
             "b": Notes("b", mentions=_spans(texts["b"], ("California", "GPE"), ("Ilsa Marrow", "PERSON"), ("Conn.", "GPE"),
                                             ("Veldo Roof", "PERSON"), ("Tex", "GPE"), ("LA", "GPE"))),
             "c": Notes("c", mentions=_spans(texts["c"], ("Texas", "GPE"), ("LA", "GPE")))}
    ents, _ = resolve([Article(id=k, input="-", text=t) for k, t in texts.items()], notes)
    # "LA" in capitals is no abbreviation of Louisiana: Los Angeles is written so as often
    assert {(e.name, e.type, e.article_ids) for e in ents if e.type == "GPE"} == {
        ("California", "GPE", ("a", "b")), ("Kessin", "GPE", ("a",)), ("Connecticut", "GPE", ("b",)),
        ("Texas", "GPE", ("b", "c")), ("LA", "GPE", ("b", "c"))}


def test_a_name_written_after_the_and_before_a_verb_is_no_persons():
    # "the Red Sox are ..." made the team a person of 18 ECB+ reports; "the Voss administration" and
    # "the Voss-Hale act" use a person's name for a thing of theirs, and the person stays one
    texts = {
        "a": "The Kessin Owls are ahead. Fans of the Kessin Owls, who won, cheered. Owls fans sang. Ilsa Voss spoke.",
        "b": "The Kessin Owls said the deal was done. Voss went home; the Voss administration and the Voss-Hale act stood.",
    }
    notes = {
        "a": _spans(texts["a"], ("Kessin Owls", "PERSON"), ("Kessin Owls", "PERSON"), ("Owls", "PERSON"),
                    ("Ilsa Voss", "PERSON")),
        "b": _spans(texts["b"], ("Kessin Owls", "PERSON"), ("Voss", "PERSON"), ("Voss", "PERSON"), ("Voss", "PERSON")),
    }
    ents, index = resolve([Article(id=k, input="-", text=t) for k, t in texts.items()],
                          {k: Notes(k, mentions=v) for k, v in notes.items()})
    assert {(e.name, e.type) for e in ents} == {("Kessin Owls", "ORG"), ("Ilsa Voss", "PERSON")}
    assert index.entity_at("a", texts["a"].index("Owls fans")) == by_name(ents)["Kessin Owls"]
    assert by_name(ents)["Ilsa Voss"].article_ids == ("a", "b")


def test_a_state_is_a_place_and_an_agency_an_organisation_whatever_the_votes():
    # "Texas" was a location of 121 PolNeAR articles (the model's votes) beside every other state a place;
    # "UPI" of a dateline a group of 18
    text = "KESSIN, Texas, Nov. 19 (UPI) - Texas voted. Kessin is in Texas."
    notes = {"a": Notes("a", mentions=_spans(text, ("Texas", "LOC"), ("UPI", "NORP"), ("Texas", "LOC"), ("Kessin", "GPE"),
                                             ("Texas", "GPE")))}
    ents, _ = resolve([Article(id="a", input="-", text=text)], notes)
    assert {(e.name, e.type) for e in ents} == {("Texas", "GPE"), ("UPI", "ORG"), ("Kessin", "GPE")}


def test_a_person_named_like_a_key_word_is_still_a_person():
    arts = [Article(id="a", input="-", text="")]
    notes = {"a": Notes("a", mentions=(Mention("State", "PERSON", 0, 5, 0), Mention("Name", "PERSON", 9, 13, 0)))}
    ents, _ = resolve(arts, notes)
    assert sorted((e.name, e.type, e.country) for e in ents) == [("Name", "PERSON", None), ("State", "PERSON", None)]


def test_country_forms_are_one_state_entity(nlp):
    ents, _ = corpus(nlp, ["The U.S. and the United States Navy agreed.", "US officials met in Osaka.",
                           "The United States said no."])
    usa = [e for e in ents if e.country == "USA" and e.type == "GPE"]
    assert len(usa) == 1 and usa[0].name == "United States"


def test_acronym_and_expansion_in_one_article_are_one_organisation(nlp):
    ents, _ = corpus(nlp, ["Canada is a member of NATO (North Atlantic Treaty Organization), officials said."])
    nato = [e for e in ents if "NATO" in e.aliases]
    assert len(nato) == 1 and nato[0].name == "North Atlantic Treaty Organization"


def test_ids_are_stable_for_the_same_input(nlp):
    texts = ["Greta Lind met Tomas Brenner in Ottawa.", "Lind and Brenner spoke."]
    first, _ = corpus(nlp, texts)
    second, _ = corpus(nlp, texts)
    assert [e.id for e in first] == [e.id for e in second]
    assert len({e.id for e in first}) == len(first)


# -------------------------------------------------------------------------------------- seeds


@pytest.fixture(scope="module")
def seed_entities(nlp, seeds_dir):
    arts, notes = [], {}
    for prefix in ("000", "001", "002", "003", "004"):
        raw = seed_path(prefix).read_text(encoding="utf-8")
        m = re.match(r"\s*date (\d{4}-\d\d-\d\d) ?", raw)
        text = raw[m.end():] if m else raw
        if prefix == "004":  # until the cleaner lands, everything from "Associated links" on is boilerplate
            text = text[:text.index("Associated links")]
        a = Article(id=prefix, input=prefix, text=text)
        arts.append(a)
        notes[a.id] = Notes(a.id, mentions=find_mentions(nlp(text), a))
    ents, index = resolve(arts, notes)
    return arts, ents, index


def test_seed_people_appear_once_with_canonical_names(seed_entities):
    _, ents, _ = seed_entities
    people = [e for e in ents if e.type == "PERSON"]
    names = [e.name for e in people]
    assert len(names) == len(set(names))
    for name in ("Mark Carney", "Sanae Takaichi", "Yee Kuang Heng", "Kei Koga", "Tomoo Kikuchi",
                 "Shinjiro Koizumi", "David McGuinty", "Donald Trump", "Xi Jinping"):
        assert name in names, name
    # no person is a stray surname, given name or reversed form of another
    words = {w for n in names if " " in n for w in n.split()}
    assert [n for n in names if " " not in n and n in words] == []
    takaichi = by_name(people)["Sanae Takaichi"]
    assert {"Sanae Takaichi", "Takaichi Sanae", "Takaichi"} <= set(takaichi.aliases)
    assert set(takaichi.article_ids) == {"000", "001", "002", "003", "004"}
    assert set(by_name(people)["Mark Carney"].article_ids) == {"000", "001", "002", "003", "004"}


def test_seed_roles_and_countries(seed_entities):
    _, ents, _ = seed_entities
    e = by_name(ents)
    assert any("University of Tokyo" in d for d in e["Yee Kuang Heng"].descriptions)
    assert any("Nanyang Technological University" in d for d in e["Kei Koga"].descriptions)
    assert any("Waseda University" in d for d in e["Tomoo Kikuchi"].descriptions)
    assert "Defense Minister" in e["Shinjiro Koizumi"].descriptions and e["Shinjiro Koizumi"].country == "JPN"
    assert e["David McGuinty"].country == "CAN"
    assert e["Mark Carney"].country == "CAN" and e["Sanae Takaichi"].country == "JPN"
    assert (e["Ottawa"].type, e["Ottawa"].country) == ("GPE", "CAN")
    assert (e["Tokyo"].type, e["Tokyo"].country) == ("GPE", "JPN")


def test_seed_004_entities_come_from_the_body_only(seed_entities):
    arts, ents, _ = seed_entities
    body = next(a.text for a in arts if a.id == "004")
    for ent in ents:
        if "004" in ent.article_ids:
            assert any(alias in body for alias in ent.aliases), ent


# -------------------------------------------------------------------- what is not an entity (issue 17)


def test_words_the_model_takes_for_names_are_not_entities(nlp):
    text = ("The ministers signed four bilateral Memorandums of Understanding through which to work on:\n"
            "  • Information sharing, patrol coordination and joint drills between the two coast guards.\n"
            "They also discussed energy projects, including LNG, LPG, nuclear technologies, hydrogen, and carbon "
            "capture, and reliable access to satellites, rare earths, AI, and sovereign cloud computing.\n"
            "Both sides back enhanced information sharing, said Premier Ilse Varn.")
    found = {m.text for m in mentions(nlp, text)}
    assert not found & {"Memorandums of Understanding", "Information", "LNG", "LPG", "AI"}, found
    assert "Ilse Varn" in found


def test_a_persons_name_ends_at_its_possessive(nlp):
    # the model's person spans sometimes run past a possessive into what the person owns ("Barack Obama's
    # Endorsement", "Cruz's Iowa"): each such span made a person of its own
    from spacy.tokens import Span

    text = "Premier Ilsa Marrow's Harbour Plan won praise, and Marrow's aides said so."
    doc = nlp(text)
    k = next(t.i for t in doc if t.text == "Ilsa")
    doc.ents = [Span(doc, k, k + 5, label="PERSON")]  # "Ilsa Marrow's Harbour Plan", as the model may slip
    found = [(m.text, m.label) for m in find_mentions(doc, Article(id="a1", input="-", text=text))]
    assert ("Ilsa Marrow", "PERSON") in found and not [t for t, _ in found if "Harbour" in t], found


def test_a_name_span_loses_a_leading_preposition_and_what_runs_over_a_line_break(nlp):
    # the model ran "Among" at a sentence's start into a name, and a dateline's city into the name before it
    texts = {m.text for m in mentions(nlp, "He was born in Omaha. Among Latinos, Ilsa Marrow is popular.")}
    assert "Latinos" in texts and not any(t.startswith("Among") for t in texts)
    found = {m.text: m.label for m in mentions(nlp, "Ilsa Marrow met Donald Trump\nMANCHESTER, N.H. on Friday.")}
    assert found.get("Donald Trump") == "PERSON" and not any("\n" in t for t in found)


def test_a_hyphenated_pair_of_states_is_two_places(nlp):
    ms = mentions(nlp, "Markets fell after rounds of U.S.-Iran talks stalled and Russian-Chinese patrols grew.")
    assert {(m.text, m.country) for m in ms} >= {("U.S.", "USA"), ("Iran", "IRN"), ("Russian", "RUS"),
                                                 ("Chinese", "CHN")}
    assert not any("-" in m.text for m in ms)


def test_a_place_has_no_one_word_role(nlp):
    ms = mentions(nlp, "Orvia might act in the event of an attack on Taiwan, a rule over which Lentia claims "
                       "sovereignty, while Ottawa, a NATO member, backed the plan.")
    places = {m.text: m.descriptions for m in ms}
    assert places["Taiwan"] == () and places["Ottawa"] == ("NATO member",)


def story_corpus(nlp, texts: list[str]):
    arts = [Article(id=f"a{i}", input="-", text=t, story="s1") for i, t in enumerate(texts)]
    notes = {a.id: Notes(a.id, mentions=find_mentions(nlp(a.text), a)) for a in arts}
    return resolve(arts, notes)


def test_acronym_and_expansion_in_one_story_are_one_organisation(nlp):
    ents, _ = story_corpus(nlp, ["Premier Ilse Varn wants to link the pact to the Northern Fisheries Council.",
                                 "Orvia and the NFC had agreed to modernise the quota deal, Varn said."])
    council = [e for e in ents if "NFC" in e.aliases or "Northern Fisheries Council" in e.aliases]
    assert len(council) == 1 and council[0].name == "Northern Fisheries Council"


def test_a_town_the_model_calls_a_person_or_an_organisation_is_the_town_where_its_mentions_place_it():
    # "of Burnsville" after a victim's name made a person "Burnsville" of 9 ECB+ reports, "the northern city
    # of Thessaloniki" an organisation; a company named like a town ("Toyota said") stays what it is
    texts = {
        "a": "Police named the victim as Ilsa Marrow of Burnsville. Marrow was walking home.",
        "b": "Marrow, 66, lived in Burnsville for 30 years. Toyota said the car was sound.",
        "c": "Crowds marched in the northern city of Thessaloniki. Toyota recalled the car.",
    }
    notes = {
        "a": _spans(texts["a"], ("Ilsa Marrow", "PERSON"), ("Burnsville", "PERSON"), ("Marrow", "PERSON")),
        "b": _spans(texts["b"], ("Marrow", "PERSON"), ("Burnsville", "PERSON"), ("Toyota", "ORG")),
        "c": _spans(texts["c"], ("Thessaloniki", "ORG"), ("Toyota", "ORG")),
    }
    ents, _ = _resolve_drawn(texts, notes)
    kinds = {e.name: e.type for e in ents}
    assert kinds["Burnsville"] == "GPE" and kinds["Thessaloniki"] == "GPE"
    assert kinds["Toyota"] == "ORG"
    assert [e.name for e in ents if e.type == "PERSON"] == ["Ilsa Marrow"]


def test_a_person_label_over_a_name_ending_in_an_organisations_word_is_an_organisation():
    # "Surrey Police" was a person of 3 ECB+ reports, "Brennan Center" and "Sarah Lawrence College" persons
    # of PolNeAR ones; a family name that is such a word too ("Post") keeps a person with a given name
    texts = {
        "a": "Fenwick Police said the harbour was closed. Hilda Varn Post, a donor, paid for the repairs.",
        "b": "The Kessin Foundation gave $2 million to Fenwick Police, Post said.",
    }
    notes = {
        "a": _spans(texts["a"], ("Fenwick Police", "PERSON"), ("Hilda Varn Post", "PERSON")),
        "b": _spans(texts["b"], ("Kessin Foundation", "PERSON"), ("Fenwick Police", "ORG"), ("Post", "PERSON")),
    }
    ents, _ = _resolve_drawn(texts, notes)
    kinds = {e.name: e.type for e in ents}
    assert kinds["Fenwick Police"] == "ORG" and kinds["Kessin Foundation"] == "ORG"
    assert [e.name for e in ents if e.type == "PERSON"] == ["Hilda Varn Post"]
    assert len([e for e in ents if "Fenwick Police" in e.aliases]) == 1


def test_a_headline_verb_inside_a_person_span_cuts_it_there():
    # "Glenn Beck Blasts Drudge" made "Drudge" a form of Glenn Beck; "Trump Should" and "Calls Trump" were
    # persons of their own
    texts = {
        "a": "Ilsa Marrow Blasts Kettering\nIlsa Marrow said on Monday that Kettering was wrong. Kettering declined to comment.",
        "b": "Marrow Should Resign\nCalls Marrow a liar\nIlsa Marrow spoke in Fenwick.",
    }
    notes = {
        "a": _spans(texts["a"], ("Ilsa Marrow Blasts Kettering", "PERSON"), ("Ilsa Marrow", "PERSON"),
                    ("Kettering", "PERSON"), ("Kettering", "PERSON")),
        "b": _spans(texts["b"], ("Marrow Should", "PERSON"), ("Calls Marrow", "PERSON"), ("Ilsa Marrow", "PERSON")),
    }
    ents, _ = _resolve_drawn(texts, notes)
    persons = {e.name: e for e in ents if e.type == "PERSON"}
    assert sorted(persons) == ["Ilsa Marrow", "Kettering"]
    assert "Kettering" not in persons["Ilsa Marrow"].aliases
    assert persons["Ilsa Marrow"].article_ids == ("a", "b")


def test_a_common_word_the_model_takes_for_a_person_is_no_one_but_a_surname_of_that_word_is():
    # a headline's or a sentence's first word ("Exit", "Nationally") and a column's name ("Economic Scene")
    # were persons of 3 to 15 articles of a campaign corpus
    texts = {
        "a": "Exit Polls\nNationally, exit polls gave Ilsa Marrow a lead. The exit polls were wrong nationally, "
             "Mr. Hurt said. The economic scene is calm, the scene nationally quiet.",
        "b": "Economic Scene\nThe exit was slow and the economic numbers hurt. Veldo Roof fixed the roof. Roof said so.",
    }
    hurt = texts["a"].index("Hurt")
    notes = {
        "a": (*_spans(texts["a"], ("Exit", "PERSON"), ("Nationally", "PERSON"), ("Ilsa Marrow", "PERSON")),
              Mention("Hurt", "PERSON", hurt, hurt + 4, 2, title="Mr.")),
        "b": _spans(texts["b"], ("Economic Scene", "PERSON"), ("Veldo Roof", "PERSON"), ("Roof", "PERSON")),
    }
    ents, index = _resolve_drawn(texts, notes)
    persons = {e.name: e for e in ents if e.type == "PERSON"}
    assert sorted(persons) == ["Hurt", "Ilsa Marrow", "Veldo Roof"]
    assert persons["Veldo Roof"].aliases == ("Veldo Roof", "Roof")
    assert index.entity_at("a", 0) is None and all(e.name not in ("Exit", "Economic Scene") for e in ents)


def test_a_person_label_over_a_name_ending_in_a_place_noun_is_that_place():
    # "Long Island" was a person of 7 PolNeAR articles, "Marion County" of 5 ECB+ reports (with "District")
    texts = {"a": "Voters on Long Island backed Ilsa Marrow. In Kessa County the vote was closer, the County said.",
             "b": "Long Island turned out early, and Marrow thanked it."}
    notes = {"a": _spans(texts["a"], ("Long Island", "PERSON"), ("Ilsa Marrow", "PERSON"), ("Kessa County", "PERSON"),
                         ("County", "PERSON")),
             "b": _spans(texts["b"], ("Long Island", "PERSON"), ("Marrow", "PERSON"))}
    ents, _ = _resolve_drawn(texts, notes)
    kinds = {(e.name, e.type) for e in ents}
    assert {("Long Island", "LOC"), ("Kessa County", "GPE"), ("Ilsa Marrow", "PERSON")} <= kinds
    assert [e.name for e in ents if e.type == "PERSON"] == ["Ilsa Marrow"]


def test_a_ships_name_alone_is_that_ship_whatever_the_model_called_it():
    # ECB+'s "INS Sukanya ... Sukanya spotted the boats" made a place "Sukanya" of 9 reports beside the ship;
    # a ship named after a place leaves the place one ("USS Arizona", Arizona)
    texts = {
        "a": "The Indian warship INS Kettavan foiled the attack. Kettavan then escorted the tanker.",
        "b": "Kettavan's crew detained 26 pirates. The USS Arizona sailed on, and Arizona voters cheered.",
    }
    notes = {
        "a": _spans(texts["a"], ("INS Kettavan", "PRODUCT"), ("Kettavan", "GPE")),
        "b": _spans(texts["b"], ("Kettavan", "ORG"), ("USS Arizona", "ORG"), ("Arizona", "GPE")),
    }
    ents, _ = _resolve_drawn(texts, notes)
    ship = [e for e in ents if "Kettavan" in e.aliases]
    assert len(ship) == 1 and ship[0].name == "INS Kettavan" and ship[0].type == "PRODUCT"
    assert set(ship[0].article_ids) == {"a", "b"}
    assert [e.type for e in ents if e.name == "Arizona"] == ["GPE"]


def test_an_acronym_of_two_names_keeps_them_apart(nlp):
    # "NFC" spells the Northern Fisheries Council in one story and the Northern Ferry Company in another:
    # two organisations, each with its own story's mentions of the acronym
    texts = [("s1", "Premier Ilse Varn wants to link the pact to the Northern Fisheries Council."),
             ("s1", "Orvia and the NFC had agreed to modernise the quota deal, Varn said."),
             ("s2", "The Northern Ferry Company cancelled every crossing to Lentia on Monday."),
             ("s2", "Passengers waited for hours before the NFC put on extra buses, a driver said.")]
    arts = [Article(id=f"a{i}", input="-", text=t, story=s) for i, (s, t) in enumerate(texts)]
    notes = {a.id: Notes(a.id, mentions=find_mentions(nlp(a.text), a)) for a in arts}
    ents, _ = resolve(arts, notes)
    council = [e for e in ents if "Northern Fisheries Council" in e.aliases]
    ferries = [e for e in ents if "Northern Ferry Company" in e.aliases]
    assert len(council) == 1 and len(ferries) == 1 and council[0] is not ferries[0]
    assert set(council[0].article_ids) == {"a0", "a1"} and "NFC" in council[0].aliases
    assert set(ferries[0].article_ids) == {"a2", "a3"} and "NFC" in ferries[0].aliases


def test_a_group_in_the_plural_or_with_a_hyphen_is_one_group(nlp):
    ents, _ = corpus(nlp, ["The Republican senator Ilse Varn spoke in Fenwick on Monday.",
                           "Republicans in Fenwick cheered the harbour plan, a spokesman said.",
                           "African-American voters in Fenwick backed the plan.",
                           "African Americans make up a third of Fenwick, the census says.",
                           "Democrats in Lentia and Democrats in Fenwick voted no. One Democrat stayed home."])
    groups = {e.name: e for e in ents if e.type == "NORP"}
    assert {"Republican", "Republicans"} <= set(groups["Republican"].aliases)
    assert "Republicans" not in groups
    # named in the singular even where the plural is written more often ("one Democrat said" names a speaker)
    assert {"Democrat", "Democrats"} <= set(groups["Democrat"].aliases) and "Democrats" not in groups
    african = [e for e in ents if "African Americans" in e.aliases]
    assert len(african) == 1 and "African-American" in african[0].aliases


def test_an_organisation_named_with_its_states_name_in_two_spellings_is_one(nlp):
    ents, _ = corpus(nlp, ["The U.S. Senate voted on the harbour bill on Monday.",
                           "The United States Senate passed the harbour bill, Ilse Varn said.",
                           "American Airlines cancelled flights to Fenwick."])
    senate = [e for e in ents if "U.S. Senate" in e.aliases or "United States Senate" in e.aliases]
    assert len(senate) == 1 and set(senate[0].article_ids) == {"a0", "a1"}
    # a hyphen or a space between a name's words: one name
    ents, _ = corpus(nlp, ["The Pro-Fenwick Alliance marched on Monday.",
                           "The Pro Fenwick Alliance said the march was peaceful."])
    assert len([e for e in ents if "Alliance" in e.name]) == 1
    assert not any("American Airlines" in e.aliases and len(e.article_ids) > 1 for e in ents)


def test_a_place_and_its_region_are_one_location(nlp):
    ents, _ = story_corpus(nlp, ["Lentia welcomed Orvia's deeper engagement in the Indo-Pacific region.",
                                 "The trip aims to strengthen partnerships across the Indo-Pacific, officials said."])
    region = [e for e in ents if "Indo-Pacific" in e.name]
    assert len(region) == 1 and region[0].type == "LOC"
    assert {"Indo-Pacific", "Indo-Pacific region"} <= set(region[0].aliases)


def test_an_acronym_of_a_common_noun_is_no_entity(nlp):
    ents, _ = story_corpus(nlp, ["Last year Orvia began importing liquefied natural gas (LNG) from Lentia.",
                                 "Orvia needs other sources of imports of LNG, said Premier Ilse Varn."])
    assert not [e for e in ents if "LNG" in e.aliases]


def test_an_acronym_its_story_writes_in_the_plural_is_no_entity_but_a_name_is():
    # "PAC" was an organisation of 42 PolNeAR articles ("a super PAC", "super PACs"); "RBI" of ECB+ reports
    texts = {"a": "A PAC backing Ilsa Marrow spent more than the NBA did. Two other PACs spent less.",
             "b": "The PAC and the NBA both declined to comment."}
    notes = {"a": Notes("a", mentions=_spans(texts["a"], ("PAC", "ORG"), ("Ilsa Marrow", "PERSON"), ("NBA", "ORG"))),
             "b": Notes("b", mentions=_spans(texts["b"], ("PAC", "ORG"), ("NBA", "ORG")))}
    arts = [Article(id=k, input="-", text=t, story="s1") for k, t in texts.items()]
    ents, _ = resolve(arts, notes)
    assert sorted(e.name for e in ents) == ["Ilsa Marrow", "NBA"]


def test_seed_entities_have_no_junk_and_merge_their_forms():
    analysis, _ = run("seeds")
    ents = {e.name: e for e in analysis.entities}
    aliases = {a for e in analysis.entities for a in e.aliases}
    assert not aliases & {"AI", "LNG", "LPG", "Information", "Memorandums of Cooperation", "U.S.-Iran",
                          "Russian-Chinese"}, aliases
    assert {"EU", "European Union"} <= set(ents["European Union"].aliases)
    indo = [e for e in analysis.entities if "Indo-Pacific" in e.aliases]
    assert len(indo) == 1 and "Indo-Pacific region" in indo[0].aliases and indo[0].type == "LOC"
    assert "rule" not in ents["Taiwan"].descriptions
    assert ents["LNG Canada"].type == "ORG"  # a company named with an acronym stays


def test_a_persons_shown_forms_leave_out_a_headlines_words_and_a_title_but_every_form_still_finds_her():
    # the model runs a headline's verb or a title into a name ("Lindsay Lohan Checks Out", "Hire Maurice
    # Cheeks", "Comedian Ellen DeGeneres" were forms of ECB+ persons; "Donald Trump Wins" of PolNeAR's)
    head = ("Ilsa Marrow Returns As Coach\nComedian Ilsa Marrow returns to Kessin as coach, Ilsa Marrow said. "
            "Bill de Blasio met Marrow.")
    tail = "Hire Tomas Sanders Jr.\nFans want the club to hire Tomas Sanders Jr., said Tomas Sanders."
    texts = {"a": head, "b": tail}
    notes = {"a": Notes("a", mentions=_spans(head, ("Ilsa Marrow Returns", "PERSON"), ("Comedian Ilsa Marrow", "PERSON"),
                                             ("Kessin", "GPE"), ("Ilsa Marrow", "PERSON"), ("Bill de Blasio", "PERSON"),
                                             ("Marrow", "PERSON"))),
             "b": Notes("b", mentions=_spans(tail, ("Hire Tomas Sanders Jr.", "PERSON"), ("Tomas Sanders Jr.", "PERSON"),
                                             ("Tomas Sanders", "PERSON")))}
    ents, index = resolve([Article(id=k, input="-", text=t) for k, t in texts.items()], notes)
    people = by_name(ents)
    marrow, sanders = people["Ilsa Marrow"], people["Tomas Sanders Jr."]
    assert marrow.aliases[0] == "Ilsa Marrow" and "Marrow" in marrow.aliases
    assert "Ilsa Marrow Returns" not in marrow.aliases
    assert "Hire Tomas Sanders Jr." not in sanders.aliases and "Tomas Sanders Jr." in sanders.aliases
    assert people["Bill de Blasio"].aliases == ("Bill de Blasio",)  # "bill" is also a word, but a given name
    assert index.entity_at("a", 0) == marrow and index.entity_at("b", 0) == sanders  # the mentions still count
    assert index.by_alias["ilsa marrow returns"] == (marrow.id,)  # and the form still finds her


def test_a_father_and_his_son_of_one_name_are_two_persons(nlp):
    # initials and a suffix leave a person's name words alone, so "Harold Penwick Jr." was his father
    texts = ["Harold Penwick opened the new factory in Dayton on Monday. Penwick said the plant would hire 300 people.",
             "Harold Penwick Jr. will run the company his father Harold Penwick founded, the board said on Friday. "
             "Harold Jr. has worked there for ten years.",
             "The mayor thanked Harold Penwick for the factory. Penwick, 71, said he was proud of the town."]
    ents, index = corpus(nlp, texts)
    persons = {e.name: e for e in ents if e.type == "PERSON"}
    assert {"Harold Penwick", "Harold Penwick Jr."} <= set(persons)
    assert set(persons["Harold Penwick"].article_ids) == {"a0", "a1", "a2"}
    assert persons["Harold Penwick Jr."].article_ids == ("a1",) and "Harold Jr." in persons["Harold Penwick Jr."].aliases


def test_a_suffix_left_out_in_one_article_is_still_the_person(nlp):
    # "Martin Luther King Jr." and "Martin Luther King" in two articles: one person, as before
    ents, _ = corpus(nlp, ["Walter Brennick Jr. spoke at the rally in Akron on Tuesday.",
                           "Walter Brennick told the crowd in Toledo that the mill would reopen."])
    persons = [e for e in ents if e.type == "PERSON"]
    assert len(persons) == 1 and set(persons[0].article_ids) == {"a0", "a1"}


def test_different_initials_are_different_persons_and_a_name_without_them_the_one_named_most(nlp):
    texts = [f"George W. Hallam spoke in Austin on day {i}. Hallam said the vote was close." for i in range(5)]
    texts += ["George H.W. Hallam, his father, spoke in Houston. Hallam said he was proud.",
              "George Hallam visited the school in Dallas on Monday and met the teachers there."]
    ents, index = corpus(nlp, texts)
    persons = {e.name: e for e in ents if e.type == "PERSON"}
    assert {"George W. Hallam", "George H.W. Hallam"} <= set(persons)
    assert persons["George H.W. Hallam"].article_ids == ("a5",)
    assert set(persons["George W. Hallam"].article_ids) == {"a0", "a1", "a2", "a3", "a4", "a6"}


def test_a_nickname_and_the_given_name_are_one_person_unless_one_article_names_both(nlp):
    ents, _ = corpus(nlp, ["Senator Robert Kellman voted against the bill in Washington on Tuesday.",
                           "Bob Kellman told reporters in Des Moines that the bill was a mistake."])
    persons = [e for e in ents if e.type == "PERSON"]
    assert len(persons) == 1 and set(persons[0].article_ids) == {"a0", "a1"}
    ents, _ = corpus(nlp, ["Patrick Dunmore and his son Pat Dunmore both ran for the school board in Albany."])
    assert {e.name for e in ents if e.type == "PERSON"} == {"Patrick Dunmore", "Pat Dunmore"}


def test_a_given_name_alone_is_the_person_the_corpus_names_by_it_far_more_often(nlp):
    texts = [f"Marisol Quintero spoke in Denver on day {i} about water rights." for i in range(6)]
    texts += ["Asked about the vote, Marisol said she would fight on.",
              "Marisol Vance, a teacher, spoke in Aspen."]
    ents, index = corpus(nlp, texts)
    persons = {e.name: e for e in ents if e.type == "PERSON"}
    assert "Marisol" not in persons and "a6" in persons["Marisol Quintero"].article_ids
    assert persons["Marisol Vance"].article_ids == ("a7",)


def test_a_suffix_or_initials_alone_name_no_one():
    arts = [Article(id="a0", input="-", text="")]
    notes = {"a0": Notes("a0", mentions=(Mention("Jr.", "PERSON", 0, 3, 0), Mention("O.K.", "PERSON", 10, 14, 0),
                                         Mention("Ilsa Marrow", "PERSON", 20, 31, 0)))}
    ents, _ = resolve(arts, notes)
    assert [e.name for e in ents] == ["Ilsa Marrow"]


def test_a_name_run_into_a_headlines_words_is_the_person(nlp):
    # "Trump Speech" in a title-case headline, "speech" written in lower case below it
    texts = [f"Governor Ilsa Marrow signed the budget in Salem on day {i}. Marrow said it was fair." for i in range(4)]
    texts.append("Critics Denounce Marrow Speech\n\nCritics in Salem denounce the speech. Marrow defended it.")
    ents, index = corpus(nlp, texts)
    persons = {e.name: e for e in ents if e.type == "PERSON"}
    assert "Denounce Marrow Speech" not in persons and "a4" in persons["Ilsa Marrow"].article_ids
    # where the text writes a word only with a capital, it may be a name: the span stays what it was
    texts[4] = "Critics Denounce Marrow Speech\n\nCritics in Salem attacked the remarks. Marrow defended them."
    ents, index = corpus(nlp, texts)
    assert "a4" not in {e.name: e for e in ents}["Ilsa Marrow"].article_ids


def test_an_organisation_written_by_its_last_word_after_its_whole_name_is_that_organisation(nlp):
    # "the Post" after "The Washington Post" made an organisation "Post" of 30 reports
    ents, index = corpus(nlp, [
        "The Kellport Post reported on Monday that the mayor had resigned. The Post said the council would meet.",
        "The Kellport Post ran the story first.",
        "The State Department and the Justice Department disagreed. The Department said nothing."])
    orgs = {e.name: e for e in ents if e.type == "ORG"}
    assert "Post" not in orgs and "Post" in orgs["Kellport Post"].aliases  # named in full, not "Post"
    assert set(orgs["Kellport Post"].article_ids) == {"a0", "a1"}
    assert "Department" in orgs  # two departments in that report: which one it means is not said


def test_a_department_written_by_its_field_alone_after_its_name_is_that_department():
    # "State" (of "the State Department ... State's response") was an organisation of 23 PolNeAR articles,
    # "Interior" of 10 ECB+ reports beside the Interior Department
    texts = {"a": "The Treasury Department fined the bank on Monday. Treasury said the bank had paid.",
             "b": "Treasury officials would not comment, and Treasury declined.",
             "c": "The Treasury Department and the Justice Department met. Treasury spoke first."}
    notes = {"a": _spans(texts["a"], ("Treasury Department", "ORG"), ("Treasury", "ORG")),
             "b": _spans(texts["b"], ("Treasury", "ORG"), ("Treasury", "ORG")),
             "c": _spans(texts["c"], ("Treasury Department", "ORG"), ("Justice Department", "ORG"), ("Treasury", "ORG"))}
    ents, index = _resolve_drawn(texts, notes)
    dept = by_name(ents)["Treasury Department"]
    assert index.entity_at("a", texts["a"].index("Treasury said")) == dept
    assert index.entity_at("c", texts["c"].index("Treasury spoke")) == dept
    # without the department written out, the word alone stays what it was
    assert index.entity_at("b", 0) != dept and index.entity_at("b", 0).name == "Treasury"


def test_a_span_holding_two_persons_names_is_neither_of_them():
    # a headline's "Hillary Clinton Slams Donald Trump" was one person who took both persons' mentions in its
    # report: a second "Donald Trump" in the entity list
    text = "Ilsa Marrow Slams Tomas Varn\n\nIlsa Marrow criticised Tomas Varn. Marrow said Varn was wrong."
    spans = ["Ilsa Marrow Slams Tomas Varn", "Ilsa Marrow", "Tomas Varn", "Marrow", "Varn"]
    found, at = [], 0
    for i, s in enumerate(spans):
        at = text.index(s, at if i else 0)
        found.append(Mention(s, "PERSON", at, at + len(s), 0))
        at += len(s)
    arts = [Article(id="a0", input="-", text=text), Article(id="a1", input="-", text="Ilsa Marrow spoke.")]
    notes = {"a0": Notes("a0", mentions=tuple(found)), "a1": Notes("a1", mentions=(Mention("Ilsa Marrow", "PERSON", 0, 11, 0),))}
    ents, index = resolve(arts, notes)
    persons = {e.name: e for e in ents if e.type == "PERSON"}
    assert set(persons) == {"Ilsa Marrow", "Tomas Varn"}
    assert set(persons["Ilsa Marrow"].article_ids) == {"a0", "a1"} and persons["Tomas Varn"].article_ids == ("a0",)
    assert index.entity_at("a0", text.index("Varn was")) == persons["Tomas Varn"]
