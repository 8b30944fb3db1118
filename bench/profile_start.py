"""Where a start's milliseconds go: regen-compare (bundled data, warm cache) beside the
one-label app, each started in tmux 120×40 and timed until ctrl+p has opened the palette.

    python bench/profile_start.py [--runs 5] [--pyinstrument FILE [--from WHEN]]
                                  [--importtime FILE] [ARGS]

ARGS go to regen-compare (e.g. `--data-dir DIR`). Each start runs this file as the program
(`child` mode below), which marks the wall clock at each stage of the command line's own start
path (the same calls as `regen-compare`, in the same order) and adds up the time spent in a
few of Textual's steps (CSS, layout and compositing, writing frames). It stops at the frame in
which the palette is laid out ("Search for commands" on screen: the frames before it show the
palette's screen with its input not yet laid out). Prints a table of stage medians, ms from
the launch (the harness's clock, passed in BENCH_T0; tmux's own start of the window is in the
first stage). With --pyinstrument, one more start of each is profiled (pip install
pyinstrument) and the text report written to FILE (FILE.hello for the one-label app), from
the process's start or, with `--from 'first frame'` or `--from ctrl+p`, from that moment; with
--importtime, one start's `python -X importtime` log is summed by package.
Marks come from wrapping functions here, in the benchmark: the app holds no benchmark code.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import shutil
import statistics
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
T0 = "BENCH_T0"
"""The launch's wall-clock time, set by the harness just before the terminal starts us."""


class Marks:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.t0 = float(os.environ.get(T0, time.time()))
        self.marks: list[tuple[str, float]] = []
        self.spent: dict[str, float] = {}
        self.profiler: Any = None
        self.written = False
        self.frames: list[tuple[str, float]] = []

    def mark(self, name: str) -> None:
        self.marks.append((name, time.time() - self.t0))

    def once(self, name: str) -> None:
        if all(n != name for n, _ in self.marks):
            self.mark(name)

    def add_up(self, owner: Any, attribute: str, bucket: str) -> None:
        """Add the time spent in `owner.attribute` (not counting nested calls twice)."""
        original = getattr(owner, attribute)
        depth = [0]

        @functools.wraps(original)
        def timed(*args: Any, **kwargs: Any) -> Any:
            depth[0] += 1
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                depth[0] -= 1
                if depth[0] == 0:
                    elapsed = time.perf_counter() - start
                    self.spent[bucket] = self.spent.get(bucket, 0.0) + elapsed

        setattr(owner, attribute, timed)

    def start_profiler(self) -> None:
        from pyinstrument import Profiler

        self.profiler = Profiler(interval=0.0005)
        self.profiler.start()

    def write(self) -> None:
        self.written = True
        if self.profiler is not None:
            self.profiler.stop()
            path = os.environ.get("BENCH_PYINSTRUMENT")
            if path:
                # BENCH_SHOW_ALL=1: Textual's and Rich's frames too (which widget renders).
                every_frame = bool(os.environ.get("BENCH_SHOW_ALL"))
                report = self.profiler.output_text(unicode=False, show_all=every_frame)
                Path(path).write_text(report, encoding="utf-8")
        data = {"marks": self.marks, "spent": self.spent, "frames": self.frames}
        self.out.write_text(json.dumps(data), encoding="utf-8")


def instrument_textual(m: Marks, app_class: type[Any]) -> type[Any]:
    """Add-ups for CSS, layout and frames; marks for the first frame and the palette."""
    from textual.command import CommandInput, CommandPalette
    from textual.css.stylesheet import Stylesheet
    from textual.screen import Screen

    m.add_up(Stylesheet, "parse", "CSS parse")
    m.add_up(Stylesheet, "reparse", "CSS parse")
    m.add_up(Stylesheet, "apply", "CSS apply")
    m.add_up(Stylesheet, "update_nodes", "CSS apply")
    m.add_up(Screen, "_refresh_layout", "layout + compositing")
    m.add_up(app_class, "_display", "frames: render + write")

    class Probe(app_class):  # type: ignore[misc,valid-type]
        def post_display_hook(self) -> None:
            screen = self.screen
            m.frames.append((type(screen).__name__, time.time() - m.t0))
            m.once("first frame written")
            if m.profiler is None and os.environ.get("BENCH_PYINSTRUMENT_FROM") == "first frame":
                m.start_profiler()
            if isinstance(screen, CommandPalette) and not m.written:
                m.once("palette pushed: its first frame (not laid out yet)")
                if screen.query_one(CommandInput).region.area:
                    m.mark("palette laid out: 'Search for commands' on screen")
                    m.mark(f"({len(m.frames)} frames written)")
                    m.write()
                    if os.environ.get("BENCH_STAY"):  # stay a moment (to be seen)
                        self.set_timer(1.0, self.exit)
                    else:
                        self.exit()
            super().post_display_hook()

        def action_command_palette(self) -> None:
            m.once("ctrl+p handled")
            if m.profiler is None and os.environ.get("BENCH_PYINSTRUMENT_FROM") == "ctrl+p":
                m.start_profiler()
            super().action_command_palette()

    return Probe


