"""Who may do what in a team project, enforced by the PostgreSQL server itself.

Three group roles, each including the one before: `workbench_checker` (add claims, sources,
verdicts; move a claim up to "checked"), `workbench_editor` (also approve, return, delete other
people's work, change the scale) and `workbench_admin` (also manage members and the article).
Logins are members of one of them. GRANTs decide which tables a role may write at all;
row-level security and triggers decide which rows and which moves: a checker connecting with
psql meets the same refusals as in the window, each a sentence naming the role needed. History
(events) and verdicts are append-only for everyone but the project's owner, and their actor is
always the login (set by the server, whatever the client sends).
"""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

from workbench.core.errors import InvalidInputError, ProjectError
from workbench.core.project.backends import TEAM_ROLES
from workbench.core.project.backends.postgres import (
    PostgresBackend,
    TeamUrl,
    friendly,
    parse_url,
)

ROLES = TEAM_ROLES
GROUP = {role: f"workbench_{role}" for role in ROLES}

# Tables each role may write (on top of SELECT on everything); finer rules below.
_CHECKER_WRITES = {
    "claims": "INSERT, UPDATE",
    "sources": "INSERT, UPDATE",
    "claim_sources": "INSERT, UPDATE, DELETE",
    "verdicts": "INSERT",
    "events": "INSERT",
    "snapshots": "INSERT",
    "meta": "INSERT, UPDATE",
    # The archives' capture listings of a source (a listing replaces the last one): the
    # History tab's Ask the archives. Missing, every member but the owner was refused.
    "captures": "INSERT, UPDATE, DELETE",
}
_ADMIN_WRITES = "INSERT, UPDATE, DELETE"

_FUNCTIONS = """
CREATE OR REPLACE FUNCTION wb_is_owner() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT session_user = (SELECT nspowner::regrole::text FROM pg_namespace
                         WHERE nspname = current_schema())
      OR (SELECT rolsuper FROM pg_roles WHERE rolname = session_user)
$$;
CREATE OR REPLACE FUNCTION wb_is_editor() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT wb_is_owner() OR pg_has_role(session_user, 'workbench_editor', 'MEMBER')
$$;
CREATE OR REPLACE FUNCTION wb_actor_is_login() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The owner may write history as it was (a copy keeps its authors); anyone else is who
  -- they logged in as, whatever the client sent.
  IF NOT wb_is_owner() THEN
    IF TG_TABLE_NAME = 'verdicts' THEN NEW.reviewer := session_user;
    ELSE NEW.actor := session_user;
    END IF;
  END IF;
  RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION wb_claim_rules() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF wb_is_editor() THEN RETURN NEW; END IF;
  IF NEW.status IS DISTINCT FROM OLD.status AND NEW.status IN ('approved', 'returned') THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = format('Approving or returning claim %s needs the editor role.', OLD.id);
  END IF;
  IF OLD.status = 'approved' AND NEW.status IS DISTINCT FROM OLD.status THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = format('Claim %s is approved; changing its status needs the editor role.', OLD.id);
  END IF;
  IF NEW.assigned_to IS DISTINCT FROM OLD.assigned_to AND NOT (
      (OLD.assigned_to IS NULL AND NEW.assigned_to = session_user)
      OR (OLD.assigned_to = session_user AND NEW.assigned_to IS NULL)) THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = format('Assigning claim %s to someone else needs the editor role '
                       '(a checker may take an unassigned claim or give back their own).', OLD.id);
  END IF;
  IF NEW.deleted = 1 AND OLD.deleted = 0 AND NOT EXISTS (
      SELECT 1 FROM events e WHERE e.claim_id = OLD.id AND e.action = 'add'
      AND e.actor = session_user) THEN
    RAISE EXCEPTION USING ERRCODE = 'insufficient_privilege',
      MESSAGE = format('Deleting claim %s, which someone else made, needs the editor role.', OLD.id);
  END IF;
  RETURN NEW;
END $$;
"""

