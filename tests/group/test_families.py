"""Syndication families: copies, light edits, rewrites, translations; order-independent; saved and restored."""

from __future__ import annotations

import itertools
import random
import re

import pytest

from rashomon.config import Config
from rashomon.group.families import FamilyIndex, aligned_share
from rashomon.group.features import wire_agency
from rashomon.model import Article

from ..conftest import seed_path

# An invented wire report (about twenty sentences, as wire copy runs) ...
WIRE = """Veldra's prime minister Anika Horvath promised on Tuesday to rebuild the Kessin ferry port within two years, after a storm wrecked its piers last month.
"We will not leave the island cut off from the mainland for a single winter more," Horvath told reporters at the harbour.
The storm destroyed three of the port's five piers and sank 14 fishing boats on October 12.
Repairs are expected to cost about 240 million crowns, according to the transport ministry.
Horvath said the government would pay two thirds of the bill and the regional council the rest.
The council's leader, Tomas Ebbe, welcomed the plan but warned that contractors were scarce.
"Every builder on the coast is already busy with storm damage," Ebbe said.
About 6,500 people live on Kessin, which depends on the ferry for food, fuel and medicine.
Since the storm, a temporary pontoon has handled two crossings a day instead of the usual nine.
Fishermen say the lost boats have halved the island's catch this autumn.
The opposition accused the government of reacting too slowly to the damage.
Its leader, Mira Sallo, said the island had waited five weeks for a visit from the capital.
Horvath rejected the criticism and said engineers had been on the island since the day after the storm.
The ministry will open the tender for the new piers in January, officials said.
Work on the first pier could start in the spring if the weather allows.
The new piers will be built two metres higher to resist future storms.
Scientists at Veldra University say storms of this strength are becoming more frequent on the coast.
The island's school reopened last week after a month of lessons by video link.
A second pontoon is due to arrive from the mainland before Christmas.
Horvath is expected to return to Kessin in March to review the work, her office said."""

# ... the same report rewritten by another outlet: reworded, shortened, same order, same quotes and figures.
REWRITE = """Prime minister Anika Horvath pledged Tuesday that the Kessin ferry port will be rebuilt in two years, following last month's storm that wrecked the piers.
"We will not leave the island cut off from the mainland for a single winter more," she told reporters at the harbour.
Three of five piers were destroyed by the storm on October 12, which also sank 14 fishing boats.
The transport ministry puts the cost of repairs at around 240 million crowns.
The government will cover two thirds of the bill, Horvath said, with the regional council paying the rest.
Tomas Ebbe, who leads the council, welcomed the plan while warning of a shortage of contractors.
"Every builder on the coast is already busy with storm damage," he said.
Kessin's 6,500 people depend on the ferry for food, fuel and medicine.
A temporary pontoon has managed two crossings a day since the storm, down from the usual nine.
The opposition, led by Mira Sallo, accused the government of a slow reaction and said the island waited five weeks for a visit.
Horvath rejected the criticism, saying engineers had been on the island since the day after the storm.
Officials said the ministry will open the tender for new piers in January.
The first pier could be started in spring if the weather allows, and the new piers will be two metres higher.
Horvath's office said she will return to Kessin in March to review the work."""

# An independent report of the same event: its own reporting, its own order and quotes.
INDEPENDENT = """Residents of Kessin island greeted the government's reconstruction promise with relief and some doubt.
At the harbour café, fisherman Per Lund said he had heard many promises before.
"I will believe it when I see concrete in the water," Lund said, standing beside his damaged boat.
The October storm left the island's only supermarket short of fresh produce for weeks.
Teachers described a month of lessons by video link as exhausting for families.
Prime minister Anika Horvath visited the island on Tuesday and promised new piers within two years.
Local engineers say the design of the old piers was outdated and should have been replaced long ago.
A retired harbour master, Ilse Varga, said the port had survived worse storms in the 1970s.
"The difference is that nobody maintained it," Varga said.
The regional council has set up a fund for families who lost their boats.
Donations have come from as far away as the capital, organisers said.
Young people are leaving the island for the mainland, the council's figures show.
A local choir held a concert on Saturday to raise money for the fishermen."""


