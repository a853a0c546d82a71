#!/usr/bin/env python3
"""Derive rashomon's PLOVER event lexicon and actor tables from the field's own dictionaries.

Reads PETRARCH2's CAMEO verb dictionary and Phoenix actor/agent dictionaries (MIT licence, Open Event Data
Alliance) and the PLOVER project's CAMEO->PLOVER table (CC BY-SA 4.0), and writes into
``src/rashomon/data/``:

* ``plover_patterns.tsv``: verb synonym sets (lemma, block, own CAMEO code, particle, irregular forms), the
  block's patterns (CAMEO code and constraints on subject words, object words, prepositions and their
  objects, where the target or source sits), the synonym sets the kept patterns name, and the CAMEO codes
  those use mapped to PLOVER type and mode;
* ``plover_agents.tsv``: generic agent phrases ("police", "foreign minister") with their sector;
* ``plover_actors.tsv``: named actors (states' institutions, people, IGOs, NGOs, armed groups) with their
  codes and the date ranges of their roles.

The same inputs give byte-identical output (nothing depends on hash order, time or locale)::

    python3 scripts/derive_plover.py [--petrarch DIR] [--plover FILE] [--out DIR]

Defaults read ``../shared/resources`` next to the repository. Only what the coder uses is kept: patterns
whose code maps to a PLOVER type (plus the null and statement codes that block a verb's default), agents
with a sector, actors with a state or non-state code (multinational companies are left out).
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "resources"

PETRARCH_NOTICE = """\
# Derived by scripts/derive_plover.py from PETRARCH2's dictionaries ({files}),
# Copyright (c) 2014-2015 Open Event Data Alliance, under the MIT License:
#
# Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
# associated documentation files (the "Software"), to deal in the Software without restriction, including
# without limitation the rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
# copies of the Software, and to permit persons to whom the Software is furnished to do so, subject to the
# following conditions:
#
# The above copyright notice and this permission notice shall be included in all copies or substantial
# portions of the Software.
#
# THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT NOT
# LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO
# EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER
# IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE
# USE OR OTHER DEALINGS IN THE SOFTWARE.
"""

PLOVER_NOTICE = """\
# The CAMEO -> PLOVER type and mode mapping (C rows) is from the PLOVER project's CAMEO2PLOVER-2021.txt
# (PLOVER manual draft 0.8, edited by Philip Schrodt, Open Event Data Alliance), licensed under Creative
# Commons Attribution-ShareAlike 4.0 (https://creativecommons.org/licenses/by-sa/4.0/); this table, as an
# adaptation of it, is shared under the same licence.
"""

# ------------------------------------------------------------------------------------- small helpers


def _strip_comment(line: str) -> str:
    line = re.sub(r"<!--.*?-->", "", line)
    return line.split("#", 1)[0].rstrip()


def _words(phrase: str) -> list[str]:
    """A dictionary phrase ("FOREIGN_MINISTER", "TO THE END", "U.N._") as lower-case words."""
    return [w for w in re.split(r"[_\s]+", phrase.strip().lower()) if w]


# ------------------------------------------------------------------------------------ CAMEO -> PLOVER


@dataclass(frozen=True)
class Plover:
    type: str
    mode: str


def read_descriptions(lines: Iterable[str]) -> list[tuple[str, str]]:
    """(code, description) of the table's rows: "111: ACCUSE, disapprove, # Criticize or denounce"."""
    out = []
    for raw in lines:
        m = re.match(r"^(\d{3,4}):[^#]*#\s*(.+?)\s*$", raw)
        if m:
            out.append((m.group(1), m.group(2)))
    return out


_CUT = re.compile(r"\s(?:to|with|by|for|of|on|against|in|at|from|that|as)(?:\s.*)?$|\s*\(.*$|\s+\d.*$")


def description_acts(descriptions: list[tuple[str, str]], verbs: set[str]) -> list[tuple[str, str, tuple[str, ...]]]:
    """Acts the table's descriptions name: (verb, code, object words). "Criticize or denounce" (111) gives
    criticize and denounce with no object; "Grant asylum" (075) gives grant with the object asylum;
    "Share intelligence or information" (064) gives share with intelligence or information. Only words the
    CAMEO dictionary lists as verbs count as verbs; a description is read up to its first preposition,
    infinitive or parenthesis; adverbs ("verbally") and articles are dropped; after a verb with an object,
    a single word is another object; descriptions of an intent, an engagement, an attempt or a use
    ("Express intent to", "Engage in", "Attempt to", "Use") name no verb of their own."""
    out: list[tuple[str, str, tuple[str, ...]]] = []
    for code, text in descriptions:
        text = _CUT.sub("", text.lower()).strip()
        first = text.split()[0] if text.split() else ""
        if first in ("express", "engage", "use", "attempt"):
            continue  # a kind of act ("Engage in negotiation", "Use as human shield"), not a verb reports use
        items = [i.strip() for i in re.split(r",|\bor\b", text) if i.strip()]
        parsed: list[tuple[list[str], list[str]]] = []  # (verbs, object words)
        for item in items:
            words = [w for w in item.split() if w not in ("a", "an", "the") and not w.endswith("ly")]
            if not words:
                continue
            if parsed and parsed[-1][1] and len(words) == 1:
                parsed[-1][1].append(words[0])  # "Declare truce, ceasefire": another object
            elif words[0] in verbs:
                parsed.append(([words[0]], words[-1:] if len(words) > 1 else []))
        # "Reduce or break diplomatic relations": a bare verb before a verb with an object shares it
        for k in range(len(parsed) - 2, -1, -1):
            if not parsed[k][1] and parsed[k + 1][1]:
                parsed[k] = (parsed[k][0], list(parsed[k + 1][1]))
        for vs, objs in parsed:
            for v in vs:
                out.append((v, code, tuple(objs)))
    return out