_POLICIES = """
ALTER TABLE verdicts ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS wb_read ON verdicts;
DROP POLICY IF EXISTS wb_own ON verdicts;
CREATE POLICY wb_read ON verdicts FOR SELECT USING (true);
CREATE POLICY wb_own ON verdicts FOR INSERT WITH CHECK (reviewer = session_user OR wb_is_owner());

ALTER TABLE events ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS wb_read ON events;
DROP POLICY IF EXISTS wb_own ON events;
CREATE POLICY wb_read ON events FOR SELECT USING (true);
CREATE POLICY wb_own ON events FOR INSERT WITH CHECK (actor = session_user OR wb_is_owner());

ALTER TABLE claim_sources ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS wb_read ON claim_sources;
DROP POLICY IF EXISTS wb_add ON claim_sources;
DROP POLICY IF EXISTS wb_change ON claim_sources;
DROP POLICY IF EXISTS wb_remove ON claim_sources;
CREATE POLICY wb_read ON claim_sources FOR SELECT USING (true);
CREATE POLICY wb_add ON claim_sources FOR INSERT WITH CHECK (true);
CREATE POLICY wb_change ON claim_sources FOR UPDATE USING (true) WITH CHECK (true);
CREATE POLICY wb_remove ON claim_sources FOR DELETE USING (
  wb_is_editor() OR EXISTS (
    SELECT 1 FROM events e WHERE e.claim_id = claim_sources.claim_id
    AND e.source_id = claim_sources.source_id AND e.action = 'source'
    AND e.actor = session_user));

ALTER TABLE meta ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS wb_read ON meta;
DROP POLICY IF EXISTS wb_write ON meta;
DROP POLICY IF EXISTS wb_change ON meta;
CREATE POLICY wb_read ON meta FOR SELECT USING (true);
CREATE POLICY wb_write ON meta FOR INSERT
  WITH CHECK (key NOT IN ('app', 'schema_version', 'scale') OR wb_is_editor());
CREATE POLICY wb_change ON meta FOR UPDATE
  USING (key NOT IN ('app', 'schema_version', 'scale') OR wb_is_editor())
  WITH CHECK (key NOT IN ('app', 'schema_version', 'scale') OR wb_is_editor());

DROP TRIGGER IF EXISTS wb_actor ON events;
CREATE TRIGGER wb_actor BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION wb_actor_is_login();
DROP TRIGGER IF EXISTS wb_reviewer ON verdicts;
CREATE TRIGGER wb_reviewer BEFORE INSERT ON verdicts FOR EACH ROW
  EXECUTE FUNCTION wb_actor_is_login();
DROP TRIGGER IF EXISTS wb_claim_rules ON claims;
CREATE TRIGGER wb_claim_rules BEFORE UPDATE ON claims FOR EACH ROW
  EXECUTE FUNCTION wb_claim_rules();
"""


def _ensure_group_roles(raw: psycopg.Connection[Any]) -> None:
    for role in ROLES:
        exists = raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (GROUP[role],)).fetchone()
        if not exists:
            raw.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(GROUP[role])))
    for member, group in (
        ("workbench_editor", "workbench_checker"),
        ("workbench_admin", "workbench_editor"),
    ):
        # Granted once: since PostgreSQL 16 granting again adds a membership in the name of
        # whoever runs this (an admin adding a member), which then ties that admin's own role.
        held = raw.execute(
            "SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member WHERE g.rolname = %s AND u.rolname = %s",
            (group, member),
        ).fetchone()
        if not held:
            raw.execute(
                sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), sql.Identifier(member))
            )


def init_team(location: str) -> str:
    """Roles, GRANTs, row-level security and triggers on an existing team project."""
    backend = PostgresBackend.open(location, readonly=False, newest=_newest())
    raw = backend.raw
    schema_name = sql.Identifier(backend.url.schema)
    try:
        with raw.transaction():
            _ensure_group_roles(raw)
            raw.execute(_FUNCTIONS)
            raw.execute(_POLICIES)
            everyone = sql.SQL(", ").join(sql.Identifier(GROUP[r]) for r in ROLES)
            raw.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(schema_name, everyone))
            raw.execute(
                sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
                    schema_name, everyone
                )
            )
            raw.execute(
                sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
                    schema_name, everyone
                )
            )
            for table, rights in _CHECKER_WRITES.items():
                raw.execute(
                    sql.SQL("GRANT {} ON {} TO workbench_checker").format(
                        sql.SQL(rights), sql.Identifier(table)
                    )
                )
            raw.execute(
                sql.SQL("GRANT {} ON ALL TABLES IN SCHEMA {} TO workbench_admin").format(
                    sql.SQL(_ADMIN_WRITES), schema_name
                )
            )
            # History and verdicts stay append-only even for admins.
            raw.execute("REVOKE UPDATE, DELETE ON events, verdicts FROM workbench_admin")
            raw.execute(
                "INSERT INTO meta(key, value) VALUES ('team', 'on') "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
    except psycopg.Error as exc:
        raise _refused(exc, backend.location) from None
    finally:
        backend.close()
    # The desk's fact-check library lives beside its projects, under the same roles.
    from workbench.core.library.team import TeamLibrary

    with TeamLibrary(location) as library:
        library.ensure()
    return backend.location


def _set_membership(raw: psycopg.Connection[Any], login: str, role: str) -> None:
    """Make LOGIN's group memberships exactly those of `role`, touching only what differs.

    Since PostgreSQL 16 a membership an admin used to grant others cannot be revoked without
    revoking theirs too, so an unchanged membership is left alone (running `team add` again is
    harmless) and a change that would cut others' memberships is refused with their names.
    """
    ident = sql.Identifier(login)
    wanted = {GROUP[r] for r in ROLES} if role == "admin" else {GROUP[role]}
    current = dict(
        raw.execute(
            "SELECT g.rolname, m.admin_option FROM pg_auth_members m "
            "JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member "
            "WHERE u.rolname = %s AND g.rolname = ANY(%s)",
            (login, [GROUP[r] for r in ROLES]),
        ).fetchall()
    )
    for group in sorted(set(current) - wanted):
        _refuse_if_others_depend(raw, login, group)
        raw.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(group), ident))
    if role == "admin":
        if any(not current.get(group) for group in wanted):
            raw.execute(
                sql.SQL(
                    "GRANT workbench_admin, workbench_editor, workbench_checker TO {} "
                    "WITH ADMIN OPTION"
                ).format(ident)
            )
        raw.execute(sql.SQL("ALTER ROLE {} CREATEROLE").format(ident))
        return
    group = GROUP[role]
    if current.get(group):  # an admin made editor: keep the role, drop its admin option
        _refuse_if_others_depend(raw, login, group)
        raw.execute(
            sql.SQL("REVOKE ADMIN OPTION FOR {} FROM {}").format(sql.Identifier(group), ident)
        )
    elif group not in current:
        raw.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), ident))
    if raw.execute("SELECT rolcreaterole FROM pg_roles WHERE rolname = %s", (login,)).fetchone()[0]:
        raw.execute(sql.SQL("ALTER ROLE {} NOCREATEROLE").format(ident))  # a demoted admin


