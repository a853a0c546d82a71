"""Quotes: mark pairing, each quote form, each speaker pattern, statements across outlets, the seeds."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from rashomon.model import Analysis, Article, Notes
from rashomon.text import nlp as nlp_mod
from rashomon.who.entities import resolve
from rashomon.who.mentions import find_mentions
from rashomon.who.quote_groups import build
from rashomon.who.quote_marks import scan
from rashomon.who.quotes import find_quotes

from ..conftest import SHARED, seed_path


def quotes_of(nlp, text: str, aid: str = "a1"):
    doc = nlp(text)
    art = Article(id=aid, input="-", text=text)
    return find_quotes(doc, art, find_mentions(doc, art))


def one(nlp, text: str):
    found = [q for q in quotes_of(nlp, text) if not q.fragment]
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------------------------ quote marks


def test_marks_straight_curly_and_guillemets():
    text = 'She said "yes." He said \u201cno.\u201d They said \u00abmaybe.\u00bb'
    assert [text[s.start:s.end] for s in scan(text)] == ["yes.", "no.", "maybe."]


def test_marks_nested_single_and_double_quotes_stay_inside():
    text = "\u201cHe told me \u2018never again\u2019 and left,\u201d she said. \"It read 'closed' all day.\""
    assert [text[s.start:s.end] for s in scan(text)] == [
        "He told me \u2018never again\u2019 and left,", "It read 'closed' all day."]


def test_marks_apostrophes_are_not_closing_singles():
    text = "\u201cThe mayor\u2019s plan isn\u2019t ours,\u201d she said."
    assert [text[s.start:s.end] for s in scan(text)] == ["The mayor\u2019s plan isn\u2019t ours,"]


def test_marks_unmatched_opener_is_dropped_not_swallowing_the_text():
    text = "She vowed to \u201cact and said \u201cwe will act now\u201d to reporters.\nNext paragraph \u201chere.\u201d"
    assert [text[s.start:s.end] for s in scan(text)] == ["we will act now", "here."]


def test_marks_attribute_values_of_markup_are_not_quotes():
    text = '<post author="@ilsevarga" date="May 2, 2031">Bridge open!</post> She wrote "the bridge is open."'
    assert [text[s.start:s.end] for s in scan(text)] == ["the bridge is open."]


def test_marks_quote_missing_its_close_runs_to_the_paragraph_end_and_continues():
    text = "\u201cFirst paragraph of a long quote.\n\u201cSecond one, closed.\u201d"
    spans = scan(text)
    assert [s.closed for s in spans] == [False, True]
    assert spans[0].continues


def test_marks_straight_opener_closed_by_a_curly_mark():
    text = '\u201cOur roads are crumbling," she said. "Families endure blackouts every winter.\u201d'
    assert [text[s.start:s.end] for s in scan(text)] == ["Our roads are crumbling,", "Families endure blackouts every winter."]


def test_marks_curly_opener_typed_as_the_closer():
    text = "\u201cWe will do very well with the voters,\u201c he said. Then he left."
    assert [text[s.start:s.end] for s in scan(text)] == ["We will do very well with the voters,"]


@settings(max_examples=200, deadline=None)
@example("\u201ca\u201d\u201ca\u201d")
@given(st.text(alphabet=st.sampled_from(list("ab .,\n'\"\u201c\u201d\u2018\u2019\u00ab\u00bb")), max_size=80))
def test_marks_never_crash_and_spans_are_ordered_inside_the_text(text):
    spans = scan(text)
    last = 0
    for s in spans:
        assert 0 <= s.open < s.start <= s.end <= s.close <= len(text)
        assert s.open >= last  # ``close`` is exclusive: "“a”“b”" opens the second where the first ends
        last = s.close


# ------------------------------------------------------------------------------------ quote forms


def test_trailing_cue_with_a_titled_speaker(nlp):
    q = one(nlp, '"The harbour will reopen in May," Mayor Ilse Varga said on Tuesday.')
    assert (q.text, q.speaker, q.cue, q.speaker_kind) == ("The harbour will reopen in May", "Ilse Varga", "said", "name")


def test_inverted_cue_and_appositive(nlp):
    q = one(nlp, "\u201cWe expect a decision soon,\u201d said Tomas Brenner, a lawyer in Kestrel.")
    assert q.speaker == "Tomas Brenner" and q.cue == "said"


def test_quote_split_around_its_cue_is_one_quote(nlp):
    q = one(nlp, "Anna Kovac opened the bridge. \u201cIt is safe,\u201d she said, \u201cand it will stay open.\u201d")
    assert q.text == "It is safe, and it will stay open."
    assert len(q.parts) == 2 and q.speaker == "Anna Kovac"


def test_split_quote_across_a_short_attribution_is_one_quote(nlp):
    q = one(nlp, "\u201cThe vote was fair,\u201d Tomas Brenner said. \u201cWe accept it.\u201d")
    assert q.text == "The vote was fair. We accept it." and len(q.parts) == 2


def test_two_statements_with_their_own_cues_stay_apart(nlp):
    qs = quotes_of(nlp, "\u201cGo home,\u201d Ilse Varga told the crowd before asking them, \u201cWho will stay?\u201d")
    assert [q.text for q in qs] == ["Go home", "Who will stay?"]
    assert all(q.speaker == "Ilse Varga" for q in qs)


def test_multi_sentence_colon_introduced_quote(nlp):
    q = one(nlp, "Tomas Brenner said: \u201cThe vote was fair. The count was slow. We accept it.\u201d")
    assert q.text.count(".") == 3 and q.speaker == "Tomas Brenner"


def test_colon_at_the_end_of_the_previous_paragraph(nlp):
    q = one(nlp, "Tomas Brenner spoke after the vote.\n\nHe continued:\n\n\"The tunnel will be finished next year.\"")
    assert q.speaker == "Tomas Brenner" and q.cue == "continued"


def test_according_to(nlp):
    q = one(nlp, '"The plan is dead on arrival," according to Senator Mara Ostrov.')
    assert q.speaker == "Mara Ostrov" and q.cue == "according to"


def test_told_reporters(nlp):
    q = one(nlp, 'Mara Ostrov arrived late. "Nothing has changed," Ostrov told reporters.')
    assert q.speaker == "Mara Ostrov" and q.cue == "told"


def test_participle_takes_the_clause_subject(nlp):
    q = one(nlp, 'Tomas Brenner praised the plan, adding, "We are ready to do much more."')
    assert q.speaker == "Tomas Brenner" and q.cue == "adding"


def test_passive_agent_is_the_speaker(nlp):
    q = one(nlp, '"Stay calm and wait," was written by Greta Lind on the wall.')
    assert q.speaker == "Greta Lind"


def test_paragraph_of_its_own_continues_the_previous_speaker(nlp):
    qs = quotes_of(nlp, "\u201cWe will rebuild,\u201d Ilse Varga said.\n\n\u201cThe town deserves it.\u201d")
    assert [q.speaker for q in qs] == ["Ilse Varga", "Ilse Varga"]


def test_no_continuation_when_someone_else_is_named_between(nlp):
    qs = quotes_of(nlp, "\u201cWe will rebuild,\u201d Ilse Varga said.\n\nTomas Brenner disagreed.\n\n\u201cThe town is lost.\u201d")
    assert [q.speaker for q in qs] == ["Ilse Varga"]


def test_dash_signature(nlp):
    q = one(nlp, "\u201cNever give up on the valley.\u201d \u2015 Mara Ostrov\n")
    assert q.speaker == "Mara Ostrov" and q.cue is None


def test_unmatched_mark_does_not_crash_and_keeps_the_closed_quote(nlp):
    qs = quotes_of(nlp, "Ilse Varga vowed to \u201copen the port and said \u201cwe will act now\u201d to reporters.")
    assert [q.text for q in qs] == ["we will act now"]


# ---------------------------------------------------------------------------------- speakers


def test_she_goes_to_the_woman_he_to_the_man(nlp):
    base = "Ilse Varga met Tomas Brenner on Monday in Kestrel. "
    assert one(nlp, base + "\u201cWe made progress,\u201d she said.").speaker == "Ilse Varga"
    assert one(nlp, base + "\u201cWe made progress,\u201d he said.").speaker == "Tomas Brenner"


def test_honorific_beats_the_nearest_name(nlp):
    text = "Mrs. Lind spoke first and Tomas Brenner listened. \u201cWe cannot wait,\u201d she said."
    assert one(nlp, text).speaker == "Lind"


def test_definite_description_resolves_to_the_described_person(nlp):
    text = ("Kamil Nowak, a professor of law at Fenwick University, followed the case. "
            "Greta Lind did not. \u201cThe ruling is narrow,\u201d the professor said.")
    q = one(nlp, text)
    assert q.speaker == "Kamil Nowak" and q.speaker_kind == "description" and q.speaker_text == "the professor"


def test_document_and_indefinite_speakers_stay_as_written(nlp):
    q = one(nlp, "\u201cBoth sides reject the use of force,\u201d the joint statement said.")
    assert (q.speaker, q.speaker_kind) == ("the joint statement", "document")
    q = one(nlp, "\u201cThe port stays closed until June,\u201d a government official said.")
    assert (q.speaker, q.speaker_kind) == ("a government official", "description")


def test_partial_quotes_in_reported_speech_are_fragments(nlp):
    qs = quotes_of(nlp, "Ilse Varga called the deal \u201ca good start\u201d and pledged to \u201ckeep the port open.\u201d")
    assert [q.fragment for q in qs] == [True, True]
    assert all(q.speaker == "Ilse Varga" for q in qs)


def test_lowercase_quote_after_an_earlier_sentence_is_still_a_fragment(nlp):
    qs = quotes_of(nlp, "\u201cWe will act,\u201d Ilse Varga said. Among other plans, she mentioned "
                        "\u201cports and roads\u201d for the valley.")
    assert [(q.text, q.fragment) for q in qs] == [("We will act", False), ("ports and roads", True)]


def test_scare_quotes_without_a_cue_are_not_quotes(nlp):
    assert quotes_of(nlp, "The \u201cgreen corridor\u201d plan was shelved after the storm.") == ()


# ------------------------------------------------------------ speakers: phrases, non-speakers, descriptions


def speakers_of(nlp, text: str) -> list[tuple[str, str | None]]:
    return [(q.text, q.speaker) for q in quotes_of(nlp, text)]


def test_description_keeps_its_whole_noun_phrase(nlp):
    q = one(nlp, "\u201cWe will rebuild the pier,\u201d the Port Elsworth harbourmaster said.")
    assert (q.speaker, q.speaker_text) == ("the Port Elsworth harbourmaster", "the Port Elsworth harbourmaster")
    assert one(nlp, "\u201cThe school must stay open,\u201d the 41-year-old teacher said.").speaker == \
        "the 41-year-old teacher"
    [q] = quotes_of(nlp, "According to a 12-count indictment filed by prosecutors in Fenwick, the brokers ran "
                         "a \u201cdecade-long scheme\u201d to hide losses.")
    assert (q.speaker, q.speaker_kind) == ("a 12-count indictment", "document")


def test_a_time_heading_glued_to_the_sentence_is_not_the_speaker(nlp):
    [q] = quotes_of(nlp, "Nobody expected the speech.\n\n10:30 a.m.\n\n"
                         "Senator Ruiz\u2019s physician is calling the senator \u201cremarkably healthy.\u201d")
    assert q.speaker == "Senator Ruiz\u2019s physician"


def test_poll_figures_and_abstract_nouns_do_not_speak(nlp):
    text = ("Only 41 percent of likely voters agreed that Dana Whitfield is \u201cready to lead,\u201d while "
            "58 percent said Paul Ostrow was \u201ctoo cautious.\u201d")
    assert [s for _, s in speakers_of(nlp, text)] == [None, None]
    text = "The choice was between going after Ostrow as \u201creckless and unready\u201d or ignoring him."
    assert [s for _, s in speakers_of(nlp, text)] in ([None], [])
    text = "The scandal prompted Dana Whitfield to make a bitter remark that described the rivals as \u201cclowns.\u201d"
    assert [s for _, s in speakers_of(nlp, text)] == [None]


def test_a_subject_after_its_verb_does_not_speak_a_later_quote(nlp):
    assert [s for _, s in speakers_of(nlp, "Calls rivals rude names, like \u201cclowns,\u201d and runs a casino.")] \
        in ([None], [])


def test_who_goes_to_the_nearest_noun_that_can_speak(nlp):
    [q] = quotes_of(nlp, "By noon, Pastor Vale began taking calls from farmers to his radio program who said "
                         "they had \u201cno faith left\u201d in the board.")
    assert q.speaker == "farmers"


def test_a_dash_the_parser_took_for_a_noun_is_not_the_speaker(nlp):
    q = one(nlp, "When Whitfield noted that Ostrow had not paid the fee \u2015 as was plain once the records were "
                 "made public \u2015 Ostrow boasted, \u201cThat was smart.\u201d")
    assert q.speaker == "Ostrow"


def test_name_inside_an_appositive_speaks(nlp):
    q = one(nlp, "\u201cWe are ready for this fight,\u201d Ostrow's niece, state Sen. Carla Mendez (D-Fenwick), "
                 "shouted to the crowd.")
    assert q.speaker == "Carla Mendez"


def test_the_person_shown_speaking_in_footage_is_the_speaker(nlp):
    assert one(nlp, "The ad uses footage of Dana Whitfield asking, \u201cWhy are we not far ahead?\u201d").speaker \
        == "Dana Whitfield"
    q = one(nlp, "The spot ends with footage of Paul Ostrow saying during the debate last week, "
                 "\u201cThat makes me clever,\u201d when the moderator pressed him.")
    assert (q.speaker, q.cue) == ("Paul Ostrow", "saying")


def test_description_resolves_to_the_person_just_written_about(nlp):
    q = one(nlp, "Greta Lindqvist cited the harbour figures on Monday. "
                 "\u201cWe need a new pier,\u201d the Fenwick businesswoman said.")
    assert (q.speaker, q.speaker_text) == ("Greta Lindqvist", "the Fenwick businesswoman")
    q = one(nlp, "Ivana Petrova spoke in Fenwick on Monday. She said fathers would not qualify, and when pressed "
                 "on why, the 34-year-old mother of two replied, \u201cIt is meant for mothers who give birth.\u201d")
    assert (q.speaker, q.speaker_text) == ("Ivana Petrova", "the 34-year-old mother")


def test_abbreviated_title_counts_as_the_role(nlp):
    q = one(nlp, "If the mill closes, Fenwick Sen. Dana Whitfield is against it. Paul Ostrow disagreed. "
                 "\u201cWe will fight this,\u201d the senator said.")
    assert q.speaker == "Dana Whitfield"


def test_description_is_never_a_guess_between_people(nlp):
    # two women the text is about: no pick
    q = one(nlp, "Greta Lindqvist and Anna Kovac toured the harbour on Monday. "
                 "\u201cWe need a new pier,\u201d the Fenwick businesswoman said.")
    assert q.speaker == "the Fenwick businesswoman"
    # a noun compound names a new person, not the mayor written about before
    q = one(nlp, "Mayor Paul Ostrow opened the fair on Saturday. At the fair, the band leader called the guests "
                 "to the stage, singing \u201cOur Town Tonight.\u201d")
    assert q.speaker == "the band leader"
    # a possessive description is neither its possessor nor the person written about
    for first, second in (("Paul Ostrow", "Dana Whitfield"), ("Dana Whitfield", "Paul Ostrow")):
        q = one(nlp, f"{first} met {second} on Monday. \u201cNobody should panic,\u201d Ostrow's longtime "
                     "strategist said.")
        assert q.speaker == "Ostrow's longtime strategist"
    # the subject of a clause inside the previous sentence is not what it is about
    q = one(nlp, "As Paul Ostrow watched, the crowd cheered. \u201cThis is our year,\u201d the candidate said.")
    assert q.speaker == "the candidate"


# --------------------------------------------------------------------------- across articles


def _corpus(nlp, texts: dict[str, tuple[str, str]]):
    arts = [Article(id=aid, input="-", text=text, outlet=outlet) for aid, (outlet, text) in texts.items()]
    notes = {}
    for a in arts:
        doc = nlp(a.text)
        ms = find_mentions(doc, a)
        notes[a.id] = Notes(a.id, mentions=ms, quotes=find_quotes(doc, a, ms))
    ents, index = resolve(arts, notes)
    return build(arts, notes, index, {}), ents


def test_reworded_statement_is_one_group_with_a_wording_difference(nlp):
    (qs, diffs), ents = _corpus(nlp, {
        "x": ("Kestrel Post", "\u201cWe are strengthening our defence cooperation through information sharing and "
                              "joint patrols,\u201d Mayor Ilse Varga said."),
        "y": ("Valley Times", "\u201cFirst, we are enhancing our defense cooperation with information sharing and "
                              "joint patrols,\u201d Varga told reporters."),
        "z": ("Valley Times", "\u201cThe harbour will close for repairs in the spring,\u201d Tomas Brenner said."),
    })
    by_article = {q.article_id: q for q in qs}
    assert by_article["x"].group == by_article["y"].group != by_article["z"].group
    assert by_article["x"].speaker_id == by_article["y"].speaker_id is not None
    assert len(diffs) == 1 and diffs[0].kind == "quote-wording"
    assert {(i.article_id, i.outlet) for i in diffs[0].items} == {("x", "Kestrel Post"), ("y", "Valley Times")}


def test_same_words_from_two_speakers_are_two_statements(nlp):
    (qs, diffs), _ = _corpus(nlp, {
        "x": ("A", "\u201cThe bridge must reopen before the winter storms,\u201d Ilse Varga said."),
        "y": ("B", "\u201cThe bridge must reopen before the winter storms,\u201d Tomas Brenner said."),
    })
    assert qs[0].group != qs[1].group and diffs == ()


def test_fragments_go_to_their_own_list_in_the_contract(nlp):
    (qs, _), _ = _corpus(nlp, {"x": ("A", "Ilse Varga called it \u201ca good start\u201d. \u201cWe will keep the "
                                          "port open all winter,\u201d she said.")})
    data = Analysis(generated_at="now", quotes=qs).to_contract()
    assert [q["fragment"] for q in data["quotes"]] == [False]
    assert [q["text"] for q in data["fragments"]] == ["a good start"]


# -------------------------------------------------------------------------------------- seeds


def _seed_text(prefix: str) -> tuple[str, str | None]:
    raw = seed_path(prefix).read_text(encoding="utf-8")
    m = re.match(r"\s*date (\d{4}-\d\d-\d\d) ?", raw)
    text = raw[m.end():] if m else raw
    if prefix == "004":  # until the cleaner lands: everything from "Associated links" on is boilerplate
        text = text[:text.index("Associated links")]
    return text, m.group(1) if m else None


@pytest.fixture(scope="module")
def seeds(nlp, seeds_dir):
    arts, notes = [], {}
    for prefix in ("000", "001", "002", "003", "004"):
        text, date = _seed_text(prefix)
        a = Article(id=prefix, input=prefix, text=text, date=date, outlet=f"outlet {prefix}")
        doc = nlp(text)
        ms = find_mentions(doc, a)
        arts.append(a)
        notes[a.id] = Notes(a.id, mentions=ms, quotes=find_quotes(doc, a, ms))
    ents, index = resolve(arts, notes)
    qs, diffs = build(arts, notes, index, {})
    return arts, notes, ents, qs, diffs


def test_seed_quotes_of_six_words_or_more_have_the_right_speaker(seeds):
    _, _, _, qs, _ = seeds
    expected = {  # speakers of every quote of six or more words, in text order
        "000": ["Mark Carney", "Mark Carney", "Mark Carney", "Yee Kuang Heng"],
        "001": ["Mark Carney", "Mark Carney", "Mark Carney", "Sanae Takaichi", "Sanae Takaichi", "Yee Kuang Heng"],
        "002": ["Sanae Takaichi", "Mark Carney", "the statement", "the statement"],
        "003": ["Mark Carney", "Kei Koga", "Tomoo Kikuchi", "Tomoo Kikuchi", "Kei Koga", "Kei Koga"],
    }
    for aid, speakers in expected.items():
        long = [q for q in qs if q.article_id == aid and len(q.text.split()) >= 6]
        assert [q.speaker for q in long] == speakers, aid
    assert not [q for q in qs if q.article_id == "004"]


def test_seed_translation_quotes_share_groups_and_show_both_wordings(seeds):
    _, _, _, qs, diffs = seeds
    heng = [q for q in qs if q.speaker == "Yee Kuang Heng"]
    assert {q.article_id for q in heng} == {"000", "001"} and len({q.group for q in heng}) == 1
    wording = [d for d in diffs if d.kind == "quote-wording"]
    assert {tuple(sorted(d.article_ids)) for d in wording} == {("000", "001")}
    assert len(wording) == 2 and all({i.outlet for i in d.items} == {"outlet 000", "outlet 001"} for d in wording)


def test_seed_non_person_speakers(seeds):
    _, notes, _, _, _ = seeds
    kinds = {q.speaker: q.speaker_kind for q in notes["002"].quotes}
    assert kinds["the statement"] == "document" and kinds["a government official"] == "description"


# ------------------------------------------------- classes found in the errors on PolNeAR's training split


def test_a_name_in_a_modifier_of_the_attribution_does_not_stop_the_quote(nlp):
    q = one(nlp, "\u201cThe plan is good for the city,\u201d said Ed Marlow, a former mayor, referring to the "
                 "Kovac campaign\u2019s list of endorsements. \u201cCities decide elections.\u201d")
    assert q.text == "The plan is good for the city. Cities decide elections." and len(q.parts) == 2
    assert q.speaker == "Ed Marlow"


def test_a_quote_after_a_longer_attribution_sentence_is_still_one_quote(nlp):
    q = one(nlp, "\u201cWe will not pay for the wall,\u201d Tomas Brenner said on Tuesday, suggesting that the "
                 "council could raise the money from its own reserves instead. \u201cThe town has other needs.\u201d")
    assert len(q.parts) == 2 and q.speaker == "Tomas Brenner"


def test_colon_after_a_clause_about_the_speaker(nlp):
    q = one(nlp, "In a radio interview later that day, Greta Lind went even further: "
                 "\u201cThe harbour will never reopen under this council.\u201d")
    assert (q.speaker, q.cue) == ("Greta Lind", "went")


def test_colon_after_a_bare_name(nlp):
    q = one(nlp, "Harbour traffic fell again in March. Tomas Brenner: \u201cThe numbers are clear, and they "
                 "will not get better this year.\u201d")
    assert q.speaker == "Tomas Brenner"


def test_colon_after_a_clause_about_a_thing_gives_no_speaker(nlp):
    for q in quotes_of(nlp, "Greta Lind spoke first. The reason the council gave is simple: "
                            "\u201cThe harbour costs too much to run.\u201d"):
        assert q.speaker is None


def test_inverted_cue_with_a_description(nlp):
    q = one(nlp, "\u201cThe gap is too wide for the mayor to close,\u201d added a New Hampshire Democrat.")
    assert q.speaker == "a New Hampshire Democrat"
    q = one(nlp, "\u201cHow big is that wall going to be?\u201d asked the boy, as the audience laughed.")
    assert q.speaker == "the boy"
    # "one senior Democrat" counts one out of the group: a description too, not the group "Democrat"
    q = one(nlp, "\u201cThe gap is too wide for the mayor to close,\u201d said one senior New Hampshire Democrat.")
    assert q.speaker == "one senior New Hampshire Democrat"


def test_cue_opening_its_sentence_before_the_speaker(nlp):
    q = one(nlp, "The old house is now a museum. Said Dorothy Marsh, who grew up next door, "
                 "\u201cWe were all so proud of him.\u201d")
    assert q.speaker == "Dorothy Marsh"


def test_any_verb_of_the_clause_after_a_quote_attributes_it(nlp):
    q = one(nlp, "Reporters kept asking. \u201cGo back to your studio and stay there,\u201d Tomas Brenner barked.")
    assert (q.speaker, q.cue) == ("Tomas Brenner", "barked")
    q = one(nlp, "\u201cThis is fantastic!\u201d beamed Greta Lind, who had driven six hours.")
    assert q.speaker == "Greta Lind"
    assert [q.text for q in quotes_of(nlp, "\u201cHarbour Lights,\u201d returns the singer on Sunday.")
            if not q.fragment] == []  # a title, not a statement


def test_signature_in_the_next_paragraph(nlp):
    q = one(nlp, "Claims checked this week.\n\n\"We built more bridges than any council before us.\"\n\n"
                 "- Ilse Varga.\n\nThe record shows otherwise.")
    assert q.speaker == "Ilse Varga"


def test_a_name_right_before_the_cue_speaks_whatever_the_parse(nlp):
    qs = quotes_of(nlp, "When someone in the hall shouted, \u201cMarlow,\u201d Brenner joked, again using a heavy "
                        "accent, \u201cAmen, brother! Come on up and get baptized!\u201d")
    assert [(q.text[:4], q.speaker) for q in qs] == [("Marl", "someone"), ("Amen", "Brenner")]


def test_a_name_a_few_words_after_an_inverted_cue(nlp):
    q = one(nlp, "\"I'm not going to say it was a mistake, so forget about it,\" said retired harbourmaster "
                 "Tomas Brenner, asked about his claims.")
    assert q.speaker == "Tomas Brenner"


def test_a_second_verb_speaks_through_the_person_not_it(nlp):
    q = one(nlp, "Appearing before supporters on Monday, Greta Lind, 70, said it was too early to celebrate but "
                 "added, \"I think you all have an idea of the results.\"")
    assert q.speaker == "Greta Lind"


def test_indefinite_pronoun_speakers_stay_as_written(nlp):
    q = one(nlp, "Ilse Varga posted a photo of the bridge. Another tweeted, \u201cThe mayor thinks she is "
                 "above the rules.\u201d")
    assert (q.speaker, q.speaker_kind) == ("another", "description")


def test_crossheads_are_not_anyones_quotes(nlp):
    text = ("Mayor Ilse Varga opened the bridge on Monday.\n\n\u201cSafe at Last\u201d\n\n"
            "\u201cThe bridge is safe, and it will stay open all winter,\u201d she said.\n\n"
            "Costs and Delays\n\n\u201cWe paid for every bolt of it.\u201d")
    qs = [q for q in quotes_of(nlp, text) if not q.fragment]
    assert [q.text for q in qs if "Safe at Last" in q.text] == []
    assert all("Costs and Delays" not in (q.text + (q.speaker_text or "")) for q in qs)
    assert qs[0].speaker == "Ilse Varga"


def test_a_quote_split_around_a_long_attribution_is_one_quote(nlp):
    q = one(nlp, "\"The danger,\" said Tomas Brenner, a retired harbourmaster who is now the chairman of the Varga "
                 "Island Ferry Trust, \"is that the bridge will close for good.\"")
    assert (q.speaker, len(q.parts)) == ("Tomas Brenner", 2)


def test_an_abbreviated_title_does_not_end_the_attribution_sentence(nlp):
    q = one(nlp, "\"Nobody asked the fishermen,\" said Army Capt. Ilse Varga, who said she had served on the island "
                 "for years. \"They knew the tides better than anyone.\"")
    assert (q.speaker, len(q.parts)) == ("Ilse Varga", 2)


def test_a_second_part_that_opens_its_sentence_and_runs_on_is_still_the_same_quote(nlp):
    q = one(nlp, "\"The ferry will run all winter,\" said Ilse Varga, the mayor of the island. \"The council will "
                 "back me on this\" when it votes next week.")
    assert (q.speaker, len(q.parts)) == ("Ilse Varga", 2)


def test_a_title_the_cue_calls_is_not_a_quote(nlp):
    assert [q.text for q in quotes_of(nlp, "The harbour party has called a vote \u2014 \"Ferries for Everyone\" "
                                           "\u2014 for the first week of June.") if not q.fragment] == []
    assert [q.text for q in quotes_of(nlp, "Ilse Varga Talks About Being Called \"A Harbour Hero.\"")
            if not q.fragment] == []
    q = one(nlp, "Ilse Varga called out to the crowd, \"Stop the Ferry!\"")  # a call, not a name
    assert q.speaker == "Ilse Varga"


def test_a_continued_speaker_is_not_passed_on_to_a_further_paragraph(nlp):
    qs = quotes_of(nlp, "\"The bridge will open in May, and the ferry will stop,\" said Ilse Varga, the mayor.\n\n"
                        "\"We have the money for every bolt of it.\"\n\n"
                        "\"Nobody on this island believes a word of that.\"")
    assert [(q.text[:6], q.speaker) for q in qs if not q.fragment] == [("The br", "Ilse Varga"), ("We hav", "Ilse Varga")]


def test_colon_after_a_clause_about_a_named_campaign(nlp):
    q = one(nlp, "The ferry company has said little. The Varga campaign, in a note on the e-mail dispute, put it "
                 "plainly: \"We never hid a single message from the council.\"")
    assert (q.speaker, q.speaker_kind) == ("the Varga campaign", "description")


def test_who_is_told_is_not_the_speaker_when_the_parse_loses_the_subject():
    # the parse of the training split's "..., Ramos, 58, told AFP": the name left hanging, "told" a conjunct
    # of the quoted verb with no subject; written out by hand so that the test does not hang on a model version
    from spacy.tokens import Doc

    words = ['"', "We", "were", "wrong", ",", '"', "Varga", ",", "58", ",", "told", "AFP", "."]
    doc = Doc(nlp_mod.load().vocab, words=words,
              spaces=[False, True, True, False, False, True, False, True, False, True, True, False, False],
              heads=[2, 2, 2, 2, 2, 2, 2, 6, 6, 6, 2, 10, 10],
              deps=["punct", "nsubj", "ROOT", "acomp", "punct", "punct", "npadvmod", "punct", "appos", "punct",
                    "conj", "dobj", "punct"],
              pos=["PUNCT", "PRON", "AUX", "ADJ", "PUNCT", "PUNCT", "PROPN", "PUNCT", "NUM", "PUNCT", "VERB",
                   "PROPN", "PUNCT"],
              tags=["``", "PRP", "VBD", "JJ", ",", "''", "NNP", ",", "CD", ",", "VBD", "NNP", "."],
              lemmas=['"', "we", "be", "wrong", ",", '"', "Varga", ",", "58", ",", "tell", "AFP", "."],
              ents=["O"] * 6 + ["B-PERSON", "O", "B-CARDINAL", "O", "O", "B-ORG", "O"])
    art = Article(id="a1", input="-", text=doc.text)
    assert [(q.speaker, q.cue) for q in find_quotes(doc, art, find_mentions(doc, art))] == [("Varga", "told")]


def test_the_agent_of_a_passive_the_cue_is_coordinated_with_does_not_speak(nlp):
    q = one(nlp, "De Varga said the move was made by harbour commissioner Tomas Brenner and said, \"Who are you going "
                 "to trust on safety and keeping people safe?\"")
    assert q.speaker != "Tomas Brenner"  # Brenner made the move; the parse hung "and said" from "made"




def test_a_title_named_after_a_common_noun_and_a_comma_is_not_a_quote(nlp):
    qs = quotes_of(nlp, "Ilse Varga spoke on her weekly radio show, \u201cGenerations with Tomas Brenner,\u201d "
                        "on Monday.")
    assert [q.text for q in qs if not q.fragment] == []


def test_put_it_is_a_cue(nlp):
    q = one(nlp, "As Ilse Varga, the mayor of the island, put it: \"Nobody will cross this bridge before May.\"")
    assert (q.speaker, q.cue) == ("Ilse Varga", "put")


def test_a_cue_the_tagger_reads_as_a_noun_closing_the_sentence(nlp):
    q = one(nlp, "\u201cIf she wants the bridge, the mayor should come to the island and say so,\u201d the editorial "
                 "read.")
    assert q.speaker_text == "the editorial"


def test_a_dash_and_a_name_before_a_colon_name_the_speaker(nlp):
    q = one(nlp, "The ferry question divides the island - Tomas Brenner: \u201cTwo weeks ago the ferry was full. "
                 "Now it runs empty.\u201d")
    assert q.speaker == "Tomas Brenner"


def test_a_name_in_an_object_before_the_cue_is_not_the_speaker(nlp):
    q = one(nlp, "But Sen. Ilse Varga (D-Ill.), noting the size of Brenner's following, said, \"Let me tell you, "
                 "he has a heck of a list.\"")
    assert q.speaker == "Ilse Varga"


def test_a_name_the_entity_model_missed_after_an_inverted_cue(nlp):
    q = one(nlp, "Bill Skelly, a longtime data operative, vouched for both.\n\n\u201cHaving access to the file is "
                 "valuable,\u201d said Skelly, explaining he worked more closely with the others.")
    assert q.speaker == "Bill Skelly"


# ------------------------------------------------------------------------ measured on PolNeAR


@pytest.mark.slow
def test_quote_f1_and_speaker_accuracy_on_polnear(data_dir, tmp_path):
    corpus = data_dir / "quotes"
    rows = [json.loads(line) for line in (corpus / "input.jsonl").read_text(encoding="utf-8").splitlines()]
    # score.py matches articles whose id equals the corpus id, so the corpus ids are kept as article ids
    arts = [Article(id=r["id"], input="quotes", text=r["text"], source_id=r["id"]) for r in rows]
    notes = {}
    for a, doc in zip(arts, nlp_mod.parse(a.text for a in arts), strict=True):
        ms = find_mentions(doc, a)
        notes[a.id] = Notes(a.id, mentions=ms, quotes=find_quotes(doc, a, ms))
    ents, index = resolve(arts, notes)
    qs, diffs = build(arts, notes, index, {})
    out = tmp_path / "analysis.json"
    data = Analysis(generated_at="now", articles=tuple(arts), entities=ents, quotes=qs, differences=diffs)
    out.write_text(json.dumps(data.to_contract()), encoding="utf-8")
    res = subprocess.run([sys.executable, str(SHARED / "tools" / "score.py"), "quotes", str(out),
                          str(corpus / "gold.json")], capture_output=True, text=True, check=False)
    m = re.search(r"quote F1 ([\d.]+), speaker accuracy ([\d.]+)", res.stdout)
    assert m, res.stdout + res.stderr
    f1, speaker = float(m.group(1)), float(m.group(2))
    assert f1 >= 0.90 and speaker >= 0.92, res.stdout


@pytest.mark.parametrize("text, speaker", [
    ("\"It is too early to tell,\" said Ilse Varga, who also hosts the radio show \"Harbour Hour.\" "
     "\"The council has not even met yet, and the ferry will run until it does.\"",
     "Ilse Varga"),  # a title inside the attribution does not split the quote
    ("\u201cThe bridge will open in May,\u201d Ilse Varga said on the island radio on Tuesday.\u00a0"
     "\u201cThe ferry will keep running until the last bolt is in place.\u201d",
     "Ilse Varga"),  # a no break space after the attribution does not split the quote
])
def test_a_quote_split_by_its_attribution_is_one_quote_of_two_parts(nlp, text, speaker):
    q = one(nlp, text)
    assert (q.speaker, len(q.parts)) == (speaker, 2)


def test_she_further_back_goes_to_a_woman_not_to_a_man_named_since(nlp):
    # "she said" three sentences after "John Kasich" went to him: further back than one sentence only a
    # title or a role told a person's gender, and the man named last fitted any pronoun. Beyond the near
    # past a given name of one gender alone ("John", "Ilsa") now tells it too; one the dictionary gives
    # mostly to one gender ("Bernie") still does not, there (the seeds' "Tomoo" Kikuchi, "he added" in the
    # next sentence, keeps his quote: the dictionary's gender of a name is overruled in the near past).
    text = ("Ilsa Marrow took the stage in Kessa on Monday. The hall was full. Then John Vane walked in. "
            "The rally ran late into the night. \u201cWe will win this county,\u201d she said.")
    q = one(nlp, text)
    assert q.speaker == "Ilsa Marrow"
    text = ("Ilsa Marrow took the stage in Kessa on Monday. The hall was full. Then Bernie Vane walked in. "
            "The rally ran late into the night. \u201cWe will win this county,\u201d he said.")
    assert one(nlp, text).speaker == "Bernie Vane"