def read_cameo2plover(lines: Iterable[str]) -> dict[str, Plover]:
    """``code -> (type, mode)``; two-digit headers ("03: AGREE") give the cue category's default."""
    table: dict[str, Plover] = {}
    for raw in lines:
        line = raw.split("#", 1)[0].strip()
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)\s*(?:,\s*([^,]*))?", line)
        if not m:
            continue
        code, typ, mode = m.group(1), m.group(2), (m.group(3) or "").strip()
        if len(code) == 2:
            table.setdefault(code, Plover(typ, ""))  # "08" appears twice (CONCEDE, RETREAT): the first stands
        else:
            table.setdefault(code, Plover(typ, mode.replace(" ", "")))
    return table


def cue_categories(lines: Iterable[str]) -> dict[str, str]:
    """The PLOVER type of each CAMEO cue category, as the table's two-digit headers give it ("19: ASSAULT");
    a category the table splits ("08: CONCEDE", later "08: RETREAT") by the three-digit codes under each
    header. PLOVER's types began as CAMEO's cue categories, and the table has since moved some codes (192
    "Occupy territory" to COERCE, 0813 "Ease curfew" to RETREAT): this is the older, coarser reading."""
    headers: dict[str, list[str]] = {}
    under: list[tuple[str, str, str]] = []  # (header, type, three-digit code)
    current: tuple[str, str] | None = None
    for raw in lines:
        m = re.match(r"^(\d{2,4}):\s*([A-Z]+)", raw.split("#", 1)[0].strip())
        if not m:
            continue
        code, typ = m.group(1), m.group(2)
        if len(code) == 2:
            headers.setdefault(code, []).append(typ)
            current = (code, typ)
        elif len(code) == 3 and current is not None and code.startswith(current[0]):
            under.append((current[0], current[1], code))
    out = {h: types[0] for h, types in headers.items() if len(set(types)) == 1}
    for header, typ, code in under:
        if header not in out:
            out.setdefault(code, typ)
    return out


def plover_of(code: str, table: dict[str, Plover]) -> Plover | None:
    """The PLOVER type of one CAMEO code (its longest listed prefix), or None (01 statements, 02 appeals
    and codes the table does not reach)."""
    code = code.rstrip("!")
    for k in range(len(code), 1, -1):
        if code[:k] in table:
            return table[code[:k]]
    return None


# ------------------------------------------------------------------------------------ verb dictionary


@dataclass
class Verb:
    lemma: str
    block: str
    code: str  # its own code, or the block's
    particle: str  # "off" for +CALL_OFF, "" for a single word
    forms: tuple[str, ...]
    listed: bool = False  # its line gives it a code ("BEAT {BEATS ...} [182]"), not the block's


@dataclass
class Pattern:
    block: str
    code: str
    pre: list[str] = field(default_factory=list)  # words before the verb (its subject)
    obj: list[str] = field(default_factory=list)  # words after the verb outside prepositional phrases
    preps: list[tuple[str, list[str]]] = field(default_factory=list)  # (preposition, its words)
    target: str = ""  # "obj", a preposition, or "" : where the dictionary puts the target (+)
    source: str = ""  # "subj", a preposition, or ""
    line: int = 0
    origins: tuple[str, ...] = ()  # the verbs its comment names ("# BREAK", "# CALL_OFF"): where it was found


@dataclass
class VerbDictionary:
    synsets: dict[str, list[list[str]]]
    verbs: list[Verb]
    patterns: list[Pattern]
    blocks: dict[str, str]  # block name -> block code
    vocabulary: set[str] = field(default_factory=set)  # every word of the synonym sets and patterns


def _pattern_side(tokens: list[str], prepositions: frozenset[str] = frozenset()
                  ) -> tuple[list[str], list[tuple[str, list[str]]], str, str]:
    """Words, prepositional phrases, target place and source place of one side of a pattern. A bare
    preposition (one of ``prepositions``) with words before or after it opens its phrase as a parenthesis
    would: the dictionary keeps patterns from TABARI, which read "BY ULTIMATUM" or "&MEDIATION BETWEEN" as
    a sequence of words, and a preposition heads no phrase of its own. A preposition alone after the verb
    ("PRESS * ON") is a particle there, and stays a word that no phrase's head matches."""
    words: list[str] = []
    preps: list[tuple[str, list[str]]] = []
    target = source = ""
    cur: tuple[str, list[str]] | None = None
    in_braces = False
    for k_tok, tok in enumerate(tokens):
        opening = tok.startswith("(")
        closing = tok.endswith(")")
        brace_open = "{" in tok
        brace_close = "}" in tok
        tok = tok.strip("(){}")
        if not opening and not in_braces and not brace_open and tok.lower() in prepositions \
                and (words or any(t.strip("(){}+$%^") for t in tokens[k_tok + 1:])):
            opening, closing = True, False
        if opening:
            cur = (tok.lower(), [])
            preps.append(cur)
            if closing:
                cur = None
            continue
        in_braces = in_braces or brace_open
        # "&FIGHT_GAMES", "&FIGHT_OF_WORDS": a synonym set joined to the words after it as A_B joins plain
        # words (the set names no set of its own: "war games", "war of words")
        pieces = ["&" + _words(tok[1:])[0], *_words(tok[1:])[1:]] if tok.startswith("&") and "_" in tok.strip("_") \
            else [tok] if tok.startswith("&") else _words(tok)
        for k, piece in enumerate(pieces):
            if piece in ("+", "$", "%", "^", "*", ""):
                if piece == "+":
                    target = cur[0] if cur is not None else "obj"
                elif piece == "$":
                    source = cur[0] if cur is not None else "subj"
                continue
            piece = piece.lower() if piece.startswith("&") else piece
            # a modifier, not the head of its phrase: a word of {...} before its last, or of A_B before B
            if (in_braces and not brace_close) or k < len(pieces) - 1:
                piece = "~" + piece
            (cur[1] if cur is not None else words).append(piece)
        if brace_close:
            in_braces = False
        if closing:
            cur = None
    return words, preps, target, source


