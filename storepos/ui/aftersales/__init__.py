"""aftersales: the screens of this area."""
