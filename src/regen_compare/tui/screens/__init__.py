"""Screens: the main browse screen, the side-by-side, and the small dialogs."""