def pattern_prepositions(lines: Iterable[str]) -> frozenset[str]:
    """The words the dictionary's patterns open a prepositional phrase with, "(FOR", "(AGAINST +)", at least
    twice (a one-off "(THE" or "(PEACE" is a slip)."""
    counts: dict[str, int] = {}
    for raw in lines:
        if raw.startswith("- "):
            for word in re.findall(r"\(([A-Z]+)", _strip_comment(raw)):
                counts[word.lower()] = counts.get(word.lower(), 0) + 1
    return frozenset(w for w, n in counts.items() if n >= 2)


def read_verb_dictionary(lines: Iterable[str]) -> VerbDictionary:
    lines = list(lines)
    prepositions = pattern_prepositions(lines)
    synsets: dict[str, list[list[str]]] = {}
    verbs: list[Verb] = []
    patterns: list[Pattern] = []
    blocks: dict[str, str] = {}
    in_patterns = False
    label = ""
    block = ""
    block_code = "---"
    for n, raw in enumerate(lines, 1):
        if raw.startswith("####### VERB PATTERNS"):
            in_patterns = True
            continue
        if raw.startswith("~") or raw.startswith("#") or raw.startswith("<!"):
            continue
        line = _strip_comment(raw)
        if not line.strip():
            continue
        if not in_patterns:
            if line.startswith("&"):
                label = line.strip()
                synsets.setdefault(label.rstrip("_").lower(), [])
            elif line.startswith("+") and label:
                member = _words(line[1:])
                if member:
                    synsets[label.rstrip("_").lower()].append(member)
            continue
        if line.startswith("---"):
            m = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]", line)
            if m:
                block, block_code = m.group(1), m.group(2).strip() or "---"
                blocks.setdefault(block, block_code)
            continue
        if line.startswith("-"):
            body = line[1:]
            m = re.search(r"\[([^\]]*)\]\s*$", body)
            if not m or "*" not in body:
                continue
            code = m.group(1).strip()
            pre_text, post_text = body[: m.start()].split("*", 1)
            pre, pre_preps, _, src_pre = _pattern_side(pre_text.split())
            obj, preps, target, source = _pattern_side(post_text.split(), prepositions)
            note = raw.split("#", 1)[1] if "#" in raw else ""
            origins = tuple(w.lower() for w in re.findall(r"[A-Z][A-Z_]*[A-Z]", note))
            patterns.append(Pattern(block, code, pre=pre + [w for p, ws in pre_preps for w in [p, *ws]], obj=obj,
                                    preps=preps, target=target, source=source or src_pre, line=n,
                                    origins=origins))
            continue
        if line.startswith("&") or not block:
            continue
        # a synonym: WORD {FORMS} [CODE] or +WORD_PARTICLE {+FORMS_PARTICLE} [CODE]
        m = re.search(r"\[([^\]]*)\]", line)
        code = m.group(1).strip() if m else block_code
        head = line[: m.start()] if m else line
        forms_text = ""
        fm = re.search(r"\{([^}]*)\}", head)
        if fm:
            forms_text = fm.group(1)
            head = head[: fm.start()]
        stem = head.split()[0] if head.split() else ""
        if not stem:
            continue
        particle = ""
        if stem.startswith("+"):
            parts = stem[1:].split("_")
            stem, particle = parts[0], " ".join(p.lower() for p in parts[1:] if p)
        forms = tuple(sorted({f.lstrip("+").split("_")[0].lower() for f in forms_text.split() if f.strip("+")}))
        verbs.append(Verb(stem.lower(), block, code or "---", particle, forms, listed=m is not None))
    vocabulary = {w.lstrip("~") for p in patterns for w in _all_words(p) if not w.startswith("&")}
    vocabulary |= {w for members in synsets.values() for m in members for w in m}
    return VerbDictionary(synsets, verbs, patterns, blocks, vocabulary)


def _regular_forms(stem: str) -> set[str]:
    s = stem
    out = {s, s + "s", s + "ed", s + "ing", s + "d", s + "es"}
    if s.endswith("y"):
        out |= {s[:-1] + "ies", s[:-1] + "ied"}
    if s.endswith("e"):
        out |= {s[:-1] + "ing"}
    return out


