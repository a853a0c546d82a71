"""The PLOVER lexicon derived from PETRARCH2's dictionaries (scripts/derive_plover.py) and how the coder uses
it: a pattern's object and preposition constraints, negation, dated actor roles, and a derivation that gives
the same bytes for the same dictionary lines. Every sentence and dictionary line here is written for the
test."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from rashomon.model import Article
from rashomon.what import events
from rashomon.what.lexicon import Choices, lexicon, use_choices
from rashomon.when.times import find_times
from rashomon.who.actors import ActorCoder, dictionary_role
from rashomon.who.mentions import find_mentions

ROOT = Path(__file__).resolve().parents[2]


def coded(nlp, text: str, day: str = "2026-03-06"):
    art = Article(id="a1", input="-", text=text, date=day)
    doc = nlp(text)
    mentions = find_mentions(doc, art)
    return [(e.type, e.source_actor, e.target_actor)
            for e in events.find_events(doc, art, mentions, find_times(doc, art))]


@pytest.fixture(scope="module")
def derive():
    spec = importlib.util.spec_from_file_location("derive_plover", ROOT / "scripts" / "derive_plover.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules["derive_plover"] = mod  # its dataclasses look their module up while it loads
    spec.loader.exec_module(mod)
    return mod


# --------------------------------------------------------------------------- patterns in the coder


def test_a_pattern_with_an_object_codes_only_with_that_object(nlp):
    # "stage" has no code of its own (CAMEO's ARRANGE block); "- * PROTEST [141]" makes staging a protest one
    assert coded(nlp, "Thousands of Chilean farmers staged a protest in Santiago.") == [("PROTEST", "CHL", "CHL")]
    assert coded(nlp, "Thousands of Chilean farmers staged a comedy in Santiago.") == []


def test_a_pattern_with_a_preposition_codes_only_with_that_preposition(nlp):
    # STAND: "- * (BY) [051]": standing by someone is support; standing alone is nothing
    assert coded(nlp, "Bolivia stood by Paraguay during the floods.") == [("SUPPORT", "BOL", "PRY")]
    assert coded(nlp, "Bolivia stood firm during the floods.") == []
    # CONSPIRE: "- * (AGAINST) [130]"
    assert [t for t, _, _ in coded(nlp, "Exiled Bolivian officers conspired against Paraguay.")] == ["THREATEN"]


def test_the_lexicon_is_the_derived_one(nlp):
    lex = lexicon()
    assert lex.cameo["0874"][0] == "RETREAT" and lex.cameo["041"] == ("CONSULT", "phone")
    assert any(e.particle == ("off",) for e in lex.verbs["call"])  # +CALL_OFF
    assert "&weapon" in lex.synsets
    # every pattern's words name a synonym set the file defines
    for index in lex.blocks.values():
        for p in index.patterns:
            for w in p.subj + p.obj + p.mods + tuple(x for _, ws in p.preps for x in ws):
                assert not w.startswith("&") or w in lex.synsets


def test_negation(nlp):
    # a negated act of cooperation is a rejection; a negated attack is no event
    assert coded(nlp, "Peru did not sign the fisheries agreement with Ecuador.") == [("REJECT", "PER", "ECU")]
    assert coded(nlp, "Peru did not attack Ecuador.") == []


def test_choices_switch_classes_of_the_dictionary(nlp):
    text = "The Chilean foreign minister urged Peru to release the fishermen."
    try:
        use_choices(Choices(appeals=True))
        with_appeals = coded(nlp, text)
        use_choices(Choices(appeals=False, comment_verbs=False))
        without = coded(nlp, text)
    finally:
        use_choices(None)
    assert ("REQUEST", "CHL", "PER") in with_appeals
    assert ("REQUEST", "CHL", "PER") not in without


# ------------------------------------------------------------------------------------ actor roles


def test_a_dated_role_counts_only_inside_its_dates():
    # Phoenix: BORIS_YELTSIN_ [RUSELI 490101-910710] [RUSGOV 910710-991231] [RUSELI 991231-070423]
    inside = dictionary_role("Boris Yeltsin", "1995-05-01")
    assert (inside.country, inside.sector) == ("RUS", "GOV")
    outside = dictionary_role("Boris Yeltsin", "2015-05-01")
    assert (outside.country, outside.sector) == ("RUS", None)  # the country alone
    assert dictionary_role("Boris Yeltsin", None).sector is None  # no date: no role either
    assert dictionary_role("Fenwick Rowing Club") is None


def test_a_role_the_text_states_wins_and_the_dictionary_dates_the_rest(nlp):
    text = "Boris Yeltsin met Ugandan villagers. Russian lawmaker Boris Yeltsin met Ugandan villagers."
    doc = nlp(text)
    art = Article(id="a", input="-", text=text, date="1995-05-01")
    coder = ActorCoder(doc, find_mentions(doc, art), art.date)
    heads = [t for t in doc if t.text == "Yeltsin"]
    first, second = (coder.code(t) for t in heads)
    assert (first.code, first.sector) == ("RUS", "GOV")  # the dictionary's role on that day
    assert (second.code, second.sector) == ("RUS", "LEG")  # "lawmaker", as the text says
    later = ActorCoder(doc, find_mentions(doc, art), "2015-05-01").code(heads[0])
    assert (later.code, later.sector) == ("RUS", None)


def test_a_leader_named_by_surname_is_found_by_the_roles_held_that_day(nlp):
    # Phoenix lists "junichiro koizumi" (JPNGOV 2001-2006), not "Koizumi"; in 2003 one Koizumi governs
    assert coded(nlp, "Prime Minister Koizumi visited Seoul.", day="2003-05-01") == [("CONSULT", "JPN", "KOR")]
    # two Blairs held roles in 2003, one in government; two Bushes governed, one of a state the text names
    assert coded(nlp, "President Bush met Prime Minister Blair in Washington.", day="2003-05-01") == \
        [("CONSULT", "USA", "GBR")]
    # before any Koizumi held a role the dictionaries know, the surname names no one
    assert coded(nlp, "Prime Minister Koizumi visited Seoul.", day="1950-05-01")[0][1] != "JPN"


def test_a_hyphenated_name_is_found_as_the_dictionaries_write_it():
    # Phoenix lists HAMAD_BIN_KHALIFA_AL_THANI; news writes "al-Thani"
    assert dictionary_role("Hamad bin Khalifa al-Thani", "2005-05-01").country == "QAT"


# ------------------------------------------------------------------------------------ derivation

VERBS = """\
####### SYNONYM SETS #######

