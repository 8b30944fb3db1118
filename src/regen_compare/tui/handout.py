"""Export and copy of the comparison: ask where, confirm an overwrite, write atomically.

Writes go through `atomic.write_atomic` like every other write: a link at the chosen path is
never followed (it is replaced itself, after asking), and a folder, FIFO or device there is
refused with a clear message before anything is asked.

Lives apart from the screens so the compare screen and the command palette share one flow.
`regen_compare.export` is imported only when used (it is not needed to browse).

In a browser (`regen-compare serve`, `app.is_web`) a file written on the server would land
on the wrong machine, so the handout is sent as a download (`App.deliver_text`) instead; the
dialog then asks only for a file name and the format.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from regen_compare.atomic import WriteError, check_target
from regen_compare.safe_text import display_safe
from regen_compare.tui.screens.dialogs import ConfirmDialog, ExportChoice, ExportDialog

if TYPE_CHECKING:
    from regen_compare.tui.app import RegenCompareApp

DEFAULT_PATH = "./regen-compare-handout.md"
DEFAULT_DOWNLOAD = "regen-compare-handout.md"
MIME = {"md": "text/markdown", "html": "text/html"}


def _ready(app: RegenCompareApp) -> bool:
    if app.catalog is None or not app.marked_rows():
        app.notify(
            "Nothing to export: mark therapies first (space, or u for usual care).",
            markup=False,
        )
        return False
    return True


def start_export(app: RegenCompareApp) -> None:
    if not _ready(app):
        return

    if app.is_web:
        start_download(app)
        return

    def chosen(choice: ExportChoice | None) -> None:
        if choice is None:
            return
        # What is at the path, judged without following a link: a folder, FIFO or device is
        # refused at once (never "Replace it?" first); a file or a link is replaced only
        # after asking, and a link is replaced itself, never what it points to.
        try:
            there = check_target(choice.path, overwrite=True)
        except WriteError as exc:
            app.notify(display_safe(str(exc), limit=300), severity="error", markup=False)
            return
        if there is None:
            write(app, choice, force=False)
            return
        shown = display_safe(str(choice.path), limit=200)
        if there == "link":
            question = (
                f"{shown} is a symbolic link. Replace the link itself with the handout? "
                "(What it points to is not changed.)"
            )
        else:
            question = f"{shown} already exists. Replace it?"

        def confirmed(ok: bool | None) -> None:
            if ok:
                write(app, choice, force=True)

        app.push_screen(ConfirmDialog(question), confirmed)

    app.push_screen(ExportDialog(DEFAULT_PATH), chosen)


def start_download(app: RegenCompareApp) -> None:
    """In a browser: ask for a file name and format, then send the handout as a download."""

    def chosen(choice: ExportChoice | None) -> None:
        if choice is not None:
            download(app, choice)

    app.push_screen(ExportDialog(DEFAULT_DOWNLOAD, download=True), chosen)


def download_name(path: Path, fmt: str) -> str:
    """Only a file name (no folders: the browser decides where), with the format's suffix."""
    suffix = ".html" if fmt == "html" else ".md"
    stem = Path(path.name).stem.strip(". ") or "regen-compare-handout"
    return stem + suffix


def download(app: RegenCompareApp, choice: ExportChoice) -> str | None:
    """Deliver the handout to the browser; a toast says so. Returns the file name."""
    if app.catalog is None:
        return None
    try:
        from regen_compare import export
    except ImportError:
        app.notify("Export is not available in this build.", severity="error", markup=False)
        return None
    text = export.render_handout(
        choice.fmt, app.marked_rows(), app.session.profile, app.catalog, today=app.today
    )
    name = download_name(choice.path, choice.fmt)
    app.deliver_text(
        io.StringIO(text),
        save_filename=name,
        open_method="download",
        encoding="utf-8",
        mime_type=MIME[choice.fmt],
    )
    app.notify(
        f"Handout sent to your browser as a download: {display_safe(name)} "
        "(nothing was written on the server).",
        markup=False,
    )
    return name


def write(app: RegenCompareApp, choice: ExportChoice, *, force: bool) -> Path | None:
    """Write the handout; a toast says where it went (or why it did not)."""
    if app.catalog is None:
        return None
    try:
        from regen_compare import export
    except ImportError:
        app.notify("Export is not available in this build.", severity="error", markup=False)
        return None
    try:
        written = export.write_handout(
            choice.path,
            choice.fmt,
            app.marked_rows(),
            app.session.profile,
            app.catalog,
            today=app.today,
            force=force,
        )
    except WriteError as exc:
        app.notify(display_safe(str(exc), limit=300), severity="error", markup=False)
        return None
    app.notify(f"Handout saved to {display_safe(str(Path(written).absolute()))}", markup=False)
    return Path(written)


def copy_markdown(app: RegenCompareApp) -> None:
    """Put the comparison on the clipboard as Markdown (OSC 52 and the app's own clipboard)."""
    if not _ready(app) or app.catalog is None:
        return
    try:
        from regen_compare import export
    except ImportError:
        app.notify("Copy is not available in this build.", severity="error", markup=False)
        return
    rows = app.marked_rows()
    text = export.render_handout("md", rows, app.session.profile, app.catalog, today=app.today)
    app.copy_to_clipboard(text)
    noun = "therapy" if len(rows) == 1 else "therapies"
    app.notify(f"Copied the comparison of {len(rows)} {noun} as Markdown.", markup=False)