def child(argv: list[str]) -> int:
    m = Marks(Path(argv[0]))
    if os.environ.get("BENCH_PYINSTRUMENT") and not os.environ.get("BENCH_PYINSTRUMENT_FROM"):
        m.start_profiler()
    m.mark("python started (interpreter, site)")
    which, words = argv[1], argv[2:]
    if which == "hello":
        sys.path.insert(0, str(HERE))
        from hello_app import Hello

        m.mark("imports (Textual)")
        app = instrument_textual(m, Hello)()
        m.mark("app built")
    else:
        app = regen_app(m, words)
    m.mark("app.run()")
    app.run()
    if not m.written:
        m.write()
    return 0


def regen_app(m: Marks, words: list[str]) -> Any:
    """The app as `regen-compare` builds it (`cli.main` → `cli.launch.cmd_tui`), marked."""
    import regen_compare.cli.main  # noqa: F401  (what the console script imports)
    from regen_compare.data import gcpause

    gcpause.hold_for_start()  # as `cli.main.main` does first (the app ends it: first frame)
    m.mark("imports: command line entry (cli.main)")
    from regen_compare.cli.parser import build_parser

    args = build_parser().parse_args(words)
    m.mark("arguments parsed (parser and the model/engine it takes choices from)")
    from regen_compare.cli import launch

    m.mark("imports: loader, checks, scenarios (pydantic)")
    real_load = launch.load_result

    def load_result(*a: Any, **k: Any) -> Any:
        result = real_load(*a, **k)
        m.mark("data loaded and checked (warm cache)")
        return result

    launch.load_result = load_result  # type: ignore[assignment]
    start = launch.start_arguments(args)
    m.mark("options checked against the data")
    from regen_compare.tui import app as app_module

    m.mark("imports: the app (Textual, app.py)")
    from regen_compare.tui.screens.main import MainScreen
    from regen_compare.tui.widgets.footer import AppFooter

    m.mark("imports: main screen, its widgets (Textual widgets)")
    probe = instrument_textual(m, app_module.RegenCompareApp)
    probe.CSS_PATH = str(Path(app_module.__file__).parent / "app.tcss")
    real_begin = app_module.RegenCompareApp._begin
    real_first = app_module.RegenCompareApp._first_load

    def begin(self: Any, *a: Any, **k: Any) -> None:
        m.mark("Textual App.__init__, themes")
        real_begin(self, *a, **k)

    def first_load(self: Any, result: Any) -> None:
        m.mark("consult and view built (their imports)")
        real_first(self, result)
        m.mark("pricing before the first frame (regions, rows, cells)")

    app_module.RegenCompareApp._begin = begin  # type: ignore[method-assign]
    app_module.RegenCompareApp._first_load = first_load  # type: ignore[method-assign]
    real_compose = MainScreen.compose

    def compose(self: Any) -> Any:
        m.mark("Textual start: CSS read, driver, app mount")
        yield from real_compose(self)
        m.mark("main screen composed (widgets built)")

    MainScreen.compose = compose  # type: ignore[method-assign]
    real_mount = MainScreen.on_mount

    def on_mount(self: Any) -> None:
        m.mark("widgets mounted (styles applied)")
        real_mount(self)
        m.mark("main screen on_mount (table filled, focus)")

    MainScreen.on_mount = on_mount  # type: ignore[method-assign]
    real_recompose = AppFooter.recompose

    async def recompose(self: Any) -> None:
        await real_recompose(self)
        m.once("footer keys built (after the focus)")

    AppFooter.recompose = recompose  # type: ignore[method-assign]

    class Marked(probe):  # type: ignore[misc,valid-type]
        def on_main_screen_keys_ready(self) -> None:  # before the app's own (not super)
            m.once("held keys replayed (KeysReady)")

    return Marked(**start)


# --- the harness ----------------------------------------------------------------------------


