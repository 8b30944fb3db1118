"""The Textual face of regen-compare.

Nothing outside this package imports it except `cli.py` (lazily, when no subcommand is
given), so `list`, `validate` and friends never pay for importing Textual.
"""
