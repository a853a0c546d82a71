"""Cleaning: mojibake, whitespace with offsets, language, outlet/date from text, and boilerplate."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from rashomon.config import Config
from rashomon.model import Article, RawDocument, Skipped
from rashomon.read.boilerplate import split_boilerplate
from rashomon.read.clean import _ZERO_WIDTH, clean, clean_text, detect_language, fold, repair
from rashomon.read.ingest import iter_inputs

from ..conftest import seed_path

BODY = ("The council of Kell voted on Monday to rebuild the old harbour wall. The work will take two years, "
        "the mayor said.")


def test_seed_004_body_kept_whole_and_clutter_removed(seeds_dir):
    [raw] = list(iter_inputs([str(seed_path("004"))], Config()))
    art = clean(raw)
    assert isinstance(art, Article)
    # the body, first to last paragraph, stays whole
    assert art.text.startswith("Today, the Prime Minister, Mark Carney, met with the Prime Minister of Japan")
    assert art.text.rstrip().endswith("The leaders agreed to remain in close contact.")
    for kept in ("three bilateral Memorandums of Cooperation", "Canadian Coast Guard and the Japan Coast Guard",
                 "LNG, LPG, nuclear technologies", "Crisis response, to assist and evacuate nationals"):
        assert kept in art.text
    # everything from the related-posts block on goes, and is kept in `removed`
    removed = "\n".join(art.removed)
    for clutter in ("Associated links", "Source link", "Related Posts", "Mountbatten-Windsor", "Minister Joly",
                    "Leave a Reply", "Your email address will not be published", "You Missed", "Nintendo sues",
                    "Fatal Frame II", "What If It", "War hawks"):
        assert clutter not in art.text
        assert clutter in removed
    assert art.title.startswith("Prime Minister Carney meets with Prime Minister of Japan Takaichi Sanae")


def test_clean_seeds_lose_nothing(seeds_dir):
    for prefix in ("000", "001", "002", "003"):
        [raw] = list(iter_inputs([str(seed_path(prefix))], Config()))
        art = clean(raw)
        assert art.removed == (), prefix
        assert len(art.text) > 0.95 * len(raw.text.strip()), prefix
        assert art.language == "en"
    [raw] = list(iter_inputs([str(seed_path("001"))], Config()))
    assert clean(raw).outlet == "AFP"  # "Heng told AFP"


def test_example_government_release_clutter(tmp_path):
    art = clean(next(iter(iter_inputs(["examples/corpus/07_gov_release_blog.txt"], Config()))))
    assert art.text.endswith("invited him to visit Port Avel.")
    assert "Open a second border crossing for farm vehicles near Tarvik." in art.text
    assert not any(x in art.text for x in ("Share this", "Related Posts", "Leave a Reply", "You Missed", "recipes"))
    assert len(art.removed) >= 4


def test_end_marker_inside_body_is_not_a_cut():
    lines = [BODY, "Related", BODY.replace("Monday", "Tuesday") + " More text follows here for sure.",
             BODY.replace("Kell", "Avel"), "Read more"]
    kept, removed = split_boilerplate(lines)
    assert kept == [0, 1, 2, 3]  # "Related" followed by body text is not the article's end...
    assert [lines[i] for b in removed for i in b][-1] == "Read more"


def test_link_list_and_duplicates_are_clutter():
    lines = [BODY, BODY.replace("Kell", "Avel"), "Harbour tax plan goes to committee",
             "Mayor opens the new rail link", "Choir wins the national prize", BODY.replace("Kell", "Dorn")]
    kept, removed = split_boilerplate(lines)
    assert kept == [0, 1, 5] and removed == [[2, 3, 4]]


def test_outlet_repeated_lines_are_clutter():
    text = f"{BODY}\nFollow the Kell Gazette for more local news every day\n{BODY.replace('Kell', 'Avel')}"
    from rashomon.read.boilerplate import line_key

    out = clean_text(text, repeated={line_key("Follow the Kell Gazette for more local news every day")})
    assert "Follow the Kell Gazette" not in out.text and out.removed == ("Follow the Kell Gazette for more local news every day",)


def test_mojibake_repaired_and_quotes_kept():
    raw = RawDocument(input="m.txt", text="The mayorâ€™s plan, â€œa new harbourâ€\x9d, won the vote in Kell on Monday evening.")
    art = clean(raw)
    assert "mayor’s plan, “a new harbour”" in art.text


def _ftfy(text: str) -> str:
    import ftfy

    return _ZERO_WIDTH.sub("", ftfy.fix_text(text, uncurl_quotes=False, fix_line_breaks=True, normalization="NFC"))


def test_repair_is_ftfy_line_by_line_with_plain_lines_passed_over(seeds_dir):
    # every kind of line ftfy fixes, beside plain ones; entities are left as written after a line with "<",
    # as ftfy does, so the order of the lines matters
    lines = ["The mayorâ€™s plan won.\n", "Plain line, nothing to fix; 5 > 3 (really).\n", "Fish &amp; chips\n",
             "Tabs\tand\tspaces stay.\n", "Windows line\r\n", "Old Mac line\rnext\n", "ＷＩＤＥ text\n",
             "ﬁnal ligature\n", "bell\x07 and escape \x1b[31mred\x1b[0m\n", "Caf\u0065\u0301 decomposed\n",
             "a <b>tag</b> line\n", "after the tag: Tom &amp; Jerry\n", "zero\u200bwidth\n", "He said “no” — twice…\n",
             "mojibake of quotes: â€œyesâ€\x9d\n", "no break at the end"]
    for order in (lines, lines[::-1], lines[3:] + lines[:3]):
        text = "".join(order)
        assert repair(text) == _ftfy(text)
    for seed in sorted(seeds_dir.iterdir()):
        text = seed.read_text(encoding="utf-8", errors="replace")
        assert repair(text) == _ftfy(text)


@given(st.lists(st.text(alphabet=st.sampled_from(list("aZ <>&;#x\t\r\n\x1b\x07\x85\u2028éÃÂ©â€™“”‘–—…°¢ｗﬁ\u0301\u200b")),
                        max_size=30), max_size=8))
def test_repair_equals_ftfy_on_any_mix_of_lines(parts):
    text = "\n".join(parts)
    assert repair(text) == _ftfy(text)


def test_whitespace_normalised_with_offsets():
    text = "  The   council\tmet.  \n\n\n\n  It   voted\u00a0today on the plan.  \n"
    out = clean_text(text)
    assert out.text == "The council met.\n\nIt voted today on the plan."
    assert len(out.offsets) == len(out.text)
    for i, ch in enumerate(out.text):
        if not ch.isspace():
            assert text[out.offsets[i]] == ch


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60), max_size=12))
def test_offsets_always_point_at_the_same_character(parts):
    text = "\n".join(parts)
    out = clean_text(text)
    assert len(out.offsets) == len(out.text)
    for i, ch in enumerate(out.text):
        if not ch.isspace():
            assert text[out.offsets[i]] == ch


def test_fold_keeps_length():
    s = "“Yes,” she said — ‘twice’ «non»"
    assert len(fold(s)) == len(s) and fold(s) == '"Yes," she said - \'twice\' "non"'


def test_language_detection_offline():
    assert detect_language(BODY) == "en"
    assert detect_language("Le conseil municipal a voté lundi la reconstruction du vieux mur du port.") == "fr"
    assert detect_language("123 456") is None


def test_dateline_date_and_wire_outlet():
    raw = RawDocument(input="w.txt", text="KELL, Jan 5, 2026 (HPA) - " + BODY)
    art = clean(raw)
    assert (art.date, art.date_source, art.outlet) == ("2026-01-05", "text", "HPA")


def test_nothing_left_is_skipped():
    result = clean(RawDocument(input="x.txt", text="Share this article\nSubscribe to our newsletter"))
    assert isinstance(result, Skipped) and "boilerplate" in result.reason


def test_same_input_same_id():
    raw = RawDocument(input="a.txt", text=BODY)
    assert clean(raw).id == clean(RawDocument(input="elsewhere/a.txt", text=BODY)).id
    assert clean(raw).id != clean(RawDocument(input="a.txt", text=BODY, source_id="k-2")).id


def test_scraped_record_headline_block_url_and_title():
    text = ("http: / / www. kellgazette. example / news / harbour - wall - vote\n"
            "Kell council backs harbour wall rebuild\n"
            "January 5, 2026\n"
            f"{BODY}\n{BODY.replace('Kell', 'Avel')}\n"
            "Best decision ever.")
    art = clean(RawDocument(input="c.jsonl:1", text=text, kind="jsonl", source_id="k-9"))
    assert art.url == "http://www.kellgazette.example/news/harbour-wall-vote"
    assert art.title == "Kell council backs harbour wall rebuild"
    # the headline block is not a link list: headline and date stay, only the bare URL goes
    assert art.text.startswith("Kell council backs harbour wall rebuild\nJanuary 5, 2026\nThe council")
    assert art.text.endswith("Best decision ever.")  # a short closing sentence is body, not clutter
    assert art.removed == ("http: / / www. kellgazette. example / news / harbour - wall - vote",)


def test_byline_lines_are_not_a_link_list():
    lines = ["Kell council backs harbour wall rebuild", BODY, "Residents say the wall 'should have come sooner'",
             "PUBLISHED: MONDAY, JANUARY 5, 2026, 9:00 AM", "UPDATED: MONDAY, JANUARY 5, 2026, 11:30 AM",
             BODY.replace("Kell", "Avel")]
    kept, removed = split_boilerplate(lines)
    assert kept == [0, 1, 2, 3, 4, 5] and removed == []


def test_a_flood_of_symbols_is_not_text():
    """100,000 '[' passed cleaning as an article and cost the parser a token each (found by
    tests/test_fuzz.py); prose in any script, and tables of figures, still pass."""
    flood = clean(RawDocument(input="x.txt", text="[" * 100_000))
    assert isinstance(flood, Skipped) and flood.reason == "not text: only 0% of its characters are letters or digits"
    for text in ("AAPL 182.31 +1.25 (+0.69%), MSFT 402.10 -2.01 (-0.50%), GOOG 141.80 +0.12 (+0.08%) at the close.",
                 "市议会周一投票决定重建旧港口，市长表示工程将于春季开始，预计耗资一千四百万克朗。"):
        assert isinstance(clean(RawDocument(input="x.txt", text=text)), Article), text