def comment_verbs(lines: list[str], vd: VerbDictionary) -> list[Verb]:
    """Verbs the dictionary's comments name as the source of patterns ("# URGE") but that no block lists
    (the dictionary notes that comments name the verb a pattern was first found under): each joins the one
    block that holds all of its patterns, with that block's code."""
    known: set[str] = set()
    for v in vd.verbs:
        known |= _regular_forms(v.lemma) | set(v.forms)
    found: dict[str, set[str]] = {}
    block = ""
    in_patterns = False
    for raw in lines:
        if raw.startswith("####### VERB PATTERNS"):
            in_patterns = True
        if not in_patterns:
            continue
        m = re.match(r"^---\s+(\S+)\s+\[", raw)
        if m:
            block = m.group(1)
            continue
        if raw.startswith("- ") and "#" in raw:
            first = raw.split("#", 1)[1].split()
            if first and re.fullmatch(r"[A-Z]{3,}", first[0]):
                found.setdefault(first[0].lower(), set()).add(block)
    out = []
    for word in sorted(found):
        homes = found[word]
        if word in known or len(homes) != 1:
            continue
        home = next(iter(homes))
        out.append(Verb(word, home, vd.blocks.get(home, "---"), "", ()))
    return out


# ----------------------------------------------------------------------------------- what is kept


def _codes(code: str) -> list[str]:
    return [c for c in code.split(":") if c and c != "---"]


def _kind(code: str, table: dict[str, Plover]) -> str:
    """'event' when some part of the code has a PLOVER type, 'appeal' for CAMEO 02 (eliminated by PLOVER,
    kept so the coder may read it as REQUEST), else 'none' (null code, 01 statements)."""
    parts = _codes(code)
    if any(plover_of(c, table) for c in parts):
        return "event"
    if any(c.startswith("02") for c in parts):
        return "appeal"
    return "none"


def _fmt_pattern(p: Pattern) -> str:
    cols = []
    cols += [f"s:{w.lstrip('~')}" for w in p.pre]
    cols += [f"m:{w[1:]}" if w.startswith("~") else f"o:{w}" for w in p.obj]
    cols += [f"p:{prep}" + (("=" + "+".join(w.lstrip("~") for w in ws)) if ws else "") for prep, ws in p.preps]
    if p.target:
        cols.append(f"tgt:{p.target}")
    if p.source:
        cols.append(f"src:{p.source}")
    return "\t".join(cols)


def write_patterns(vd: VerbDictionary, extra: list[Verb], table: dict[str, Plover],
                   acts: list[tuple[str, str, tuple[str, ...]]] = (), cues: dict[str, str] | None = None) -> str:
    # a word listed in several blocks keeps its first entry with a code of its own, else its first entry; a
    # word listed twice in one block, once bare and once with a code of its own ("BEAT", then "BEAT {BEATS
    # BEATING BEATEN} [182]"), is the fuller line: the sense the block's other verbs share is not its
    first: dict[tuple[str, str], Verb] = {}
    for v in vd.verbs + extra:
        key = (v.lemma, v.particle)
        old = first.get(key)
        if old is None or (old.code == "---" and v.code != "---") or (
                old.block == v.block and v.listed and not old.listed and v.code != "---"):
            first[key] = v
    kept = {id(v) for v in first.values()}
    verbs = [v for v in vd.verbs + extra if id(v) in kept]
    by_block: dict[str, list[Pattern]] = {}
    for p in vd.patterns:
        by_block.setdefault(p.block, []).append(p)
    live_blocks = set()
    for v in verbs:
        pats = by_block.get(v.block, [])
        if _kind(v.code, table) != "none" or any(_kind(p.code, table) != "none" for p in pats):
            live_blocks.add(v.block)
    out_verbs = [v for v in verbs if v.block in live_blocks]
    out_patterns = []
    used_syn: set[str] = set()
    used_codes: set[str] = set()
    for block in sorted(live_blocks):
        for p in by_block.get(block, []):
            if any(w.startswith("&") and w not in vd.synsets for w in _all_words(p)):
                continue  # PETRARCH2 skips a pattern naming an undefined synset
            out_patterns.append(p)
            used_syn |= {w for w in _all_words(p) if w.startswith("&")}
            used_codes |= set(_codes(p.code))
    for v in out_verbs:
        used_codes |= set(_codes(v.code))
    acts = [a for a in acts if plover_of(a[1], table)]
    used_codes |= {a[1] for a in acts}
    lines = [
        "# PLOVER event patterns: CAMEO verb synonym sets and patterns, and the CAMEO codes they use mapped to",
        "# PLOVER type and mode. Read by rashomon.what.lexicon; regenerate with scripts/derive_plover.py.",
        "#",
        "# V  lemma  block  own CAMEO code  particle (\"call off\")  irregular forms  [comment: a verb only the",
        "#    comments of the dictionary name, placed in the block holding its patterns]",
        "# P  block  CAMEO code  constraints: s:word (subject), o:word (the head of a phrase after the verb,",
        "#    outside prepositional phrases), m:word (a modifier there: \"MOCK\" of {MOCK ATTACK}), p:prep or",
        "#    p:prep=word+word (a prepositional phrase and words in it), tgt:/src: where the",
        "#    dictionary puts the target (+) or the source ($): obj, subj or a preposition. &name is a synonym",
        "#    set (S rows). A code a:b codes a from source to target and b back; :b codes only the reverse.",
        "#    v:verb,verb: the verbs of the block the dictionary's comment names as where the pattern was found",
        "#    (\"# BREAK\"; a multi-word verb as call_off)",
        "# B  block  the block's own CAMEO code (a verb listed with another code has a sense of its own)",
        "# S  &name  members (| between members, spaces inside a phrase)",
        "# D  verb  CAMEO code  [o:word|word]: an act the CAMEO->PLOVER table's descriptions name (\"Criticize",
        "#    or denounce\", \"Grant asylum\"), with the object the description gives it",
        "# C  CAMEO code  PLOVER type  mode  (02 appeals are kept as APPEAL; PLOVER dropped them)",
        "# R  CAMEO cue category (or, where the table splits one, a three-digit code)  PLOVER type: the",
        "#    table's headers, the coarser reading of older PLOVER (192 under 19: ASSAULT, not COERCE)",
        "# E  noun  verb  [zero]: a noun of the dictionary's patterns or synonym sets made from one of its verbs",
        "#    by English's suffixes (\"invasion\": invade; zero: the verb's own form, \"attack\"); a noun two",
        "#    verbs would make is left out",
        "# L  block  agreeing  all: of the block's patterns whose one object is such a noun, how many code what",
        "#    the noun's verb codes by itself (a block of support verbs, \"launch\", \"stage\", mostly agrees)",
        "#",
        PETRARCH_NOTICE.format(files="CAMEO.2.0.txt").rstrip("\n"),
        "#",
        PLOVER_NOTICE.rstrip("\n"),
    ]
    from_comments = {id(v) for v in extra}
    for v in out_verbs:
        cols = ["V", v.lemma, v.block, v.code, v.particle, " ".join(v.forms)]
        if id(v) in from_comments:
            cols.append("comment")
        lines.append("\t".join(cols).rstrip("\t"))
    in_block = {(v.block, v.lemma + ("_" + v.particle.replace(" ", "_") if v.particle else "")) for v in out_verbs}
    for p in out_patterns:
        cols = ["P", p.block, p.code, _fmt_pattern(p)]
        origins = sorted({w for w in p.origins if (p.block, w) in in_block})
        if origins:
            cols.append("v:" + ",".join(origins))
        lines.append("\t".join(cols).rstrip("\t"))
    for block in sorted(live_blocks):
        lines.append("\t".join(["B", block, vd.blocks.get(block, "---")]))
    seen_acts = set()
    for verb, code, objs in acts:
        if (verb, objs) in seen_acts:
            continue
        seen_acts.add((verb, objs))
        lines.append("\t".join(["D", verb, code] + [f"o:{'|'.join(objs)}"] * bool(objs)))
    for name in sorted(used_syn):
        lines.append("\t".join(["S", name, "|".join(" ".join(m) for m in vd.synsets[name])]))
    nouns = event_nouns(out_verbs, vd.vocabulary)
    for noun, (lemma, zero) in sorted(nouns.items()):
        lines.append("\t".join(["E", noun, lemma] + ["zero"] * zero))
    for block, (agree, total) in sorted(support_blocks(out_verbs, out_patterns, nouns, table).items()):
        lines.append("\t".join(["L", block, str(agree), str(total)]))
    for code in sorted(used_codes, key=lambda c: (c.rstrip("!"), c)):
        pl = plover_of(code, table)
        if pl is not None:
            lines.append("\t".join(["C", code, pl.type, pl.mode]).rstrip("\t"))
        elif code.startswith("02"):
            lines.append("\t".join(["C", code, "APPEAL"]))
    for code, typ in sorted((cues or {}).items()):
        lines.append("\t".join(["R", code, typ]))
    return "\n".join(lines) + "\n"