&ARMS
+GUN
+HEAVY_WEAPON

####### VERB PATTERNS #######

---  PARLEY   [040]  ---
PARLEY
CONVENE {CONVENES CONVENED CONVENING }
+SIT_DOWN [046]
- * (WITH +)                                      [046]        # PARLEY
- * {TRUCE TALKS}                                 [0871]       # PARLEY
- * &ARMS                                         [---]        # PARLEY
- * FESTIVAL                                      [015]        # CONVENE

---  GLOWER   [---]  ---
GLOWER
- * (AT)                                          [111]        # GLOWER
- * (AT +)                                        [:111]       # SCOWL

- * BY DAGGERS                                    [111]        # GLOWER
- * (BY THE_BRIDGE)                               [111]        # GLOWER
- * (BY +)                                        [:111]       # GLOWER
- * BY                                            [---]        # GLOWER

---  INITIATE   [---]  ---
INITIATE
- * PARLEY                                        [040]        # INITIATE
- * GLOWERING                                     [111]        # INITIATE

---  IDLE   [---]  ---
IDLE
- * TIME                                          [---]        # IDLE
"""

TABLE = """\
04: CONSULT
040: CONSULT, ,  # Consult
046: CONSULT,   , diplomatic    # Engage in negotiation
08: RETREAT
0871: RETREAT, ceasefire, military # Declare truce, ceasefire
11: ACCUSE
111: ACCUSE, disapprove,    # Criticize or denounce
"""

AGENTS = """\
!PERSON! = MAN, WOMAN
HARBOUR!PERSON! [~LAB]
CUSTOMS_OFFICER [~GOV] # a comment
"""

ACTORS = """\
RURITANIA_  [RUR]
+STRELSAU_
+RUITANIA_

GRAUSTARK_
+EDELWEISS_
	[GRK <19400101]
	[GRKOCC 19400101-19450101]

RUDOLF_ELPHBERG_  # a king
+KING_RUDOLF
\t[RURELI 350101-550630]
\t[RURGOV 550701-]
\t[RURGOV 550701-991231]
ZENDA_LEAGUE [IGOZND]

