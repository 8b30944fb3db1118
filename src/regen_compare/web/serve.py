"""`regen-compare serve`: the same TUI in a browser tab, through textual-serve.

textual-serve runs a small web server (aiohttp); each browser tab that opens the page gets its
own app process (``python -m regen_compare …``) whose screen is streamed to xterm.js over a
WebSocket. The app has no login, so the server listens on loopback by default and says so
loudly when told to listen anywhere else.

Beyond textual-serve's defaults this module:

* serves its own page template (``templates/app_index.html``): a title, and the bundled
  font instead of Google Fonts, so the page fetches nothing but from this server;
* builds the page's WebSocket and static URLs from the address the browser used (the Host
  header), so ``--host 0.0.0.0`` works from another machine instead of pointing the browser
  at ``ws://0.0.0.0``;
* refuses a WebSocket whose Origin is not this server's own page, so another web site open in
  the counselor's browser cannot drive the app (cross-site WebSocket hijacking), and refuses
  any request whose Host is not a name it serves (DNS rebinding: `host_allowed`), on a
  loopback address and on any other;
* forbids framing on every response (`X-Frame-Options: DENY` and the CSP directive
  `frame-ancestors 'none'`), so another site cannot show the app inside its own page and
  trick the counselor into typing or clicking there (clickjacking);
* checks the data and the profile options before listening, so a bad ``--payer`` fails at the
  command line instead of as a blank page.

Textual and textual-serve are imported only inside `run_serve`, so the command line stays
fast.
"""

from __future__ import annotations

import ipaddress
import os
import shlex
import subprocess
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from regen_compare.model.text import display_safe, quote

if TYPE_CHECKING:
    from aiohttp import web

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
TITLE = "regen-compare"
TEMPLATES = Path(__file__).parent / "templates"
FRAME_POLICY = "frame-ancestors 'none'"

EXIT_OK = 0
EXIT_USAGE = 2


def _bare_host(host: str) -> str:
    """``[::1]`` -> ``::1``; names lower-cased; a trailing dot dropped."""
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host.rstrip(".").lower()


def loopback(host: str) -> bool:
    """True when `host` names this machine's loopback interface only (127.0.0.0/8, ::1,
    localhost). An empty host, 0.0.0.0 and :: mean every interface: not loopback."""
    bare = _bare_host(host)
    if bare == "localhost" or bare.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(bare).is_loopback
    except ValueError:
        return False


def warning_for(host: str) -> str | None:
    """The no-login warning for a non-loopback `host`; None for loopback."""
    if loopback(host):
        return None
    bare = _bare_host(host)
    where = (
        "every network interface of this machine"
        if bare in ("", "0.0.0.0", "::")
        else f"{quote(host)}, which is not this machine's loopback address"
    )
    return (
        f"WARNING: regen-compare will listen on {where}.\n"
        "The app has no login: anyone who can reach this address and port can open it, see "
        "the profile and costs on screen, and change them. Traffic is not encrypted.\n"
        f"Use --host {DEFAULT_HOST} (the default) unless every machine on this network is "
        "trusted, and stop the server (Ctrl+C) when the consult is over. Browsers may reach "
        "it by its address; by a name only when that name is given with --allow-host NAME."
    )


def _quote(arg: str) -> str:
    """Quote one argument for the shell textual-serve starts the app with."""
    if os.name == "nt":  # cmd.exe rules, not POSIX sh
        return subprocess.list2cmdline([arg])
    return shlex.quote(arg)


def app_command(data_dir: str | None, extra_args: list[str]) -> str:
    """The shell command textual-serve runs for each browser session: this Python running
    ``-m regen_compare`` with the data folder (made absolute) and the profile options."""
    args = [sys.executable, "-m", "regen_compare"]
    if data_dir is not None:
        args += ["--data-dir", os.path.abspath(data_dir)]
    args += extra_args
    return " ".join(_quote(arg) for arg in args)


def preflight(data_dir: str | None, extra_args: Sequence[str]) -> subprocess.CompletedProcess[str]:
    """Check the data and the profile options the way each browser session will read them
    (`list` takes the same options as the TUI); the result's returncode is 0 when they load."""
    args = [sys.executable, "-m", "regen_compare", "list", "--format", "json"]
    if data_dir is not None:
        args += ["--data-dir", os.path.abspath(data_dir)]
    args += extra_args
    return subprocess.run(args, capture_output=True, text=True, check=False, timeout=120)


