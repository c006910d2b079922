"""Alembic migrations of the store's schema, run by :func:`pipeline.store.migrate` on every open."""
