"""A small stream of invented news for the runner's tests: eight events, four or five reports of each,
told in different words, with two events of each kind (two floods, two trade deals, ...) so that placing
an article in the wrong story, or without its names, shows."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

EVENTS = [  # the two events of a kind share their place and week: names and figures tell them apart
    ("flood", "Kessin", "Mayor Ilsa Marrow", "2026-02-02", "400 homes", "the river"),
    ("flood", "Kessin", "Governor Tomas Reed", "2026-02-12", "1,200 homes", "the river"),
    ("deal", "Velmora", "Trade Minister Anna Kovac", "2026-03-03", "2.4 billion marks", "grain"),
    ("deal", "Velmora", "Premier Odo Lenz", "2026-03-13", "900 million marks", "grain"),
    ("strike", "Sarnia", "union leader Petra Holm", "2026-04-06", "12,000 workers", "the port"),
    ("strike", "Sarnia", "union leader Jonas Brandt", "2026-04-16", "3,000 workers", "the port"),
    ("quake", "Orvath", "President Mira Solvik", "2026-05-04", "a magnitude 6.1 quake", "the valley"),
    ("quake", "Orvath", "Prime Minister Karel Dusek", "2026-05-14", "a magnitude 5.4 quake", "the valley"),
]

TEMPLATES = {
    "flood": [
        "Floods hit {place}\nFlood water swept through {place} on {day}, forcing {n} to be evacuated as {where} burst "
        "its banks. {who} said rescue teams had worked through the night.",
        "{place} evacuates {n} as {where} floods\n{who} ordered {n} evacuated in {place} after {where} rose above "
        "its banks on {day}. Schools in {place} stay shut.",
        "Rescue teams in {place}\nThe flooding of {where} left {n} under water in {place}, {who} told reporters. "
        "The army sent boats to {place} on {day}.",
        "{where} bursts its banks\nResidents of {place} fled {n} when {where} overflowed. {who} called it the worst "
        "flood in {place} in decades.",
    ],
    "deal": [
        "{place} signs trade accord\n{who} signed a trade accord worth {n} on {day}, covering {where}. The deal "
        "was agreed in {place} after months of talks.",
        "Trade deal for {where}\nA {n} trade deal on {where} was signed by {who} in {place} on {day}, officials said.",
        "{who} hails accord\n{who} said the {n} accord on {where} would open markets. It was signed in {place}.",
        "Accord worth {n}\n{place} agreed a trade pact worth {n} on {where}, {who} announced on {day}.",
    ],
    "strike": [
        "Strike shuts {where}\n{n} walked out on {day}, shutting {where}, said {who}. Talks in {place} broke down.",
        "{place} strike\nA strike by {n} halted {where} in {place} on {day}. {who} demanded higher pay.",
        "Walkout in {place}\n{who} led {n} out of {where} in {place}, saying pay talks had failed.",
        "{where} at a standstill\nNo work was done at {where} in {place} as {n} struck, {who} told reporters.",
    ],
    "quake": [
        "Quake strikes {place}\n{n} struck {where} near {place} on {day}. {who} said rescuers were searching "
        "the rubble.",
        "{place} shaken\nBuildings fell in {place} after {n} hit {where}, {who} said on {day}.",
        "Rescuers search rubble in {place}\nRescuers worked in {where} after {n} shook {place}. {who} visited "
        "the town.",
        "Aid for {place}\n{who} promised aid to {place}, where {n} damaged homes across {where}.",
    ],
}


def records(reports_per_event: int = 4, events: list[tuple[str, ...]] | None = None) -> list[dict[str, str]]:
    """The stream as JSONL records (``id``, ``date``, ``title``, ``text``), events interleaved by date."""
    out = []
    for e, (kind, place, who, day, n, where) in enumerate(EVENTS if events is None else events):
        for k, template in enumerate(TEMPLATES[kind][:reports_per_event]):
            title, body = template.format(place=place, who=who, day="Monday", n=n, where=where).split("\n", 1)
            out.append({"id": f"e{e}-r{k}", "date": day, "title": title[0].upper() + title[1:], "text": body})
    random.Random(7).shuffle(out)
    return out


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


# More invented places and people, for streams longer than the eight events above (the load benchmarks)
PLACES = ["Kessin", "Velmora", "Sarnia", "Orvath", "Dunmere", "Halvik", "Brennach", "Tolvey", "Ashgrove",
          "Marrowby", "Quellin", "Ostrava Minor", "Pellmoor", "Strand Ives", "Corbel", "Vantry"]
PEOPLE = ["Mayor Ilsa Marrow", "Governor Tomas Reed", "Trade Minister Anna Kovac", "Premier Odo Lenz",
          "union leader Petra Holm", "union leader Jonas Brandt", "President Mira Solvik",
          "Prime Minister Karel Dusek", "Mayor Edda Quist", "Governor Lars Fenwick", "Minister Sela Arvo",
          "Premier Rolf Tamsin", "Councillor Nia Brask", "Chancellor Ivo Kettle", "Senator Alma Rusk",
          "Governor Pim Osgood"]
WHERE = {"flood": ["the river", "the canal", "the lake"], "deal": ["grain", "steel", "timber"],
         "strike": ["the port", "the mines", "the rail depot"], "quake": ["the valley", "the coast", "the hills"]}
SIZES = {"flood": "{} homes", "deal": "{} million marks", "strike": "{} workers", "quake": "a magnitude {} quake"}


def events(count: int, seed: int = 11) -> list[tuple[str, ...]]:
    """``count`` invented events (kind, place, who, day, figure, where), each with its own person and figure,
    dated a few days apart, for :func:`records`."""
    rng = random.Random(seed)
    out: list[tuple[str, ...]] = []
    kinds = list(TEMPLATES)
    for e in range(count):
        kind = kinds[e % len(kinds)]
        figure = f"{rng.randint(4, 7)}.{rng.randint(0, 9)}" if kind == "quake" else f"{rng.randint(2, 90) * 100:,}"
        month, day = 1 + (e * 5 // 28) % 12, 1 + (e * 5) % 28
        who = PEOPLE[(e * 7 + e // len(PLACES)) % len(PEOPLE)]
        out.append((kind, PLACES[e % len(PLACES)], who, f"2026-{month:02d}-{day:02d}", SIZES[kind].format(figure),
                    rng.choice(WHERE[kind])))
    return out


def placement(db: Path) -> tuple[list[tuple[str, str]], list[Any]]:
    """Families and the story index's view of each article, in placing order, by corpus id. Every stored
    article must be placed."""
    from rashomon.config import Config
    from rashomon.group.stories import StoryIndex
    from rashomon.store import Store

    with Store(db) as store:
        by_id = {a.id: a.source_id or a.id for a in store.articles()}
        fam, _ = store.assignments()
        stories = StoryIndex.load(store.load_state("stories"), Config())
        unplaced = store.unassigned()
    if unplaced:
        raise AssertionError(f"left unplaced: {unplaced}")
    families = sorted((by_id[a], by_id[f]) for a, f in fam.items())
    canon: dict[str, str] = {}  # story ids named by their first member's corpus id, so two stores compare
    view = []
    for aid, story, feats, vector, span in stories.snapshot():
        canon.setdefault(story, by_id[aid])
        view.append((by_id[aid], canon[story], feats, vector, span))
    return families, view


def one_writer_in_recorded_order(db: Path, rows: dict[str, dict[str, str]], tmp: Path) -> tuple[list[Any], list[Any]]:
    """The reference: a fresh store, one writer adding the same records in the order ``db`` recorded."""
    from rashomon.config import Config
    from rashomon.run.runner import add
    from rashomon.store import Store

    with Store(db) as store:
        order = [a.source_id or a.id for a in store.articles()]
    ref_db = tmp / "reference.db"
    source = write(tmp / "reference.jsonl", [rows[k] for k in order])
    with Store(ref_db) as store:
        add([str(source)], Config(workers=1), store)
    return placement(ref_db)
