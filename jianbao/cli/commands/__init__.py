"""Subcommands of `jianbao`, one module each (see `jianbao.cli`)."""