def art(aid: str, text: str) -> Article:
    return Article(id=aid, input="-", text=text)


def families(articles: list[Article], config: Config | None = None) -> dict[str, str]:
    index = FamilyIndex(config or Config())
    index.extend(articles)
    return index.assignments()


def seed_article(prefix: str) -> Article:
    text = seed_path(prefix).read_text(encoding="utf-8")
    date = None
    m = re.match(r"\s*date (\d{4}-\d{2}-\d{2})\s*", text)
    if m:
        date, text = m.group(1), text[m.end():]
    return Article(id=prefix, input=str(seed_path(prefix)), text=text, date=date)


def test_exact_copy_is_one_family() -> None:
    got = families([art("w1", WIRE), art("w2", WIRE)])
    assert got == {"w1": "w1", "w2": "w1"}


def test_light_edits_stay_in_the_family() -> None:
    edited = WIRE.replace("promised on Tuesday", "vowed on Tuesday").replace("About 6,500", "Some 6,500")
    edited = "Kessin port to be rebuilt, Horvath says\n" + "\n".join(edited.split("\n")[:-2])
    got = families([art("w1", WIRE), art("w2", edited)])
    assert got["w2"] == got["w1"]


def test_rewrite_joins_independent_report_does_not() -> None:
    got = families([art("a", WIRE), art("b", REWRITE), art("c", INDEPENDENT)])
    assert got["a"] == got["b"] == "a"
    assert got["c"] == "c"


def test_independent_report_scores_far_below_the_rewrite() -> None:
    index = FamilyIndex(Config())
    index.extend([art("a", WIRE), art("b", REWRITE), art("c", INDEPENDENT)])
    p = index._profiles
    rewrite = aligned_share(p["a"].sentences(), p["b"].sentences())
    independent = aligned_share(p["a"].sentences(), p["c"].sentences())
    assert rewrite >= 0.5
    assert independent < 0.2


def test_like_report_about_other_people_and_places_is_not_a_rewrite() -> None:
    # The rewrite's sentences, said of another island, its prime minister and its councillors: the same
    # wording in the same order, but another event, so another report (two reports, two sources).
    other = REWRITE
    for old, new in (("Anika Horvath", "Lena Okafor"), ("Horvath", "Okafor"), ("Kessin", "Marrow"),
                     ("Tomas Ebbe", "Jon Vrenn"), ("Mira Sallo", "Ida Brask")):
        other = other.replace(old, new)
    index = FamilyIndex(Config())
    index.extend([art("a", WIRE), art("b", other)])
    p = index._profiles
    assert aligned_share(p["a"].sentences(), p["b"].sentences()) >= 0.5  # alike enough to be a rewrite ...
    assert index.assignments() == {"a": "a", "b": "b"}  # ... but not one report
    assert families([art("a", WIRE), art("b", REWRITE)])["b"] == "a"


def test_a_rewrite_follows_its_source_within_days() -> None:
    # The same rewrite, dated a week after the wire story, is one report; dated eight months after it (a
    # yearly report written from last year's, an event retold), it is another report. A copy stays a copy.
    def dated(aid: str, text: str, day: str) -> Article:
        return Article(id=aid, input="-", text=text, date=day)

    week = families([dated("a", WIRE, "2026-03-02"), dated("b", REWRITE, "2026-03-09")])
    months = families([dated("a", WIRE, "2026-03-02"), dated("b", REWRITE, "2026-11-02")])
    assert week == {"a": "a", "b": "a"}
    assert months == {"a": "a", "b": "b"}
    assert families([dated("a", WIRE, "2026-03-02"), dated("b", WIRE, "2027-03-02")])["b"] == "a"
    assert families([dated("a", WIRE, "2026-03"), art("b", REWRITE)])["b"] == "a"  # undated: no rule