def _refuse_if_others_depend(raw: psycopg.Connection[Any], login: str, group: str) -> None:
    """Refuse (naming them) when members LOGIN added would lose their role with LOGIN's."""
    if raw.info.server_version < 160000:
        return  # before 16 a membership did not depend on its grantor's
    others = [
        name
        for (name,) in raw.execute(
            "SELECT u.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
            "JOIN pg_roles u ON u.oid = m.member JOIN pg_roles b ON b.oid = m.grantor "
            "WHERE g.rolname = %s AND b.rolname = %s ORDER BY u.rolname",
            (group, login),
        ).fetchall()
    ]
    if others:
        raise InvalidInputError(
            f"{login} gave the {group.removeprefix('workbench_')} role to {', '.join(others)}; "
            f"another admin must add {'them' if len(others) > 1 else 'that member'} again before "
            f"{login}'s role can change."
        )


def add_member(location: str, login: str, role: str, password: str | None = None) -> str:
    """Give LOGIN a role in the team (creating the login if needed); returns a sentence."""
    if role not in ROLES:
        raise InvalidInputError(f"'{role}' is not a role; use one of: {', '.join(ROLES)}.")
    if not login or not login.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise InvalidInputError(f"'{login}' is not a login name (letters, digits, . - _).")
    url = parse_url(location, need_project=False)
    raw = PostgresBackend.connect(url)
    try:
        with raw.transaction():
            _ensure_group_roles(raw)
            ident = sql.Identifier(login)
            exists = raw.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)).fetchone()
            if not exists:
                raw.execute(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
            if password:
                # ALTER ROLE takes no parameters, and servers often log DDL (log_statement =
                # 'ddl'): the password is hashed here, as psql's \password does, so only its
                # SCRAM verifier is ever sent, never the password itself.
                raw.execute(
                    sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                        ident, sql.Literal(_verifier(raw, login, password))
                    )
                )
            _set_membership(raw, login, role)
    except psycopg.Error as exc:
        raise _refused(exc, url.display, url) from None
    finally:
        raw.close()
    made = "created and added" if not exists else "added"
    return f"{login} {made} as {role} on {url.server}."


def role_of(raw: psycopg.Connection[Any]) -> str | None:
    """The login's highest team role, or None (the owner counts as admin)."""
    for role in reversed(ROLES):
        row = raw.execute("SELECT pg_has_role(session_user, %s, 'MEMBER')", (GROUP[role],))
        if row.fetchone()[0]:
            return role
    return None


def _verifier(raw: psycopg.Connection[Any], login: str, password: str) -> str:
    """The SCRAM-SHA-256 verifier of the password (libpq's PQencryptPasswordConn)."""
    hashed = raw.pgconn.encrypt_password(
        password.encode("utf-8"), login.encode("utf-8"), b"scram-sha-256"
    )
    return hashed.decode("ascii")


def _refused(exc: psycopg.Error, where: str, url: TeamUrl | None = None) -> ProjectError:
    if isinstance(exc, psycopg.errors.InsufficientPrivilege):
        return ProjectError(
            f"Managing the team of {where} needs the admin role (or a server login that may "
            "create roles)."
        )
    return friendly(exc, where, url)


def _newest() -> int:
    from workbench.core.project import schema

    return schema.SCHEMA_VERSION
