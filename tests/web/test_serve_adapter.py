"""`serve_adapter` still fits the installed textual-serve (see its docstring for what it uses).

Each test fails on an upgrade that removes or changes a private piece the adapter relies on;
the fix then goes in src/regen_compare/serve_adapter.py (and its CHECKED_AGAINST).
"""

from __future__ import annotations

import inspect
import re
from importlib.metadata import version
from pathlib import Path

import textual_serve
from textual_serve.server import Server

from regen_compare.web import adapter as serve_adapter

OUR_TEMPLATE = (Path(serve_adapter.__file__).parent / "templates" / "app_index.html").read_text(
    encoding="utf-8"
)
THEIR_TEMPLATE = (Path(textual_serve.__file__).parent / "templates" / "app_index.html").read_text(
    encoding="utf-8"
)


def _names(template: str) -> set[str]:
    """The context names a Jinja template reads (`{{ a.b }}`, filters and defaults aside)."""
    return {m.group(1) for m in re.finditer(r"\{\{\s*([\w.]+)", template)}


def test_the_installed_textual_serve_is_the_one_checked() -> None:
    assert version("textual-serve") == serve_adapter.CHECKED_AGAINST, (
        "textual-serve changed: re-check serve_adapter.py and update CHECKED_AGAINST"
    )


def test_the_private_methods_the_adapter_overrides_exist() -> None:
    assert inspect.iscoroutinefunction(Server._make_app)
    assert inspect.iscoroutinefunction(Server.handle_index)
    assert inspect.iscoroutinefunction(Server.on_startup)
    assert callable(Server.initialize_logging)
    parameters = inspect.signature(Server.__init__).parameters
    for name in ("command", "host", "port", "title", "templates_path"):
        assert name in parameters, name


def test_our_context_gives_every_name_both_templates_read() -> None:
    context = serve_adapter.index_context("127.0.0.1:8000", "18", "regen-compare")

    def lookup(name: str) -> object:
        value: object = context
        for part in name.split("."):
            assert isinstance(value, dict) and part in value, name
            value = value[part]
        return value

    for name in serve_adapter.CONTEXT_NAMES:
        lookup(name)
    # textual-serve's own page reads the same names (plus ping_url, which it fills itself).
    assert set(serve_adapter.CONTEXT_NAMES) <= _names(THEIR_TEMPLATE)
    assert _names(OUR_TEMPLATE) - {"ping_url"} <= set(serve_adapter.CONTEXT_NAMES)
    assert context["app_websocket_url"] == "ws://127.0.0.1:8000/ws"
    assert context["font_size"] == 18
