"""When two names only look alike: a skeleton that is equal for names a reader cannot tell
apart on screen (after NFKC, case and whitespace), so a saved scenario cannot be opened, or
overwritten, by a name that merely looks like another patient's.

A small table, not Unicode's full confusables list (TR39, ~6,000 mappings): scenario names
are typed by counselors in Latin script, and the look-alikes that matter are the Greek and
Cyrillic letters a keyboard layout switch or a pasted name brings in ("Mrs Α" with a Greek
capital alpha), and a few Latin letters without a dot or with a different shape. NFKC already
folds the compatibility forms (fullwidth letters, ligatures, ℓ, no-break spaces).
"""

from __future__ import annotations

import re
import unicodedata

_LOOKS_LATIN = {
    # Greek capitals and small letters drawn like Latin ones
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C", "Ϳ": "J",
    "α": "a", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "υ": "u", "χ": "x",
    "γ": "y", "ϲ": "c", "ϳ": "j",
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P",
    "С": "C", "Т": "T", "У": "Y", "Х": "X", "І": "I", "Ј": "J", "Ѕ": "S", "Ԁ": "D",
    "Ԛ": "Q", "Ԝ": "W", "Ү": "Y", "Һ": "H", "Ӏ": "I",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
    "ј": "j", "ѕ": "s", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y",
    # Latin letters drawn like others
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ꓲ": "I",
}  # fmt: skip
_TABLE = str.maketrans(_LOOKS_LATIN)
_SPACES = re.compile(r"\s+")


def skeleton(text: str) -> str:
    """What `text` looks like: NFKC, look-alike letters as the Latin ones they are drawn
    like, case-folded, runs of white space as one space, trimmed. Two names with the same
    skeleton cannot be told apart on screen."""
    folded = unicodedata.normalize("NFKC", text).translate(_TABLE)
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", folded.casefold())).strip()