#: How English makes a noun of a verb, as (ending dropped, suffix added): "investigate" -> "investigation",
#: "invade" -> "invasion", "withdraw" -> "withdrawal", "bomb" -> "bombing"; ("", "") is the verb's own form
#: used as a noun ("attack", "visit").
_NOMINAL = (("", ""), ("", "ing"), ("e", "ing"), ("", "ion"), ("e", "ion"), ("", "ation"), ("e", "ation"),
            ("y", "ication"), ("", "ment"), ("", "al"), ("e", "al"), ("y", "ial"), ("", "ance"), ("e", "ance"),
            ("", "ence"), ("e", "ence"), ("e", "ure"), ("de", "sion"), ("d", "sion"), ("t", "ssion"),
            ("uce", "uction"), ("en", ""))


def event_nouns(verbs: list[Verb], vocabulary: set[str] | None = None) -> dict[str, tuple[str, bool]]:
    """Noun -> (the dictionary verb it is made from, whether it is the verb's own form): "invasion" ->
    ("invade", False), "attack" -> ("attack", True). A noun two verbs would make is left out; with a
    ``vocabulary``, only the nouns in it are kept."""
    made: dict[str, set[tuple[str, bool]]] = {}
    for v in verbs:
        if v.particle or not v.lemma.isalpha() or len(v.lemma) < 3:
            continue
        for drop, add in _NOMINAL:
            if not v.lemma.endswith(drop) or (drop, add) == ("en", "") and len(v.lemma) < 6:
                continue
            noun = v.lemma[: len(v.lemma) - len(drop)] + add
            if len(noun) >= 3:
                made.setdefault(noun, set()).add((v.lemma, (drop, add) == ("", "")))
    out = {}
    for noun, sources in made.items():
        if vocabulary is not None and noun not in vocabulary:
            continue
        lemmas = {lemma for lemma, _ in sources}
        if len(lemmas) == 1:
            out[noun] = (lemmas.pop(), any(zero for _, zero in sources))
    return out


