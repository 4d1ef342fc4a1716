"""Storage: SQLAlchemy 2 tables, Alembic migrations, and one module of queries per aggregate.

``conversations`` (agents, conversations, messages, pseudonyms), ``assessments`` (assessments,
summaries, scored rows), ``accounts`` (users, tokens, browser sessions, audit),
``import_runs`` (import runs, rejects, import jobs), ``practice`` (role-plays, drills, runs in
progress), ``wellbeing`` (fatigue views); ``bulk`` writes many rows at once. The services decide
what to write and when to commit; only this package writes SQL.

SQLite (a file) by default; PostgreSQL by URL. Everything stored is already redacted.
"""
