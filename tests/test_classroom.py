"""The classroom edition: student copies without solutions whose checks say "not answered yet",
teacher copies with a guide whose checks pass, the exercise check itself, and ``make lab``.

The copies are executed top to bottom on the seeds in fresh kernels, as a student and a teacher
would run them (Restart & Run All).
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from arabnews import PROJECT_DIR, classroom, report
from arabnews.describe import Unavailable
from arabnews.report_html import CHECK_METADATA

NOTEBOOKS = report.find_notebooks()


@pytest.fixture(scope="module")
def copies(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("classroom")
    classroom.build_classroom(NOTEBOOKS, out)
    return out


def tagged(nb, tag: str) -> list:
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def check_statuses(nb) -> list[str]:
    """The status every check cell reported, in order (one per check cell; 'none' if silent)."""
    statuses = []
    for cell in tagged(nb, "check"):
        found = [o["metadata"][CHECK_METADATA]["status"] for o in cell.get("outputs", [])
                 if CHECK_METADATA in o.get("metadata", {})]
        statuses.append(found[0] if found else "none")
    return statuses


# --- the copies as written -------------------------------------------------------------------------
def test_make_classroom_writes_a_student_and_a_teacher_copy_of_every_notebook(tmp_path):
    assert classroom.main(["--out", str(tmp_path)]) == 0
    for kind in ("student", "teacher"):
        assert sorted(p.name for p in (tmp_path / kind).glob("*.ipynb")) == [p.name for p in NOTEBOOKS]


def test_student_copy_has_no_solutions_but_keeps_answers_and_checks(copies):
    for path in NOTEBOOKS:
        original = nbformat.read(path, as_version=4)
        student = nbformat.read(copies / "student" / path.name, as_version=4)
        assert tagged(student, "solution") == []
        assert len(tagged(student, "answer")) == len(tagged(original, "answer")) >= 2
        assert all(re.match(r"answer_\d = None\b", c.source) for c in tagged(student, "answer"))
        assert len(tagged(student, "check")) == len(tagged(original, "check"))
        solutions = [c.source.splitlines()[1] for c in tagged(original, "solution")]
        text = "\n".join(c.source for c in student.cells)
        assert [s for s in solutions if s in text] == [], path.name  # no solution line leaks


def test_teacher_copy_has_a_guide_and_runs_each_solution_before_its_check(copies):
    for path in NOTEBOOKS:
        teacher = nbformat.read(copies / "teacher" / path.name, as_version=4)
        guide = teacher.cells[1]
        assert guide.cell_type == "markdown" and "teaching-guide" in guide.metadata["tags"]
        for part in ("Timing", "Common mistakes", "Discussion questions"):
            assert part in guide.source, (path.name, part)
        kinds = [t for c in teacher.cells for t in c.get("metadata", {}).get("tags", [])
                 if t in ("answer", "solution", "check")]
        assert kinds == ["answer", "solution", "check"] * (len(kinds) // 3), path.name


def test_copies_point_at_the_project_from_their_own_folder(copies):
    student = nbformat.read(copies / "student" / NOTEBOOKS[0].name, as_version=4)
    setup = next(c.source for c in student.cells if "import helpers as h" in c.source)
    relative = re.search(r"os\.path\.abspath\('([^']+)'\)", setup).group(1)
    assert (copies / "student" / relative).resolve() == PROJECT_DIR.resolve()


def test_a_notebook_without_tagged_exercises_is_refused(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# 09 · Untagged"),
                nbformat.v4.new_code_cell("answer_1 = None")]
    with pytest.raises(classroom.ClassroomError, match="tagged each of 'answer'"):
        classroom.student_copy(nb, tmp_path, "09_untagged")


def test_a_missing_teaching_guide_is_named(tmp_path):
    nb = nbformat.read(NOTEBOOKS[0], as_version=4)
    with pytest.raises(classroom.ClassroomError, match="no teaching guide"):
        classroom.teacher_copy(nb, tmp_path, NOTEBOOKS[0].stem, guides_dir=tmp_path)


# --- running them ---------------------------------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_copy_runs_and_every_check_says_not_answered_yet(copies, path, tmp_path):
    run = report.execute_notebook(copies / "student" / path.name, {"FIGURES": str(tmp_path)},
                                  env={report.CACHE_ENV: str(tmp_path / "cache")})
    assert run.ok, run.describe_failure()
    statuses = check_statuses(run.notebook)
    assert statuses and set(statuses) == {"not answered"}, statuses
    printed = [o["data"]["text/plain"] for c in tagged(run.notebook, "check") for o in c.outputs]
    assert all(text.startswith(f"**{classroom.NOT_ANSWERED}") for text in printed)


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_teacher_copy_runs_and_every_check_passes(copies, path, tmp_path):
    run = report.execute_notebook(copies / "teacher" / path.name, {"FIGURES": str(tmp_path)},
                                  env={report.CACHE_ENV: str(tmp_path / "cache")})
    assert run.ok, run.describe_failure()
    statuses = check_statuses(run.notebook)
    assert statuses and set(statuses) == {"correct"}, statuses


# --- the check itself -----------------------------------------------------------------------------
@pytest.fixture
def shown(monkeypatch):
    """What check_answer displays: (markdown, metadata) per call."""
    calls = []
    import IPython.display

    monkeypatch.setattr(IPython.display, "display",
                        lambda data, raw=False, metadata=None: calls.append((data["text/markdown"],
                                                                             metadata[CHECK_METADATA])))
    return calls


def test_check_answer_statuses(shown):
    classroom.check_answer(None, 5, hint="Count the rows with `len`.")
    classroom.check_answer(5, 5, hint="h")
    classroom.check_answer(6, 5, hint="Count again.")
    classroom.check_answer("bbc ", "bbc", hint="h")
    classroom.check_answer(1, True, hint="h")  # 1 is not the boolean True
    classroom.check_answer("x", Unavailable("cleaning removed nothing from this corpus"), hint="h")
    assert [meta["status"] for _, meta in shown] == ["not answered", "correct", "wrong", "correct",
                                                     "wrong", "unavailable"]
    assert shown[0][1]["hint"] == "Count the rows with `len`."
    assert "cleaning removed nothing from this corpus" in shown[-1][0]


def test_check_answer_needs_a_hint():
    with pytest.raises((TypeError, ValueError), match="hint"):
        classroom.check_answer(None, 1, hint="")


# --- make lab ---------------------------------------------------------------------------------------
def test_make_lab_goes_through_the_root_aware_script():
    dry = subprocess.run(["make", "-n", "lab"], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert "scripts/lab.sh" in dry.stdout
    script = (PROJECT_DIR / "scripts" / "lab.sh").read_text()
    assert '"$(id -u)" = "0"' in script and "--allow-root" in script


@pytest.mark.slow
def test_lab_starts_for_this_user_and_is_stopped(tmp_path):
    """Starts JupyterLab exactly as ``make lab`` does (as root here when the tests run as root,
    the case that failed), waits until it serves, then stops it."""
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        pytest.skip(f"no jupyter beside {sys.executable}")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "config"), "HOME": str(tmp_path)}
    log = tmp_path / "lab.log"
    with open(log, "w") as handle:
        lab = subprocess.Popen(["bash", str(PROJECT_DIR / "scripts" / "lab.sh"), str(jupyter),
                                "--no-browser", "--port=0", "--ServerApp.token=test-token"],
                               cwd=PROJECT_DIR, stdout=handle, stderr=subprocess.STDOUT, env=env,
                               start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and lab.poll() is None:
            if re.search(r"http://[^\s]+:\d+/lab", log.read_text()):
                break
            time.sleep(0.5)
        text = log.read_text()
        assert lab.poll() is None, f"JupyterLab exited ({lab.returncode}):\n{text[-2000:]}"
        assert re.search(r"http://[^\s]+:\d+/lab", text), text[-2000:]
        assert "Running as root is not recommended" not in text
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait()
    assert lab.returncode is not None
