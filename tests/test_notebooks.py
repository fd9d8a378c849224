"""The notebooks: committed clean, built to one layout, and each runs silently in a fresh kernel.

Execution uses the bundled corpus, exactly as ``make report`` does; a warning printed by any cell
(a stderr stream) counts as a failure, like an error.
"""
from __future__ import annotations

import re

import nbformat
import pytest

from arabnews import report

EXPECTED = ["00_start_here", "01_corpus", "02_term_frequencies", "03_entities",
            "04_comparing_outlets", "05_concordance", "06_over_time"]
NOTEBOOKS = report.find_notebooks()
HEADER_FIELDS = ["purpose", "audience", "time", "prerequisites", "you will learn"]
ALLOWED_IMPORT = re.compile(r"^\s*(import (sys, os|pandas as pd|helpers as h)\b)")


def by_name(path) -> str:
    return path.stem


def code_cells_with_outputs(nb) -> list[int]:
    """1-based numbers of code cells that carry outputs or an execution count."""
    return [i for i, c in enumerate(nb.cells, start=1)
            if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]


def test_the_suite_has_the_seven_numbered_notebooks():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=by_name)
def test_notebook_is_committed_without_outputs(path):
    assert code_cells_with_outputs(nbformat.read(path, as_version=4)) == []


def test_output_check_catches_an_executed_cell():
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("1 + 1", execution_count=1),
                nbformat.v4.new_code_cell("x = 1")]
    nb.cells[0].outputs = [nbformat.v4.new_output("execute_result", data={"text/plain": "2"},
                                                  execution_count=1)]
    assert code_cells_with_outputs(nb) == [1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=by_name)
def test_notebook_follows_the_layout(path):
    nb = nbformat.read(path, as_version=4)
    header = report.notebook_header(nb, fallback_title="")
    assert header["title"].startswith(path.stem[:2] + " · ")
    assert re.search(r"[\u0600-\u06FF]", header.get("subtitle_ar", ""))
    assert [f for f in HEADER_FIELDS if f not in header] == []
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    assert "CORPUS = None" in code[0].source and "SAMPLE = None" in code[0].source
    assert "import helpers as h" in code[1].source
    assert 'sys.path.insert(0, os.path.abspath(".."))' in code[1].source  # classroom copies rewrite it
    exercises = [c for c in nb.cells if c.cell_type == "markdown" and "### Exercise" in c.source]
    tagged = {tag: [c for c in code if tag in c.metadata.get("tags", [])]
              for tag in ("answer", "check", "solution")}
    assert 2 <= len(exercises) <= 3
    assert {tag: len(cells) for tag, cells in tagged.items()} == dict.fromkeys(tagged, len(exercises))
    assert all(c.metadata.get("jupyter", {}).get("source_hidden") for c in tagged["solution"])
    assert all("h.check_answer(" in c.source for c in tagged["check"])
    assert all(re.match(r"answer_\d = None\b", c.source) for c in tagged["answer"])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=by_name)
def test_notebook_never_prints_the_local_path_of_its_corpus(path):
    nb = nbformat.read(path, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "attrs['source']" not in code and 'attrs["source"]' not in code
    assert "h.describe_corpus(corpus)" in code  # the corpus is described by what it holds


def test_the_seed_prose_is_marked_as_about_the_starter_corpus():
    """Sentences true only of the seeds say so (issue 9: prose written for the starter corpus)."""
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "markdown":
                continue
            for claim in ("Five Arabic news articles", "Each outlet here is represented by",
                          "English photo caption"):
                assert claim not in cell.source, (path.name, claim)
            if "Putin" in cell.source or "Kim Il Sung Square" in cell.source:
                assert re.search(r"starter\s+corpus", cell.source), (path.name, cell.source[:80])


@pytest.mark.parametrize("path", NOTEBOOKS, ids=by_name)
def test_notebook_calls_only_helpers(path):
    nb = nbformat.read(path, as_version=4)
    imports = [line for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines()
               if re.match(r"\s*(import|from)\s", line)]
    assert [line for line in imports if not ALLOWED_IMPORT.match(line)] == []


@pytest.mark.parametrize("path", NOTEBOOKS, ids=by_name)
def test_arabic_prose_in_markdown_is_marked_rtl(path):
    nb = nbformat.read(path, as_version=4)
    for cell in (c for c in nb.cells if c.cell_type == "markdown"):
        unmarked = re.sub(r"<(div|span)[^>]*dir=\"rtl\"[^>]*>.*?</\1>", "", cell.source, flags=re.S)
        assert not re.search(r"[\u0600-\u06FF]", unmarked), cell.source[:80]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=by_name)
def test_notebook_runs_without_error_or_warning(path, tmp_path):
    run = report.execute_notebook(path, {"FIGURES": str(tmp_path)},
                                  env={report.CACHE_ENV: str(tmp_path / "cache")})
    assert run.ok, run.describe_failure()
    assert run.warnings == [], run.warnings
    errors = [o for c in run.notebook.cells for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors == []
    assert list(tmp_path.glob(f"{path.stem[:2]}_*.png")), "the notebook saves its main chart"
