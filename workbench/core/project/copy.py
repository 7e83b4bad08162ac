"""Copy a whole project between engines, losslessly: a file to a team server and back.

Every table is copied row for row with its ids (claims keep their numbers, history its order,
snapshots their compressed bytes and SHA-256), inside the one transaction that creates the
target, so a failed copy leaves no target at all. Both ends use the same tables (the team
schema is generated from the file's), so the copy needs no mapping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import ProjectError
from workbench.core.project import schema
from workbench.core.project.backends import postgres
from workbench.core.project.backends.sqlite import SqliteBackend
from workbench.core.project.store import Project

Progress = Callable[[str, float], None]
BATCH = 2000


@dataclass(frozen=True)
class CopySummary:
    source: str
    target: str
    rows: dict[str, int]

    def line(self) -> str:
        claims = self.rows.get("claims", 0)
        snaps = self.rows.get("snapshots", 0)
        events = self.rows.get("events", 0)
        return (
            f"Copied {self.source} to {self.target}: {claims} claim{'s' * (claims != 1)}, "
            f"{snaps} snapshot{'s' * (snaps != 1)}, {events} history event{'s' * (events != 1)}."
        )


def _columns(table: postgres.Table) -> str:
    return ", ".join(f'"{c[0]}"' for c in table.columns)


def _order(table: postgres.Table) -> str:
    return ", ".join(f'"{c}"' for c in table.pk) if table.pk else "1"


def copy_project(
    source: str | Path,
    target: str | Path,
    *,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> CopySummary:
    """Copy the project at `source` (file or team URL) to `target` (file or team URL)."""
    report = progress or (lambda _step, _fraction: None)
    if str(source).strip() == str(target).strip():
        raise ProjectError("The copy needs a target different from the project itself.")
    tables = postgres.reference_tables(schema.SCHEMA_VERSION)
    counts: dict[str, int] = {}
    with Project.open(source, readonly=True) as src:
        src_name = src.location

        def fill(conn: Any) -> None:
            conn.execute("PRAGMA defer_foreign_keys = ON")
            for i, table in enumerate(tables):
                report(f"Copying {table.name}", i / len(tables))
                cols = _columns(table)
                marks = ", ".join("?" for _ in table.columns)
                insert = f'INSERT INTO "{table.name}" ({cols}) VALUES ({marks})'
                cur = src.conn.execute(
                    f'SELECT {cols} FROM "{table.name}" ORDER BY {_order(table)}'
                )
                rows = cur.fetchall()
                for start in range(0, len(rows), BATCH):
                    conn.executemany(insert, [tuple(r) for r in rows[start : start + BATCH]])
                counts[table.name] = len(rows)

        if postgres.is_team_url(target):
            backend: Any = postgres.PostgresBackend.create(
                str(target), fill, overwrite=overwrite, newest=schema.SCHEMA_VERSION
            )
        else:
            backend = SqliteBackend.create(
                Path(target), fill, overwrite=overwrite, newest=schema.SCHEMA_VERSION
            )
        target_name = backend.location
        backend.close()
    report("Done", 1.0)
    return CopySummary(src_name, target_name, counts)
