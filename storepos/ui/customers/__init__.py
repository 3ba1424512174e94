"""customers: the screens of this area."""
