"""The engine as models.db configures it."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.db import create_engine, migrate


async def test_a_failing_statement_never_shows_its_parameters(database_url: str) -> None:
    # Errors are logged with their SQL; the parameters are people's notes and amounts.
    engine = create_engine(database_url)
    try:
        await migrate(engine)
        with pytest.raises(DBAPIError) as failure:
            async with engine.begin() as conn:
                await conn.execute(
                    text("INSERT INTO no_such_table (note) VALUES (:note)"),
                    {"note": "private note 4.50"},
                )
        assert "private note" not in str(failure.value)
        assert "hidden due to hide_parameters" in str(failure.value)
    finally:
        await engine.dispose()


def test_every_column_type_lets_statements_be_cached() -> None:
    """A TypeDecorator without its own ``cache_ok`` (SQLAlchemy reads it off the class itself,
    not a parent) makes every statement using the column compile afresh, each time."""
    import warnings

    from sqlalchemy.sql.type_api import TypeDecorator

    from models.tables import Base

    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, TypeDecorator):
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    assert column.type._static_cache_key, column  # raises a SAWarning if not