def once(
    which: str,
    words: list[str],
    work: Path,
    env_extra: dict[str, str] | None = None,
    *,
    python_flags: tuple[str, ...] = (),
    stderr: Path | None = None,
) -> dict[str, Any]:
    """One start in a fresh tmux terminal, ctrl+p sent every 100 ms until it has written its
    marks (once the palette's frame is written)."""
    import shlex

    from run import PYTHON, Terminal, clean_env

    out = work / f"{which}.json"
    out.unlink(missing_ok=True)
    env = {
        "HOME": str(work / f"home-{which}"),
        "REGEN_COMPARE_CACHE": str(work / "cache"),
        **(env_extra or {}),
    }
    command = [PYTHON, *python_flags, str(HERE / "profile_start.py"), "child", str(out), which]
    with Terminal(clean_env()) as term:
        env[T0] = repr(time.time())
        line = shlex.join(["env", *(f"{k}={v}" for k, v in env.items()), *command, *words])
        if stderr is not None:
            line += " 2>" + shlex.quote(str(stderr))
        term.start(line)
        started = time.perf_counter()
        while not out.exists() and time.perf_counter() - started < 60:
            term.keys("C-p")
            time.sleep(0.1)
        time.sleep(0.1)
    return dict(json.loads(out.read_text(encoding="utf-8")))


def table(results: dict[str, list[dict[str, Any]]]) -> str:
    """Each stage's median time from launch, in order, and the median's step from the one
    before (stages that come in either order, like the footer, are placed by their median)."""
    lines = []
    for which, runs in results.items():
        lines.append(f"\n{which}, median of {len(runs)} starts: ms from launch, the stage's own ms")
        names = list(dict.fromkeys(n for r in runs for n, _ in r["marks"]))
        notes = [n for n in names if n.startswith("(")]
        at = {
            n: statistics.median(dict(r["marks"])[n] for r in runs if n in dict(r["marks"]))
            for n in names
            if n not in notes
        }
        previous = 0.0
        for name, when in sorted(at.items(), key=lambda kv: kv[1]):
            lines.append(f"  {when * 1000:7.0f}  {(when - previous) * 1000:6.0f}  {name}")
            previous = when
        lines += [f"  {n}" for n in notes[:1]]
        buckets = sorted({b for r in runs for b in r["spent"]})
        for bucket in buckets:
            spent = statistics.median(r["spent"].get(bucket, 0.0) for r in runs)
            lines.append(f"     total in {bucket}: {spent * 1000:.0f} ms")
    return "\n".join(lines)


def importtime(log: str) -> str:
    """`python -X importtime` output: self time summed by top-level package (ours: by
    sub-package)."""
    by_package: dict[str, int] = {}
    for line in log.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line.removeprefix("import time:").split("|", 2)
        parts = name.strip().split(".")
        package = ".".join(parts[:2]) if parts[0] == "regen_compare" else parts[0]
        by_package[package] = by_package.get(package, 0) + int(own)
    rows = sorted(by_package.items(), key=lambda kv: -kv[1])[:20]
    out = ["imports, self time by top-level package (ours: by sub-package), ms:"]
    out += [f"  {us / 1000:7.1f}  {name}" for name, us in rows]
    out.append(f"  {sum(by_package.values()) / 1000:7.1f}  (all)")
    return "\n".join(out)


def main(argv: list[str]) -> int:
    if argv and argv[0] == "child":
        return child(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pyinstrument", type=Path)
    parser.add_argument("--from", dest="since", choices=("start", "first frame", "ctrl+p"))
    parser.add_argument("--importtime", type=Path)
    args, words = parser.parse_known_args(argv)
    sys.path.insert(0, str(HERE))
    import tempfile

    work = Path(tempfile.mkdtemp(prefix="rc-profile-"))
    results: dict[str, list[dict[str, Any]]] = {"regen-compare": [], "one-label app": []}
    for round_ in range(args.runs + 1):  # the first round warms the cache and bytecode
        regen = once("regen", words, work, {})
        hello = once("hello", [], work, {})
        if round_:
            results["regen-compare"].append(regen)
            results["one-label app"].append(hello)
    if args.runs:
        print(table(results))
    if args.pyinstrument:
        hello_path = Path(f"{args.pyinstrument}.hello")
        for which, path in (("regen", args.pyinstrument), ("hello", hello_path)):
            env = {"BENCH_PYINSTRUMENT": str(path)}
            if args.since not in (None, "start"):
                env["BENCH_PYINSTRUMENT_FROM"] = args.since
            once(which, words if which == "regen" else [], work, env)
            print(f"pyinstrument report: {path}")
    if args.importtime:
        for which in ("regen", "hello"):
            log = work / f"importtime-{which}.txt"
            once(
                which,
                words if which == "regen" else [],
                work,
                python_flags=("-X", "importtime"),
                stderr=log,
            )
            text = log.read_text(encoding="utf-8")
            Path(f"{args.importtime}.{which}").write_text(text, encoding="utf-8")
            print(f"\n{which}: " + importtime(text))
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
