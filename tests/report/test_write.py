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
