"""Textual's terminal driver, told about a painted first frame (`regen_compare.painted_frame`).

Textual has no public hook for "the terminal already shows this" or "what did you write";
this driver class, given to `App(driver_class=...)`, is the one place that bridges that:
it hands the terminal's input settings back before Textual saves them, drops Textual's
first switch to the alternate screen when a painted frame is already on it (a terminal may
clear the screen on that switch, which would blink), and shows `Paint` every write so the
first frame can be captured for the next start. Tested in tests/tui/test_painted_start.py.
"""

from __future__ import annotations

from textual.drivers.linux_driver import LinuxDriver

from regen_compare.painted_frame import Paint


def driver_for(paint: Paint) -> type[LinuxDriver]:
    """A `LinuxDriver` that starts over `paint`."""

    class PaintedDriver(LinuxDriver):
        def start_application_mode(self) -> None:
            paint.hand_over()
            super().start_application_mode()  # type: ignore[no-untyped-call]
            paint.started()

        def write(self, data: str) -> None:
            if paint.passes(data):
                super().write(data)

    return PaintedDriver
