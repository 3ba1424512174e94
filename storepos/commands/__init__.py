"""Subcommands of areas beyond the core: each module here registers itself in
storepos.cli.COMMANDS (name -> (configure parser, run)).  Imported by the CLI at start."""
