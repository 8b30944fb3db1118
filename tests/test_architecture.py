"""The package's import structure (docs/architecture.md): no import loops, layers point down.

Every module under src/regen_compare is parsed with `ast` and every import statement in it is
read — at the top, inside functions and classes, and under `if TYPE_CHECKING:` — so a loop
cannot hide behind a function-level or type-only import. Importing `a.b.c` also runs the
packages `a` and `a.b`; those edges are not counted (a package's `__init__` here imports
nothing of the package, which `test_package_inits_import_nothing_of_the_package` checks).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "regen_compare"

# Layers, top first: a module may import its own layer or any layer below, never one above.
# Each layer is a set of packages (and the two modules at the top of the tree); a pattern
# ending in ".*" takes the package's modules. Kept in step with docs/architecture.md. The
# command line is the entry point: it starts the Textual face (lazily, only to run it), which
# never imports the command line back.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("entry point", ("__main__", "cli", "cli.*")),
    ("faces", ("tui", "tui.*", "web", "web.*")),
    ("outputs", ("present", "present.*", "scenarios")),
    ("the consult", ("consult",)),
    ("engine", ("engine", "engine.*")),
    ("data", ("data", "data.*")),
    ("store", ("store", "store.*")),
    ("model", ("model", "model.*")),
]


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of `package` under `root`, by dotted name."""
    return {module_name(p, root): p for p in sorted((root / package).rglob("*.py"))}


def _resolve(node: ast.ImportFrom, here: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = here.split(".")
    if not is_package:
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def imports_of(name: str, path: Path, known: set[str]) -> Iterator[tuple[str, int]]:
    """(imported module of the package, line) for every import anywhere in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    is_package = path.name == "__init__.py"
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node, name, is_package)
            for alias in node.names:
                child = f"{base}.{alias.name}"
                if child in known:  # `from pkg import module`
                    yield child, node.lineno
                elif base in known:  # `from module import name`
                    yield base, node.lineno


def import_graph(root: Path = SRC, package: str = PACKAGE) -> dict[str, dict[str, int]]:
    """module → {imported module: first line importing it}; self-imports left out."""
    found = modules(root, package)
    known = set(found)
    graph: dict[str, dict[str, int]] = {}
    for name, path in found.items():
        edges: dict[str, int] = {}
        for target, line in imports_of(name, path, known):
            if target != name:
                edges.setdefault(target, line)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, {}):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(out)


def describe(graph: dict[str, dict[str, int]], component: list[str]) -> str:
    members = set(component)
    edges = [
        f"  {a} → {b} (line {line})"
        for a in component
        for b, line in sorted(graph[a].items())
        if b in members
    ]
    return "import loop:\n" + "\n".join(edges)


def layer_of(module: str) -> int | None:
    short = module.removeprefix(PACKAGE + ".")
    for rank, (_, patterns) in enumerate(LAYERS):
        for pattern in patterns:
            if pattern.endswith(".*"):
                if short.startswith(pattern[:-1]):
                    return rank
            elif short == pattern:
                return rank
    return None


# --- the guards ------------------------------------------------------------------------------


def test_no_module_imports_another_that_imports_it_back() -> None:
    graph = import_graph()
    assert len(graph) > 40  # the walker found the package
    found = cycles(graph)
    assert not found, "\n".join(describe(graph, c) for c in found)


def test_every_module_has_a_layer_and_imports_only_downwards() -> None:
    graph = import_graph()
    unplaced = sorted(m for m in graph if m != PACKAGE and layer_of(m) is None)
    assert not unplaced, f"give these a layer in LAYERS and docs/architecture.md: {unplaced}"
    upward = [
        f"{a} ({LAYERS[ra][0]}) imports {b} ({LAYERS[rb][0]}), line {line}"
        for a, targets in sorted(graph.items())
        if (ra := layer_of(a)) is not None
        for b, line in sorted(targets.items())
        if (rb := layer_of(b)) is not None and rb < ra
    ]
    assert not upward, "\n".join(upward)


def test_package_inits_import_nothing_of_the_package() -> None:
    """What lets the graph leave out the implicit parent-package edges."""
    graph = import_graph()
    inits = {m: t for m, t in graph.items() if modules(SRC, PACKAGE)[m].name == "__init__.py"}
    allowed = {
        "regen_compare.present.export"
    }  # the handout entry points, re-exported from its parts
    assert {m: t for m, t in inits.items() if t and m not in allowed} == {}
    for target in inits.get("regen_compare.present.export", {}):
        assert target.startswith("regen_compare.present.export.") or layer_of(target) is not None


PAGE = SRC.parent / "docs" / "architecture.md"


def _page_layers() -> list[tuple[str, set[str]]]:
    """The layer table of docs/architecture.md: (layer, the packages and modules it names)."""
    rows = []
    for line in PAGE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[1].startswith("`"):
            names = {
                n.strip("`").removesuffix("/").removesuffix(".py") for n in cells[1].split(", ")
            }
            rows.append((cells[0], names))
    return rows


def test_the_architecture_page_states_the_layers_this_test_checks() -> None:
    expected = [(name, {p.removesuffix(".*") for p in patterns}) for name, patterns in LAYERS]
    assert _page_layers() == expected


def test_every_file_the_architecture_page_names_exists() -> None:
    import re

    package = SRC / PACKAGE
    named = re.findall(r"`([a-z_/]+(?:\.py|\.tcss|/))`", PAGE.read_text(encoding="utf-8"))
    assert len(named) > 30
    missing = [n for n in named if not (package / n).exists() and not (SRC.parent / n).exists()]
    assert not missing, missing


# --- the walker itself -----------------------------------------------------------------------


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    "b_text",
    [
        "from pkg import a\n",
        "import pkg.a\n",
        "def f():\n    from pkg.a import X\n",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import X\n",
        "from . import a\n",
        "class C:\n    def m(self):\n        from .a import X\n",
        "from .sub.c import Y\n",
    ],
    ids=["from-package", "import", "in-function", "type-checking", "relative", "in-method", "via"],
)
def test_the_walker_finds_a_loop_at_any_level(tmp_path: Path, b_text: str) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg.b import thing\nX = 1\n",
            "b.py": b_text + "thing = 1\n",
            "sub/__init__.py": "",
            "sub/c.py": "from ..a import X\nY = 2\n",
        },
    )
    graph = import_graph(root, "pkg")
    found = cycles(graph)
    assert found and "pkg.a" in found[0] and "pkg.b" in found[0], graph


def test_the_walker_passes_a_tree(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from pkg.b import thing\nimport os\n",
            "b.py": "from pkg import c\nthing = 1\n",
            "c.py": "import json\n",
        },
    )
    assert cycles(import_graph(root, "pkg")) == []


def test_the_layer_check_sees_an_upward_import() -> None:
    assert layer_of("regen_compare.model.money") == len(LAYERS) - 1
    assert layer_of("regen_compare.tui.widgets.footer") == 1
    assert layer_of("regen_compare.modelling") is None  # a package, not a prefix
    modules = ("cli.main", "tui.app", "scenarios", "consult", "engine.costs", "data.load")
    ranks = [layer_of(f"regen_compare.{m}") for m in (*modules, "store.cache", "model.money")]
    assert ranks == sorted(ranks)
