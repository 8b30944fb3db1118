"""regen-compare performance benchmark: every figure as a ratio to a reference measured
side by side in the same run (A and B alternate; medians of several runs).

    python bench/run.py                       # sizes 100, 1,000 and 10,000 therapies
    python bench/run.py --sizes 100 --runs 3  # what CI runs to keep this script working

Data sets are synthetic but in the real format (bench/synth.py), deterministic, with 50
payers. Start-up is measured in a real pseudo-terminal (120×40), two ways: until the table's
first name (the reference: its label) has been written to the terminal, whoever wrote it (a
painted first frame, `regen_compare.painted_frame`, is written before Textual starts); and
until Textual itself wrote its first frame with the table (the app records the moment,
REGEN_COMPARE_BENCH_FIRST_FRAME through bench/app_probe.py, and exits), which is also how
"until the live screen" and the cold starts are timed.
Results go to stdout as a Markdown table. No test asserts on these timings.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import itertools
import json
import os
import platform
import pty
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from synth import write as write_synthetic  # noqa: E402

PYTHON = sys.executable
HELLO = [PYTHON, str(HERE / "hello_app.py")]
APP = [PYTHON, str(HERE / "app_probe.py")]
"""The app as `python -m regen_compare` starts it, with the first-frame probe (app_probe.py)."""
PLAIN = [PYTHON, "-m", "regen_compare"]
"""The app itself: timed by what reaches the terminal (`first_text`)."""
SIZE = (120, 40)


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
        for f in self.figures:
            met = {True: "yes", False: "**no**", None: "—"}[f.met]
            lines.append(
                f"| {f.name} | {f.target} | {f.value} | {f.detail} | {f.reference} | {met} |"
            )
        return "\n".join(lines) + "\n"


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


# --- processes in a real pseudo-terminal --------------------------------------------------


@dataclass
class PtyRun:
    wall: float
    first_frame: float | None
    maxrss_mb: float
    screen: str | None = None
    """Which screen the probe saw first (`FirstFrameScreen`: a remembered first frame)."""


def run_in_pty(argv: list[str], env: dict[str, str], timeout: float = 120.0) -> PtyRun:
    """Run `argv` attached to a new pty; return wall time, time to first frame and peak RSS."""
    fd, marker_name = tempfile.mkstemp(suffix=".jsonl")
    os.close(fd)
    child_env = {
        **env,
        "REGEN_COMPARE_BENCH_FIRST_FRAME": marker_name,
        "TERM": "xterm-256color",
        "COLUMNS": str(SIZE[0]),
        "LINES": str(SIZE[1]),
    }
    start = time.time()
    pid, master = pty.fork()
    if pid == 0:  # child: size the terminal, then become the program
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        os.execvpe(argv[0], argv, child_env)
    deadline = start + timeout
    try:
        while True:
            remaining = deadline - time.time()
            if remaining <= 0:
                os.kill(pid, 9)
                raise TimeoutError(f"{argv} did not finish in {timeout} s")
            ready, _, _ = select.select([master], [], [], min(remaining, 0.5))
            if ready:
                try:
                    if not os.read(master, 65536):
                        break
                except OSError:
                    break
    finally:
        _, status, usage = os.wait4(pid, 0)
        os.close(master)
    wall = time.time() - start
    first = None
    screen = None
    with open(marker_name, encoding="utf-8") as handle:
        lines = [json.loads(line) for line in handle if line.strip()]
    os.unlink(marker_name)
    if lines:
        first = lines[0]["first_frame"] - start
        screen = lines[0].get("screen")
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} exited with {os.waitstatus_to_exitcode(status)}")
    return PtyRun(wall, first, usage.ru_maxrss / 1024, screen)


def paired(a: Callable[[], float], b: Callable[[], float], runs: int) -> tuple[float, float, float]:
    """Alternate A and B; return (median A, median B, median of the per-pair ratios)."""
    a_values, b_values, ratios = [], [], []
    a(), b()  # warm-up: file caches, bytecode
    for _ in range(runs):
        x, y = a(), b()
        a_values.append(x)
        b_values.append(y)
        ratios.append(x / y)
    return median(a_values), median(b_values), median(ratios)


def first_frame(argv: list[str], env: dict[str, str]) -> Callable[[], float]:
    def measure() -> float:
        run = run_in_pty(argv, env)
        if run.first_frame is None:
            raise RuntimeError(f"{argv} never reported a first frame")
        return run.first_frame

    return measure


def whole_process(argv: list[str], env: dict[str, str]) -> Callable[[], float]:
    def measure() -> float:
        start = time.perf_counter()
        subprocess.run(
            argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True
        )
        return time.perf_counter() - start

    return measure


# --- the figures ----------------------------------------------------------------------------


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


LIVE = {"REGEN_COMPARE_BENCH_UNTIL": "live"}
"""The probe waits for the live main screen with the data loaded (see app_probe.py)."""


def remembered(argv: list[str], env: dict[str, str]) -> str:
    """Whether this start's first frame is a remembered one (after a run that records it)."""
    screen = run_in_pty(argv, env).screen
    return "remembered frame" if screen == "FirstFrameScreen" else f"no record ({screen})"


