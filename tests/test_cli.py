"""The command line: outputs, exit codes, bad input, idempotent re-runs and a run killed midway."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from rashomon import __version__
from rashomon.cli import app
from rashomon.config import Config

from .conftest import EXAMPLES, ROOT, unprivileged

runner = CliRunner()
SCHEMA = json.loads((ROOT / "schema" / "analysis.schema.json").read_text())


def run(*args: str):
    return runner.invoke(app, list(args))


def load(out: Path) -> dict:
    return json.loads((out / "analysis.json").read_text(encoding="utf-8"))


def by_prefix(data: dict) -> dict:
    return {Path(a["input"]).name[:3]: a for a in data["articles"]}


def test_analyze_seeds(seeds_dir, tmp_path):
    out = tmp_path / "out"
    result = run("analyze", str(seeds_dir), "--out", str(out), "--db", str(tmp_path / "db.sqlite"), "--quiet")
    assert result.exit_code == 0, result.output
    data = load(out)
    jsonschema.validate(data, SCHEMA)
    arts = by_prefix(data)
    assert sorted(arts) == ["000", "001", "002", "003", "004"]
    assert [arts[k]["date"] for k in ("001", "002", "003")] == ["2026-03-06", "2026-03-07", "2026-03-06"]
    assert all(arts[k]["date_source"] == "header" for k in ("001", "002", "003"))
    assert arts["003"]["title"].startswith("Canada seeks stronger ties with Japan")
    assert arts["004"]["title"].startswith("Prime Minister Carney meets")
    assert arts["004"]["text"].rstrip().endswith("The leaders agreed to remain in close contact.")
    assert any("Related Posts" in r for r in arts["004"]["removed"])
    assert "You Missed" not in arts["004"]["text"]
    assert (out / "brief.md").read_text().strip() and "<html" in (out / "report.html").read_text()


def test_analyze_example_corpus_every_form(tmp_path):
    out = tmp_path / "out"
    result = run("analyze", str(EXAMPLES), "--out", str(out), "--db", str(tmp_path / "db.sqlite"), "--quiet")
    assert result.exit_code == 0, result.output
    data = load(out)
    jsonschema.validate(data, SCHEMA)
    kinds = {Path(a["input"].split("#")[0].split(":")[0]).suffix for a in data["articles"]}
    assert kinds == {".txt", ".html", ".jsonl", ".rss"}
    ledger = next(a for a in data["articles"] if a["source_id"] == "ledger-2026-0514-sarn")
    assert ledger["outlet"] == "The Northern Ledger"
    wire = next(a for a in data["articles"] if a["input"].endswith("01_mpa_wire.txt"))
    assert wire["outlet"] == "MPA"


def test_bad_inputs_are_skipped_and_the_rest_processed(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    good = "The council of Kell voted on Monday to rebuild the old harbour wall, the mayor said on Tuesday."
    (folder / "good.txt").write_text(good, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\x03" * 100)
    (folder / "undecodable.txt").write_bytes(b"\x81\x8d\x8f\x90\x9d" * 40)
    (folder / "huge.txt").write_text("word " * 1_100_000, encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"id": "j1", "text": "' + good + ' Again."}\n{oops\n', encoding="utf-8")
    out = tmp_path / "out"
    result = run("analyze", str(folder), "--out", str(out), "--db", str(tmp_path / "db.sqlite"))
    assert result.exit_code == 1, result.output
    data = load(out)
    assert len(data["articles"]) == 2
    skipped = {Path(s["input"]).name: s["reason"] for s in data["run"]["skipped"]}
    assert set(skipped) == {"empty.txt", "binary.txt", "undecodable.txt", "huge.txt", "broken.jsonl"}
    assert "2 articles" in result.output and "5 skipped" in result.output


def test_missing_path_is_exit_2_and_writes_nothing(tmp_path):
    out = tmp_path / "out"
    result = run("analyze", str(tmp_path / "nope"), "--out", str(out), "--db", str(tmp_path / "db.sqlite"))
    assert result.exit_code == 2
    assert "input not found" in result.output
    assert not out.exists()


def test_url_without_fetch_is_exit_2(tmp_path):
    result = run("analyze", "https://example.org/x", "--out", str(tmp_path / "o"), "--db", str(tmp_path / "d"))
    assert result.exit_code == 2 and "--fetch" in result.output


def test_usage_errors_are_exit_2(tmp_path):
    assert run("analyze", str(EXAMPLES), "--out", str(tmp_path), "--engine", "spark").exit_code == 2
    assert run("analyze").exit_code == 2


def test_reingest_is_a_no_op(seeds_dir, tmp_path):
    db = str(tmp_path / "db.sqlite")
    first = run("ingest", str(seeds_dir), "--db", db)
    assert first.exit_code == 0, first.output
    assert "5 new" in first.output
    again = run("analyze", str(seeds_dir), "--out", str(tmp_path / "o"), "--db", db)
    assert again.exit_code == 0 and "0 new, 5 already stored" in again.output
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 5
    assert con.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 5


def test_stories_show_export_version(seeds_dir, tmp_path):
    db = str(tmp_path / "db.sqlite")
    assert run("ingest", str(seeds_dir), "--db", db, "-q").exit_code == 0
    listed = run("stories", "--db", db, "--json")
    assert listed.exit_code == 0
    stories = json.loads(listed.stdout)["stories"]
    assert sum(len(s["article_ids"]) for s in stories) == 5
    article_id = stories[0]["article_ids"][0]
    shown = run("show", article_id, "--db", db, "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["id"] == article_id
    story = run("show", stories[0]["id"], "--db", db)
    assert story.exit_code == 0 and "References" in story.stdout
    assert run("show", "no-such-id", "--db", db).exit_code == 2
    exported = run("export", "--out", str(tmp_path / "all"), "--db", db, "-q")
    assert exported.exit_code == 0 and len(load(tmp_path / "all")["articles"]) == 5
    assert run("--version").stdout.strip() == f"rashomon {__version__}"


def test_every_command_has_help_and_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert {"analyze", "ingest", "stories", "show", "export"} <= set(commands)
    for name in commands:
        result = run(name, "--help")
        assert result.exit_code == 0 and "Usage" in result.output
        assert re.search(rf"rashomon {name}\b", readme), f"README does not document `rashomon {name}`"


# ----------------------------------------------------------------------------- a run killed midway


WORDS = ["harbour", "council", "river", "bridge", "tunnel", "mayor", "minister", "budget", "school", "station", "market", "factory", "port", "museum", "stadium", "ferry", "railway", "hospital", "festival", "election"]
PLACES = ("Kell", "Avel", "Dorn", "Tarvik", "Selk", "Holm", "Brenn", "Orsa", "Vasta", "Lind")


def synthetic_corpus(path: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            place, thing = rng.choice(PLACES), rng.choice(WORDS)
            sentences = [f"The {thing} of {place} reopened on Monday after {rng.randint(2, 40)} weeks of repairs.",
                         f"Officials in {place} said the work cost {rng.randint(1, 90)} million crowns.",
                         f"\"We are proud of the new {thing},\" said mayor Ana {rng.choice(PLACES)}son.",
                         f"Residents of {place} had waited since {rng.randint(1990, 2025)} for the {thing}."]
            f.write(json.dumps({"id": f"syn-{i}", "text": " ".join(sentences), "date": "2026-02-02"}) + "\n")


def test_killed_run_loses_nothing_and_resumes(tmp_path):
    corpus = tmp_path / "big.jsonl"
    synthetic_corpus(corpus, 400)
    db = tmp_path / "db.sqlite"
    env = {**os.environ, "RASHOMON_BATCH_SIZE": "16"}
    # the console script's entry (rashomon/__main__.py), which starts the workers before the CLI loads
    cmd = [sys.executable, "-m", "rashomon", "analyze", str(corpus), "--out", str(tmp_path / "o"),
           "--db", str(db), "--quiet"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.time() + 120
    noted = 0
    while time.time() < deadline and proc.poll() is None:
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
            noted = con.execute("SELECT COUNT(*) FROM notes").fetchone()[0]
            con.close()
        except sqlite3.Error:
            noted = 0
        if noted >= 32:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed; make the corpus bigger"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    con = sqlite3.connect(db)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = con.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    noted = con.execute("SELECT COUNT(*) FROM notes").fetchone()[0]
    con.close()
    assert 0 < noted < 400 and stored >= noted
    assert not (tmp_path / "o" / "analysis.json").exists()  # no half-written output

    result = subprocess.run(cmd[:-1], env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert f"{400 - stored} new, {stored} already stored" in result.stderr
    data = load(tmp_path / "o")
    assert sorted(a["source_id"] for a in data["articles"]) == sorted(f"syn-{i}" for i in range(400))
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 400
    assert con.execute("SELECT COUNT(*) FROM notes").fetchone()[0] == 400


def test_workers_started_early_are_handed_to_the_run_that_asks_for_as_many(tmp_path):
    """The console script forks a run's workers before the CLI is imported (run.workers.start_early); the
    run takes that pool when its parsed settings ask for as many workers, and replaces it otherwise."""
    from rashomon.config import Config
    from rashomon.run import workers

    corpus = tmp_path / "a.jsonl"
    synthetic_corpus(corpus, 3)
    workers.start_early([str(corpus), "--out", str(tmp_path / "o"), "--workers", "2", "-q"])
    early = workers._early
    assert early is not None and early.workers == 2
    pool = workers.start(Config(workers=2), [str(corpus)])
    assert pool is early and workers._early is None
    with pool:
        assert list(pool.imap(len, [["a"], ["b", "c"]])) == [1, 2]

    workers.start_early([f"--workers={2}", "--db", str(tmp_path / "db"), str(corpus)])
    early = workers._early
    pool = workers.start(Config(workers=1), [str(corpus)])  # `--workers 1` in a config file, say
    assert pool is None and workers._early is None
    with pytest.raises(RuntimeError):  # the early pool was shut down, not left running
        early.imap(len, [["a"]]).__next__()

    for args in (["--help"], [str(corpus), "-"], [str(corpus), "--workers"], [str(corpus), "--unknown"], [],
                 [str(corpus), "--config", str(tmp_path / "missing.toml")]):
        workers.start_early(args)
        assert workers._early is None, args


def test_index_state_from_another_version_is_rebuilt(seeds_dir, tmp_path):
    """A store whose saved family/story index comes from another rashomon version is still analysed: the
    placements are rebuilt from the stored articles, giving the same families and stories."""
    import pickle

    db = tmp_path / "db.sqlite"
    assert run("analyze", str(seeds_dir), "--out", str(tmp_path / "a"), "--db", str(db), "--quiet").exit_code == 0
    first = load(tmp_path / "a")
    con = sqlite3.connect(db)
    old = pickle.dumps({"version": -1, "state": {}})
    with con:
        con.execute("UPDATE state SET data=?", (old,))
    assert con.execute("SELECT COUNT(*) FROM state").fetchone()[0] == 2
    con.close()
    result = run("analyze", str(seeds_dir), "--out", str(tmp_path / "b"), "--db", str(db), "--quiet")
    assert result.exit_code == 0, result.output
    again = load(tmp_path / "b")
    assert [(a["id"], a["family"], a["story"]) for a in again["articles"]] == \
        [(a["id"], a["family"], a["story"]) for a in first["articles"]]
    con = sqlite3.connect(db)
    assert all(pickle.loads(row[0])["version"] != -1 for row in con.execute("SELECT data FROM state"))
    con.close()


# ------------------------------------------------------------------- usage errors before any work


def _no_store(tmp_path: Path) -> str:
    return str(tmp_path / "never.db")


def said(result) -> str:
    """The command's output with rich's line wrapping undone."""
    return " ".join(result.output.split())


def test_an_empty_input_folder_is_a_usage_error_naming_the_formats(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    db = _no_store(tmp_path)
    result = run("analyze", str(folder), "--out", str(tmp_path / "o"), "--db", db)
    assert result.exit_code == 2, result.output
    assert "holds no file rashomon reads: it is empty" in said(result)
    assert ".txt" in said(result) and ".jsonl" in said(result)
    assert not Path(db).exists() and not (tmp_path / "o").exists()
    (folder / "notes.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 64)
    result = run("ingest", str(folder), "--db", db)
    assert result.exit_code == 2 and "1 file of other types (.docx)" in said(result)
    assert not Path(db).exists()


def test_a_word_document_is_a_usage_error_that_says_what_is_read(tmp_path):
    doc = tmp_path / "report.docx"
    doc.write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 200 + b"word/document.xml")
    db = _no_store(tmp_path)
    result = run("analyze", str(doc), "--out", str(tmp_path / "o"), "--db", db)
    assert result.exit_code == 2, result.output
    assert "zip archive" in said(result) and "Word .docx" in said(result)
    assert "rashomon reads .txt, .html" in said(result) and "save the document as .txt or .html" in said(result)
    assert "binary content" not in said(result)
    assert not Path(db).exists()
    pdf = tmp_path / "scan.pdf"
    pdf.write_bytes(b"%PDF-1.7\n" + b"\x00\x01" * 50)
    assert "a PDF document" in said(run("ingest", str(pdf), "--db", db))


def test_an_out_that_is_a_file_is_refused_before_any_work(tmp_path):
    target = tmp_path / "report.txt"
    target.write_text("keep me", encoding="utf-8")
    db = _no_store(tmp_path)
    started = time.monotonic()
    result = run("analyze", str(EXAMPLES), "--out", str(target), "--db", db)
    assert result.exit_code == 2, result.output
    assert "is a file, not a folder" in said(result) and "internal error" not in said(result)
    assert time.monotonic() - started < 3, "the check comes before reading or parsing anything"
    assert not Path(db).exists() and target.read_text(encoding="utf-8") == "keep me"
    below = run("analyze", str(EXAMPLES), "--out", str(target / "sub"), "--db", db)
    assert below.exit_code == 2 and "is a file" in said(below)


def test_a_mistyped_db_on_a_read_command_creates_no_store(seeds_dir, tmp_path):
    db = str(tmp_path / "db.sqlite")
    assert run("ingest", str(seeds_dir), "--db", db, "-q").exit_code == 0
    typo = str(tmp_path / "db.sqlte")
    for args in (["stories"], ["show", "anything"], ["export", "--out", str(tmp_path / "x")]):
        result = run(*args, "--db", typo)
        assert result.exit_code == 2, (args, result.output)
        assert f"no store at '{typo}'" in said(result) and "--db" in said(result)
        assert not Path(typo).exists(), args
    assert not (tmp_path / "x").exists()
    export_to_file = run("export", "--out", str(seeds_dir / next(iter(sorted(os.listdir(seeds_dir))))), "--db", db)
    assert export_to_file.exit_code == 2 and "is a file, not a folder" in said(export_to_file)


def test_the_progress_total_is_known_from_the_start(tmp_path):
    """The reading stage is drawn against the number of input records counted up front, and every stage
    of the run reports a total (none stays at "n/?")."""
    from rashomon.cli import RichProgress
    from rashomon.read.preflight import count_records
    from rashomon.run.runner import analyze as run_analyze
    from rashomon.store import Store

    stages: list[tuple[str, int | None]] = []
    advanced: dict[str, int] = {}

    class Recording(RichProgress):
        def stage(self, name, total=None):
            super().stage(name, total)
            stages.append((name, self.bar.tasks[-1].total if self.bar else total))
            advanced[name] = 0

        def advance(self, n=1):
            super().advance(n)
            advanced[stages[-1][0]] += n

    expected = count_records([str(EXAMPLES)])
    with Store(tmp_path / "db.sqlite") as store, Recording(False, expected) as progress:
        analysis = run_analyze([str(EXAMPLES)], Config(), store, progress)
    assert expected == analysis.run.inputs == 9  # 6 files, 1 JSONL line, 2 feed entries
    assert stages[0][0].startswith("reading") and stages[0][1] == expected  # "reading and analysing" with workers
    assert all(total is not None for _, total in stages), stages
    for name, total in stages:
        assert advanced[name] == total, (name, advanced[name], total)


def test_outlet_option_names_inputs_that_name_none(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "7f3a9c.txt").write_text("The council of Kell voted on Monday to rebuild the old harbour wall at "
                                    "Sorne after two winters of storms.\n", encoding="utf-8")
    (src / "8e2b1d.txt").write_text("KELL, May 4 (HPA) - The council of Kell voted on Monday to rebuild the old "
                                    "harbour wall at Sorne, its mayor said.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run("analyze", str(src), "--out", str(out), "--db", str(tmp_path / "db.sqlite"), "--quiet",
                 "--outlet", "Kell Gazette")
    assert result.exit_code == 0, result.output
    outlets = {Path(a["input"]).name: a["outlet"] for a in load(out)["articles"]}
    assert outlets == {"7f3a9c.txt": "Kell Gazette", "8e2b1d.txt": "Kell Gazette"}
    brief = (out / "brief.md").read_text(encoding="utf-8")
    assert "Kell Gazette" in brief and "7f3a9c" not in brief and str(src) not in brief


# ------------------------------------------------------------------------------- hostile input


GOOD = "The council of Kell voted on Monday to rebuild the old harbour wall, the mayor said on Tuesday."


def test_a_deeply_nested_jsonl_line_is_skipped_and_the_run_goes_on(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join([json.dumps({"id": "a", "text": GOOD}), "[" * 100_000,
                                 json.dumps({"id": "b", "text": GOOD + " The works start in May."})]) + "\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    result = run("analyze", str(corpus), "--out", str(out), "--db", str(tmp_path / "db.sqlite"))
    assert result.exit_code == 1, result.output
    data = load(out)
    assert sorted(a["source_id"] for a in data["articles"]) == ["a", "b"]
    assert data["run"]["skipped"] == [{"input": str(corpus), "reason": "malformed JSON: nested deeper than 64 levels",
                                       "index": 2}]


def test_every_repeated_record_counts_as_already_stored(tmp_path):
    """Three articles, each 150 times (450 records over three chunks of 200): 3 new and 447 already stored,
    not one per distinct content per chunk."""
    corpus = tmp_path / "repeats.jsonl"
    rows = [json.dumps({"id": f"r{k}", "text": f"{GOOD} Item {k} of the agenda."}) for k in range(3)]
    corpus.write_text("\n".join(rows * 150) + "\n", encoding="utf-8")
    db = str(tmp_path / "db.sqlite")
    first = run("ingest", str(corpus), "--db", db)
    assert first.exit_code == 0, first.output
    assert "3 articles (3 new, 447 already stored), 0 skipped" in first.output
    again = run("ingest", str(corpus), "--db", db)
    assert "3 articles (0 new, 450 already stored), 0 skipped" in again.output


def test_an_input_stored_with_a_loss_is_listed_and_exits_1(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    text = "Der Rat von Köln hat am Montag über die Brücke abgestimmt, sagte die Bürgermeisterin am Dienstag."
    (folder / "koeln.txt").write_bytes(text.encode() + b" \xff")
    out = tmp_path / "out"
    result = run("analyze", str(folder), "--out", str(out), "--db", str(tmp_path / "db.sqlite"))
    assert result.exit_code == 1, result.output
    assert "0 skipped, 1 with warnings" in result.output
    assert "warning" in result.output and "1 invalid UTF-8 sequence replaced" in result.output
    data = load(out)
    jsonschema.validate(data, SCHEMA)
    assert "Köln" in data["articles"][0]["text"]
    assert data["run"]["warnings"] == [{"input": str(folder / "koeln.txt"), "index": None,
                                        "reason": "undecodable bytes: 1 invalid UTF-8 sequence replaced with U+FFFD"}]
    con = sqlite3.connect(tmp_path / "db.sqlite")
    assert con.execute("SELECT reason FROM warnings").fetchall() == [(data["run"]["warnings"][0]["reason"],)]


def test_file_names_that_look_like_markup_are_printed_as_they_are(tmp_path):
    """The summary is drawn with rich: a file "x].docx" in a folder "[" reads "[/x]" in its path, which must
    not be taken for a closing tag (it raised MarkupError after the whole run: exit 2)."""
    folder = tmp_path / "in"
    (folder / "[").mkdir(parents=True)
    (folder / "[" / "x].docx").write_bytes(b"PK")
    (folder / "[bold]a.txt").write_text(GOOD, encoding="utf-8")
    result = run("analyze", str(folder), "--out", str(tmp_path / "o"), "--db", str(tmp_path / "db.sqlite"))
    assert result.exit_code == 1, result.output
    assert "[/x].docx: unsupported file type '.docx'" in result.output.replace("\n", "")  # rich folds long lines
    missing = run("analyze", str(tmp_path / "[/nope]"), "--out", str(tmp_path / "o"), "--db", str(tmp_path / "d"))
    assert missing.exit_code == 2 and "input not found" in missing.output and "[/nope]" in missing.output


def test_an_unreadable_folder_is_skipped_with_the_reason_and_exits_1(open_tmp):
    """Run as a user who may not read the folder (CI runs as root, which reads everything)."""
    folder = open_tmp / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "locked" / "hidden.txt").write_text(GOOD, encoding="utf-8")
    (folder / "open.txt").write_text(GOOD, encoding="utf-8")
    (folder / "locked").chmod(0)
    folder.chmod(0o755)
    out = open_tmp / "out"
    code = "from rashomon.cli import main; main()"
    result = unprivileged([sys.executable, "-c", code, "analyze", str(folder), "--out", str(out),
                           "--db", str(open_tmp / "db.sqlite"), "--quiet"], open_tmp)
    assert result.returncode == 1, result.stderr
    data = load(out)
    assert [Path(a["input"]).name for a in data["articles"]] == ["open.txt"]
    assert data["run"]["skipped"] == [{"input": str(folder / "locked"), "index": None,
                                       "reason": "cannot read folder: Permission denied"}]


def test_the_summary_says_which_languages_were_only_grouped_and_what_was_corrected(tmp_path):
    data = Path(__file__).resolve().parent / "data" / "languages"
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps({"id": p.stem, "text": p.read_text(encoding="utf-8").partition("\n")[2],
                                            "language": "en"})
                                for p in sorted(data.glob("*.txt")) if p.stem in ("de_sport", "de_politics", "fr_port")),
                      encoding="utf-8")
    out = tmp_path / "out"
    result = run("analyze", str(corpus), "--out", str(out), "--db", str(tmp_path / "db.sqlite"), "--workers", "1")
    assert result.exit_code == 1, result.output  # the corrected declarations are warnings
    text = " ".join(result.output.split())  # rich wraps long lines
    assert "2 articles in German: grouped, not analysed (no model installed for this language)" in text
    assert "1 article in French: analysed (PLOVER events are coded from English text only)" in text
    assert "declared English (en), but the text is French (fr); language set to fr" in text
    analysis = load(out)
    jsonschema.validate(analysis, SCHEMA)
    assert {a["source_id"]: (a["language"], a["analysed"]) for a in analysis["articles"]} == {
        "de_politics": ("de", False), "de_sport": ("de", False), "fr_port": ("fr", True)}
    assert len(analysis["run"]["warnings"]) == 3
