"""quotes: the screens of this area."""
