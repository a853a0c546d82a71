"""Events: PLOVER types from verbs and event nouns, negation, intent and reported demands; actors coded to
states (names, capitals, demonyms, leaders) or sectors; merged events; the seeds; the PLOVER gold
standard records (slow)."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re

import pytest

from rashomon.model import Article, Notes, Sentence
from rashomon.what import event_merge, events
from rashomon.what.lexicon import TYPES, lexicon, use_choices
from rashomon.when.timeline import infer_dates
from rashomon.when.times import find_times
from rashomon.who.actors import ActorCoder, international_body, org_code
from rashomon.who.entities import EntityIndex, resolve
from rashomon.who.mentions import find_mentions

from ..conftest import SHARED, seed_path


def coded(nlp, text: str, day: str = "2026-03-06"):
    art = Article(id="a1", input="-", text=text, date=day)
    doc = nlp(text)
    mentions = find_mentions(doc, art)
    return events.find_events(doc, art, mentions, find_times(doc, art))


def triples(evs) -> list[tuple[str, str | None, str | None]]:
    return [(e.type, e.source_actor, e.target_actor) for e in evs]


# ----------------------------------------------------------------------------------- the data


def test_patterns_only_use_the_sixteen_types():
    lex = lexicon()
    types = {t for t, _ in lex.cameo.values()}
    assert types <= set(TYPES) and len(TYPES) == 16
    assert set(lex.intent) == set(TYPES) == set(lex.negated)


def test_known_organisations():
    assert org_code("the U.N. Security Council") == ("IGO", None)
    assert org_code("NATO") == ("IGO", None)
    assert org_code("Hamas") == ("REB", "PSE")
    assert org_code("Fenwick Rowing Club") is None


def test_a_body_named_by_its_initials(nlp):
    # the dictionaries list "international labor organization", not "ILO" nor "International Labour Office"
    assert triples(coded(nlp, "The International Labour Office (ILO) criticized Peru on Monday.")) == \
        [("ACCUSE", "IGO", "PER")]
    # people are not looked up by initials (the dictionaries list a Nigerian "Mangu Odion Ugbesa")
    doc = nlp("Sudan signed a Memorandum of Understanding (MOU) with Chad.")
    coder = ActorCoder(doc, (), "2000-01-01")
    assert coder.code(next(t for t in doc if t.text == "MOU")) is None


def test_a_town_two_states_have_is_the_one_the_sentence_names(nlp):
    def tripoli(text):
        doc = nlp(text)
        return ActorCoder(doc, (), "2000-01-01").code(next(t for t in doc if t.text == "Tripoli")).code

    assert tripoli("Shells hit Tripoli, the north Lebanese port, on Monday.") == "LBN"
    assert tripoli("Shells hit Tripoli on Monday.") == "LBY"  # the capital, else


def test_a_place_named_new_and_a_country_is_not_that_country(nlp):
    # "Gov. Susana Martinez of New Mexico" made her, and the rest of a campaign report's actors, Mexico's
    def country(text, name):
        doc = nlp(text)
        coder = ActorCoder(doc, find_mentions(doc, Article(id="a1", input="-", text=text)), "2016-07-21")
        return coder.code(next(t for t in doc if t.text == name)).country

    assert country("Gov. Lena Varga of New Mexico spoke at the convention.", "Varga") is None
    assert country("New Jersey Gov. Lena Varga accused her rival of lying.", "Varga") is None
    assert country("New Zealand's prime minister, Lena Varga, spoke at the convention.", "Varga") == "NZL"
    # nor is the one state a sentence names, for its stateless actors
    codes = {c for e in coded(nlp, "New Jersey Gov. Lena Varga accused Tom Kell of lying to voters.")
             for c in (e.source_actor, e.target_actor)}
    assert "JEY" not in codes
    assert country("Gov. Lena Varga of Mexico spoke at the convention.", "Varga") == "MEX"


# ------------------------------------------------------------------------------------ types


def test_meeting_with_actors_place_and_date(nlp):
    evs = coded(nlp, "Peruvian President Ana Varga met Chilean leaders in Lima on Friday.")
    assert triples(evs) == [("CONSULT", "PER", "CHL")]
    assert (evs[0].location, evs[0].date, evs[0].source_sector) == ("Lima", "2026-03-06", "GOV")


def test_light_verb_takes_the_type_of_its_event_noun(nlp):
    # CAMEO 163 "impose embargo, boycott, or sanctions" is COERCE in the PLOVER project's 2021 table, and
    # SANCTION by its cue category (16), as older PLOVER had it
    try:
        for cues, typ in ((False, "COERCE"), (True, "SANCTION")):
            use_choices(dataclasses.replace(lexicon().choices, cues=cues))
            assert triples(coded(nlp, "Norway imposed sanctions on Belarus.")) == [(typ, "NOR", "BLR")]
    finally:
        use_choices(None)
    assert triples(coded(nlp, "Kenya and Uganda held talks in Nairobi.")) == [("CONSULT", "KEN", "UGA")]
    assert triples(coded(nlp, "Thousands of Chilean farmers staged a protest in Santiago.")) == \
        [("PROTEST", "CHL", "CHL")]


def test_a_support_verb_reports_its_event_noun(nlp):
    # "mount" has no code of its own; its block's one noun pattern ("- * ATTACK [190]") codes what "attack"
    # codes, so "invasion" (made from "invade", 192) is coded as the invasion itself
    text = "Peru mounted an invasion of Bolivia."
    try:
        use_choices(dataclasses.replace(lexicon().choices, cues=False))
        assert triples(coded(nlp, text)) == [("COERCE", "PER", "BOL")]  # the 2021 table: 192 is COERCE
        use_choices(dataclasses.replace(lexicon().choices, cues=True))
        assert triples(coded(nlp, text)) == [("ASSAULT", "PER", "BOL")]  # CAMEO's cue category 19
        use_choices(dataclasses.replace(lexicon().choices, event_nouns=False))
        assert coded(nlp, text) == ()
    finally:
        use_choices(None)


def test_a_statement_says_what_its_participle_says(nlp):
    assert triples(coded(nlp, "The Chilean rebels issued a statement demanding that Peru release the prisoners.")) \
        == [("REQUEST", "CHL", "PER")]


def test_a_vow_is_the_intent_to_do_what_is_vowed(nlp):
    # "swear" alone is CAMEO's ALLEGE (110); sworn to do something, it is an intent to do it
    assert triples(coded(nlp, "Chilean rebels swore to fight the Peruvian army.")) == [("THREATEN", "CHL", "PER")]
    assert triples(coded(nlp, "Bolivia pledged to withdraw its troops from Peru.")) == [("AGREE", "BOL", "PER")]


def test_a_participle_that_describes_names_no_participant(nlp):
    # Norway brokered the deal; it is no party to it
    assert coded(nlp, "Negotiators reached a deal brokered by Norway.") == ()


def test_a_thing_given_to_an_actor_or_discussed_by_two_is_dyadic(nlp):
    # a verb's own code needs an actor acted on: in a target phrase, or beside the subject, will do
    assert triples(coded(nlp, "Ecuador donated medical supplies to Peru.")) == [("AID", "ECU", "PER")]
    assert triples(coded(nlp, "Peru and Chile discussed the border dispute.")) == [("CONSULT", "PER", "CHL")]
    assert coded(nlp, "Mali hosted the regional song festival.") == ()


def test_a_threat_is_aimed_at_whom_its_condition_names(nlp):
    assert triples(coded(nlp, "Peru threatened to close its border unless the rebels laid down their arms.")) == \
        [("THREATEN", "PER", "PER")]


def test_a_block_the_manual_types_types_its_other_verbs(nlp):
    # CAMEO's REFUSE block has no code; the manual makes "reject", "refuse" and "resist" REJECT
    assert lexicon().manual["deny"] == "REJECT" and lexicon().manual["spurn"] == "REJECT"
    # CANCEL has none either, and the manual's "terminate diplomatic exchange" is SANCTION
    assert triples(coded(nlp, "Peru suspended diplomatic relations with Bolivia.")) == [("SANCTION", "PER", "BOL")]


def test_a_pattern_holds_for_the_verbs_that_share_its_sense(nlp):
    # APPREHEND's "- &MILITARY * [192]  # TAKE" (soldiers taking a place: occupation) was found under TAKE;
    # ARREST is listed there with a code of its own [173], so soldiers arresting people is arrest, not that
    assert triples(coded(nlp, "Chilean soldiers arrested twenty Peruvian fishermen.")) == [("COERCE", "CHL", "PER")]
    assert triples(coded(nlp, "Chilean troops captured a Peruvian town.")) == [("ASSAULT", "CHL", "PER")]


def test_a_pattern_reads_the_verb_s_own_phrases(nlp):
    # "ORDER * &INVESTIGATION [091]" names the order's object, not a word of the infinitive it governs
    assert triples(coded(nlp, "The judge ordered the Kenyan minister to appear for questioning in an "
                              "investigation.")) == [("REQUEST", "KEN", "KEN")]


def test_verbs_of_aspect_share_their_event_nouns(nlp):
    # "- * {HUNGER STRIKE} [142]" is START's; CONTINUE and RESTART report the same act
    for verb in ("began", "continued", "resumed"):
        assert triples(coded(nlp, f"Algerian students {verb} a hunger strike on Monday.")) == \
            [("PROTEST", "DZA", "DZA")], verb


def test_an_act_named_as_the_subject_of_a_verb_of_going_on_goes_on(nlp):
    # "protests continued": the noun is the act (any event noun, "riot" as "riot"), its actors the noun's own
    assert triples(coded(nlp, "Protests against the Chinese government continued in Hong Kong.")) == \
        [("PROTEST", "HKG", "CHN")]
    assert triples(coded(nlp, "Sudanese riots against Egyptian policies are continuing.")) == \
        [("PROTEST", "SDN", "EGY")]
    assert triples(coded(nlp, "The talks continued in Geneva.")) == []  # no one named


def test_a_verb_listed_twice_in_a_block_is_its_fuller_line(nlp):
    # DESTROY lists "BEAT" and "BEAT {BEATS BEATING BEATEN} [182]": beating is assault, not BREAK's
    # "- * (WITH) [130]" that the block's other verbs share
    assert triples(coded(nlp, "Turkish soldiers beat Kurdish prisoners with rifle butts.")) == \
        [("ASSAULT", "TUR", "TUR")]


def test_doing_again_is_doing(nlp):
    assert triples(coded(nlp, "Chilean troops retook a Peruvian town.")) == [("ASSAULT", "CHL", "PER")]
    assert triples(coded(nlp, "Chile reimposed sanctions on Peru.")) == [("SANCTION", "CHL", "PER")]


def test_a_thing_acted_on_points_to_whose_it_is(nlp):
    assert triples(coded(nlp, "Peru rejected a United Nations proposal for new elections.")) == \
        [("REJECT", "PER", "IGO")]


def test_a_pattern_for_an_act_plover_dropped_leaves_the_event_noun_to_code(nlp):
    # START's "LAUNCH * EFFORT [020]" is an appeal (no PLOVER type); the effort is a mediation
    assert triples(coded(nlp, "Qatar launched a mediation effort between Chad and Sudan.")) == \
        [("CONSULT", "QAT", "TCD")]


def test_speech_is_not_an_event(nlp):
    assert coded(nlp, "Officials in Oslo said the weather had been mild all week.") == ()


def test_negation_rejects_cooperation_and_cancels_hostility(nlp):
    assert triples(coded(nlp, "Bolivia refused to sign the water accord with Paraguay.")) == \
        [("REJECT", "BOL", "PRY")]
    assert triples(coded(nlp, "Ghana failed to reach an agreement with Togo.")) == [("REJECT", "GHA", "TGO")]
    assert coded(nlp, "Estonia did not attack Latvia.") == ()


def test_stated_intent_is_agree_or_threaten(nlp):
    assert triples(coded(nlp, "Ecuador will send aid to Colombia.")) == [("AGREE", "ECU", "COL")]
    assert triples(coded(nlp, "Norway said it would expel two Swedish diplomats.")) == \
        [("THREATEN", "NOR", "SWE")]
    assert triples(coded(nlp, "Chad said it is willing to withdraw its troops from Niger.")) == \
        [("AGREE", "TCD", "NER")]
    # a promised withdrawal made conditional is a threat
    assert [e.type for e in coded(nlp, "Mali will withdraw its envoy from Niger unless the border reopens.")] \
        == ["THREATEN"]


def test_hypotheticals_norms_and_idioms_are_not_events(nlp):
    assert coded(nlp, "Greece could attack Turkey.") == ()
    assert coded(nlp, "Voters who lie should not be allowed to vote in Ghana.") == ()
    assert coded(nlp, "The Kenyan minister declined to comment on the report.") == ()
    assert coded(nlp, "The guard was giving the Estonian visitors a lot of grief.") == ()
    assert [e.type for e in coded(nlp, "Mali hosted the regional song festival.")] == []
    assert [e.type for e in coded(nlp, "Mali hosted Niger's president.")] == ["CONSULT"]


def test_a_sector_word_from_the_agents_dictionary(nlp):
    # "gunman" is an unaffiliated armed actor (UAF) in the Phoenix agents; placed where the sentence puts it
    evs = coded(nlp, "A gunman opened fire at an office party in Denver.")
    assert triples(evs) == [("ASSAULT", "USA", "USA")] and evs[0].source_sector == "UAF"
    assert triples(coded(nlp, "The Kenyan Umoja party rejected the Tanzanian offer.")) == [("REJECT", "KEN", "TZA")]


def test_a_reported_must_is_a_request(nlp):
    assert triples(coded(nlp, "Finland said Estonia must release the detained sailors.")) == \
        [("REQUEST", "FIN", "EST")]


def test_a_promise_speaks_for_what_it_promises(nlp):
    # "agreed to share": one AGREE, not an AGREE and a COOPERATE
    assert triples(coded(nlp, "Austria agreed to share intelligence with Hungary.")) == [("AGREE", "AUT", "HUN")]


# ----------------------------------------------------------------------------------- actors


def test_passive_voice(nlp):
    assert triples(coded(nlp, "A convoy from Kenya was attacked by Somali militants.")) == \
        [("ASSAULT", "SOM", "KEN")]


def test_sectors_without_a_state(nlp):
    evs = coded(nlp, "Rebels attacked a police station.")
    assert triples(evs) == [("ASSAULT", "REB", "COP")]


def test_a_domestic_actor_takes_the_state_the_sentence_places_it_in(nlp):
    evs = coded(nlp, "Police arrested forty protesters in Lagos on Monday.")
    assert triples(evs) == [("COERCE", "NGA", "NGA")]
    assert evs[0].source_sector == "COP" and evs[0].date == "2026-03-02"


def test_people_take_the_state_the_article_ties_them_to(nlp):
    text = ("Kenyan President Mosi Ruto visited Kampala. Later, Ruto praised Uganda for its patience. "
            "He also thanked Tanzania.")
    # visiting a capital is a visit to its state; "Ruto" and then "He" are still Kenya's president
    assert triples(coded(nlp, text)) == [("CONSULT", "KEN", "UGA"), ("SUPPORT", "KEN", "UGA"),
                                         ("SUPPORT", "KEN", "TZA")]


def test_a_town_only_the_countries_dictionary_knows_places_the_act(nlp):
    # Hawija is listed under IRAQ_ in the Phoenix Countries file, not among the gazetteer's large cities
    assert triples(coded(nlp, "A car bomb near the town of Hawija killed three Turkish engineers.")) == \
        [("ASSAULT", "IRQ", "TUR")]
    # so is the demonym "Ecuadorian", which the gazetteer spells "Ecuadorean"
    assert triples(coded(nlp, "Ecuadorian troops shelled a Colombian village.")) == [("ASSAULT", "ECU", "COL")]



def test_a_territory_the_countries_dictionary_codes_with_its_state_lies_in_it(nlp):
    # "GAZA_ [PSEGZA]" with "+GAZA_STRIP": the Gaza Strip is Palestinian, not the raiders' own ground
    assert triples(coded(nlp, "Israeli troops raided a village in the Gaza Strip.")) == [("ASSAULT", "ISR", "PSE")]


def test_a_conflict_at_home_is_aimed_at_the_state(nlp):
    # no target named, and the sentence names no other state: the conflict is the source's state's own
    assert triples(coded(nlp, "The Peruvian interior minister threatened to impose a curfew in Cusco.")) == \
        [("THREATEN", "PER", "PER")]
    assert triples(coded(nlp, "The Kenyan vice-president refused to resign.")) == [("REJECT", "KEN", "KEN")]
    # a state named as such does not act on itself
    assert triples(coded(nlp, "Lima's retaliatory attacks targeted depots in several Andean countries.")) == \
        [("ASSAULT", "PER", None)]


def test_what_one_hopes_others_will_do_is_no_event(nlp):
    assert coded(nlp, "Estonia hopes that Latvia will withdraw its troops.") == ()


def test_a_passive_with_a_pronoun_takes_no_state_from_its_complement(nlp):
    assert coded(nlp, "They were caught in what critics call the Lima trap.") == ()


def test_an_unknown_body_is_of_the_one_state_its_sentence_names(nlp):
    assert triples(coded(nlp, "The Nahda (Renaissance) movement said it will boycott Peru's elections.")) == \
        [("THREATEN", "PER", "PER")]


def test_an_ethnic_group_is_of_the_state_it_lives_in(nlp):
    assert triples(coded(nlp, "Ethnic Peruvians demonstrated in Chile on Sunday.")) == [("PROTEST", "CHL", "CHL")]


def test_a_head_word_takes_the_sector_of_the_agent_phrases_it_ends(nlp):
    # no Phoenix agent is "official" alone; "customs official", "court official", ... are mostly GOV
    evs = coded(nlp, "Officials arrested three smugglers.")
    assert [(e.type, e.source_actor) for e in evs] == [("COERCE", "GOV")]


def test_a_body_the_dictionaries_lack_is_international_when_its_name_opens_as_only_theirs_do(nlp):
    # "European ..." opens only international bodies' names in the Phoenix dictionaries (Commission,
    # Parliament, Free Trade Association, Students Forum): the European Community is not Kenya's
    assert triples(coded(nlp, "The European Community gave Kenya 5 million dollars of aid.")) == \
        [("AID", "IGO", "KEN")]
    assert triples(coded(nlp, "Spain criticized the European Community foreign ministers.")) == \
        [("ACCUSE", "ESP", "IGO")]
    # a state's name or demonym says whose a body is
    assert international_body("the Norwegian Refugee Council") is None
    assert international_body("the European Community") in ("IGO", "NGO")


def test_a_body_the_tagger_takes_for_a_person_is_a_body(nlp):
    # the mention stage reads "Red Cross" as a person's name; the Phoenix dictionaries know the body
    evs = coded(nlp, "The Red Cross working in Peru said Chile must release the prisoners.")
    assert [(e.type, e.source_sector, e.target_actor) for e in evs] == [("REQUEST", "NGO", "CHL")]


def test_international_bodies_may_be_coded_igo(nlp):
    text = "Amnesty International accused Peru of torture."
    try:
        for bodies, code in ((False, "NGO"), (True, "IGO")):
            use_choices(dataclasses.replace(lexicon().choices, bodies=bodies))
            assert triples(coded(nlp, text)) == [("ACCUSE", code, "PER")]
    finally:
        use_choices(None)


def test_capitals_and_seats_stand_for_their_states(nlp):
    assert triples(coded(nlp, "Ottawa criticised Canberra over the fishing quotas.")) == [("ACCUSE", "CAN", "AUS")]


def test_actor_coder_reads_titles_and_possessives(nlp):
    doc = nlp("Peru's foreign minister Ana Varga met the Bolivian envoy. Varga thanked the United Nations.")
    coder = ActorCoder(doc)
    by_text = {t.text: t for t in doc}
    assert coder.code(by_text["minister"]).code == "PER"
    assert coder.code(by_text["envoy"]).code == "BOL"
    assert coder.code(doc[-3]).code == "IGO"
    assert coder.person_country("Ana Varga") == coder.person_country("Varga") == "PER"


def test_actor_coder_gives_each_sentence_its_entities_like_span_ents(nlp):
    doc = nlp("Peru and Bolivia signed a river pact in La Paz on Monday. Ana Varga of the United Nations "
              "welcomed it. Chilean officials in Santiago said nothing.")
    coder = ActorCoder(doc)
    spans = [*doc.sents, doc[2:9], doc[0:1], doc[len(doc) - 1:]]
    assert sum(len(s.ents) for s in doc.sents) >= 5
    for span in spans:
        assert [(e.start, e.end, e.label_) for e in coder.ents_in(span)] == \
            [(e.start, e.end, e.label_) for e in span.ents]


# ------------------------------------------------------------------------------ corpus stage


def _notes(nlp, art: Article) -> Notes:
    doc = nlp(art.text)
    ms = find_mentions(doc, art)
    ts = find_times(doc, art)
    return Notes(art.id, sentences=tuple(Sentence(s.start_char, s.end_char) for s in doc.sents), mentions=ms,
                 times=ts, events=events.find_events(doc, art, ms, ts))


def test_build_merges_reports_and_lends_a_person_the_story_s_knowledge(nlp):
    arts = [Article(id="a", input="-", story="s", date="2026-03-06",
                    text="Peruvian President Ana Varga met Chilean President Luis Soto in Lima on Friday."),
            Article(id="b", input="-", story="s", date="2026-03-07",
                    text="Varga met Soto in Lima."),
            Article(id="c", input="-", story="t", date="2026-03-06",
                    text="Varga met Soto in Lima on Friday.")]
    notes = {a.id: _notes(nlp, a) for a in arts}
    evs = event_merge.build(arts, notes, EntityIndex())
    consult = [e for e in evs if e.type == "CONSULT"]
    merged = [e for e in consult if set(e.article_ids) == {"a", "b"}]
    assert len(merged) == 1
    e = merged[0]
    # "b" alone cannot tell who Varga is; the story can. Its date is the article's day, a day after
    # the meeting the first report dates, so the text's date wins.
    assert (e.source_actor, e.target_actor, e.date, e.location) == ("PER", "CHL", "2026-03-06", "Lima")
    assert e.id.startswith("ev")
    # another story's report stays apart
    assert any(e.article_ids == ("c",) for e in consult)


def test_build_reads_dates_again_after_inference(nlp):
    arts = [Article(id="a", input="-", story="s", date="2026-03-06", text="Chile hosted Peru on Friday."),
            Article(id="b", input="-", story="s", text="Today Chile hosted Peru.")]
    notes = {a.id: _notes(nlp, a) for a in arts}
    arts, notes = infer_dates(arts, notes, {"a": "s", "b": "s"})
    evs = event_merge.build(arts, notes, EntityIndex())
    assert [(e.type, e.date, set(e.article_ids)) for e in evs] == [("CONSULT", "2026-03-06", {"a", "b"})]


# ---------------------------------------------------------------------------------------- seeds


def seed_article(prefix: str) -> Article:
    raw = seed_path(prefix).read_text(encoding="utf-8")
    m = re.match(r"\s*date (\d{4}-\d\d-\d\d) ?", raw)
    return Article(id=prefix, input=str(seed_path(prefix)), text=raw[m.end():] if m else raw,
                   date=m.group(1) if m else None, story="s")


def test_seed_meeting_is_one_consult_between_canada_and_japan_on_its_day(nlp):
    arts = [seed_article(p) for p in ("000", "001", "002", "003", "004")]
    notes = {a.id: _notes(nlp, a) for a in arts}
    arts, notes = infer_dates(arts, notes, {a.id: "s" for a in arts})
    _, index = resolve(arts, notes)
    evs = event_merge.build(arts, notes, index)
    meeting = [e for e in evs if e.type == "CONSULT" and {e.source_actor, e.target_actor} == {"CAN", "JPN"}
               and e.date == "2026-03-06"]
    assert len(meeting) == 1
    assert {"001", "004"} <= set(meeting[0].article_ids)  # the wire report and the government release
    assert all(e.type in TYPES for e in evs)
    assert not any(e.date is None for e in evs)
    # no state acts on itself, and the joint statement ("strongly oppose any unilateral attempts") rejects no one
    assert not any(e.source_actor is not None and e.source_actor == e.target_actor for e in evs)
    assert not any(e.type == "REJECT" for e in evs)
    # no hope coded as a threat ("hopes that the two countries will enhance their economic security"), no
    # state taken from inside a complement ("caught in what analysts call the Washington distraction")
    assert not any(e.type == "THREATEN" and "hopes that" in e.text for e in evs)
    assert not any(e.type == "COERCE" and "Washington distraction" in e.text for e in evs)


# ------------------------------------------------------------------------------ measured (slow)


@pytest.mark.slow
def test_plover_gold_standard_records(nlp, data_dir):
    """A floor under the development records' figures, not the goals: the coder scores 0.789 / 0.727 /
    0.16 on them, short of type recall 0.80 (benchmarks/events.md;
    benchmarks/plover_halves.py gives each half and the cross-fit)."""
    folder = data_dir / "plover"
    rows = [json.loads(line) for line in (folder / "input.jsonl").read_text(encoding="utf-8").splitlines()]
    arts = [Article(id=r["id"], input="-", text=r["text"], source_id=r["id"], date=r.get("date")) for r in rows]
    notes = {}
    for art, doc in zip(arts, nlp.pipe([a.text for a in arts], batch_size=32), strict=True):
        ms = find_mentions(doc, art)
        ts = find_times(doc, art)
        notes[art.id] = Notes(art.id, mentions=ms, times=ts, events=events.find_events(doc, art, ms, ts))
    _, index = resolve(arts, notes)
    evs = event_merge.build(arts, notes, index)
    data = {"articles": [{"id": a.id, "source_id": a.source_id} for a in arts],
            "events": [{"type": e.type, "source_actor": e.source_actor, "target_actor": e.target_actor,
                        "article_ids": list(e.article_ids)} for e in evs]}
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    spec = importlib.util.spec_from_file_location("score", SHARED / "tools" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)
    _, line = score.events(data, gold)
    found = re.search(r"type recall ([\d.]+), with actors ([\d.]+), extra events per record ([\d.]+)", line)
    assert found, line
    recall, actors, other = (float(x) for x in found.groups())
    assert recall >= 0.75 and actors >= 0.66 and other <= 0.25, line


def test_verbs_of_motion_share_their_purpose_phrases(nlp):
    # ARRIVE's and ASSEMBLE's "(FOR TALKS) [046]": returning for talks is consulting too
    assert triples(coded(nlp, "Kenyan negotiators returned to Nairobi for talks.")) == [("CONSULT", "KEN", None)]
    assert triples(coded(nlp, "Kenyan negotiators returned to Nairobi on Monday.")) == []


def test_an_infinitive_put_to_the_object_is_an_act_of_its_own(nlp):
    # "summoned the ambassador to complain": the summons (SUMMON [040]) and the complaint, to the one summoned;
    # neither the summons' commitment (AGREE) nor absorbed by it
    evs = triples(coded(nlp, "Nigerian junior foreign minister Dubem Oniya summoned Niger's ambassador Brah "
                             "Mohamane to complain of inaction over the gangs."))
    assert evs == [("CONSULT", "NGA", "NER"), ("ACCUSE", "NGA", "NER")]
    # a commitment with no object keeps its infinitive ("agreed to share")
    assert triples(coded(nlp, "Kenya agreed to share intelligence with Uganda.")) == [("AGREE", "KEN", "UGA")]


def test_a_counted_object_s_of_phrase_is_what_the_verb_acts_on(nlp):
    # START's "&FIGHT_GAMES IN + [062:062]" names the war games, not the days they last
    assert [e.type for e in coded(nlp, "French and Egyptian warships on Monday launched 10 days of war games in "
                                       "the Mediterranean Sea.")] == ["COOPERATE"]


def test_the_act_a_support_verb_puts_its_object_under(nlp):
    # ARRANGE ("put", "place") is a block of support verbs; "under investigation" names the act
    assert triples(coded(nlp, "A US national has been put under investigation in Italy for her possible role "
                              "in rioting.")) == [("ACCUSE", "ITA", "USA")]
