"""The Textual face of regen-compare.

Nothing outside this package imports it except `cli.launch` (lazily, when the app
starts), so `list`, `validate` and friends never pay for importing Textual.
"""
