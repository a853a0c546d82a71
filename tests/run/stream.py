"""A small stream of invented news for the runner's tests: eight events, four or five reports of each,
told in different words, with two events of each kind (two floods, two trade deals, ...) so that placing
an article in the wrong story, or without its names, shows."""

from __future__ import annotations

import json
import random
from pathlib import Path

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


def records(reports_per_event: int = 4) -> list[dict[str, str]]:
    """The stream as JSONL records (``id``, ``date``, ``title``, ``text``), events interleaved by date."""
    out = []
    for e, (kind, place, who, day, n, where) in enumerate(EVENTS):
        for k, template in enumerate(TEMPLATES[kind][:reports_per_event]):
            title, body = template.format(place=place, who=who, day="Monday", n=n, where=where).split("\n", 1)
            out.append({"id": f"e{e}-r{k}", "date": day, "title": title[0].upper() + title[1:], "text": body})
    random.Random(7).shuffle(out)
    return out


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
