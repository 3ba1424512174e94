"""reports: the screens of this area."""
