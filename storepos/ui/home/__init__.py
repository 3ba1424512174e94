"""home: the screens of this area."""
