"""Alembic environment: heard passes its own engine in ``config.attributes["engine"]``."""

from __future__ import annotations

from alembic import context

from heard.storage.tables import Base

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    context.run_migrations()
