"""The books: SQLAlchemy models, engine/session setup, importers, read helpers."""
