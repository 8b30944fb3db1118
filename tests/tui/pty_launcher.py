"""Run the real TUI on a catalog whose text holds escape sequences and markup (test only).

`python pty_launcher.py DATA_DIR PAYER CONDITION`: loads the fixture, injects the payloads
after validation (see payloads.py), and runs the app through `make_app(preloaded=...)` with
file watching off, so the hostile catalog is what the screen shows. Also patches
`regen_compare.data.load.load_catalog` so no code path can reload the clean files instead.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from payloads import hostile_result

from regen_compare.data import load as load_module
from regen_compare.engine.costs import Profile
from regen_compare.tui.app import make_app

TODAY = date(2026, 11, 22)


def main(argv: list[str]) -> int:
    data_dir, payer, condition = Path(argv[0]), argv[1], argv[2]
    result = hostile_result(data_dir, TODAY)

    def patched(*args: Any, **kwargs: Any) -> Any:
        return result

    load_module.load_catalog = patched  # type: ignore[assignment]
    app = make_app(
        data_dir,
        Profile(condition=condition, payer=payer),
        watch_files=False,
        today=TODAY,
        cursor_blink=False,
        theme="textual-dark",
        preloaded=result,
    )
    code = app.run()
    return code if isinstance(code, int) else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
