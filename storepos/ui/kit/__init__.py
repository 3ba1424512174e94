"""kit: the screens of this area."""
