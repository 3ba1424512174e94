"""checkout: the screens of this area."""
