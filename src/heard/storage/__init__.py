"""Storage: SQLAlchemy 2 tables, Alembic migrations, and the repository the services use.

SQLite (a file) by default; PostgreSQL by URL. Everything stored is already redacted.
"""
