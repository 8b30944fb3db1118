"""Export and copy of the comparison: ask where, confirm an overwrite, write atomically.

Writes go through `atomic.write_atomic` like every other write: a link at the chosen path is
never followed (it is replaced itself, after asking), and a folder, FIFO or device there is
refused with a clear message before anything is asked.

Lives apart from the screens so the compare screen and the command palette share one flow;
it takes the `Consult` and uses the Textual app only for its dialogs, toasts, clipboard and
downloads. `regen_compare.present.export` is imported only when used (it is not needed to browse;
the import stays in the functions to keep start-up fast).

The dialog suggests a file in the user's documents folder (platformdirs), never the current
folder, as HTML (a page that opens in any browser and prints; Markdown is one choice away). It
remembers the last folder and format between runs (`store/settings.py`: a small settings file,
never a file name or anything about the patient) and the level ("full detail") while the app
runs. "No" to "replace the file?" goes back to the dialog with the path as typed.

In a browser (`regen-compare serve`, `app.is_web`) a file written on the server would land
on the wrong machine, so the handout is sent as a download (`App.deliver_text`) instead; the
dialog then asks only for a file name and the format.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from textual.app import App

from regen_compare.consult import Consult
from regen_compare.engine.fit.score import Weights
from regen_compare.model.text import display_safe
from regen_compare.store.atomic import WriteError, check_target
from regen_compare.tui.screens.dialogs import ConfirmDialog, ExportChoice, ExportDialog

FILE_STEM = "regen-compare-handout"
MIME = {"md": "text/markdown", "html": "text/html"}
SUFFIX = {"md": ".md", "html": ".html"}


def documents_folder() -> Path:
    """The user's documents folder (platformdirs), else their home folder."""
    from platformdirs import user_documents_dir

    try:
        folder = Path(user_documents_dir())
    except Exception:  # an odd platform setup: the home folder still works
        return Path.home()
    return folder if folder.is_dir() else Path.home()


@dataclass
class ExportMemory:
    """What the last export chose, offered again by the next one: the folder and format
    also in the next run (`from_settings`, `remember`), the level for this run only."""

    folder: Path | None = None
    fmt: str = "html"
    detailed: bool = False
    persist: bool = False
    """Write the folder and format to the settings file when an export is chosen."""

    @classmethod
    def from_settings(cls) -> ExportMemory:
        """The folder and format the last run chose (the defaults when none is kept); a
        folder that no longer exists is not offered."""
        from regen_compare.store import settings

        kept = settings.load_export()
        folder = Path(kept.folder) if kept.folder is not None else None
        if folder is not None and not folder.is_dir():
            folder = None
        return cls(folder=folder, fmt=kept.fmt, persist=True)

    def suggestion(self) -> str:
        folder = self.folder or documents_folder()
        return str(folder / (FILE_STEM + SUFFIX[self.fmt]))

    def remember(self, choice: ExportChoice) -> None:
        folder = choice.path.parent
        if folder.is_absolute():  # a bare name (a download, or a relative path) keeps it
            self.folder = folder
        self.fmt = choice.fmt
        self.detailed = choice.detailed
        if self.persist:
            from regen_compare.store import settings

            kept = str(self.folder) if self.folder is not None else None
            settings.save_export(settings.ExportSettings(kept, self.fmt))


def download_name(path: Path, fmt: str) -> str:
    """Only a file name (no folders: the browser decides where), with the format's suffix."""
    stem = Path(path.name).stem.strip(". ") or FILE_STEM
    return stem + SUFFIX.get(fmt, ".md")


