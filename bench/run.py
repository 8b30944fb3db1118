"""regen-compare performance benchmark: start-up measured when the app answers a key, in a real
terminal, side by side with references in the same run (A/B/C alternate each round; medians).

    python bench/run.py                                  # sizes 100, 1,000 and 10,000, 5 rounds
    python bench/run.py --sizes 100 --runs 1 --out t.md  # what the test runs to keep this working

What each figure means and why it is measured so: docs/performance.md. In short: every start
runs in tmux at 120×40 on a tmux server of its own (a fresh socket per start: reusing one and
killing its server right before the next start makes every other start fail with "server exited
unexpectedly" on this machine), watched through one control-mode client. A start is interactive
when ctrl+p, sent at once and again every 100 ms, has opened the command palette ("Search for
commands"); the one-label Textual app (bench/hello_app.py) and a bare Input + DataTable + Footer
app (bench/bare_app.py) are timed the same way; VisiData, on a CSV of the same rows, is
interactive at its first frame. First paint is the first therapy name on screen. Data sets are
synthetic in the real format (bench/synth.py), deterministic, with 50 payers. Peak memory, the
event loop's longest stall and the keystroke figures come from the helpers beside this file
(maxrss.py, heartbeat_app.py, keystrokes.py). Results go to stdout (and --out) as a Markdown
table; no test asserts on these timings.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import csv
import dataclasses
import itertools
import json
import math
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synth import write as write_synthetic  # noqa: E402

PYTHON = sys.executable
WIDTH, HEIGHT = 120, 40
POLL = 0.005
"""Seconds between two looks at the screen (each a line to the tmux control client)."""
RESEND = 0.1
"""Seconds between two ctrl+p while the app has not answered."""
PALETTE = re.compile(r"Search for commands")
HELLO_TEXT = "HELLO-READY"
SEARCH_APPLIED = re.compile(r"\b1 of [\d,]+ therap")
TYPED_BUNDLED = "/cyclobenz"
"""Typed at launch into the bundled data: one therapy matches (cyclobenzaprine)."""


# --- the report -----------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    target: str
    value: str
    detail: str
    reference: str
    met: bool | None = None


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        status = {True: "met", False: "NOT met", None: ""}[figure.met]
        print(f"  {figure.name}: {figure.value} ({figure.detail}) {status}", file=sys.stderr)

    def markdown(self) -> str:
        lines = [
            "| figure | target | measured | medians | reference | met |",
            "|---|---|---|---|---|---|",
        ]
        by_number = sorted(self.figures, key=lambda f: f.name.split(".", 1)[0])
        for f in by_number:
            met = {True: "yes", False: "**no**", None: "—"}[f.met]
            cells = (f.name, f.target, f.value, f.detail, f.reference, met)
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        return "\n".join(lines) + "\n"


def median(values: Sequence[float]) -> float:
    """The median of the values that were measured (NaN marks a start that never got there)."""
    kept = [v for v in values if not math.isnan(v)]
    return statistics.median(kept) if kept else math.nan


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return "—" if math.isnan(seconds) else f"{seconds * 1000:.0f} ms"


def ratio(a: float, b: float) -> float:
    return a / b if b and not math.isnan(a) and not math.isnan(b) else math.nan


def times(ratio_value: float) -> str:
    return "—" if math.isnan(ratio_value) else f"{ratio_value:.2f}×"


def spread(values: Sequence[float]) -> str:
    kept = [v for v in values if not math.isnan(v)]
    missed = len(values) - len(kept)
    text = f"{ms(min(kept))}–{ms(max(kept))}" if kept else "none"
    return text + (f", {missed} of {len(values)} never" if missed else "")


def per_round(a: Sequence[Start], b: Sequence[Start]) -> str:
    """The median of the rounds' own ratios (each start over the reference's start in the same
    round): steadier than median ÷ median when the machine's load drifts during a run."""
    ratios = [ratio(x.ready, y.ready) for x, y in zip(a, b, strict=True)]
    return f"per-round ratio {times(median(ratios))}"


# --- a real terminal ------------------------------------------------------------------------


