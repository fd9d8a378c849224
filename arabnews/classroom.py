"""The classroom edition: exercise checks, and student and teacher copies of the notebooks.

    python -m arabnews.classroom                 # -> classroom/student/ and classroom/teacher/
    make classroom

As fastbook and nbgrader do it, the notebooks carry their solutions in cells tagged ``solution``.
The **student** copy removes them: answer cells (tag ``answer``) stay as ``answer_N = None`` and
the checks (tag ``check``) stay, so every check says "not answered yet" until the student writes
an answer. The **teacher** copy keeps everything, runs each solution before its check (so every
check passes) and opens with a short teaching guide (``notebooks/guides/NN_name.md``: timings,
common mistakes, discussion questions).

``check_answer`` is the check every exercise calls. Its output carries metadata (status, hint) so
the HTML report can show the hint as a collapsed block instead of "write your answer in the cell
above", which would make no sense where code is hidden.
"""
from __future__ import annotations

import argparse
import copy
import os
import sys
from pathlib import Path
from typing import Any

import nbformat
import numpy as np

from arabnews import PROJECT_DIR
from arabnews.checks import check_str
from arabnews.describe import Unavailable, md_text
from arabnews.report_html import ANSWER_TAG, CHECK_METADATA, CHECK_TAG, SOLUTION_TAG, tags_of

__all__ = ["check_answer", "student_copy", "teacher_copy", "build_classroom", "teaching_guide",
           "ClassroomError"]

CLASSROOM_DIR = PROJECT_DIR / "classroom"
GUIDES_DIR = PROJECT_DIR / "notebooks" / "guides"
SETUP_LINE = 'sys.path.insert(0, os.path.abspath(".."))'  # the notebooks' set-up line (project folder)
NOT_ANSWERED = "Not answered yet"


class ClassroomError(Exception):
    """A notebook cannot be turned into classroom copies (missing tags, guide or set-up line)."""


# --- the check ------------------------------------------------------------------------------------
def _same_answer(answer: Any, expected: Any) -> bool:
    """Lenient equality for learners: numbers within 1e-6, strings trimmed, sets unordered."""
    truth = (bool, np.bool_)
    if isinstance(expected, truth) or isinstance(answer, truth):
        return isinstance(answer, truth) and isinstance(expected, truth) and bool(answer) == bool(expected)
    if isinstance(expected, float) or isinstance(answer, float):
        try:
            return abs(float(answer) - float(expected)) <= 1e-6 * max(1.0, abs(float(expected)))
        except (TypeError, ValueError):
            return False
    if isinstance(expected, str):
        return isinstance(answer, str) and answer.strip() == expected.strip()
    if isinstance(expected, (set, frozenset)):
        try:
            return set(answer) == set(expected)
        except TypeError:
            return False
    try:
        return bool(answer == expected)
    except (TypeError, ValueError):
        return False


def _show(markdown: str, status: str, hint: str, reason: str | None = None) -> None:
    """Display a check's verdict as markdown, with its status and hint as output metadata."""
    from IPython.display import display

    meta = {"status": status, "hint": hint}
    if reason is not None:
        meta["reason_markdown"] = reason
    display({"text/markdown": markdown, "text/plain": markdown}, raw=True,
            metadata={CHECK_METADATA: meta})


def check_answer(answer: Any, expected: Any, *, hint: str) -> None:
    """Say whether the learner's ``answer`` matches ``expected``; a hint (markdown) when it does not.

    ``answer is None`` means not answered yet (never a failure). ``expected`` may be an
    ``Unavailable``: the corpus at hand lacks what the exercise needs, and the check says so.
    Displays only (returns nothing), so the cell shows no stray value.
    """
    hint = check_str(hint, "hint")
    if isinstance(expected, Unavailable):
        reason = (f"This exercise cannot be checked on this corpus: {md_text(expected.reason)}. "
                  "Try it on the starter corpus, or on one that has what it needs.")
        _show(reason, "unavailable", hint, reason)
        return
    if answer is None:
        _show(f"**{NOT_ANSWERED}:** write your answer in the answer cell above (replace `None`), "
              f"run it, then run this cell.\n\n**Hint:** {hint}", "not answered", hint)
        return
    if _same_answer(answer, expected):
        _show(f"**Correct:** `{answer!r}`", "correct", hint)
        return
    _show(f"**Not quite:** `{answer!r}` is not the answer.\n\n**Hint:** {hint}", "wrong", hint)


