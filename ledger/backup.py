"""Backups of a SQLite ledger with SQLite's online backup API; PostgreSQL uses pg_dump.

:func:`backup_sqlite` copies a live database page by page into a new file while ``serve``
keeps running (readers and writers wait only for the brief page copies). :func:`restore_sqlite`
copies a backup back over the live file the same way, after checking that it is an
ar-agent database this code can read. PostgreSQL databases are dumped and restored with
PostgreSQL's own tools (``pg_dump -Fc`` / ``pg_restore --clean``; see the README).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url

from core.errors import ValidationError

PAGES_PER_STEP = 1024  # pages copied between lock releases


def sqlite_path(database_url: str) -> Path:
    """The file of a ``sqlite:///`` URL; a one-line error for anything else."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        raise ValidationError(
            "AR_AGENT_DATABASE_URL is PostgreSQL: back it up with "
            "`pg_dump -Fc -f ar-agent.dump DBNAME` and restore with "
            "`pg_restore --clean --if-exists -d DBNAME ar-agent.dump` (README: Backups)"
        )
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise ValidationError(f"{database_url}: not a SQLite database file")
    return Path(url.database)


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy the live database ``source`` into the new file ``target``; returns its size."""
    if not source.is_file():
        raise ValidationError(f"{source}: no such database file")
    if target.exists():
        raise ValidationError(f"{target}: already exists (choose a new file)")
    if not target.parent.is_dir():
        raise ValidationError(f"{target.parent}: no such directory")
    partial = target.with_name(target.name + ".partial")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=PAGES_PER_STEP)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    finally:
        dst.close()
        src.close()
    partial.rename(target)  # never a half-written backup under the final name
    return target.stat().st_size


def revision_of(path: Path) -> str:
    """The Alembic revision stored in a SQLite ar-agent database (error if it is none)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValidationError(f"{path}: not an ar-agent SQLite backup ({exc})") from exc
    if not row:
        raise ValidationError(f"{path}: not an ar-agent SQLite backup (no schema revision)")
    return str(row[0])


def restore_sqlite(backup: Path, target: Path, *, known_revisions: set[str]) -> str:
    """Copy ``backup`` over the live database ``target``; returns the backup's revision.

    Refuses a file that is not an ar-agent database or was written by a newer version
    (its revision unknown here). An older revision is migrated at the next start.
    """
    if not backup.is_file():
        raise ValidationError(f"{backup}: no such file")
    revision = revision_of(backup)
    if revision not in known_revisions:
        raise ValidationError(
            f"{backup}: schema revision {revision} is unknown to this version of ar-agent "
            "(restore it with the version that wrote it)"
        )
    src = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
    dst = sqlite3.connect(target, timeout=30)
    try:
        src.backup(dst, pages=PAGES_PER_STEP)
    finally:
        dst.close()
        src.close()
    return revision
