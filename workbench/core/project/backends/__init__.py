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


def with_project(url: str, project: str) -> str:
    """`url` (a server's or a project's) naming `project`, every other part kept as typed."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url.strip())
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "project"]
    query.append(("project", project))
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def with_password(url: str, password: str) -> str:
    """`url` carrying `password` (for this connection only: it is kept in memory, never stored;
    what is shown and remembered is Project.location, which leaves it out)."""
    from urllib.parse import quote, urlsplit, urlunsplit

    if not password:
        return url
    parts = urlsplit(url.strip())
    user = quote(parts.username or "", safe="")
    host = parts.netloc.rsplit("@", 1)[-1]
    netloc = f"{user}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def team_label(url: str) -> tuple[str, str]:
    """(project, "user@host:port/database") of a team URL, for lists; never the password,
    even one typed into the URL."""
    from urllib.parse import parse_qsl, urlsplit

    parts = urlsplit(url.strip())
    names = [v for k, v in parse_qsl(parts.query) if k == "project"]
    user = f"{parts.username}@" if parts.username else ""
    host = parts.netloc.rsplit("@", 1)[-1]
    return (names[-1].strip() if names else ""), f"{user}{host}{parts.path}"
