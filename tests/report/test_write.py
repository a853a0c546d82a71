"""Writing an analysis (report/write): analysis.json streamed record by record, the report page by page."""

from __future__ import annotations

import dataclasses
import json

from rashomon.model import Analysis, Article, InputWarning, Quote, RunSummary, Skipped
from rashomon.report import render_report, write_outputs

from ..pipeline_runs import run


def _awkward() -> Analysis:
    """Every shape the encoder meets: empty lists, a fragment only, nested lists, text that needs escaping."""
    text = 'Line one\n"quoted" \\ back\tslash, Ærø — 東京 \u2028 end'
    art = Article(id="a1", input="kell.txt", text=text, title="Kell «votes»", removed=("Share this\nstory", ""))
    return Analysis(generated_at="2026-01-05T00:00:00Z", articles=(art,),
                    quotes=(Quote("q1", "scare", "a1", 4, 9, fragment=True, parts=((4, 6), (7, 9))),),
                    run=RunSummary(inputs=2, articles=1, skipped=(Skipped("x.bin", "binary"),),
                                   warnings=(InputWarning("kell.txt", "3 bytes replaced"),)))


def test_analysis_json_streamed_is_byte_for_byte_json_dumps(tmp_path):
    analysis = run("examples")[0]
    for case in (analysis, _awkward(), Analysis(generated_at="now"),
                 dataclasses.replace(analysis, stories=(), claims=analysis.claims[:1])):
        write_outputs(case, tmp_path)
        written = (tmp_path / "analysis.json").read_bytes()
        assert written == json.dumps(case.to_contract(), ensure_ascii=False, indent=1).encode()
        assert json.loads(written)["articles"] == case.to_contract()["articles"]


def test_the_report_written_page_by_page_is_the_report_rendered_whole(tmp_path):
    analysis = run("examples")[0]
    write_outputs(analysis, tmp_path)
    files = render_report(analysis)
    assert len(files) >= 4  # the index, entities.html and a page per story
    for name, content in files.items():
        assert (tmp_path / name).read_text(encoding="utf-8") == content


def test_the_files_written_aside_are_the_files_written_here(tmp_path, monkeypatch):
    """From ``ASIDE_MIN`` articles on, a forked process writes analysis.json, brief.md and every third story
    page (here every other) while this one renders the rest: the same bytes, moved into place in the same order (report.html
    last)."""
    from rashomon.report import write

    analysis = run("examples")[0]
    write_outputs(analysis, tmp_path / "here")
    forks = []
    real = write._Aside.__init__

    def counted(self, write):
        forks.append(write)
        real(self, write)

    monkeypatch.setattr(write, "ASIDE_MIN", 0)
    monkeypatch.setattr(write, "ASIDE_SHARE", 2)  # every other page there: this corpus has two stories
    monkeypatch.setattr(write._Aside, "possible", staticmethod(lambda: True))  # other tests' threads aside
    monkeypatch.setattr(write._Aside, "__init__", counted)
    paths = write_outputs(analysis, tmp_path / "aside")
    assert len(forks) == 1 and len(analysis.stories) >= write.ASIDE_SHARE  # it rendered a page too
    here = sorted(p.relative_to(tmp_path / "here") for p in (tmp_path / "here").rglob("*") if p.is_file())
    aside = sorted(p.relative_to(tmp_path / "aside") for p in (tmp_path / "aside").rglob("*") if p.is_file())
    assert here == aside and len(here) >= 5  # no temporary file left either
    for name in here:
        assert (tmp_path / "aside" / name).read_bytes() == (tmp_path / "here" / name).read_bytes()
    last = paths["report.html"].stat().st_mtime_ns
    assert all(p.stat().st_mtime_ns <= last for p in (tmp_path / "aside").rglob("*") if p.is_file())


def test_a_failure_on_either_side_leaves_the_earlier_outputs_whole(tmp_path, monkeypatch):
    """The forked writer failing (its exception raised here), or this process failing while the other
    wrote its files: nothing moved into place, no temporary file left."""
    import pytest

    from rashomon.report import html, write

    analysis = run("examples")[0]
    write_outputs(analysis, tmp_path)
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    monkeypatch.setattr(write, "ASIDE_MIN", 0)
    monkeypatch.setattr(write._Aside, "possible", staticmethod(lambda: True))
    later = dataclasses.replace(analysis, generated_at="later")

    # the forked writer fails (analysis.json), then the parent does (a story page): each time, nothing moves
    for module, name, what in ((write, "write_json", "json"), (html, "_story_view", "page")):
        def fail(*args, what=what):
            raise OSError(f"disk full ({what})")

        with monkeypatch.context() as m:
            m.setattr(module, name, fail)
            with pytest.raises(OSError, match=rf"disk full \({what}\)"):
                write_outputs(later, tmp_path)
        assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
