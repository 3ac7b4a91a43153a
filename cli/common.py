"""Helpers shared by subcommands: settings, database, clock, policy."""

from __future__ import annotations

import argparse
from pathlib import Path

from core.clock import Clock
from core.settings import Settings, get_settings
from ledger.db import Database


def settings() -> Settings:
    return get_settings()


def open_database(url: str | None = None) -> Database:
    """The configured database (migrated to the newest schema)."""
    return Database(url or settings().database_url)


def clock() -> Clock:
    return settings().make_clock()


def existing_file(value: str) -> Path:
    """argparse type: a path that must exist (one-line error otherwise)."""
    path = Path(value)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"{value}: no such file")
    return path