def test_different_agency_cues_rule_out_a_rewrite() -> None:
    a = WIRE + "\nThe figures were confirmed to AFP by the ministry, an aide told AFP."
    b = REWRITE + "\nA ministry aide told Reuters the figures were correct."
    assert wire_agency(a) == "AFP" and wire_agency(b) == "Reuters"
    got = families([art("a", a), art("b", b)])
    assert got["a"] != got["b"]


def test_seeds_translated_rewrite_is_the_only_family(seeds_dir) -> None:
    arts = [seed_article(p) for p in ("000", "001", "002", "003", "004")]
    got = families(arts)
    assert got["000"] == got["001"] == "000"
    assert len({got[p] for p in ("000", "002", "003", "004")}) == 4


def test_any_arrival_order_gives_the_same_families() -> None:
    arts = [art("a", WIRE), art("b", REWRITE), art("c", INDEPENDENT), art("d", WIRE),
            art("e", REWRITE.replace("Tuesday", "Wednesday"))]
    expected = families(arts)
    assert expected == {"a": "a", "b": "a", "c": "c", "d": "a", "e": "a"}
    for order in itertools.islice(itertools.permutations(arts), 0, None, 7):
        got = families(list(order))
        assert {k: got[k] for k in expected} == expected


def test_dump_and_load_continue_where_they_stopped() -> None:
    config = Config()
    index = FamilyIndex(config)
    index.extend([art("a", WIRE), art("c", INDEPENDENT)])
    restored = FamilyIndex.load(index.dump(), config)
    assert restored.assignments() == index.assignments()
    assert restored.add(art("b", REWRITE)) == "a"
    assert restored.assignments() == {"a": "a", "c": "c", "b": "a"}


def test_remove_takes_the_article_out_and_relabels() -> None:
    index = FamilyIndex(Config())
    index.extend([art("a", WIRE), art("b", REWRITE), art("c", INDEPENDENT)])
    index.remove("a")
    assert index.assignments() == {"b": "b", "c": "c"}


def test_unrelated_articles_stay_apart_at_scale() -> None:
    rng = random.Random(3)
    words = [f"w{i}" for i in range(3000)]
    arts = [art(f"x{i}", ". ".join(" ".join(rng.choices(words, k=12)) for _ in range(15))) for i in range(200)]
    got = families(arts)
    assert len(set(got.values())) == 200


def test_bad_threshold_names_the_fix() -> None:
    with pytest.raises(Exception, match="family_jaccard"):
        FamilyIndex(Config().with_overrides(family_jaccard=0.0))


# ------------------------------------------------------ what is not the report's own (issue 17)

THREAD = ("Heartbreaking news from Kessa tonight. Our thoughts are with the families of everyone on board and with "
          "the rescue teams working through the night in rough seas. pic.twitter.com/xY12abQ\n"
          "— Ilse Varn (@IlseVarn) May 4, 2026\n"
          "I have spoken to the harbour master and the coast guard. Every available boat from Kessa, Lent and Avel is "
          "joining the search. We will not stop until everyone is found. pic.twitter.com/Pq77rTz\n"
          "— Ilse Varn (@IlseVarn) May 4, 2026\n"
          "Flags on all public buildings in Orvia will fly at half mast tomorrow in memory of those we lost.\n"
          "— Ilse Varn (@IlseVarn) May 4, 2026")


def test_reports_that_embed_the_same_posts_are_not_one_report():
    a = Article(id="a", input="-", title="Premier mourns Kessa ferry victims", date="2026-05-04",
                text="Premier Ilse Varn led tributes on Saturday after the ferry sank near Kessa.\n" + THREAD)
    b = Article(id="b", input="-", title="Orvia flags at half mast after ferry disaster", date="2026-05-04",
                text="Orvia will lower its flags on Sunday, the premier announced on social media.\n" + THREAD)
    c = Article(id="c", input="-", title="Ferry sinks off Kessa", date="2026-05-04",
                text="A ferry carrying 80 people sank off Kessa on Saturday evening. Rescuers pulled 41 survivors "
                     "from the sea, the coast guard said. The premier said every available boat was joining the search.")
    index = FamilyIndex(Config())
    index.extend([a, b, c])
    assert len(set(index.assignments().values())) == 3


