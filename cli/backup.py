"""``ar-agent backup PATH`` and ``ar-agent restore PATH --yes``: SQLite ledgers.

``backup`` copies the live database (``AR_AGENT_DATABASE_URL``) with SQLite's online backup
API while the app keeps running. ``restore`` copies a backup back over it (stop ``serve``
and the workers first). PostgreSQL: ``pg_dump`` / ``pg_restore`` (the message says how).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from cli.common import settings
from core.errors import ValidationError
from ledger.backup import backup_sqlite, restore_sqlite, sqlite_path
from ledger.db import head_revisions, known_revisions


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser(
        "backup",
        help="copy the SQLite database to a new file while the app runs",
        description="Copy the SQLite database of AR_AGENT_DATABASE_URL into PATH with SQLite's "
        "online backup API (safe while serve runs). For PostgreSQL use pg_dump.",
    )
    b.add_argument("path", type=Path, metavar="PATH", help="the new backup file")
    b.set_defaults(func=run_backup)
    r = sub.add_parser(
        "restore",
        help="copy a SQLite backup back over the database",
        description="Replace the SQLite database of AR_AGENT_DATABASE_URL with the backup at "
        "PATH. Stop serve and the workers first. For PostgreSQL use pg_restore.",
    )
    r.add_argument("path", type=Path, metavar="PATH", help="a file written by ar-agent backup")
    r.add_argument("--yes", action="store_true", help="confirm: the current data is replaced")
    r.set_defaults(func=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    source = sqlite_path(settings().database_url)
    size = backup_sqlite(source, args.path)
    print(f"backed up {source} to {args.path} ({size:,} bytes)")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    target = sqlite_path(settings().database_url)
    if not args.yes:
        raise ValidationError(f"restoring replaces everything in {target}: add --yes to confirm")
    revision = restore_sqlite(args.path, target, known_revisions=known_revisions())
    note = "" if revision in head_revisions() else " (it is migrated at the next start)"
    print(f"restored {target} from {args.path}, schema revision {revision}{note}")
    return 0
