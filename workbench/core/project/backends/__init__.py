"""The engines a project can live in: one small module each, the same Project API above them.

`sqlite` (the default: one file per project, via sqlite-utils) and `postgres` (team projects
on a PostgreSQL server, via psycopg 3). Each gives Project a connection whose `execute` takes
the store's SQL with `?` placeholders, the statement that starts a write transaction, its own
one-line error messages and its way of noticing edits made elsewhere.
"""

from __future__ import annotations

# Here, not in postgres.py: telling a team URL from a file must not import psycopg (~0.3 s).
SCHEMES = ("postgresql://", "postgres://")


# The team roles, each including the one before (backends/postgres_roles.py).
TEAM_ROLES = ("checker", "editor", "admin")


def is_team_url(location: object) -> bool:
    return isinstance(location, str) and location.strip().lower().startswith(SCHEMES)
