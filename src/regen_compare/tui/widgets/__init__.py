"""Widgets with one job each; none of them knows where the data comes from."""
