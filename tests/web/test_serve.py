"""`regen-compare serve`: address checks, the per-session command, and a real server."""

from __future__ import annotations

import shlex
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from serve_helpers import fetch, served

from regen_compare.web.serve import app_command, loopback, preflight, run_serve, warning_for


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "127.1.2.3", "localhost", "LOCALHOST", "::1", "[::1]", "app.localhost"],
)
def test_loopback_hosts(host: str) -> None:
    assert loopback(host)
    assert warning_for(host) is None


@pytest.mark.parametrize(
    "host", ["0.0.0.0", "", "::", "192.168.1.20", "10.0.0.1", "example.org", "localhost.evil.org"]
)
def test_other_hosts_get_the_no_login_warning(host: str) -> None:
    assert not loopback(host)
    warning = warning_for(host)
    assert warning is not None
    assert "no login" in warning
    assert "127.0.0.1" in warning  # says what to use instead


def test_warning_names_every_interface_for_wildcards() -> None:
    assert "every network interface" in (warning_for("0.0.0.0") or "")
    assert "192.168.1.20" in (warning_for("192.168.1.20") or "")


def test_app_command_runs_this_python_with_the_profile() -> None:
    command = app_command(None, ["--payer", "medicare", "--years", "3"])
    assert shlex.split(command) == [
        sys.executable,
        "-m",
        "regen_compare",
        "--payer",
        "medicare",
        "--years",
        "3",
    ]


def test_app_command_quotes_a_data_dir_with_spaces_and_quotes(tmp_path: Path) -> None:
    folder = tmp_path / "Dr O'Brien's data; rm -rf ~"
    command = app_command(str(folder), ["--search", "knee $HOME `id`"])
    assert shlex.split(command)[3:] == [
        "--data-dir",
        str(folder),
        "--search",
        "knee $HOME `id`",
    ]


def test_app_command_makes_the_data_dir_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert shlex.split(app_command("my data", []))[3:] == ["--data-dir", str(tmp_path / "my data")]


