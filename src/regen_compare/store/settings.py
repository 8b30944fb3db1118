"""What the app remembers between runs for the person using it: the folder and the format of
the last handout export, so the next consult's export dialog offers them again.

Nothing about a patient is ever kept here: not the file name (it may name the patient), not
the condition, plan or anything of the consult; only a folder and `"html"` or `"md"`.

The file is `settings.json` in the user's config folder (platformdirs; `XDG_CONFIG_HOME` on
Linux), in a folder of mode 0700, written atomically with mode 0600 (`store/atomic.py`).
Reading is bounded and forgiving: the file must be a regular file (a link is not followed)
of at most `MAX_BYTES`, holding JSON of the shape below; anything else (missing, a folder, a
pipe, too big, damaged, a folder that is not absolute or holds a control character, an
unknown format) gives the defaults, never an error: remembering is a convenience, and a bad
file must not stop an export. A failed write is ignored for the same reason.

    {"version": 1, "export": {"folder": "/home/me/Documents", "format": "html"}}
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from regen_compare.store.atomic import WriteError, write_atomic
from regen_compare.store.regular import Refusal, read_regular

FILE_NAME = "settings.json"
MAX_BYTES = 16 * 1024
"""A settings file larger than this is ignored unread (ours is under 1 KiB)."""
MAX_FOLDER_CHARS = 4096
FORMATS = ("html", "md")
VERSION = 1


@dataclass(frozen=True)
class ExportSettings:
    """The export dialog's remembered choices: None folder means the documents folder."""

    folder: str | None = None
    fmt: str = "html"


def settings_dir() -> Path:
    from platformdirs import user_config_dir

    return Path(user_config_dir("regen-compare", appauthor=False))


def settings_path() -> Path:
    return settings_dir() / FILE_NAME


def _read_bounded(path: Path) -> bytes | None:
    """The file's bytes when it is a regular file (not through a link) of at most
    `MAX_BYTES`; None otherwise."""
    found = read_regular(path, MAX_BYTES, follow_links=False)
    return None if isinstance(found, Refusal) else found


def _folder(value: object) -> str | None:
    if not isinstance(value, str) or not 0 < len(value) <= MAX_FOLDER_CHARS:
        return None
    if not value.isprintable() or not os.path.isabs(value):
        return None
    return value


def load_export(path: Path | None = None) -> ExportSettings:
    """The remembered export choices, or the defaults when there are none to trust."""
    data = _read_bounded(path or settings_path())
    if data is None:
        return ExportSettings()
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return ExportSettings()
    export = document.get("export") if isinstance(document, dict) else None
    if not isinstance(export, dict):
        return ExportSettings()
    fmt = export.get("format")
    return ExportSettings(
        folder=_folder(export.get("folder")),
        fmt=fmt if isinstance(fmt, str) and fmt in FORMATS else ExportSettings.fmt,
    )


def save_export(settings: ExportSettings, path: Path | None = None) -> bool:
    """Remember the export choices (atomically, mode 0600); False when it could not be
    written (ignored by the caller: the export itself went fine)."""
    target = path or settings_path()
    folder = _folder(settings.folder)
    fmt = settings.fmt if settings.fmt in FORMATS else ExportSettings.fmt
    document = {"version": VERSION, "export": {"folder": folder, "format": fmt}}
    text = json.dumps(document, indent=2, ensure_ascii=True) + "\n"
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomic(target, text, mode=0o600, overwrite=True, replace_link=False)
    except (OSError, WriteError):
        return False
    return True
