"""The migrations build the schema the models describe, and every one of them can be undone and redone."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from models import Base
from models.db import make_engine
from models.schema import alembic_config, migrate
from tests.conftest import TEST_DATABASE_URL


@pytest.fixture(params=["sqlite", "postgresql"])
def empty(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database: a new SQLite file, or a PostgreSQL schema of its own."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
        yield engine
        engine.dispose()
        return
    if not TEST_DATABASE_URL:
        pytest.skip("PostgreSQL tests need TEST_DATABASE_URL (.ci/run sets it)")
    schema = f"schema_test_{secrets.token_hex(4)}"
    admin = make_engine(TEST_DATABASE_URL)
    with admin.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    engine = make_engine(f"{TEST_DATABASE_URL}?options=-csearch_path%3D{schema}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.begin() as connection:
            connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def differences(engine: Engine) -> list[object]:
    """What alembic's autogenerate would change to make the database match the models (nothing, we want)."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, Base.metadata))


def downgrade_to_nothing(engine: Engine) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")


def test_the_migrated_database_is_what_the_models_describe(empty: Engine) -> None:
    migrate(empty)
    assert differences(empty) == []


def test_every_migration_can_be_undone_and_redone(empty: Engine) -> None:
    migrate(empty)
    downgrade_to_nothing(empty)
    assert set(inspect(empty).get_table_names()) <= {"alembic_version"}
    migrate(empty)
    assert differences(empty) == []


def test_planned_reminders_skip_the_broadcast_and_settled_indexes(empty: Engine) -> None:
    """A planned dues reminder has no broadcast and is not settled: those two indexes leave such rows out,
    so planning a million rows writes neither (migration 0007)."""
    migrate(empty)
    indexes = {index["name"]: index for index in inspect(empty).get_indexes("reminders")}
    assert "ix_reminders_chat_id" not in indexes
    for column in ("broadcast_id", "settled_at"):
        options = indexes[f"ix_reminders_{column}"].get("dialect_options", {})
        where = options.get(f"{empty.dialect.name}_where")
        assert where is not None and f"{column} IS NOT NULL" in str(where)