def test_app_command_starts_the_app_through_a_shell(small_data: Path) -> None:
    """What textual-serve does with the command: a shell runs it. `--version` proves the
    quoting reaches Python intact without opening a screen."""
    command = app_command(str(small_data), ["--version"])
    done = subprocess.run(command, shell=True, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("regen-compare ")


def test_preflight_accepts_good_options_and_names_a_bad_payer(small_data: Path) -> None:
    assert preflight(str(small_data), ["--payer", "medicare"]).returncode == 0
    bad = preflight(str(small_data), ["--payer", "nope"])
    assert bad.returncode == 2
    assert "unknown payer id" in bad.stderr


def test_run_serve_refuses_bad_options_before_listening(
    small_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_serve("127.0.0.1", 8000, str(small_data), ["--payer", "nope"]) == 2
    assert "unknown payer id" in capsys.readouterr().err
    assert run_serve("127.0.0.1", 70000, str(small_data), []) == 2


def test_run_serve_warns_before_anything_else(
    small_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A bad payer stops it right after the warning, so nothing listens on every interface.
    assert run_serve("0.0.0.0", 8000, str(small_data), ["--payer", "nope"]) == 2
    err = capsys.readouterr().err
    assert err.index("no login") < err.index("unknown payer id")


def test_server_serves_the_page_on_loopback(tmp_path: Path, small_data: Path) -> None:
    with served(tmp_path / "server.log", small_data, ["--payer", "medicare"]) as url:
        status, html = fetch(url + "/")
        assert status == 200
        # No other site may show the app in a frame (clickjacking): every response says so,
        # the page, static files and refusals alike.
        for path, headers in (
            ("/", {}),
            ("/static/js/textual.js", {}),
            ("/", {"Host": "evil.example"}),
        ):
            request = urllib.request.Request(url + path, headers=headers)
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    got = response.headers
            except urllib.error.HTTPError as refused:
                got = refused.headers
            assert got["X-Frame-Options"] == "DENY", path
            assert "frame-ancestors 'none'" in got["Content-Security-Policy"], path
        assert "<title>regen-compare</title>" in html
        assert 'class="textual-terminal"' in html
        assert f'data-session-websocket-url="ws://{url.removeprefix("http://")}/ws"' in html
        assert "googleapis" not in html  # the page fetches nothing from elsewhere
        assert fetch(url + "/static/js/textual.js")[0] == 200
        assert fetch(url + "/static/fonts/RobotoMono-VariableFont_wght.ttf")[0] == 200

        # The page's URLs follow the name the browser used (so --host 0.0.0.0 works from
        # another machine instead of sending it to ws://0.0.0.0).
        port = url.rsplit(":", 1)[1]
        request = urllib.request.Request(url + "/", headers={"Host": f"localhost:{port}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            page = response.read().decode("utf-8")
        assert f'data-session-websocket-url="ws://localhost:{port}/ws"' in page
        assert f"http://localhost:{port}/static/js/textual.js" in page

        # DNS rebinding: a page under another name that resolves to 127.0.0.1 is refused.
        request = urllib.request.Request(url + "/", headers={"Host": "evil.example"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403

        # Another site's page in the same browser may not open the app's WebSocket.
        handshake = {
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Origin": "http://evil.example",
        }
        request = urllib.request.Request(url + "/ws", headers=handshake)
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(request, timeout=5)
        assert refused.value.code == 403
    log = (tmp_path / "server.log").read_text("utf-8")
    assert f"serving the app at {url}" in log


@pytest.mark.parametrize(
    ("header", "listen", "allowed", "ok"),
    [
        ("127.0.0.1:8000", "127.0.0.1", (), True),
        ("attacker.example:8000", "127.0.0.1", (), False),
        ("192.168.1.20:8000", "127.0.0.1", (), False),
        # Beyond loopback the Host check stays on (DNS rebinding through a name).
        ("attacker.example:8000", "0.0.0.0", (), False),
        ("attacker.example:8000", "0.0.0.0", ("clinic.example",), False),
        ("clinic.example:8000", "0.0.0.0", ("clinic.example",), True),
        ("CLINIC.example.:8000", "0.0.0.0", ("clinic.example",), True),
        ("192.168.1.20:8000", "0.0.0.0", (), True),
        ("[fe80::1]:8000", "::", (), True),
        ("localhost:8000", "0.0.0.0", (), True),
        ("consult-room.lan:8000", "consult-room.lan", (), True),
        ("consult-room.lan.attacker.example", "consult-room.lan", (), False),
    ],
)
def test_the_host_header_must_name_this_server(
    header: str, listen: str, allowed: tuple[str, ...], ok: bool
) -> None:
    from regen_compare.web.serve import host_allowed

    assert host_allowed(header, listen, allowed) is ok


def test_a_server_on_every_interface_still_refuses_other_names(
    tmp_path: Path, small_data: Path
) -> None:
    """`--host 0.0.0.0`: a WebSocket with Host and Origin `attacker.example:PORT` (a rebound
    name) is refused, and so is the page; the names given with --allow-host and addresses
    are served."""
    extra = ["--host", "0.0.0.0", "--allow-host", "clinic.example"]
    with served(tmp_path / "server.log", small_data, extra) as url:
        port = url.rsplit(":", 1)[1]
        for name, expected in (
            (f"attacker.example:{port}", 403),
            (f"clinic.example:{port}", 200),
            (f"127.0.0.1:{port}", 200),
        ):
            request = urllib.request.Request(url + "/", headers={"Host": name})
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    status = response.status
            except urllib.error.HTTPError as refused:
                status = refused.code
            assert status == expected, name
        handshake = {
            "Connection": "Upgrade",
            "Upgrade": "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
            "Host": f"attacker.example:{port}",
            "Origin": f"http://attacker.example:{port}",
        }
        request = urllib.request.Request(url + "/ws", headers=handshake)
        with pytest.raises(urllib.error.HTTPError) as refused_ws:
            urllib.request.urlopen(request, timeout=5)
        assert refused_ws.value.code == 403


def test_what_serve_echoes_is_display_safe(
    small_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        run_serve("evil\x1b]52;c;UFdORUQ=\x07.example", 8000, str(small_data), ["--payer", "nope"])
        == 2
    )
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b]52" in err