def support_blocks(verbs: list[Verb], patterns: list[Pattern], nouns: dict[str, tuple[str, bool]],
                   table: dict[str, Plover]) -> dict[str, tuple[int, int]]:
    """Block -> (agreeing, all) of its patterns whose one object is an event noun: how often the pattern
    codes what the noun's verb codes by itself (START: "- * CONSULTATION [040]", "consult" is 040). A block
    whose patterns mostly agree holds support verbs ("launch", "open", "stage"): with an event noun the
    dictionary has no pattern for, such a verb reports the noun's act."""
    own: dict[str, str] = {}
    for v in verbs:
        if not v.particle:
            own.setdefault(v.lemma, v.code)
    out: dict[str, tuple[int, int]] = {}
    for p in patterns:
        if len(p.obj) != 1 or p.pre or p.preps or p.obj[0][:1] in ("~", "&", "|"):
            continue
        word = p.obj[0]
        hit = nouns.get(word) or (nouns.get(word[:-1]) if word.endswith("s") else None)
        if hit is None:
            continue
        mine = plover_of(_codes(p.code)[0], table) if _codes(p.code) else None
        theirs = plover_of(own.get(hit[0], "---").split(":")[0], table)
        if mine is None or theirs is None:
            continue
        agree, total = out.get(p.block, (0, 0))
        out[p.block] = (agree + (mine.type == theirs.type), total + 1)
    return out


def _all_words(p: Pattern) -> list[str]:
    return [w.lstrip("~") for w in p.pre + p.obj + [w for _, ws in p.preps for w in ws]]


# ------------------------------------------------------------------------------------------ agents

#: CAMEO agent codes that name a religion or ethnicity: a religious actor for PLOVER (sector REL)
_RELIGIONS = frozenset({"BUD", "CHR", "CTH", "PRO", "MUS", "SUN", "SHI", "JEW", "HIN", "JAN", "SIK", "ZRO", "ATH",
                        "DOX", "ITH", "JAI", "MOS", "BAH", "ALE", "CON", "SHN", "TAO", "REL"})


def agent_sector(code: str) -> str | None:
    """The sector of an agent code: "~GOVFRM" -> GOV, "NGO~" -> NGO, "~MUS" -> REL."""
    code = code.strip().strip("}").strip()
    core = code.replace("~", "")
    if not re.fullmatch(r"[A-Z]{3,}", core):
        return None
    first = core[:3]
    return "REL" if first in _RELIGIONS else first


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


def agent_codes(lines: Iterable[str]) -> frozenset[str]:
    """The sector codes the agents file gives ("~GOV", "~MIL"): what follows a state in an actor's code."""
    return frozenset(m for raw in lines for m in re.findall(r"~([A-Z]{3})", _strip_comment(raw)))


def read_agents(lines: Iterable[str]) -> list[tuple[str, str]]:
    """(phrase, sector) for every agent and its plural ("police", "foreign minister", "foreign ministers")."""
    subs: dict[str, list[str]] = {}
    out: list[tuple[str, str]] = []
    for raw in lines:
        line = _strip_comment(raw)
        if not line.strip():
            continue
        m = re.match(r"^\s*(![A-Z]+!)\s*=\s*(.+)$", line)
        if m:
            subs[m.group(1)] = [x.strip() for x in m.group(2).split(",") if x.strip()]
            continue
        m = re.search(r"\[([^\]]*)[\]}]", line)
        if not m:
            continue
        sector = agent_sector(m.group(1))
        if sector is None:
            continue
        head = line[: m.start()]
        plural_text = None
        pm = re.search(r"\{([^}]*)\}", head)
        if pm:
            plural_text = pm.group(1).strip()
            head = head[: pm.start()]
        phrase = head.strip()
        variants = [phrase]
        for marker, subst in subs.items():
            if marker in phrase:
                variants = [v.replace(marker, s) for v in variants for s in subst]
        for v in variants:
            words = _words(v)
            if not words:
                continue
            out.append((" ".join(words), sector))
        if plural_text:
            words = _words(plural_text)
            if words:
                out.append((" ".join(words), sector))
    return out


def marker_free(phrase: str, subs: dict[str, list[str]]) -> bool:
    return not any(m in phrase for m in subs)


def write_agents(agents: list[tuple[str, str]]) -> str:
    table: dict[str, str] = {}
    for phrase, sector in agents:
        table.setdefault(phrase, sector)  # the first entry of a phrase wins, as in PETRARCH2
    lines = [
        "# Generic agents: phrase (lower case, words of a noun phrase ending in its head) and sector. Read by",
        "# rashomon.who.actors; regenerate with scripts/derive_plover.py.",
        "#",
        PETRARCH_NOTICE.format(files="Phoenix.agents.txt").rstrip("\n"),
    ]
    heads = agent_heads(table)
    lines[1:1] = ["# A row marked \"head\" is a head word no entry names alone, with the sector of two thirds or more of",
                  "# the (at least three) phrases it ends (\"official\": \"customs official\", \"court official\", ...)."]
    rows = [(p, s, "") for p, s in table.items()] + [(w, s, "head") for w, s in heads.items()]
    lines += ["\t".join((p, s, h)).rstrip("\t") for p, s, h in sorted(rows)]
    return "\n".join(lines) + "\n"


_FUNCTION_WORDS = frozenset({"of", "for", "and", "on", "in", "to", "the", "at", "&", "a", "an", "with", "from"})


def agent_heads(table: dict[str, str]) -> dict[str, str]:
    """Head words the agents dictionary has only inside longer phrases ("government official", "customs
    official"), with the sector most of those phrases share: at least two thirds of at least three. Phrases
    with a preposition ("minister of finance") end in no head of theirs."""
    votes: dict[str, dict[str, int]] = {}
    for phrase, sector in table.items():
        words = phrase.split()
        if len(words) < 2 or words[-1] in table or not _FUNCTION_WORDS.isdisjoint(words):
            continue
        counts = votes.setdefault(words[-1], {})
        counts[sector] = counts.get(sector, 0) + 1
    out = {}
    for word, counts in votes.items():
        total = sum(counts.values())
        sector, most = max(sorted(counts.items()), key=lambda kv: kv[1])
        if total >= 3 and 3 * most >= 2 * total:
            out[word] = sector
    return out


