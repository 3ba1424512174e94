"""practice: the screens of this area."""
