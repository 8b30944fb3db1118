"""The one place that touches textual-serve beyond its documented API (`Server(command, …)`,
`serve()`). Checked against textual-serve 1.1.3; tests/test_serve_adapter.py fails on an
upgrade that removes or changes what is used here, so the fix is made here and nowhere else.

- `Server._make_app()` (private): the aiohttp application it builds, extended with our
  middlewares and response hooks.
- `Server.handle_index` and the page template's context: `font_size`, `app_websocket_url`,
  `config.static.url`, `application.name` (the names its own `app_index.html` reads; ours, in
  `templates/`, reads the same). We build the URLs from the address the browser used.
- `Server.initialize_logging` and `Server.on_startup`: quieter logs, and the address printed.
- `textual_serve.server.to_int`: the font-size query parameter, read as textual-serve does.

Imported only by `serve.run_serve` (textual-serve and aiohttp are not loaded otherwise).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

if TYPE_CHECKING:
    from aiohttp.typedefs import Middleware

    ResponseHook = Callable[[web.Request, web.StreamResponse], Awaitable[None]]

CHECKED_AGAINST = "1.1.3"
CONTEXT_NAMES = ("font_size", "app_websocket_url", "config.static.url", "application.name")
"""What the page template reads (see the module docstring)."""


def index_context(host: str, query_font_size: str, title: str) -> dict[str, Any]:
    """The page's template context, with URLs built from `host` (the request's Host)."""
    return {
        "font_size": to_int(query_font_size, 16),
        "app_websocket_url": f"ws://{host}/ws",
        "config": {"static": {"url": f"http://{host}/static/"}},
        "application": {"name": title},
    }


def build_server(
    command: str,
    host: str,
    port: int,
    *,
    title: str,
    templates: str,
    middlewares: Sequence[Middleware] = (),
    on_response: Sequence[ResponseHook] = (),
    started: Callable[[], None] | None = None,
) -> Server:
    """A textual-serve `Server` for `command` with our middlewares, response hooks, page
    context (URLs from the browser's address, never cached) and quiet logging."""

    class RegenServer(Server):
        async def _make_app(self) -> web.Application:
            app: web.Application = await super()._make_app()
            app.middlewares.extend(middlewares)
            app.on_response_prepare.extend(on_response)
            return app

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            context = index_context(request.host, request.query.get("fontsize", "16"), title)
            response: web.StreamResponse = aiohttp_jinja2.render_template(
                "app_index.html", request, context
            )
            response.headers["Cache-Control"] = "no-store"
            return response

        def initialize_logging(self) -> None:
            super().initialize_logging()
            # A line per request, and asyncio's note about app processes still ending as the
            # server stops, are noise in the counselor's terminal; errors still show.
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)
            logging.getLogger("asyncio").setLevel(logging.ERROR)

        async def on_startup(self, app: web.Application) -> None:
            if started is not None:
                started()

    return RegenServer(command, host=host, port=port, title=title, templates_path=templates)
