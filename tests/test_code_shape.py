"""Every module of the package stays readable: at most 500 lines, no function over 60 lines.

The only exceptions are declarative tables (a function or module that is one long literal
list of rows, not logic), each named below with why. Modules still being split by their
owners are listed in `PENDING` as strict expected failures: when one is fixed, its XPASS
fails the run until it is taken off the list, so the list can only shrink.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "regen_compare"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60

DECLARATIVE_TABLES: dict[str, str] = {
    # "module.py:function": "why it is a table, not logic",
}
"""Functions allowed over the limit because they are one literal table (none yet)."""

PENDING: dict[str, str] = {}


def shape_problems(text: str, name: str) -> list[str]:
    """What is too long in one module's source: the module, or a function (by its name)."""
    found = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES:
        found.append(f"{name}: {lines} lines (at most {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            assert node.end_lineno is not None
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES and f"{name}:{node.name}" not in DECLARATIVE_TABLES:
                found.append(
                    f"{name}:{node.lineno} {node.name}: {length} lines "
                    f"(at most {MAX_FUNCTION_LINES})"
                )
    return found


def _modules() -> list[str]:
    return sorted(p.relative_to(PACKAGE).as_posix() for p in PACKAGE.rglob("*.py"))


def _params() -> list[object]:
    params: list[object] = []
    for name in _modules():
        marks = []
        if name in PENDING:
            marks.append(pytest.mark.xfail(strict=True, reason=PENDING[name]))
        params.append(pytest.param(name, marks=marks, id=name))
    return params


@pytest.mark.parametrize("name", _params())
def test_module_and_functions_are_short(name: str) -> None:
    text = (PACKAGE / name).read_text(encoding="utf-8")
    assert shape_problems(text, name) == []


def test_the_lists_name_real_modules() -> None:
    modules = set(_modules())
    assert set(PENDING) <= modules
    for entry in DECLARATIVE_TABLES:
        assert entry.split(":")[0] in modules, entry


def test_the_check_catches_a_long_module_and_a_long_function() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(MAX_FUNCTION_LINES))
    long_function = f"def f():\n{body}\n"
    assert shape_problems(long_function, "m.py") == ["m.py:1 f: 61 lines (at most 60)"]
    short = "def g():\n    return 1\n"
    assert shape_problems(short, "m.py") == []
    padding = "\n".join(f"y{i} = {i}" for i in range(MAX_MODULE_LINES + 1))
    assert shape_problems(padding, "big.py") == ["big.py: 501 lines (at most 500)"]