def test_pages_holding_only_their_sites_stub_are_not_one_report():
    stub = "Chat with us in Kell Messenger.\nFind out what's happening in the world as it unfolds."
    pages = [Article(id="p", input="-", title="Harbour wall collapses in Kell", text=stub),
             Article(id="q", input="-", title="Kell mayor resigns over budget row", text=stub)]
    index = FamilyIndex(Config())
    index.extend(pages)
    assert index.assignments() == {"p": "p", "q": "q"}


def test_an_updated_version_of_a_report_is_the_same_report():
    v1 = ("Twelve people were killed when a ferry capsized off the coast of Kessa on Saturday, the coast guard said.\n"
          "The ferry was carrying about 80 passengers from Kessa to the island of Lent when it overturned in rough seas.\n"
          "Rescuers pulled 41 survivors from the water, coast guard spokesman Ivo Marr said.\n"
          "Ferry accidents are common in the region, where vessels are often overloaded.")
    v2 = ("The death toll rose to 20 on Sunday as divers searched the wreck of the Kessa ferry, officials said.\n"
          "Divers recovered eight more bodies overnight and more than a dozen passengers are still missing, Marr said.\n"
          + "\n".join(v1.split("\n")[1:]))
    index = FamilyIndex(Config())
    index.extend([Article(id="x", input="-", text=v1, title="Ferry capsizes off Kessa, 12 dead", date="2026-05-04"),
                  Article(id="y", input="-", text=v2, title="Kessa ferry death toll rises to 20", date="2026-05-05")])
    assert index.assignments() == {"x": "x", "y": "x"}


def test_a_report_carrying_another_reports_lead_as_a_teaser_is_not_that_report():
    # A short council report ends with a "more news" teaser block: the headline, dateline and first lines of the
    # ferry report, word for word. They are three full sentences, half of the short report's sentences, but a
    # minority of what it says (families.copied weighs the content keys too); the ferry's update stays its family.
    ferry = ["Twelve people were killed when a ferry capsized off the coast of Kessa on Saturday, the coast guard said.",
             "The ferry was carrying about 80 passengers from Kessa to the island of Lent when it overturned in rough seas.",
             "Rescuers pulled 41 survivors from the water, coast guard spokesman Ivo Marr said on Saturday night.",
             "Ferry accidents are common in the region, where old vessels are often overloaded with passengers and cargo.",
             "Relatives waited at the Kessa harbour for news of the missing as divers prepared to search the wreck.",
             "The operator of the ferry, Lent Lines, said it was cooperating fully with the inquiry into the accident.",
             "A survivor said water had poured into the lower deck minutes before the ferry turned over in the swell.",
             "The transport minister said the ferry had passed its most recent safety inspection in March."]
    council = ["The Brava city council voted on Monday to close the old Marrow bridge to lorries heavier than twelve tonnes "
               "from the first of June, after engineers found deep cracks in two of its supporting piers.",
               "Mayor Tilde Aske said the repairs would cost the city about four million crowns over two years and that "
               "buses and delivery vans would keep crossing while the work on the piers went on.",
               "Haulage firms in the Brava industrial zone warned that the detour through Oster would add forty minutes "
               "to every trip and asked the council to open a temporary crossing downstream by the summer.",
               *ferry[:3]]
    update = ["The death toll rose to 20 on Sunday as divers searched the wreck of the Kessa ferry, officials said.",
              "Divers recovered eight more bodies overnight and more than a dozen passengers are still missing.", *ferry[1:]]
    index = FamilyIndex(Config())
    index.extend([Article(id="ferry", input="-", text="\n".join(ferry), title="Ferry capsizes off Kessa", date="2026-05-04"),
                  Article(id="council", input="-", text="\n".join(council), title="Brava shuts bridge to lorries",
                          date="2026-05-04"),
                  Article(id="update", input="-", text="\n".join(update), title="Kessa ferry toll rises to 20",
                          date="2026-05-05")])
    assert index.assignments() == {"ferry": "ferry", "council": "council", "update": "ferry"}
