"""Alembic environment: the engine comes from the caller (models/schema.py) or from DATABASE_URL."""

from alembic import context

import models
from bot.settings import Settings
from models.db import make_engine

config = context.config
target_metadata = models.Base.metadata


def run_migrations() -> None:
    """Migrate on the caller's connection (models/schema.py), or on DATABASE_URL's."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(Settings.from_env().database_url)
    with engine.connect() as connection:
        _run(connection)
        connection.commit()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    # render_as_batch: SQLite can only ALTER a table by copying it; the naming convention names constraints.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