def prepare_painted(probe: list[str], env: dict[str, str]) -> None:
    """Two starts that stay until they have written what they keep: the first records its
    first frame, the second (remembered) keeps the characters Textual wrote for it; the
    next identical start in this terminal size paints them (`regen_compare.painted_frame`)."""
    run_in_pty(probe, env)
    run_in_pty(probe, env)


def without_probe(env: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in env.items() if not k.startswith("REGEN_COMPARE_BENCH")}


def on_terminal(argv: list[str], env: dict[str, str], text: str) -> Callable[[], float]:
    return lambda: first_text(argv, without_probe(env), text)


def first_name(env: dict[str, str], data_dir: Path | None = None) -> str:
    """The first word of the first therapy's name: what the first row of the table shows."""
    words = ["--data-dir", str(data_dir)] if data_dir else []
    listing = subprocess.run(
        [*PLAIN, "list", "--format", "csv", *words],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return listing.splitlines()[1].split(",")[1].split(" ")[0]


def painted(argv: list[str], env: dict[str, str], text: str | None = None) -> str:
    """Whether this start painted its first frame before Textual started."""
    from regen_compare.painted_frame import ENTER

    _, seen = watch(argv, without_probe(env), text or first_name(env))
    return "painted frame" if seen.startswith(ENTER.encode()) else "not painted"


def bench_bundled_start(
    report: Report,
    env: dict[str, str],
    runs: int,
    hello: Callable[[], float],
    hello_text: Callable[[], float],
) -> None:
    """The bundled data: on the terminal (painted), Textual's own frame, the live screen."""
    prepare_painted(APP, env)
    a, b, ratio = paired(on_terminal(PLAIN, env, first_name(env)), hello_text, runs)
    report.add(
        Figure(
            "first frame with the table on the terminal, bundled data, warm (pty 120×40)",
            "≤ 1.25×",
            f"{ratio:.2f}×",
            f"{ms(a)} vs {ms(b)}; {painted(PLAIN, env)}",
            "minimal Textual app, one label, to its label on the terminal",
            ratio <= 1.25,
        )
    )
    a, b, ratio = paired(first_frame(APP, env), hello, runs)
    report.add(
        Figure(
            "same, Textual's own first frame (painted or not: Textual has drawn the table)",
            "—",
            f"{ratio:.2f}×",
            f"{ms(a)} vs {ms(b)}; {remembered(APP, env)}",
            "minimal Textual app, one label",
        )
    )
    a, b, ratio = paired(first_frame(APP, {**env, **LIVE}), hello, max(2, runs // 2))
    report.add(
        Figure(
            "same, until the live screen shows the data (every key works; with regions.toml)",
            "—",
            f"{ratio:.2f}×",
            f"{ms(a)} vs {ms(b)}",
            "minimal Textual app",
        )
    )


def bench_startup(report: Report, env: dict[str, str], runs: int, data: dict[int, Path]) -> None:
    hello = first_frame(HELLO, env)
    hello_text = on_terminal(HELLO, env, "Hello")
    bench_bundled_start(report, env, runs, hello, hello_text)
    bench_visidata(report, env, runs)
    targets = {1000: 1.4, 10000: 1.6}
    for size, path in sorted(data.items()):
        app = [*APP, "--data-dir", str(path)]
        run_in_pty(app, {**env, **LIVE})  # fills the cache and records the first frame
        prepare_painted(app, env)
        plain = [*PLAIN, "--data-dir", str(path)]
        needle = first_name(env, path)
        a, b, ratio = paired(on_terminal(plain, env, needle), hello_text, runs)
        target = targets.get(size)
        report.add(
            Figure(
                f"same, {size:,} therapies, warm",
                f"≤ {target}×" if target else "—",
                f"{ratio:.2f}×",
                f"{ms(a)} vs {ms(b)}; {painted(plain, env, needle)}",
                "minimal Textual app, to its label on the terminal",
                ratio <= target if target else None,
            )
        )
        a, b, ratio = paired(first_frame(app, env), hello, max(2, runs // 2))
        report.add(
            Figure(
                f"same, {size:,} therapies, warm, Textual's own first frame",
                "—",
                f"{ratio:.2f}×",
                f"{ms(a)} vs {ms(b)}; {remembered(app, env)}",
                "minimal Textual app",
            )
        )
        a, b, ratio = paired(first_frame(app, {**env, **LIVE}), hello, max(2, runs // 2))
        report.add(
            Figure(
                f"same, {size:,} therapies, warm, until the live screen shows the data",
                "—",
                f"{ratio:.2f}×",
                f"{ms(a)} vs {ms(b)}",
                "minimal Textual app",
            )
        )
        if size >= 10000 or size == max(data):
            cold_env = {**env, "REGEN_COMPARE_NO_CACHE": "1"}
            a, b, ratio = paired(first_frame(app, cold_env), hello, max(2, runs // 2))
            target = 3.0 if size >= 10000 else None
            report.add(
                Figure(
                    f"same, {size:,} therapies, cold (no cache, no record)",
                    f"≤ {target}×" if target else "—",
                    f"{ratio:.2f}×",
                    f"{ms(a)} vs {ms(b)}",
                    "minimal Textual app",
                    ratio <= target if target else None,
                )
            )
        peak = max(
            run_in_pty(app, {**env, **LIVE}).maxrss_mb,
            run_in_pty(app, {**env, **LIVE, "REGEN_COMPARE_NO_CACHE": "1"}).maxrss_mb,
        )
        report.add(
            Figure(
                f"peak memory, {size:,} therapies (app in a pty, data loaded)",
                "≤ 128 MB" if size >= 10000 else "—",
                f"{peak:.0f} MB",
                "max of warm and cold runs, each until the live screen",
                "ru_maxrss",
                peak <= 128 if size >= 10000 else None,
            )
        )


def visidata() -> str | None:
    """VisiData's `vd`, next to this Python (the optional `bench` extra) or on PATH."""
    beside = Path(PYTHON).parent / "vd"
    return str(beside) if beside.exists() else shutil.which("vd")


def first_text(argv: list[str], env: dict[str, str], text: str) -> float:
    """Seconds from start until `text` has been written to the terminal (any program)."""
    return watch(argv, env, text)[0]


def watch(
    argv: list[str], env: dict[str, str], text: str, timeout: float = 60.0
) -> tuple[float, bytes]:
    """`first_text`, and what the program had written by then."""
    child_env = {**env, "TERM": "xterm-256color", "COLUMNS": str(SIZE[0]), "LINES": str(SIZE[1])}
    start = time.time()
    pid, master = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        os.execvpe(argv[0], argv, child_env)
    seen = b""
    needle = text.encode()
    try:
        while time.time() - start < timeout:
            ready, _, _ = select.select([master], [], [], 0.5)
            if not ready:
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk
            if needle in seen:
                return time.time() - start, seen
        raise RuntimeError(f"{argv[0]} never wrote {text!r}")
    finally:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(master)


def bench_visidata(report: Report, env: dict[str, str], runs: int) -> None:
    """VisiData opening a CSV of the same rows, against the app, both timed the same way:
    until the first therapy's name is on the terminal."""
    vd = visidata()
    if vd is None:
        print("  (VisiData not installed: pip install -e '.[bench]' to compare)", file=sys.stderr)
        return
    listing = subprocess.run(
        [*PLAIN, "list", "--format", "csv"], env=env, capture_output=True, text=True, check=True
    ).stdout
    first = first_name(env)
    with tempfile.TemporaryDirectory() as folder:
        csv_path = Path(folder) / "therapies.csv"
        csv_path.write_text(listing, encoding="utf-8")
        a, b, ratio = paired(
            on_terminal(PLAIN, env, first),
            lambda: first_text([vd, str(csv_path)], env, first),
            runs,
        )
    report.add(
        Figure(
            "first therapy name on screen: regen-compare vs VisiData on a CSV of the same rows",
            "< 1.00×",
            f"{ratio:.2f}×",
            f"{ms(a)} vs {ms(b)}",
            "VisiData " + vd_version(vd),
            ratio < 1.0,
        )
    )


def vd_version(vd: str) -> str:
    done = subprocess.run([vd, "--version"], capture_output=True, text=True, check=False)
    return done.stdout.strip().split()[-1] if done.stdout.strip() else "?"


def bench_cli(report: Report, env: dict[str, str], runs: int) -> None:
    words = ["list", "--format", "json"]  # timed and probed as one command (not APP: Textual)
    a, b, ratio = paired(
        whole_process([*PLAIN, *words], env),
        whole_process([PYTHON, "-c", "import pydantic, rich.console"], env),
        runs,
    )
    probe = subprocess.run(
        [PYTHON, "-X", "importtime", *PLAIN[1:], *words],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    textual = any(
        line.split("|")[-1].strip().startswith("textual") for line in probe.stderr.splitlines()
    )
    report.add(
        Figure(
            "`list --format json`, bundled data (whole process)",
            "≤ 1.5×, no Textual",
            f"{ratio:.2f}×" + ("; Textual imported!" if textual else "; Textual not imported"),
            f"{ms(a)} vs {ms(b)}",
            '`python -c "import pydantic, rich.console"`',
            ratio <= 1.5 and not textual,
        )
    )


def bench_load(report: Report, runs: int, data: dict[int, Path]) -> None:
    import gc

    from regen_compare.data import reading as load_read
    from regen_compare.data.load import load_catalog

    size = max(data)
    path = data[size]

    def parse_only() -> float:
        start = time.perf_counter()
        for name in ("therapies.toml", "payers.toml"):
            load_read.toml_loads((path / name).read_text(encoding="utf-8"))
        return time.perf_counter() - start

    def load_cold() -> float:
        start = time.perf_counter()
        load_catalog(path)
        elapsed = time.perf_counter() - start
        gc.collect()
        return elapsed

    a, b, ratio = paired(load_cold, parse_only, runs)
    report.add(
        Figure(
            f"load + validate, {size:,} therapies",
            "≤ 1.2×",
            f"{ratio:.2f}×",
            f"{ms(a)} vs {ms(b)}",
            f"parse alone ({load_read.toml_parser().__name__})",
            ratio <= 1.2 if size >= 10000 else None,
        )
    )
    with tempfile.TemporaryDirectory() as cache_dir:
        os.environ["REGEN_COMPARE_CACHE"] = cache_dir
        try:
            load_catalog(path, use_cache=True)

            def load_warm() -> float:
                start = time.perf_counter()
                load_catalog(path, use_cache=True)
                elapsed = time.perf_counter() - start
                gc.collect()
                return elapsed

            a, b, ratio = paired(load_warm, parse_only, runs)
        finally:
            del os.environ["REGEN_COMPARE_CACHE"]
    report.add(
        Figure(
            f"load from a warm cache, {size:,} therapies",
            "≤ 0.07×",
            f"{ratio:.3f}×",
            f"{ms(a)} vs {ms(b)}",
            "parse alone",
            ratio <= 0.07 if size >= 10000 else None,
        )
    )


def bench_keystrokes(report: Report, runs: int, data: dict[int, Path]) -> None:
    """In-process, headless: key press → the first frame whose table holds the new rows."""
    from textual import events

    from regen_compare.engine.costs import Profile
    from regen_compare.engine.query import Filters
    from regen_compare.tui.app import make_app
    from regen_compare.tui.widgets.therapy_table import TherapyTable

    async def measure(path: Path) -> tuple[list[float], list[float]]:
        app = make_app(
            path,
            Profile(payer="payer-01", years=5),
            Filters(),
            watch_files=False,
            cursor_blink=False,
        )
        filter_times: list[float] = []
        sort_times: list[float] = []
        state = {"pressed": 0.0, "version": 0, "seen": 0, "frame": 0.0, "armed": 0.0}
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(600):
                await pilot.pause(0.05)
                table = app.screen.query_one(TherapyTable)
                if table.row_ids:
                    break
            table = app.screen.query_one(TherapyTable)
            original_set_data = table.set_data

            def counting_set_data(*args: object, **kwargs: object) -> None:
                state["version"] += 1
                original_set_data(*args, **kwargs)  # type: ignore[arg-type]

            table.set_data = counting_set_data  # type: ignore[method-assign]
            original_hook = app.post_display_hook

            def hook() -> None:
                if state["pressed"] and state["version"] > state["seen"] and not state["frame"]:
                    state["frame"] = time.perf_counter()
                original_hook()

            app.post_display_hook = hook  # type: ignore[method-assign]
            original_post = app.post_message

            def post_message(message: object) -> bool:
                # The clock starts when the key event is posted to the app, not when Pilot
                # begins (Pilot first waits for the screen to be idle).
                if isinstance(message, events.Key) and state["armed"]:
                    state["pressed"] = time.perf_counter()
                    state["armed"] = 0.0
                return original_post(message)  # type: ignore[arg-type]

            app.post_message = post_message  # type: ignore[method-assign]

            async def timed(key: str) -> float:
                state["seen"] = state["version"]
                state["frame"] = 0.0
                state["pressed"] = 0.0
                state["armed"] = 1.0
                await pilot.press(key)
                for _ in range(1000):
                    if state["frame"]:
                        break
                    await asyncio.sleep(0.001)  # not Pilot.pause: it queues work on every widget
                return state["frame"] - state["pressed"]

            await pilot.press("/")
            for _ in range(runs):
                for key in ("k", "n", "e", "e", "backspace", "backspace", "backspace", "backspace"):
                    filter_times.append(await timed(key))
            await pilot.press("escape")
            for _ in range(runs):
                for key in (
                    "3",
                    "3",
                    "1",
                    "1",
                ):  # sort by a money column, reverse, by name, reverse
                    sort_times.append(await timed(key))
        return filter_times, sort_times

    for size, path in sorted(data.items()):
        filter_times, sort_times = asyncio.run(measure(path))
        target = {1000: 0.017, 10000: 0.025}.get(size)
        report.add(
            Figure(
                f"filter keystroke → frame, {size:,} therapies",
                f"≤ {ms(target)}" if target else "—",
                ms(median(filter_times)),
                f"p95 {ms(p95(filter_times))}, n={len(filter_times)}",
                "headless, in-process",
                median(filter_times) <= target if target else None,
            )
        )
        target = 0.050 if size >= 10000 else None
        report.add(
            Figure(
                f"sort a column → frame, {size:,} therapies",
                "≤ 50 ms" if target else "—",
                ms(median(sort_times)),
                f"p95 {ms(p95(sort_times))}, n={len(sort_times)}",
                "headless, in-process",
                median(sort_times) <= target if target else None,
            )
        )


@dataclass
class Repricing:
    handed_to_frame: list[float] = field(default_factory=list)
    change_to_frame: list[float] = field(default_factory=list)
    loop_stall: list[float] = field(default_factory=list)
    off_loop: bool = True


async def _measure_repricing(path: Path, runs: int) -> Repricing:
    """Change the plan through the consult `runs` times (two plans in turn). Times: from the
    moment the pricing thread hands its rows to the event loop (`call_from_thread`; the
    change itself when pricing ran on the loop) to the next frame showing them; the longest
    gap between the ticks of a 10 ms heartbeat on the loop while the pricing ran."""
    import threading

    from regen_compare.engine.costs import Profile
    from regen_compare.engine.query import Filters
    from regen_compare.tui.app import make_app
    from regen_compare.tui.widgets.therapy_table import TherapyTable

    app = make_app(
        path, Profile(payer="payer-01", years=5), Filters(), watch_files=False, cursor_blink=False
    )
    out = Repricing()
    state = {"on": 0.0, "handed": 0.0, "frame": 0.0}
    beats: list[float] = []
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(600):
            await pilot.pause(0.05)
            if app.screen.query_one(TherapyTable).row_ids:
                break
        loop_thread = threading.get_ident()
        original_call = app.call_from_thread

        def call_from_thread(callback: Callable[..., object], *args: object) -> object:
            if state["on"] and not state["handed"] and threading.get_ident() != loop_thread:
                state["handed"] = time.perf_counter()
            return original_call(callback, *args)

        app.call_from_thread = call_from_thread  # type: ignore[method-assign,assignment]
        original_hook = app.post_display_hook

        def hook() -> None:
            if state["on"] and not state["frame"] and app.consult.pending is None:
                state["frame"] = time.perf_counter()
            original_hook()

        app.post_display_hook = hook  # type: ignore[method-assign]
        app.set_interval(0.01, lambda: beats.append(time.perf_counter()))
        for i in range(runs):
            await pilot.pause(0.2)
            beats.clear()
            state.update(handed=0.0, frame=0.0, on=time.perf_counter())
            app.consult.set_payer("payer-02" if i % 2 == 0 else "payer-01")
            out.off_loop = out.off_loop and app.consult.pending is not None
            for _ in range(30000):
                if state["frame"]:
                    break
                await asyncio.sleep(0.001)  # not Pilot.pause: it queues work on every widget
            start, frame = state["on"], state["frame"]
            ticks = [start, *(b for b in beats if b <= frame), frame]
            out.handed_to_frame.append(frame - (state["handed"] or start))
            out.change_to_frame.append(frame - start)
            out.loop_stall.append(max(b - a for a, b in itertools.pairwise(ticks)))
            state["on"] = 0.0
    return out


def bench_repricing(report: Report, runs: int, data: dict[int, Path]) -> None:
    """Changing the plan re-prices every therapy; at the largest size it must run off the
    event loop, and the frame with the new prices follow soon after they arrive."""
    size = max(data)
    result = asyncio.run(_measure_repricing(data[size], max(2, runs)))
    figure = result.handed_to_frame
    where = "priced off the loop" if result.off_loop else "priced on the loop"
    target = 0.050 if size >= 10000 else None
    report.add(
        Figure(
            f"change the plan: new prices handed to the loop → frame, {size:,} therapies",
            "≤ 50 ms, priced off the loop" if target else "—",
            ms(median(figure)),
            f"p95 {ms(p95(figure))}, n={len(figure)}; {where}; change → frame "
            f"{ms(median(result.change_to_frame))}; longest loop stall while pricing "
            f"{ms(median(result.loop_stall))} (median of runs)",
            "headless, in-process",
            median(figure) <= target and result.off_loop if target else None,
        )
    )


def compile_like_an_install() -> None:
    """Write the package's bytecode before anything is timed, as `pip install` does: an
    editable checkout (or PYTHONDONTWRITEBYTECODE=1, which CI sets) would otherwise make
    every run compile every module of ours from source, while Textual's and the reference
    app's modules load from the bytecode pip wrote."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("regen_compare")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)
    compileall.compile_dir(str(HERE), quiet=1, maxlevels=0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default="100,1000,10000",
        help="comma-separated therapy counts (default 100,1000,10000)",
    )
    parser.add_argument("--payers", type=int, default=50)
    parser.add_argument("--runs", type=int, default=7, help="pairs per figure (default 7)")
    parser.add_argument("--out", type=Path, help="also write the Markdown table to this file")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    work = Path(tempfile.mkdtemp(prefix="rc-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL_", "NO_COLOR"))}
    env["REGEN_COMPARE_CACHE"] = str(work / "cache")
    env.pop("REGEN_COMPARE_NO_CACHE", None)
    try:
        compile_like_an_install()
        print(f"generating data sets {sizes} with {args.payers} payers…", file=sys.stderr)
        data = {n: write_synthetic(work / f"data-{n}", n, args.payers) for n in sizes}
        report = Report()
        bench_startup(report, env, args.runs, data)
        bench_cli(report, env, args.runs)
        bench_load(report, args.runs, data)
        bench_keystrokes(report, max(1, args.runs // 2), data)
        bench_repricing(report, args.runs, data)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    header = (
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}; "
        f"`python bench/run.py --sizes {args.sizes} --runs {args.runs}`\n\n"
    )
    table = header + report.markdown()
    print(table)
    if args.out:
        args.out.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
