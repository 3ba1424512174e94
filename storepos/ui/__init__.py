"""Textual screens and widgets.  Screens stay thin: they call storepos.services."""
