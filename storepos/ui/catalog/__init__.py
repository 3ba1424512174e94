"""catalog: the screens of this area."""
