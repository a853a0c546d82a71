"""The local runner (run/runner): what it learns across a run's documents before cleaning them."""

from __future__ import annotations

from rashomon.config import Config
from rashomon.model import RawDocument
from rashomon.run.runner import ingest_items
from rashomon.store import Store

STUB = "Chat about it on the Kell app and never miss a story again.\nFind out what is happening as it unfolds."


def test_a_sites_stub_is_its_clutter_even_when_no_outlet_is_named(tmp_path):
    bodies = ["The council of Kell voted on Monday to rebuild the old harbour wall at Sorne after two storms.",
              "Fishermen in Avel said the new quota would halve their catch of cod this winter, their union said.",
              "The Lent ferry will run twice a day from June, the harbour master announced on Tuesday morning.",
              "A fire destroyed the old grain store in Sorne overnight; nobody was hurt, the fire service said."]
    raws = [RawDocument(input=f"p{i}.html", kind="html", text=f"{body}\n{STUB}",
                        url=f"https://www.kellpost.example/news/{i}") for i, body in enumerate(bodies)]
    with Store(str(tmp_path / "db.sqlite")) as store:
        ids, _ = ingest_items(raws, Config(), store)
        texts = [a.text for a in store.articles(ids)]
    assert len(texts) == 4 and not any("never miss a story" in t for t in texts)
    assert [t.split("\n")[0] for t in texts] == bodies