class Handout:
    """Export and copy the marked therapies of one consult."""

    def __init__(
        self, consult: Consult, app: App[Any], today: date, memory: ExportMemory | None = None
    ) -> None:
        self.consult = consult
        self.app = app
        self.today = today
        self.memory = memory or ExportMemory()

    def _say(self, message: str, *, error: bool = False) -> None:
        self.app.notify(message, severity="error" if error else "information", markup=False)

    def _ready(self) -> bool:
        if self.consult.catalog is None or not self.consult.marked_rows():
            self._say("Nothing to export: mark therapies first (space, or u for usual care).")
            return False
        return True

    @property
    def _weights(self) -> Weights | None:
        """What matters to the patient, only once they were asked (no fit in a handout
        before that: "not asked yet")."""
        session = self.consult.session
        return session.weights if session.weights_asked else None

    def render(self, fmt: str, *, detailed: bool = False) -> str:
        from regen_compare.present import export

        c = self.consult
        assert c.catalog is not None
        return export.render_handout(
            fmt,
            c.marked_rows(),
            c.session.profile,
            c.catalog,
            today=self.today,
            detailed=detailed,
            weights=self._weights,
        )

    def start_export(self) -> None:
        if not self._ready():
            return
        if self.app.is_web:
            self.start_download()
            return
        self.ask(self.memory.suggestion(), detailed=self.memory.detailed)

    def ask(self, path: str, *, detailed: bool) -> None:
        """The export dialog, offering `path`; the choice is checked, then written."""

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                self.memory.remember(choice)
                self.check_and_write(choice)

        self.app.push_screen(ExportDialog(path, detailed=detailed), chosen)

    def check_and_write(self, choice: ExportChoice) -> None:
        # What is at the path, judged without following a link: a folder, FIFO or device is
        # refused at once (never "Replace it?" first); a file or a link is replaced only
        # after asking, and a link is replaced itself, never what it points to.
        try:
            there = check_target(choice.path, overwrite=True)
        except WriteError as exc:
            self._say(display_safe(str(exc), limit=300), error=True)
            return
        if there is None:
            self.write(choice, force=False)
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
                self.write(choice, force=True)
            else:  # back to the dialog with the path, to change the name or the folder
                self.ask(str(choice.path), detailed=choice.detailed)

        self.app.push_screen(ConfirmDialog(question), confirmed)

    def start_download(self) -> None:
        """In a browser: ask for a file name and format, then send the handout as a download."""

        def chosen(choice: ExportChoice | None) -> None:
            if choice is not None:
                self.memory.remember(choice)
                self.download(choice)

        name = FILE_STEM + SUFFIX[self.memory.fmt]
        dialog = ExportDialog(name, download=True, detailed=self.memory.detailed)
        self.app.push_screen(dialog, chosen)

    def download(self, choice: ExportChoice) -> str | None:
        """Deliver the handout to the browser; a toast says so. Returns the file name."""
        if self.consult.catalog is None:
            return None
        text = self.render(choice.fmt, detailed=choice.detailed)
        name = download_name(choice.path, choice.fmt)
        self.app.deliver_text(
            io.StringIO(text),
            save_filename=name,
            open_method="download",
            encoding="utf-8",
            mime_type=MIME[choice.fmt],
        )
        self._say(
            f"Handout sent to your browser as a download: {display_safe(name)} "
            "(nothing was written on the server)."
        )
        return name

    def write(self, choice: ExportChoice, *, force: bool) -> Path | None:
        """Write the handout; a toast says where it went (or why it did not)."""
        from regen_compare.present import export

        c = self.consult
        if c.catalog is None:
            return None
        try:
            written = export.write_handout(
                choice.path,
                choice.fmt,
                c.marked_rows(),
                c.session.profile,
                c.catalog,
                today=self.today,
                force=force,
                detailed=choice.detailed,
                weights=self._weights,
            )
        except WriteError as exc:
            self._say(display_safe(str(exc), limit=300), error=True)
            return None
        self._say(f"Handout saved to {display_safe(str(Path(written).absolute()))}")
        return Path(written)

    def copy_markdown(self) -> None:
        """Put the comparison on the clipboard as Markdown (OSC 52 and the app's clipboard)."""
        if not self._ready():
            return
        rows = self.consult.marked_rows()
        self.app.copy_to_clipboard(self.render("md"))
        noun = "therapy" if len(rows) == 1 else "therapies"
        self._say(f"Copied the comparison of {len(rows)} {noun} as Markdown.")