# --- copies ---------------------------------------------------------------------------------------
def _exercise_cells(nb: nbformat.NotebookNode, name: str) -> tuple[list[int], list[int], list[int]]:
    """Indexes of the answer, check and solution cells; one of each per exercise, else an error."""
    found = {tag: [i for i, c in enumerate(nb.cells) if tag in tags_of(c)]
             for tag in (ANSWER_TAG, CHECK_TAG, SOLUTION_TAG)}
    counts = {tag: len(v) for tag, v in found.items()}
    if len(set(counts.values())) != 1 or counts[SOLUTION_TAG] == 0:
        raise ClassroomError(f"{name}: every exercise needs one cell tagged each of 'answer', "
                             f"'check' and 'solution'; found {counts}")
    return found[ANSWER_TAG], found[CHECK_TAG], found[SOLUTION_TAG]


def _point_setup_at_project(nb: nbformat.NotebookNode, copy_dir: Path, name: str) -> None:
    """Rewrite the set-up line so a copy in ``copy_dir`` still finds ``helpers.py``."""
    relative = os.path.relpath(PROJECT_DIR, Path(copy_dir).resolve())
    for cell in nb.cells:
        if cell.cell_type == "code" and SETUP_LINE in cell.source:
            cell.source = cell.source.replace(
                SETUP_LINE, f"sys.path.insert(0, os.path.abspath({relative!r}))")
            return
    raise ClassroomError(f"{name}: no set-up line {SETUP_LINE!r} to point at the project folder")


def _clear_outputs(nb: nbformat.NotebookNode) -> None:
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None


def student_copy(nb: nbformat.NotebookNode, copy_dir: Path, name: str = "notebook") -> nbformat.NotebookNode:
    """The notebook without its solution cells (answers stay ``None``, checks stay)."""
    _exercise_cells(nb, name)
    nb = copy.deepcopy(nb)
    nb.cells = [c for c in nb.cells if SOLUTION_TAG not in tags_of(c)]
    _point_setup_at_project(nb, copy_dir, name)
    _clear_outputs(nb)
    return nb


def teaching_guide(name: str, guides_dir: Path = GUIDES_DIR) -> str:
    """The teaching guide of notebook ``name`` (``NN_name``) as markdown."""
    path = Path(guides_dir) / f"{name}.md"
    if not path.is_file():
        raise ClassroomError(f"{name}: no teaching guide at {path}; write one (timings, common "
                             "mistakes, discussion questions)")
    return path.read_text(encoding="utf-8").strip()


def teacher_copy(nb: nbformat.NotebookNode, copy_dir: Path, name: str = "notebook",
                 guides_dir: Path = GUIDES_DIR) -> nbformat.NotebookNode:
    """Everything, each solution moved before its check (so the check passes), solutions shown,
    and the teaching guide after the header."""
    answers, checks, solutions = _exercise_cells(nb, name)
    guide = teaching_guide(name, guides_dir)
    nb = copy.deepcopy(nb)
    cells = list(nb.cells)
    moved = {s: c for s, c in zip(solutions, checks)}
    ordered = []
    for i, cell in enumerate(cells):
        if i in moved:
            continue
        if i in checks:
            solution = cells[solutions[checks.index(i)]]
            solution.metadata.get("jupyter", {}).pop("source_hidden", None)
            ordered.append(solution)
        ordered.append(cell)
    guide_cell = nbformat.v4.new_markdown_cell(guide, metadata={"tags": ["teaching-guide"]})
    nb.cells = ordered[:1] + [guide_cell] + ordered[1:]
    _point_setup_at_project(nb, copy_dir, name)
    _clear_outputs(nb)
    return nb


def build_classroom(notebooks: list[Path], out_dir: Path = CLASSROOM_DIR,
                    guides_dir: Path = GUIDES_DIR) -> dict[str, list[Path]]:
    """Write ``out_dir/student/`` and ``out_dir/teacher/`` copies of ``notebooks``."""
    written = {"student": [], "teacher": []}
    for kind in written:
        (Path(out_dir) / kind).mkdir(parents=True, exist_ok=True)
    for path in notebooks:
        nb = nbformat.read(path, as_version=4)
        for kind, make in (("student", student_copy), ("teacher", teacher_copy)):
            folder = Path(out_dir) / kind
            extra = {"guides_dir": guides_dir} if kind == "teacher" else {}
            target = folder / path.name
            nbformat.write(make(nb, folder, path.stem, **extra), target)
            written[kind].append(target)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: 0 written, 2 a notebook could not be converted."""
    from arabnews.report import NOTEBOOKS_DIR, find_notebooks

    parser = argparse.ArgumentParser(prog="python -m arabnews.classroom",
                                     description="Write student and teacher copies of the notebooks.")
    parser.add_argument("--out", type=Path, default=CLASSROOM_DIR, help="output folder (default: classroom/)")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS_DIR)
    args = parser.parse_args(argv)
    try:
        written = build_classroom(find_notebooks(args.notebooks), args.out)
    except ClassroomError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for kind, paths in written.items():
        print(f"{kind}: {len(paths)} notebooks in {Path(args.out) / kind}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
