"""visits: the screens of this area."""
