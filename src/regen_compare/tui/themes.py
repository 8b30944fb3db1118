"""The app's themes: Textual's dark and light, plus a high-contrast one Textual lacks.

High contrast: pure black and white with saturated yellow/cyan accents, so borders, the
cursor and status colours stay distinct for low vision and on washed-out projectors
(a consult with a shared screen). Meaning never rests on colour anyway (symbols and words).
"""

from __future__ import annotations

from textual.theme import Theme

DARK = "textual-dark"
LIGHT = "textual-light"
HIGH_CONTRAST = "regen-high-contrast"

HIGH_CONTRAST_THEME = Theme(
    name=HIGH_CONTRAST,
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    boost="#333333",
    warning="#FFB000",
    error="#FF5555",
    success="#55FF55",
    dark=True,
    variables={
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold",
        "block-cursor-blurred-background": "#444444",
        "block-cursor-blurred-foreground": "#FFFFFF",
        "footer-key-foreground": "#FFFF00",
        "input-selection-background": "#FFFF00 60%",
        "border": "#FFFFFF",
        "border-blurred": "#AAAAAA",
        "text-muted": "#DDDDDD",
    },
)

CHOICES: dict[str, str] = {
    DARK: "Dark",
    LIGHT: "Light",
    HIGH_CONTRAST: "High contrast",
}
"""The themes offered by the `t` key and the palette, in cycling order."""


def next_theme(current: str) -> str:
    names = list(CHOICES)
    if current not in names:
        return names[0]
    return names[(names.index(current) + 1) % len(names)]