def _browser_url(host: str, port: int) -> str:
    bare = _bare_host(host)
    if bare in ("", "0.0.0.0"):
        bare = "127.0.0.1"
    elif bare == "::":
        bare = "::1"
    shown = f"[{bare}]" if ":" in bare else bare
    return f"http://{shown}:{port}"


def _host_name(host_header: str) -> str:
    """The name part of a Host header (``127.0.0.1:8000``, ``[::1]:8000``, ``localhost``)."""
    if host_header.startswith("["):
        return host_header[1 : host_header.find("]")] if "]" in host_header else host_header
    return host_header.rsplit(":", 1)[0] if host_header.count(":") == 1 else host_header


def _is_address(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def host_allowed(host_header: str, listen: str, allowed: Sequence[str] = ()) -> bool:
    """Whether a request whose Host header is `host_header` is for this server, listening on
    `listen` with the extra names `allowed` (`--allow-host`).

    DNS rebinding makes a page under the attacker's name (`attacker.example`, later resolved
    to this machine) talk to the server: its requests carry that name as Host. So only names
    the server serves pass: loopback names (a browser on this machine), and, when listening
    beyond loopback, the listening name itself, any IP address (a browser sends an address
    only when the page was loaded from that address, i.e. from this server) and the names
    given with `--allow-host`. On a loopback address, loopback names only."""
    name = _bare_host(_host_name(host_header))
    if loopback(name):
        return True
    if loopback(listen):
        return False
    served = {_bare_host(listen), *(_bare_host(a) for a in allowed)}
    return _is_address(name) or name in served


def make_server(command: str, host: str, port: int, allowed: Sequence[str] = ()) -> Any:
    """A textual-serve Server for `command` on host:port, with the checks described above
    (the textual-serve specifics live in `web.adapter`). `allowed`: the names, besides
    loopback names and addresses, a browser may reach it by (`--allow-host`)."""
    from aiohttp import web

    from regen_compare.web.adapter import build_server

    @web.middleware
    async def same_origin(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if not host_allowed(request.host, host, allowed):
            raise web.HTTPForbidden(
                text="regen-compare does not serve this name (see serve --allow-host)\n"
            )
        if request.path == "/ws" and request.headers.get("Origin") != f"http://{request.host}":
            raise web.HTTPForbidden(text="WebSocket from another site refused\n")
        return await handler(request)

    async def no_framing(request: web.Request, response: web.StreamResponse) -> None:
        response.headers["X-Frame-Options"] = "DENY"
        policy = response.headers.get("Content-Security-Policy")
        response.headers["Content-Security-Policy"] = (
            f"{policy}; {FRAME_POLICY}" if policy else FRAME_POLICY
        )

    def started() -> None:
        url = display_safe(_browser_url(host, port))  # the host as typed: made visible
        print(f"regen-compare: serving the app at {url}", flush=True)
        print("Open that address in a browser; Ctrl+C stops the server.", flush=True)

    return build_server(
        command,
        host,
        port,
        title=TITLE,
        templates=str(TEMPLATES.resolve()),
        middlewares=[same_origin],
        on_response=[no_framing],
        started=started,
    )


def run_serve(
    host: str,
    port: int,
    data_dir: str | None,
    extra_args: list[str],
    allowed: Sequence[str] = (),
) -> int:
    """Serve the TUI at http://host:port with textual-serve; blocks until interrupted.
    `allowed`: further names the server answers to (`--allow-host`; see `host_allowed`).

    Prints the no-login warning first for a non-loopback host. Returns 0 after Ctrl+C (or
    SIGTERM); the preflight's exit code (1 bad data, 2 bad option) when the data or profile
    options do not load; 2 when the address cannot be listened on (in use, bad host).
    """
    if not 1 <= port <= 65535:
        print(f"regen-compare: error: port must be 1-65535, not {port}", file=sys.stderr)
        return EXIT_USAGE
    warning = warning_for(host)
    if warning:
        print(warning, file=sys.stderr, flush=True)
    checked = preflight(data_dir, extra_args)
    sys.stderr.write(checked.stderr)  # the problems, or the data's warnings
    if checked.returncode != 0:
        return checked.returncode
    server = make_server(app_command(data_dir, extra_args), host, port, allowed)
    try:
        server.serve()
    except OSError as exc:
        where = display_safe(f"{host}:{port}: {exc}")
        print(f"regen-compare: error: cannot listen on {where}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        pass
    return EXIT_OK
