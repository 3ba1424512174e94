"""Counting the SQL statements a piece of code runs (peewee logs each one at DEBUG)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager


class Statements:
    def __init__(self) -> None:
        self.sql: list[str] = []

    @property
    def n(self) -> int:
        return len(self.sql)


@contextmanager
def counted() -> Iterator[Statements]:
    """with counted() as s: ...; s.n is how many statements ran, s.sql what they were."""
    found = Statements()
    logger = logging.getLogger("peewee")
    level, propagate = logger.level, logger.propagate
    handler = logging.Handler()
    handler.emit = lambda record: found.sql.append(str(record.msg))  # type: ignore[method-assign]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