ZENDA_MARCHES_ [RURZMR]
+MARCHES_OF_ZENDA
"""


def _write(tmp: Path) -> tuple[Path, Path]:
    pet = tmp / "petrarch2"
    pet.mkdir()
    (pet / "CAMEO.2.0.txt").write_text(VERBS, encoding="utf-8")
    (pet / "Phoenix.agents.txt").write_text(AGENTS, encoding="utf-8")
    (pet / "Phoenix.Countries.actors.txt").write_text(ACTORS, encoding="utf-8")
    (pet / "Phoenix.International.actors.txt").write_text("", encoding="utf-8")
    (pet / "Phoenix.MilNonState.actors.txt").write_text("", encoding="utf-8")
    table = tmp / "CAMEO2PLOVER.txt"
    table.write_text(TABLE, encoding="utf-8")
    return pet, table


def test_the_derivation_is_deterministic(derive, tmp_path):
    pet, table = _write(tmp_path)
    first = derive.derive(pet, table)
    second = derive.derive(pet, table)
    assert first == second
    out = tmp_path / "out"
    out.mkdir()
    derive.main(["--petrarch", str(pet), "--plover", str(table), "--out", str(out)])
    again = {p.name: p.read_bytes() for p in out.iterdir()}
    derive.main(["--petrarch", str(pet), "--plover", str(table), "--out", str(out)])
    assert again == {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(again) == {"plover_patterns.tsv", "plover_agents.tsv", "plover_actors.tsv", "plover_places.tsv"}


def test_what_the_derivation_reads(derive, tmp_path):
    pet, table = _write(tmp_path)
    files = derive.derive(pet, table)
    rows = [line.split("\t") for line in files["plover_patterns.tsv"].splitlines() if not line.startswith("#")]
    verbs = {(r[1], r[4] if len(r) > 4 else ""): r for r in rows if r[0] == "V"}
    assert verbs[("convene", "")][3] == "040" and verbs[("convene", "")][5] == "convened convenes convening"
    assert verbs[("sit", "down")][3] == "046"  # +SIT_DOWN, with its own code
    assert ("idle", "") not in verbs  # a block that codes nothing is left out
    patterns = {tuple(r[2:]) for r in rows if r[0] == "P"}
    # the verb of the block each pattern's comment names (where it was found; SCOWL joins GLOWER from comments)
    assert ("046", "p:with", "tgt:with", "v:parley") in patterns
    assert ("0871", "m:truce", "o:talks", "v:parley") in patterns  # {TRUCE TALKS}: "talks" is the head
    assert ("---", "o:&arms", "v:parley") in patterns  # a null pattern stays: it stops the default
    assert (":111", "p:at", "tgt:at", "v:scowl") in patterns
    assert ("015", "o:festival", "v:convene") in patterns
    # a bare preposition with words after it opens its phrase (TABARI's word sequence); one that ends the
    # pattern is a particle and stays a word
    assert ("111", "p:by=daggers", "v:glower") in patterns and ("---", "o:by", "v:glower") in patterns
    # each block's own code: a verb listed with another ("+SIT_DOWN [046]") has a sense of its own
    assert ["B", "PARLEY", "040"] in rows and ["B", "GLOWER", "---"] in rows
    assert ["S", "&arms", "gun|heavy weapon"] in rows
    codes = {r[1]: r[2:] for r in rows if r[0] == "C"}
    assert codes["0871"] == ["RETREAT", "ceasefire"] and codes["046"] == ["CONSULT"]
    assert "015" not in codes  # a statement: no PLOVER type
    # event nouns the dictionary's patterns name, made from its verbs; a block of support verbs
    assert ["E", "parley", "parley", "zero"] in rows and ["E", "glowering", "glower"] in rows
    assert ["L", "INITIATE", "1", "1"] in rows  # "- * PARLEY [040]" codes what "parley" [040] codes
    # the table's cue categories
    assert ["R", "04", "CONSULT"] in rows and ["R", "11", "ACCUSE"] in rows
    # every table the script writes carries the licence and the attribution
    for name, text in files.items():
        assert "MIT License" in text, name
    assert "CC BY-SA 4.0" in files["plover_patterns.tsv"] or "Attribution-ShareAlike 4.0" in \
        files["plover_patterns.tsv"]
    agents = dict(line.split("\t") for line in files["plover_agents.tsv"].splitlines() if not line.startswith("#"))
    assert agents == {"harbourman": "LAB", "harbourwoman": "LAB", "customs officer": "GOV"}
    actors = [line.split("\t") for line in files["plover_actors.tsv"].splitlines() if not line.startswith("#")]
    # the state's own names are rashomon.text.geo's; the king keeps his dated roles (YYMMDD: 35 -> 1935)
    assert actors[0] == ["graustark|edelweiss", "GRK@~19400101"]
    assert actors[1:] == [["rudolf elphberg|king rudolf", "RURELI@19350101~19550630 RURGOV@19550701~19991231"],
                          ["zenda league", "IGOZND"], ["zenda marches|marches of zenda", "RURZMR"]]
    # the states' names and places, their codes on the line or on the lines after (occupations too)
    places = [line.split("\t") for line in files["plover_places.tsv"].splitlines() if not line.startswith("#")]
    # a variant of the state's own name (or its misspelling by a letter) stands for the state; another
    # place only lies in it
    # ... and a territory coded by its state and its own code ("GAZA_ [PSEGZA]") lies in that state
    assert places == [["edelweiss", "GRK"], ["graustark", "GRK", "state"], ["marches of zenda", "RUR"],
                      ["ruitania", "RUR", "state"], ["ruritania", "RUR", "state"], ["strelsau", "RUR"],
                      ["zenda marches", "RUR"]]
    assert derive._one_letter_apart("ethopia", "ethiopia") and derive._one_letter_apart("quatar", "qatar")
    assert not derive._one_letter_apart("samarra", "iraq") and not derive._one_letter_apart("niger", "nigeria")


def test_agent_heads_by_the_phrases_they_end(derive):
    table = {"customs official": "GOV", "court official": "JUD", "party official": "GOV", "tax official": "GOV",
             "riot police": "COP", "minister of police": "GOV", "rebel leader": "REB", "party leader": "PTY",
             "opposition leader": "OPP"}
    # "official": three GOV of four; "leader": no two thirds; "police": one phrase, and a preposition
    assert derive.agent_heads(table) == {"official": "GOV"}


def test_cue_categories_of_a_split_header(derive):
    table = ["08: CONCEDE", "080: CONCEDE,  , # Yield", "081: CONCEDE, , legal # Ease sanctions", "08: RETREAT",
             "084: RETREAT, , # Return, release", "0813: RETREAT, , legal # Ease curfew", "19: ASSAULT",
             "192: COERCE, seize, military # Occupy territory"]
    assert derive.cue_categories(table) == {"080": "CONCEDE", "081": "CONCEDE", "084": "RETREAT", "19": "ASSAULT"}


def test_event_nouns_are_made_by_english_suffixes(derive):
    verbs = [derive.Verb(v, "B", "190", "", ()) for v in ("invade", "investigate", "attack", "withdraw", "state",
                                                          "station")]
    nouns = derive.event_nouns(verbs)
    assert nouns["invasion"] == ("invade", False) and nouns["investigation"] == ("investigate", False)
    assert nouns["attack"] == ("attack", True) and nouns["withdrawal"] == ("withdraw", False)
    assert "station" not in nouns  # "state" + -ion and the verb "station" itself: two verbs, left out
    assert set(derive.event_nouns(verbs, {"invasion"})) == {"invasion"}


def test_description_acts_of_the_table(derive):
    verbs = {"criticize", "denounce", "grant", "declare", "use"}
    acts = derive.description_acts([("111", "Criticize or denounce"), ("075", "Grant asylum"),
                                    ("0871", "Declare truce, ceasefire"), ("184", "Use as human shield")], verbs)
    assert acts == [("criticize", "111", ()), ("denounce", "111", ()), ("grant", "075", ("asylum",)),
                    ("declare", "0871", ("truce", "ceasefire"))]


def test_a_synonym_set_joined_to_words_reads_as_a_modifier_of_them(derive):
    # "- * &FIGHT_GAMES IN + [062:062]": the set names no set of its own; "war games", as A_B joins words
    assert derive._pattern_side(["&FIGHT_GAMES", "IN", "+"], frozenset({"in"})) == \
        (["~&fight", "games"], [("in", [])], "in", "")
