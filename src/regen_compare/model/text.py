"""Make data-derived text safe to put on a terminal, and decide which text data may hold.

Data files are written by people and copied from web pages, so any string from them may carry
escape sequences (an OSC 52 write would put text in a counselor's clipboard), bidi overrides
(Trojan Source) or invisible characters. Two defences, deliberately separate:

* `text_problem` is used by validation: data holding such characters is rejected outright.
* `display_safe` is used on every output path anyway, because error messages must quote
  *invalid* data and defence in depth is cheap.
"""

from __future__ import annotations

import unicodedata

# Bidi embeddings/overrides/isolates and marks: they reorder what the reader sees.
_BIDI = frozenset([*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C])
# Invisible characters that can hide inside ids and names.
_INVISIBLE = frozenset(
    [0x200B, 0x200C, 0x2060, 0xFEFF, 0x00AD, 0x180E, 0x2061, 0x2062, 0x2063, 0x2064]
)
_ZWJ = 0x200D


def _is_emoji_side(ch: str) -> bool:
    """True for characters that legitimately sit on either side of a zero-width joiner."""
    cp = ord(ch)
    return (
        unicodedata.category(ch) == "So"
        or 0x1F000 <= cp <= 0x1FAFF
        or 0xFE00 <= cp <= 0xFE0F  # variation selectors
        or 0x1F3FB <= cp <= 0x1F3FF  # skin tones
    )


def _zwj_in_emoji(s: str, i: int) -> bool:
    return 0 < i < len(s) - 1 and _is_emoji_side(s[i - 1]) and _is_emoji_side(s[i + 1])


def _bad_char(s: str, i: int, multiline: bool) -> bool:
    ch = s[i]
    if ch.isprintable():
        return False
    cp = ord(ch)
    if multiline and ch in "\n\t":
        return False
    if cp == 0x00A0 or cp == 0x202F:  # no-break spaces are text
        return False
    return not (cp == _ZWJ and _zwj_in_emoji(s, i))


def text_problem(s: str, *, multiline: bool = False) -> str | None:
    """Why `s` may not appear in a data file, or None when it may.

    Rejects C0/C1 controls, DEL, bidi controls and zero-width characters (a zero-width joiner
    between two emoji is text); newline and tab only in multi-line fields.
    """
    if s.isprintable() or (multiline and s.replace("\n", "").replace("\t", "").isprintable()):
        return None  # the common case, decided in C
    for i, ch in enumerate(s):
        if not _bad_char(s, i, multiline):
            continue
        cp = ord(ch)
        if cp in _BIDI:
            kind = "a bidirectional-text control"
        elif cp in _INVISIBLE or cp == _ZWJ:
            kind = "an invisible character"
        elif cp == 0x0A or cp == 0x09:
            kind = "a line break or tab (not allowed in this field)"
        else:
            kind = "a control character"
        return f"contains {kind} ({_escape_char(ch)}) at position {i + 1}"
    return None


def _escape_char(ch: str) -> str:
    cp = ord(ch)
    if cp < 0x100:
        return f"\\x{cp:02x}"
    if cp < 0x10000:
        return f"\\u{cp:04x}"
    return f"\\U{cp:08x}"


def display_safe(s: str, *, multiline: bool = False, limit: int | None = None) -> str:
    """Return `s` with every character that could act on a terminal made visible as an escape.

    ESC (and so every CSI/OSC/DCS/APC sequence it starts), C1 controls, bidi controls and
    invisible characters become `\\x1b`-style text. Newlines survive only when `multiline`.
    `limit` truncates long values (quoted in messages) with a note of how much was cut.
    """
    if limit is not None and len(s) > limit:
        cut = len(s) - limit
        s_out = s[:limit]
        suffix = f"… ({cut} more character{'s' if cut != 1 else ''})"
    else:
        s_out = s
        suffix = ""
    if s_out.isprintable() and not multiline:
        return s_out + suffix
    parts: list[str] = []
    for i, ch in enumerate(s_out):
        if _bad_char(s_out, i, multiline):
            parts.append(_escape_char(ch))
        else:
            parts.append(ch)
    return "".join(parts) + suffix


ECHO_LIMIT = 80
"""How much of a value an error message quotes; the rest is counted, not shown."""


def quote(value: object, limit: int = ECHO_LIMIT) -> str:
    """A value as it is echoed inside an error message: repr-like, safe and short."""
    if isinstance(value, str):
        return "'" + display_safe(value, limit=limit) + "'"
    text = repr(value)
    return display_safe(text, limit=limit)
