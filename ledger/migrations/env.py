"""Alembic environment: runs on the connection handed in by ledger.db.migrate."""

from alembic import context

from ledger.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from sqlalchemy import create_engine

        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise SystemExit("set sqlalchemy.url, or run migrations through ledger.db.migrate")
        connection = create_engine(url).connect()
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
