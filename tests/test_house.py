"""The house rules of the package, checked on its source: rooms of bounded size, no import cycle
between rooms, no private name taken from another module, helpers.py a thin public face."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "arabnews"
MAX_LINES = 620          # "no module over ~600 lines"
MODULES = sorted(p for p in PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, top_level_only: bool) -> list[tuple[str, list[str]]]:
    """(module, names) imported from ``arabnews`` by ``path``; with ``top_level_only``, the
    imports run when the module is imported (not those inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 \
                and node.module.split(".")[0] == "arabnews":
            found.append((node.module, [a.name for a in node.names]))
        elif isinstance(node, ast.Import):
            found += [(a.name, []) for a in node.names if a.name.split(".")[0] == "arabnews"]
    return found


def test_the_checks_see_every_module():
    names = {module_name(p) for p in MODULES}
    assert {"arabnews.stats", "arabnews.text", "arabnews.entities.counts", "arabnews.plots.terms"} <= names


@pytest.mark.parametrize("path", MODULES, ids=module_name)
def test_no_module_is_over_the_size_limit(path):
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{module_name(path)} has {lines} lines: split it into rooms"


def test_no_private_name_is_imported_across_modules():
    taken = [(module_name(p), module, name) for p in MODULES
             for module, names in imports(p, top_level_only=False)
             for name in names if name.startswith("_") and not name.startswith("__")]
    assert taken == [], taken


def import_cycles(package: Path) -> list[list[str]]:
    """Cycles among the module-level imports of ``package`` (imports inside functions, used to
    dispatch to an optional room such as the Dask one, are allowed; a package's ``__init__``
    importing its own rooms is how a package is built, not a cycle)."""
    paths = sorted(package.rglob("*.py"))
    def name_of(path):
        parts = path.relative_to(package.parent).with_suffix("").parts
        return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    names = {name_of(p) for p in paths}
    graph = {}
    for path in paths:
        me, targets = name_of(path), set()
        for module, imported in imports(path, top_level_only=True):
            targets.add(module)
            targets |= {f"{module}.{n}" for n in imported if f"{module}.{n}" in names}
        graph[me] = sorted(t for t in targets if t in names and t != me and not t.startswith(me + "."))
    cycles, done = [], set()

    def visit(node, trail):
        for nxt in graph[node]:
            if nxt in trail:
                cycles.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in done:
                visit(nxt, trail + [nxt])
        done.add(node)

    for node in sorted(graph):
        if node not in done:
            visit(node, [node])
    return cycles


def test_no_import_cycle_between_modules():
    assert import_cycles(PACKAGE) == []


def test_a_cycle_is_detected_by_the_check(tmp_path):
    """The cycle check can fail: two modules importing each other are reported."""
    package = tmp_path / "arabnews"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from arabnews.b import f\n")
    (package / "b.py").write_text("from arabnews import a\n")
    (package / "c.py").write_text("def g():\n    from arabnews import a\n")
    assert import_cycles(package) == [["arabnews.a", "arabnews.b", "arabnews.a"]]


def test_helpers_is_a_thin_public_face():
    source = (PACKAGE.parent / "helpers.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    defined = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    assert defined == [], f"helpers.py defines {defined}: logic belongs in a room of arabnews/"
