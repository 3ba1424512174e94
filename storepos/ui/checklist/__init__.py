"""checklist: the screens of this area."""
