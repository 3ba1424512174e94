"""staff: the screens of this area."""
