"""`storepos simulate --days N [--seed S] [--store CODE] [--to DATE]`: fill the database with days
of realistic activity through the services (see services/demo/), with a progress bar.

Also gives a NEW demo database its history: `storepos --demo` and `storepos init --demo` simulate
STOREPOS_DEMO_DAYS days (default 30; 0: none) when they have just created the demo store."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from storepos.commands.base import EXIT_OK, UsageError, open_database
from storepos.i18n import t

DEMO_DAYS_ENV = "STOREPOS_DEMO_DAYS"
DEFAULT_DEMO_DAYS = 30


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--days", type=int, required=True, metavar="N", help=t("cli.opt_sim_days"))
    p.add_argument("--seed", type=int, default=1, metavar="S", help=t("cli.opt_sim_seed"))
    p.add_argument("--store", metavar="CODE", help=t("cli.opt_sim_store"))
    p.add_argument("--to", dest="date_to", metavar="DATE", help=t("cli.opt_sim_to"))


def run_simulation(days: int, seed: int, store_code: str | None = None, end: Any = None) -> Any:
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from storepos.services.demo import simulate

    console = Console(stderr=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=console, disable=not console.is_terminal) as bar:
        task = bar.add_task(t("cli.sim_progress", day=""), total=days)

        def step(done: int, total: int, day: Any) -> None:
            bar.update(task, completed=done, description=t("cli.sim_progress", day=day.isoformat()))

        return simulate(days, seed=seed, store_code=store_code, end=end, progress=step)


def run(args: argparse.Namespace, settings: Any) -> int:
    from storepos.commands.base import parse_date
    from storepos.services.core.errors import DomainError

    if not 1 <= args.days <= 3660:
        raise UsageError(t("cli.sim_bad_days", days=args.days))
    end = parse_date(args.date_to, "--to")
    open_database(settings)
    if args.store:
        from storepos.services.core.store import find_store

        if find_store(args.store) is None:
            raise UsageError(t("err.sim_no_store", code=args.store))
    try:
        result = run_simulation(args.days, args.seed, args.store, end)
    except DomainError as exc:
        raise UsageError(exc.message) from None
    from storepos.money import fmt

    print(t("cli.sim_done", days=result.days, visits=result.visits, sales=result.sales, returns=result.returns,
            voids=result.voids, quotes=result.quotes, approvals=result.approvals, followups=result.followups,
            surveys=result.surveys,
            net=fmt(result.net, fen=True)))
    return EXIT_OK


def demo_days() -> int:
    raw = os.environ.get(DEMO_DAYS_ENV, "").strip()
    try:
        return max(0, min(int(raw), 366)) if raw else DEFAULT_DEMO_DAYS
    except ValueError:
        return DEFAULT_DEMO_DAYS


def after_demo(result: Any) -> None:
    """A demo store created just now gets its history (a populated manager's desk at once)."""
    days = demo_days()
    if not result.stores or not days:
        return
    print(t("cli.sim_demo", days=days), file=sys.stderr)
    run_simulation(days, 1)