# ------------------------------------------------------------------------------------------ actors

_NONSTATE = frozenset({"IGO", "NGO", "IMG", "MNC", "UIS", "NGM"})


def parse_date(text: str) -> str | None:
    """YYMMDD (00-30 -> 20YY, else 19YY, as PETRARCH reads it) or YYYYMMDD, as YYYY-MM-DD; None if invalid."""
    if not text.isdigit():
        return None
    if len(text) <= 7:
        if len(text) != 6:
            return None
        yy = int(text[:2])
        year = 2000 + yy if yy <= 30 else 1900 + yy
        month, day = int(text[2:4]), int(text[4:6])
    else:
        year, month, day = int(text[:4]), int(text[4:6]), int(text[6:8])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass
class Role:
    code: str
    start: str  # "" = open
    end: str

    def fmt(self) -> str:
        if not (self.start or self.end):
            return self.code
        return f"{self.code}@{self.start.replace('-', '')}~{self.end.replace('-', '')}"


def _role(text: str) -> Role | None:
    parts = text.split()
    if not parts:
        return None
    code = parts[0].strip()
    if not re.fullmatch(r"[A-Z]{3,}", code):
        return None
    if len(parts) == 1:
        return Role(code, "", "")
    span = parts[1]
    if span.startswith("<"):
        end = parse_date(span[1:])
        return Role(code, "", end) if end else None
    if span.startswith(">"):
        start = parse_date(span[1:])
        return Role(code, start, "") if start else None
    if "-" in span:
        a, b = span.split("-", 1)
        start, end = parse_date(a), parse_date(b)
        return Role(code, start, end) if start and end else None
    return None


def read_actors(lines: Iterable[str], countries: set[str]) -> list[tuple[list[str], list[Role]]]:
    """(names, roles) of each entry: a primary phrase, its + synonyms, the codes on its line and the
    tab-indented date restrictions that follow. Primary phrases in a row without codes between them are
    read as one entry (some entries list synonyms without their "+")."""
    entries: list[tuple[list[str], list[Role]]] = []
    names: list[str] = []
    roles: list[Role] = []
    expecting_roles = False

    def close() -> None:
        nonlocal names, roles
        if names and roles:
            entries.append((names, roles))
        names, roles = [], []

    for raw in lines:
        if raw.startswith("#"):
            continue
        line = _strip_comment(raw)
        if not line.strip():
            continue
        stripped = line.strip()
        codes = [r for r in (_role(m) for m in re.findall(r"\[([^\]]*)\]", stripped)) if r]
        name_part = re.sub(r"\[[^\]]*\]", "", stripped).strip()
        if raw[:1] in ("\t", " ") and stripped.startswith("["):
            roles += codes
            expecting_roles = True
            continue
        if stripped.startswith("+"):
            if expecting_roles:  # a synonym after the roles starts no new entry in the files; keep it
                pass
            names.append(name_part[1:])
            roles += codes
            continue
        # a new primary phrase (also a tab-indented name, as one entry of the International file has);
        # names in a row with no codes between them share the codes that follow (several entries list
        # their synonyms without the "+")
        if expecting_roles or roles:
            close()
        expecting_roles = False
        names.append(name_part)
        roles += codes
        if codes:
            expecting_roles = True
    close()
    return entries


def write_actors(entries: list[tuple[list[str], list[Role]]], countries: set[str]) -> str:
    table: dict[str, list[Role]] = {}
    rows: list[tuple[list[str], list[Role]]] = []
    for names, roles in entries:
        kept = [r for r in roles if r.code != "---" and _usable(r.code, countries)]
        if not kept or all(r.code in countries and not (r.start or r.end) for r in kept):
            continue  # a state's own names, capitals and cities: rashomon.text.geo's business
        dated = [r for r in kept if r.start or r.end]
        if dated:
            # an undated default next to dated roles only repeats the person's state, which the coder
            # takes from the dated roles anyway ("outside its dates, the country alone")
            homes = {r.code[:3] for r in dated}
            kept = dated + [r for r in kept if not (r.start or r.end) and r.code[:3] not in homes]
        keys = []
        for n in names:
            key = " ".join(_words(n))
            if len(key) < 2 or key in table:
                continue  # the first entry of a name wins, as in PETRARCH2
            table[key] = kept
            keys.append(key)
        if keys:
            rows.append((keys, kept))
    lines = [
        "# Named actors: names (lower case, | between the names of one actor) and roles, each CODE or",
        "# CODE@start~end (YYYYMMDD, either end open).",
        "# A CODE is a state (ISO alpha-3) or IGO/NGO/IMG, then sectors (USAGOV: the US government). Read by",
        "# rashomon.who.actors: a dated role counts only on the article's date; regenerate with",
        "# scripts/derive_plover.py.",
        "#",
        PETRARCH_NOTICE.format(files="Phoenix.Countries.actors.txt, Phoenix.International.actors.txt, "
                                     "Phoenix.MilNonState.actors.txt").rstrip("\n"),
    ]
    for keys, roles in sorted(rows, key=lambda r: r[0][0]):
        lines.append("|".join(keys) + "\t" + " ".join(r.fmt() for r in roles))
    return "\n".join(lines) + "\n"


