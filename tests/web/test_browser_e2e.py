"""End to end in a real browser: `serve`, Debian's headless Chromium driven by Playwright.

Playwright is used only as a driver for the system Chromium (``executable_path``); it never
downloads a browser. The test reads what the page's terminal shows from xterm.js's own buffer
(the screen is drawn on a canvas, so there is no text in the DOM): an init script catches the
``Terminal`` that textual-serve's page creates, and ``buffer.active`` gives the rows as text.

Screenshots go to tests/artifacts/ (git-ignored): browser-e2e-start.png (the first screen) and
browser-e2e.png (after F1). Every wait is bounded; the server and the browser are stopped in
``finally`` blocks whatever happens.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from serve_helpers import served

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page, WebSocket

pytestmark = pytest.mark.slow

ARTIFACTS = Path(__file__).parent / "artifacts"
CHROMIUM = (
    os.environ.get("REGEN_COMPARE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
)
# What this machine needs (see the machine notes): no sandbox as root, no GPU, and none of
# Chromium's own background traffic, which a closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LAUNCH_TIMEOUT_MS = 20_000
PAGE_TIMEOUT_MS = 15_000
SCREEN_TIMEOUT_MS = 20_000  # the first screen: a new app process per tab, data loaded

# textual.js keeps its xterm.js Terminal in a closure. It assigns it to `this.terminal` of its
# own object; a setter on Object.prototype sees that assignment, keeps the Terminal in
# window.__regenXterm, and removes itself.
CATCH_TERMINAL = """
(() => {
  Object.defineProperty(Object.prototype, "terminal", {
    configurable: true,
    get() { return undefined; },
    set(value) {
      Object.defineProperty(this, "terminal", {
        value, writable: true, configurable: true, enumerable: true,
      });
      if (value && value.buffer && typeof value.write === "function") {
        window.__regenXterm = value;
        delete Object.prototype.terminal;
      }
    },
  });
})();
"""
# The visible rows of the page's terminal, as text (null until the terminal exists).
SCREEN_TEXT = """
() => {
  const term = window.__regenXterm;
  if (!term) return null;
  const buffer = term.buffer.active;
  const rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows.join("\\n");
}
"""


def _screen(page: Page) -> str:
    text = page.evaluate(SCREEN_TEXT)
    return text if isinstance(text, str) else ""


def _wait_for_screen(page: Page, condition: str, timeout_ms: int) -> str:
    """Wait until `condition`, a JavaScript expression on the screen's `text`, holds; the
    screen text, or a failure that shows what the terminal shows."""
    try:
        page.wait_for_function(
            f"() => {{ const text = ({SCREEN_TEXT})(); return text !== null && ({condition}); }}",
            timeout=timeout_ms,
            polling=100,
        )
    except Exception as exc:
        pytest.fail(f"the terminal never showed {condition} ({exc}); it shows:\n{_screen(page)}")
    return _screen(page)


def _shows(needle: str) -> str:
    return f"text.includes({json.dumps(needle)})"


def _shows_key(key: str, word: str) -> str:
    """The footer's `key word` pair, however many spaces the footer puts between them (it
    spreads its keys out on a wide screen)."""
    return rf"/{key}\s+{word}/.test(text)"


@pytest.fixture
def browser() -> Iterator[Browser]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="the playwright package is not installed (test extra)"
    )
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_ARGS,
                timeout=LAUNCH_TIMEOUT_MS,
            )
        except Exception as exc:
            pytest.skip(f"Chromium at {CHROMIUM} cannot start here: {exc}")
        try:
            yield launched
        finally:
            launched.close()


def test_served_app_in_headless_chromium(
    browser: Browser, tmp_path: Path, small_data: Path
) -> None:
    started = time.monotonic()
    ARTIFACTS.mkdir(exist_ok=True)
    log = tmp_path / "server.log"
    with served(log, small_data, ["--payer", "medicare"]) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 800})
        try:
            page = context.new_page()
            page.set_default_timeout(PAGE_TIMEOUT_MS)
            page.add_init_script(CATCH_TERMINAL)
            requests: list[str] = []
            page.on("request", lambda request: requests.append(request.url))
            sent: list[str] = []

            def watch(ws: WebSocket) -> None:
                ws.on("framesent", lambda payload: sent.append(str(payload)))

            page.on("websocket", watch)

            response = page.goto(url + "/", wait_until="load")
            assert response is not None and response.ok
            assert page.title() == "regen-compare"

            # The app's first screen arrives: the fixture's therapies and the plan's name.
            # The footer's keys show only once the app knows the page has focus.
            first = _wait_for_screen(
                page,
                _shows("Platelet-rich plasma")
                + " && "
                + _shows("medical advice")
                + " && "
                + _shows_key("f1", "Help"),
                SCREEN_TIMEOUT_MS,
            )
            assert "Original Medicare" in first or "medicare" in first.lower(), first
            assert re.search(r"space\s+Mark", first), first  # the table's keys, before /
            page.wait_for_selector("body.-first-byte", state="attached")
            page.screenshot(path=ARTIFACTS / "browser-e2e-start.png")

            # The page gave the terminal the keyboard by itself (see templates/).
            assert page.evaluate(
                "document.activeElement.classList.contains('xterm-helper-textarea')"
            )
            # A key press reaches the app: F1 opens the help screen.
            page.keyboard.press("F1")
            helped = _wait_for_screen(page, _shows("regen-compare — keys"), PAGE_TIMEOUT_MS)
            assert "compare the marked therapies" in helped
            assert any('"stdin"' in frame for frame in sent), sent  # went over the WebSocket
            page.screenshot(path=ARTIFACTS / "browser-e2e.png")

            # Esc closes it. (Wait for that: a key right after a lone Esc would read as Alt+key.)
            page.keyboard.press("Escape")
            _wait_for_screen(page, "!" + _shows("regen-compare — keys"), PAGE_TIMEOUT_MS)
            # Typing reaches the app's search box, and the table filters as you type.
            page.keyboard.press("/")
            # The search box has the keyboard once the table's keys leave the footer.
            _wait_for_screen(page, "!" + _shows_key("space", "Mark"), PAGE_TIMEOUT_MS)
            page.keyboard.type("tennis")
            searched = _wait_for_screen(
                page, _shows("tennis") + " && !" + _shows("5 of 5 therapies"), PAGE_TIMEOUT_MS
            )
            assert "of 5 therapies" in searched, searched

            # The page fetched nothing from anywhere but this server (fonts included).
            assert requests and all(u.startswith(url + "/") for u in requests), requests
        finally:
            context.close()
    assert (ARTIFACTS / "browser-e2e.png").stat().st_size > 10_000
    assert time.monotonic() - started < 60, "the browser test must stay well under a minute"
