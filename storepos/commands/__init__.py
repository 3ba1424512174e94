"""The subcommands beyond init, check and backup: name -> module.  Each module has
``configure(parser)`` (its options; keep its imports light) and ``run(args, settings) -> exit
code``; i18n ``cli.cmd_<name>`` is its help line.  Shared pieces are in commands.base."""

from __future__ import annotations

COMMANDS: dict[str, str] = {
    "report": "storepos.commands.report",
    "products": "storepos.commands.products",
    "serve": "storepos.commands.serve",
    "simulate": "storepos.commands.simulate",
    "audit-key": "storepos.commands.audit_key",
}

# After `storepos --demo` / `storepos init --demo` loaded the demo: fn(load result)
AFTER_DEMO: tuple[str, ...] = (
    "storepos.commands.simulate:after_demo",
)