def _one_letter_apart(a: str, b: str) -> bool:
    """Whether two words of five letters or more differ by one letter left out, put in or changed (two
    letters swapped count too: both words lose one letter to meet)."""
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 1 or " " in a + b:
        return False
    cut = {a[:i] + a[i + 1:] for i in range(len(a))} | {a}
    return any(b[:i] + b[i + 1:] in cut for i in range(len(b))) or b in cut


def write_places(entries: list[tuple[list[str], list[Role]]], countries: set[str],
                 sectors: frozenset[str] = frozenset()) -> str:
    """Place names of the Countries file's state entries: each state's names, regions and cities ("+SAMARRA"
    under IRAQ_) with the state's code, dated roles and occupations ("IRQOCC") included, for the places a
    gazetteer of large cities lacks; also a territory the file codes by its state and its own code ("GAZA_
    [PSEGZA]" with "+GAZA_STRIP", "GUAM_ [USAGUM]"), an undated code whose tail is no sector of the agents
    file. An entry with any other code (a ministry, a party) is no place."""
    table: dict[str, tuple[str, bool]] = {}

    def territory(r: Role) -> bool:
        return bool(sectors) and len(r.code) == 6 and not (r.start or r.end) and r.code[3:] not in sectors \
            and r.code[3:] not in _NONSTATE

    for names, roles in entries:
        heads = {r.code[:3] for r in roles}
        if len(heads) != 1 or not all(r.code in countries or r.code[3:] == "OCC" or territory(r) for r in roles):
            continue
        code = heads.pop()
        if code not in countries:
            continue
        within = any(territory(r) for r in roles)  # a territory lies in its state, it does not stand for it
        first = " ".join(_words(names[0]))
        for n in names:
            key = " ".join(_words(n))
            if len(key) >= 3:
                # the first entry of a name wins, as in PETRARCH2; a variant of the state's own name
                # ("ECUADORIAN_" under "ECUADOR_": its first four letters) stands for the state
                # ... and so does its misspelling by a letter left out, put in or changed ("ETHOPIA_")
                table.setdefault(key, (code, not within and (key[:4] == first[:4] or _one_letter_apart(key, first))))
    lines = [
        "# Places: a name (lower case), the state it lies in (ISO alpha-3) and \"state\" for a variant of the",
        "# state's own name (a spelling or a demonym), from the state entries of the Countries actor file.",
        "# Read by rashomon.who.actors after the gazetteer (rashomon.text.geo); regenerate with",
        "# scripts/derive_plover.py.",
        "#",
        PETRARCH_NOTICE.format(files="Phoenix.Countries.actors.txt").rstrip("\n"),
    ]
    lines += [f"{name}\t{code}" + "\tstate" * own for name, (code, own) in sorted(table.items())]
    return "\n".join(lines) + "\n"


def _usable(code: str, countries: set[str]) -> bool:
    head = code[:3]
    if head == "MNC":
        return False  # companies: not what political events are coded on
    return head in countries or head in _NONSTATE or (len(code) == 3 and code not in countries)


def country_codes(lines: Iterable[str]) -> set[str]:
    """The state codes the Countries file gives its country entries ("AFGHANISTAN_  [AFG]")."""
    out = set()
    for raw in lines:
        m = re.match(r"^[A-Z][A-Z_.'\- ]*\s+\[([A-Z]{3})\]\s*(#.*)?$", raw.rstrip("\n"))
        if m:
            out.add(m.group(1))
    return out


# ------------------------------------------------------------------------------------------- main


def derive(petrarch: Path, plover_table: Path) -> dict[str, str]:
    """File name -> content of every derived table."""
    def read(p: Path) -> list[str]:
        return p.read_text(encoding="utf-8", errors="replace").splitlines()

    table_lines = read(plover_table)
    table = read_cameo2plover(table_lines)
    verb_lines = read(petrarch / "CAMEO.2.0.txt")
    vd = read_verb_dictionary(verb_lines)
    extra = comment_verbs(verb_lines, vd)
    acts = description_acts(read_descriptions(table_lines), {v.lemma for v in vd.verbs + extra})
    country_lines = read(petrarch / "Phoenix.Countries.actors.txt")
    countries = country_codes(country_lines)
    entries = []
    for name in ("Phoenix.Countries.actors.txt", "Phoenix.International.actors.txt",
                 "Phoenix.MilNonState.actors.txt"):
        entries += read_actors(read(petrarch / name), countries)
    places = read_actors(country_lines, countries)
    # a state whose code stands on the lines after its names ("IRAQ_" then "[IRQ <20030320]")
    states = countries | {r.code for _, roles in places for r in roles if re.fullmatch(r"[A-Z]{3}", r.code)}
    return {
        "plover_patterns.tsv": write_patterns(vd, extra, table, acts, cue_categories(table_lines)),
        "plover_agents.tsv": write_agents(read_agents(read(petrarch / "Phoenix.agents.txt"))),
        "plover_actors.tsv": write_actors(entries, countries),
        "plover_places.tsv": write_places(places, states, agent_codes(read(petrarch / "Phoenix.agents.txt"))),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--petrarch", type=Path, default=SHARED / "petrarch2")
    ap.add_argument("--plover", type=Path, default=SHARED / "plover" / "CAMEO2PLOVER-2021.txt")
    ap.add_argument("--out", type=Path, default=ROOT / "src" / "rashomon" / "data")
    a = ap.parse_args(argv)
    for name, text in derive(a.petrarch, a.plover).items():
        path = a.out / name
        path.write_text(text, encoding="utf-8", newline="\n")
        print(f"{path}: {text.count(chr(10))} lines, {len(text.encode('utf-8'))} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
