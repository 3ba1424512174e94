"""storepos: a guided sales counter for shops."""

__version__ = "0.1.0"
