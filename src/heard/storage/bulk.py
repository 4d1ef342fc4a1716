"""Writing many rows at once: one ``executemany`` per statement, and an upsert by a unique key
that is the same on SQLite and PostgreSQL (``INSERT ... ON CONFLICT``).

Through the ORM's unit of work the same rows cost over ten times more CPU; these keep the
conversions of SQLAlchemy's own column types, so the stored values are those the ORM stores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Insert, Table, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_many(session: Session, statement: Insert, rows: Sequence[Mapping[str, Any]]) -> None:
    """Run an INSERT for many rows (all with the same keys) with the driver's ``executemany``.

    The statement and every value's conversion are SQLAlchemy's own (its compiled SQL and each
    parameter type's bind processor), so the stored values are those ``session.execute`` would
    store; what is skipped is its bookkeeping for each row, which on a partition costs more than
    the database itself."""
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    compiled = statement.compile(dialect=dialect, column_keys=names)
    order: list[str] = list(compiled.positiontup or ()) if compiled.positional else names
    convert = [
        (name, compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect))
        for name in order
    ]
    if compiled.positional:
        params: list[Any] = [
            tuple(process(row[name]) if process else row[name] for name, process in convert)
            for row in rows
        ]
    else:
        params = [
            {name: process(row[name]) if process else row[name] for name, process in convert}
            for row in rows
        ]
    connection.exec_driver_sql(compiled.string, params)


def upsert(
    session: Session, table: Table, key: Sequence[str], update: Sequence[str] = ()
) -> Insert:
    """An INSERT into ``table`` for a row whose ``key`` (a unique constraint) may be stored
    already: that row is left as it is, or has the ``update`` columns set to the new values."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement: Any = postgresql.insert(table)
    elif dialect == "sqlite":
        statement = sqlite.insert(table)
    else:
        raise NotImplementedError(f"heard stores to SQLite or PostgreSQL, not {dialect}")
    if update:
        return statement.on_conflict_do_update(  # type: ignore[no-any-return]
            index_elements=list(key), set_={name: statement.excluded[name] for name in update}
        )
    return statement.on_conflict_do_nothing(index_elements=list(key))  # type: ignore[no-any-return]


def insert_rows(session: Session, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert new rows (all with the same keys) into ``table``."""
    insert_many(session, insert(table), rows)


__all__ = ["insert_many", "insert_rows", "upsert"]