class Terminal:
    """One tmux server on a socket of its own holding one 120×40 window, driven through one
    control-mode client (`tmux -C`): each look at the screen and each key is a line on that
    client's stdin, not a new tmux process (~3 ms of CPU each, 200 times a second, beside the
    program being timed on a 2-core machine).

    A fresh socket for every start: reusing one socket and calling kill-server right before
    the next new-session (as ../shared/tools/*.py do) makes every other new-session fail with
    "server exited unexpectedly" on this machine, for any command (`sleep 20` too)."""

    _numbers = itertools.count()

    def __init__(self, env: dict[str, str]) -> None:
        self.socket = f"rc-bench-{os.getpid()}-{next(self._numbers)}"
        self.env = env
        self.client: subprocess.Popen[str] | None = None
        self.path = ""

    def tmux(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            env=self.env,
            check=False,
        )

    def __enter__(self) -> Terminal:
        size = ("-x", str(WIDTH), "-y", str(HEIGHT))
        done = self.tmux("new-session", "-d", *size, "-s", "bench", "sleep 600")
        if done.returncode != 0:
            raise RuntimeError(f"tmux new-session failed: {done.stderr.strip()}")
        self.client = subprocess.Popen(
            ["tmux", "-L", self.socket, "-f", "/dev/null", "-C", "attach", "-t", "bench"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=self.env,
        )
        assert self.client.stdout is not None
        while not self.client.stdout.readline().startswith("%session-changed"):
            if self.client.poll() is not None:
                raise RuntimeError("tmux control client could not attach")
        self.command("refresh-client -f no-output")  # no copy of the program's output for us
        self.command("set-option -wg remain-on-exit on")  # a crash stays readable
        self.path = "".join(self.command("display-message -p '#{socket_path}'")).strip()
        return self

    def __exit__(self, *exc: object) -> None:
        self.tmux("kill-server")
        if self.path:  # tmux leaves the socket file behind: one per start
            Path(self.path).unlink(missing_ok=True)
        if self.client is not None:
            assert self.client.stdin is not None
            with contextlib.suppress(OSError):
                self.client.stdin.close()
            try:
                self.client.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.client.kill()
                self.client.wait()
            assert self.client.stdout is not None
            self.client.stdout.close()

    def command(self, line: str) -> list[str]:
        """Run one tmux command through the control client; its output lines."""
        assert self.client is not None and self.client.stdin and self.client.stdout
        self.client.stdin.write(line + "\n")
        self.client.stdin.flush()
        output: list[str] = []
        inside = False
        while True:
            got = self.client.stdout.readline()
            if not got:
                raise RuntimeError(f"tmux control client ended during {line!r}")
            if got.startswith("%begin"):
                inside, output = True, []
            elif inside and got.startswith(("%end", "%error")):
                if got.startswith("%error"):
                    raise RuntimeError(f"tmux {line!r}: {' '.join(output)}")
                return output
            elif inside:
                output.append(got)

    def start(self, command: str) -> float:
        """Run `command` in the window (the placeholder goes); when it was started."""
        t0 = time.perf_counter()
        self.command("respawn-pane -k -t bench " + shlex.quote(command))
        return t0

    def screen(self) -> str:
        return "".join(self.command("capture-pane -p -t bench"))

    def keys(self, *keys: str) -> None:
        self.command("send-keys -t bench " + shlex.join(keys))

    def type(self, text: str) -> None:
        self.command("send-keys -t bench -l " + shlex.quote(text))


@dataclass
class Launch:
    """One program as a rotation starts it."""

    name: str
    argv: list[str]
    env: dict[str, str]
    """Set for the program (HOME, the data cache), beside the tmux server's environment."""
    paint: re.Pattern[str]
    """On screen at first paint."""
    ready: re.Pattern[str] | None = PALETTE
    """On screen once the probe key was acted on (None: first paint is interactive)."""
    typed: str | None = None
    """Typed once, right after launch, instead of the probe key (type-ahead)."""
    timeout: float = 60.0

    @property
    def command(self) -> str:
        """The shell command line the terminal runs."""
        return shlex.join(["env", *(f"{k}={v}" for k, v in self.env.items()), *self.argv])

    def wrapped(self, name: str, *prefix: str) -> Launch:
        """The same start, with `prefix` in front of its command (a measuring wrapper)."""
        return dataclasses.replace(self, name=name, argv=[*prefix, *self.argv])


@dataclass
class Start:
    paint: float = math.nan
    ready: float = math.nan
    screen: str = ""


def start_once(
    env: dict[str, str], launch: Launch, then: Callable[[Terminal], None] | None = None
) -> Start:
    """Start `launch` in a fresh terminal; seconds to first paint and to interactive.
    `then`: what to do in that terminal once it is interactive (before it is closed)."""
    result = Start()
    with Terminal(env) as term:
        t0 = term.start(launch.command)
        if launch.typed is not None:
            term.type(launch.typed)
        sent = -math.inf
        while (now := time.perf_counter() - t0) < launch.timeout:
            screen = term.screen()
            result.screen = screen
            if math.isnan(result.paint) and launch.paint.search(screen):
                result.paint = now
            if launch.ready is None and not math.isnan(result.paint):
                result.ready = result.paint
                break
            if launch.ready is not None and launch.ready.search(screen):
                result.ready = now
                if math.isnan(result.paint):
                    result.paint = now
                break
            if launch.ready is not None and launch.typed is None and now - sent >= RESEND:
                term.keys("C-p")
                sent = now
            time.sleep(POLL)
        if then is not None and not math.isnan(result.ready):
            then(term)
    if math.isnan(result.ready):
        tail = " ".join(result.screen.split())[-400:]
        print(
            f"    {launch.name}: not interactive in {launch.timeout:.0f} s; screen: {tail}",
            file=sys.stderr,
        )
    return result


def rotation(env: dict[str, str], launches: Sequence[Launch], runs: int) -> dict[str, list[Start]]:
    """One warm-up round (discarded: caches, bytecode), then `runs` rounds, A/B/C... in turn."""
    results: dict[str, list[Start]] = {launch.name: [] for launch in launches}
    for round_ in range(runs + 1):
        for launch in launches:
            start = start_once(env, launch)
            if round_:
                results[launch.name].append(start)
    return results


def readies(starts: Sequence[Start]) -> list[float]:
    return [s.ready for s in starts]


def paints(starts: Sequence[Start]) -> list[float]:
    return [s.paint for s in starts]


# --- the programs ---------------------------------------------------------------------------


@dataclass
class Setup:
    """What every start shares: where scratch homes and the data cache are, the programs."""

    work: Path
    server_env: dict[str, str]
    regen: list[str]
    vd: str | None

    def home(self, name: str) -> Path:
        """One scratch HOME per program, kept across its starts (warm, like a user's)."""
        path = self.work / "home" / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def env(self, home: str, **env: str) -> dict[str, str]:
        values = {"HOME": str(self.home(home)), "REGEN_COMPARE_CACHE": str(self.work / "cache")}
        return {**values, **env}

    def hello(self) -> Launch:
        argv = [PYTHON, str(HERE / "hello_app.py")]
        return Launch("one-label app", argv, self.env("hello"), re.compile(HELLO_TEXT))

    def app(self, name: str, words: Sequence[str], paint: str, **env: str) -> Launch:
        argv = [*self.regen, *words]
        return Launch(name, argv, self.env("regen", **env), re.compile(re.escape(paint)))

    def bare(self, csv_path: Path, paint: str) -> Launch:
        argv = [PYTHON, str(HERE / "bare_app.py"), str(csv_path)]
        paint_rx = re.compile(re.escape(paint))
        return Launch("Input + DataTable + Footer", argv, self.env("bare"), paint_rx)

    def visidata(self, csv_path: Path, paint: str) -> Launch | None:
        if self.vd is None:
            return None
        argv = [self.vd, str(csv_path)]
        paint_rx = re.compile(re.escape(paint))
        return Launch("VisiData", argv, self.env("vd"), paint_rx, ready=None)


def regen_command() -> list[str]:
    """The console script a user runs (`regen-compare`), beside this Python if it is there."""
    beside = Path(PYTHON).parent / "regen-compare"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("regen-compare")
    return [found] if found else [PYTHON, "-m", "regen_compare"]


def visidata() -> str | None:
    """VisiData's `vd`, beside this Python (the optional `bench` extra) or on PATH."""
    beside = Path(PYTHON).parent / "vd"
    return str(beside) if beside.exists() else shutil.which("vd")


def version_of(argv: Sequence[str]) -> str:
    done = subprocess.run([*argv, "--version"], capture_output=True, text=True, check=False)
    words = done.stdout.split()
    return words[-1] if words else "?"


@dataclass
class Rows:
    """A data set as the references see it: a CSV of the same rows, and what to look for."""

    words: list[str]
    """The command line's words for this data (`--data-dir DIR`, or none: bundled)."""
    csv: Path
    paint: str
    """The start of the first therapy's name: first paint, in the app and in VisiData."""
    unique: str
    """A search only one therapy matches (type-ahead)."""
    count: int


def rows_of(setup: Setup, words: list[str], csv_path: Path, unique: str | None) -> Rows:
    listing = subprocess.run(
        [*setup.regen, *words, "list", "--format", "csv"],
        env={**setup.server_env, "REGEN_COMPARE_CACHE": str(setup.work / "cache")},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    csv_path.write_text(listing, encoding="utf-8")
    records = list(csv.DictReader(listing.splitlines()))
    last = max(records, key=lambda r: r["id"])["name"]
    return Rows(words, csv_path, records[0]["name"][:14], unique or last, len(records))


# --- peak memory and the event loop's stalls: after the start, in the same kind of terminal ---


def quit_after(
    keys: Sequence[Sequence[str]], out: Path, pause: float = 0.05
) -> Callable[[Terminal], None]:
    """Once interactive: close the palette, type `keys` (each a send-keys call, `pause` apart),
    wait a moment, quit with ctrl+q, and wait for the program to write `out` (the terminal
    closes after that: its hang-up would end the program first)."""

    def then(term: Terminal) -> None:
        term.keys("Escape")
        time.sleep(0.3)
        for group in keys:
            term.keys(*group)
            time.sleep(pause)
        time.sleep(0.5)
        term.keys("C-q")
        deadline = time.perf_counter() + 20
        while time.perf_counter() < deadline and not (out.exists() and out.stat().st_size):
            time.sleep(0.02)

    return then


def read_json(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, json.JSONDecodeError):
        return {}


SEARCH_KEYS: list[list[str]] = [["/"], *([c] for c in "knee"), *([["BSpace"]] * 4), ["Escape"]]
"""What the user does once the app answers: a search typed and erased, back to the table."""
USE_KEYS: list[list[str]] = [*SEARCH_KEYS, ["3"], ["3"], ["1"], ["Down"], ["Down"], ["Up"]]


def peak_memory(setup: Setup, launch: Launch, out: Path) -> float:
    """MiB at peak for one start of `launch` under bench/maxrss.py, used, then quit."""
    out.unlink(missing_ok=True)
    wrapped = launch.wrapped("memory", PYTHON, str(HERE / "maxrss.py"), str(out))
    start_once(setup.server_env, wrapped, quit_after(USE_KEYS, out))
    result = read_json(out)
    return float(result["maxrss_mib"]) if result else math.nan


def loop_stall(
    setup: Setup, words: Sequence[str], paint: str, out: Path, **env: str
) -> dict[str, Any]:
    """bench/heartbeat_app.py started as the app, used as a person would, then quit."""
    out.unlink(missing_ok=True)
    argv = [PYTHON, str(HERE / "heartbeat_app.py"), str(out), *words]
    launch = Launch("heartbeat", argv, setup.env("regen", **env), re.compile(re.escape(paint)))
    start_once(setup.server_env, launch, quit_after(USE_KEYS, out))
    return read_json(out)


# --- the figures ----------------------------------------------------------------------------

ONE_LABEL = "one-label Textual app, same key"


def bench_bundled(report: Report, setup: Setup, rows: Rows, runs: int) -> None:
    """Figures 1 and 2: the bundled data, warm cache."""
    hello = setup.hello()
    app = setup.app("regen-compare", [], rows.paint)
    bare = setup.bare(rows.csv, rows.paint)
    vd = setup.visidata(rows.csv, rows.paint)
    launches = [hello, app, bare, *([vd] if vd else [])]
    print(
        f"bundled data ({rows.count} therapies): {runs} rounds of {len(launches)}", file=sys.stderr
    )
    got = rotation(setup.server_env, launches, runs)
    h, a = median(readies(got[hello.name])), median(readies(got[app.name]))
    r = ratio(a, h)
    report.add(
        Figure(
            "1. time to interactive, bundled data, warm cache (ctrl+p → palette; tmux 120×40)",
            "≤ 1.25×",
            times(r),
            f"{ms(a)} vs {ms(h)} (app {spread(readies(got[app.name]))}; "
            f"one-label {spread(readies(got[hello.name]))}; n={runs}); "
            + per_round(got[app.name], got[hello.name]),
            ONE_LABEL,
            not math.isnan(r) and r <= 1.25,
        )
    )
    b = median(readies(got[bare.name]))
    report.add(
        Figure(
            "1. a bare Textual app (Input, DataTable of the same rows, Footer), same key",
            "regen-compare faster",
            times(ratio(b, h)),
            f"{ms(b)} vs {ms(h)} ({spread(readies(got[bare.name]))}); regen-compare "
            f"{times(ratio(a, b))} it",
            ONE_LABEL,
            not math.isnan(ratio(a, b)) and a < b,
        )
    )
    if vd is not None:
        v = median(readies(got[vd.name]))
        report.add(
            Figure(
                "1. VisiData on a CSV of the same rows: first frame with the first therapy name",
                "beside (report)",
                times(ratio(v, h)),
                f"{ms(v)} vs {ms(h)} ({spread(readies(got[vd.name]))}); regen-compare "
                f"{times(ratio(a, v))} VisiData",
                f"one-label app; VisiData {version_of([setup.vd or 'vd'])}",
            )
        )
    else:
        report.add(
            Figure(
                "1. VisiData on a CSV of the same rows",
                "beside (report)",
                "skipped",
                "VisiData not installed: pip install -e '.[bench]'",
                "—",
            )
        )
    pa, ph = median(paints(got[app.name])), median(paints(got[hello.name]))
    vd_paint = f"; VisiData {ms(median(paints(got[vd.name])))}" if vd else ""
    report.add(
        Figure(
            "1. first paint, bundled data (first therapy name on screen; one-label: its label)",
            "report",
            times(ratio(pa, ph)),
            f"{ms(pa)} vs {ms(ph)}{vd_paint}; interactive − paint {ms(a - pa)}",
            "one-label Textual app, its label",
        )
    )
    typeahead(
        report,
        setup,
        rows,
        "2. type-ahead: `/cyclobenz` sent right after launch, bundled data",
        typed=TYPED_BUNDLED,
        tries=max(4, 2 * runs),
    )


def typeahead(
    report: Report, setup: Setup, rows: Rows, name: str, *, typed: str, tries: int
) -> None:
    """Keys typed from the first instant are applied: the search shows one match."""
    launch = setup.app("type-ahead", rows.words, rows.paint)
    launch.ready, launch.typed = SEARCH_APPLIED, typed
    starts = [start_once(setup.server_env, launch) for _ in range(tries)]
    kept = [s for s in starts if not math.isnan(s.ready)]
    report.add(
        Figure(
            name,
            "every try",
            f"{len(kept)}/{tries}",
            f"search applied at {ms(median(readies(starts)))} (median of kept)",
            "“1 of N therapies” on screen",
            len(kept) == tries,
        )
    )


def bench_size(report: Report, setup: Setup, rows: Rows, size: int, runs: int) -> None:
    """Figures 3 and 4 at one size: warm and cold starts, peak memory, the loop's stalls."""
    hello = setup.hello()
    warm = setup.app("warm", rows.words, rows.paint)
    cold = setup.app("cold", rows.words, rows.paint, REGEN_COMPARE_NO_CACHE="1")
    vd = setup.visidata(rows.csv, rows.paint)
    launches = [hello, warm, cold, *([vd] if vd else [])]
    print(f"{size:,} therapies: {runs} rounds of {len(launches)}", file=sys.stderr)
    got = rotation(setup.server_env, launches, runs)
    h = median(readies(got[hello.name]))
    w, c = median(readies(got[warm.name])), median(readies(got[cold.name]))
    target = {1000: 2.0}.get(size)
    vd_text = f"; VisiData {ms(median(readies(got[vd.name])))}" if vd else ""
    report.add(
        Figure(
            f"3. time to interactive, {size:,} therapies, warm cache (rows shown, key answered)",
            f"≤ {target:g}×" if target else "report",
            times(ratio(w, h)),
            f"{ms(w)} vs {ms(h)} (app {spread(readies(got[warm.name]))}); "
            f"{per_round(got[warm.name], got[hello.name])}{vd_text}; "
            f"first paint {ms(median(paints(got[warm.name])))}",
            ONE_LABEL,
            (not math.isnan(ratio(w, h)) and ratio(w, h) <= target) if target else None,
        )
    )
    report.add(
        Figure(
            f"4. time to interactive, {size:,} therapies, cold (REGEN_COMPARE_NO_CACHE=1)",
            "report",
            times(ratio(c, h)),
            f"{ms(c)} vs {ms(h)} (app {spread(readies(got[cold.name]))}); "
            f"{per_round(got[cold.name], got[hello.name])}; "
            f"first paint {ms(median(paints(got[cold.name])))}",
            ONE_LABEL,
        )
    )
    peaks = {
        "warm": peak_memory(setup, warm, setup.work / "rss-warm.json"),
        "cold": peak_memory(setup, cold, setup.work / "rss-cold.json"),
        "one-label": peak_memory(setup, hello, setup.work / "rss-hello.json"),
    }
    peak = max(peaks["warm"], peaks["cold"])
    limit = 128 if size >= 10000 else None
    report.add(
        Figure(
            f"4. peak memory, {size:,} therapies (ru_maxrss of the app process)",
            f"≤ {limit} MB" if limit else "report",
            f"{peak:.0f} MB",
            f"warm {peaks['warm']:.0f} MB, cold {peaks['cold']:.0f} MB; started, used, quit",
            f"one-label app {peaks['one-label']:.0f} MB",
            (peak <= limit) if limit else None,
        )
    )
    stalls = [
        loop_stall(setup, rows.words, rows.paint, setup.work / f"beat-{i}.json")
        for i in range(max(2, runs))
    ]
    gaps = [s["max_gap"] for s in stalls if s.get("max_gap") is not None]
    others = [s["max_gap_other"] for s in stalls if s.get("max_gap_other") is not None]
    worst, worst_other = max(gaps, default=math.nan), max(others, default=math.nan)
    keys = collections.Counter(s.get("after_key") or "none" for s in stalls if s.get("max_gap"))
    after = ", ".join(f"{k} ×{n}" for k, n in keys.most_common())
    other = max(stalls, key=lambda s: s.get("max_gap_other") or 0.0)
    limit_ms = 0.100 if size >= 10000 else None
    report.add(
        Figure(
            f"4. longest event-loop stall after the first frame, {size:,} therapies, warm",
            "≤ 100 ms" if limit_ms else "report",
            ms(worst),
            f"median of starts {ms(median(gaps))}, n={len(gaps)}; each start's longest came "
            f"after key: {after}; the longest after any other key {ms(worst_other)} "
            f"({other.get('other_after_key') or 'no key'}, "
            f"{ms(other.get('other_at', math.nan))} after the first frame)",
            "10 ms heartbeat, real terminal; palette, search, sort, cursor",
            (worst <= limit_ms) if limit_ms and gaps else None,
        )
    )
    if size >= 1000:
        typeahead(
            report,
            setup,
            rows,
            f"2. type-ahead at {size:,} therapies: one therapy's name sent right after launch",
            typed="/" + rows.unique.casefold(),
            tries=max(2, runs),
        )


def bench_keystrokes(report: Report, data: dict[int, Path], runs: int) -> None:
    """Figure 5: keystroke → frame, headless, in a fresh process per size."""
    for size, path in sorted(data.items()):
        print(f"keystrokes, {size:,} therapies", file=sys.stderr)
        done = subprocess.run(
            [PYTHON, str(HERE / "keystrokes.py"), str(path), str(runs)],
            capture_output=True,
            text=True,
            check=True,
        )
        got = json.loads(done.stdout.strip().splitlines()[-1])
        filters, sorts = got["filter"], got["sort"]
        target = {1000: 0.017, 10000: 0.025}.get(size)
        report.add(
            Figure(
                f"5. filter keystroke → frame, {size:,} therapies",
                f"≤ {ms(target)}" if target else "report",
                ms(median(filters)),
                f"p95 {ms(p95(filters))}, n={len(filters)}",
                "headless, in-process",
                median(filters) <= target if target else None,
            )
        )
        report.add(
            Figure(
                f"5. sort a column → frame, {size:,} therapies",
                "report",
                ms(median(sorts)),
                f"p95 {ms(p95(sorts))}, n={len(sorts)}",
                "headless, in-process",
            )
        )


def whole_process(argv: list[str], env: dict[str, str]) -> Callable[[], float]:
    def measure() -> float:
        start = time.perf_counter()
        subprocess.run(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        return time.perf_counter() - start

    return measure


def bench_cli(report: Report, setup: Setup, runs: int) -> None:
    """Figure 6: a scriptable command, whole process, beside importing what it needs."""
    env = {**setup.server_env, "REGEN_COMPARE_CACHE": str(setup.work / "cache")}
    command = whole_process([*setup.regen, "list", "--format", "json"], env)
    # What a listing from a warm cache needs to import: Rich (pydantic only validates data
    # read from TOML, and the warm-up below filled the cache).
    imports = whole_process([PYTHON, "-c", "import rich.console"], env)
    a_values, b_values = [], []
    command(), imports()  # warm-up
    for _ in range(max(3, runs)):
        a_values.append(command())
        b_values.append(imports())
    probe = subprocess.run(
        [PYTHON, "-X", "importtime", "-m", "regen_compare", "list", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.split("|")[-1].strip().split(".")[0] for line in probe.stderr.splitlines()}
    loaded = [name.capitalize() for name in ("textual", "pydantic") if name in imported]
    said = " and ".join(loaded) + " imported" if loaded else "Textual and pydantic not imported"
    a, b = median(a_values), median(b_values)
    report.add(
        Figure(
            "6. `list --format json`, bundled data, whole process",
            "report",
            times(ratio(a, b)),
            f"{ms(a)} vs {ms(b)}; {said}",
            '`python -c "import rich.console"`',
        )
    )


# --- the run --------------------------------------------------------------------------------


def compile_like_an_install() -> None:
    """Write the package's bytecode before anything is timed, as `pip install` does: an
    editable checkout (or PYTHONDONTWRITEBYTECODE=1, which CI sets) would otherwise make
    every start compile our modules from source while Textual's load from bytecode."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("regen_compare")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)
    compileall.compile_dir(str(HERE), quiet=1, maxlevels=0)


def clean_env() -> dict[str, str]:
    """This environment without what would change how the programs start."""
    drop = ("REGEN_COMPARE_", "TEXTUAL", "NO_COLOR", "TMUX", "PYTHONDONTWRITEBYTECODE", "XDG_")
    return {k: v for k, v in os.environ.items() if not k.startswith(drop)}


def tmux_version() -> str:
    done = subprocess.run(["tmux", "-V"], capture_output=True, text=True, check=False)
    return done.stdout.split()[-1] if done.stdout.split() else "?"


def header(args: argparse.Namespace, load: tuple[float, float]) -> str:
    import textual

    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, Textual {textual.__version__}, tmux "
        f"{tmux_version()}; "
        f"commit {commit or '?'}; load average {load[0]:.2f} at start, {load[1]:.2f} at end; "
        f"`python bench/run.py --sizes {args.sizes} --runs {args.runs}`\n\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="100,1000,10000", help="therapy counts (default 100,1000,10000)"
    )
    parser.add_argument("--payers", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5, help="rounds per figure (default 5)")
    parser.add_argument("--out", type=Path, help="also write the Markdown table to this file")
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        parser.error("tmux is needed: every start is timed in a real terminal")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    began = time.perf_counter()
    load_start = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="rc-bench-"))
    env = clean_env()
    setup = Setup(work, env, regen_command(), visidata())
    try:
        compile_like_an_install()
        print(f"generating data sets {sizes} with {args.payers} payers…", file=sys.stderr)
        data = {n: write_synthetic(work / f"data-{n}", n, args.payers) for n in sizes}
        report = Report()
        bundled = rows_of(setup, [], work / "bundled.csv", "cyclobenz")
        bench_bundled(report, setup, bundled, args.runs)
        for size, path in sorted(data.items()):
            rows = rows_of(setup, ["--data-dir", str(path)], work / f"rows-{size}.csv", None)
            bench_size(report, setup, rows, size, args.runs)
        bench_keystrokes(report, data, max(1, args.runs // 2))
        bench_cli(report, setup, args.runs)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    table = header(args, (load_start, os.getloadavg()[0])) + report.markdown()
    print(table)
    print(f"(bench took {time.perf_counter() - began:.0f} s)", file=sys.stderr)
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
