"""register: the screens of this area."""
