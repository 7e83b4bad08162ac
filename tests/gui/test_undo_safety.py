"""Undo is one transaction per step, and never overwrites another person's edit (issue 10,
items 8 and 9)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from workbench.core.errors import ProjectError
from workbench.core.project.store import Project


def _long_claim(window: Any) -> Any:
    return next(c for c in window.model.claims() if len(c.text.split()) > 8)


def _split_point(claim: Any) -> int:
    return claim.start + len(" ".join(claim.text.split(" ")[:4])) + 1


def _count_transactions(project: Project) -> list[str]:
    begun: list[str] = []
    project.conn.set_trace_callback(
        lambda sql: begun.append(sql) if sql.startswith("BEGIN") else None
    )
    return begun


def test_every_step_of_split_merge_and_rating_is_one_transaction(
    window: Any, seed_project: Path
) -> None:
    window.open_path(str(seed_project))
    project = window.project
    claim = _long_claim(window)
    window.select_claim(claim.id)
    begun = _count_transactions(project)
    window.claim_actions.split_claim(claim.id, _split_point(claim))
    window.undo_stack.undo()
    window.undo_stack.redo()
    window.undo_stack.undo()
    window.select_claim(claim.id)
    window.claim_actions.merge_with_next()
    window.undo_stack.undo()
    window.undo_stack.redo()
    window.undo_stack.undo()
    assert not window.ask.errors
    assert len(begun) == 8, begun  # split, undo, redo, undo; merge, undo, redo, undo


def test_a_failure_half_way_through_an_undo_leaves_nothing_half_done(
    window: Any, seed_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.open_path(str(seed_project))
    project = window.project
    claim = _long_claim(window)
    window.select_claim(claim.id)
    window.claim_actions.split_claim(claim.id, _split_point(claim))
    first = project.claim(claim.id)
    new_id = max(c.id for c in project.claims())

    def crash(*_args: Any, **_kwargs: Any) -> None:
        raise ProjectError("The disk is full; the change to p.wbproj was not saved.")

    # The undo deletes the second part, then moves the first back: fail at the second write.
    monkeypatch.setattr(project, "set_claim_span", crash)
    window.undo_stack.undo()
    assert window.ask.errors[-1].startswith("The disk is full")
    with Project.open(project.path, readonly=True) as fresh:
        assert not fresh.claim(new_id).deleted  # the delete was rolled back with the rest
        assert (fresh.claim(claim.id).start, fresh.claim(claim.id).end) == (first.start, first.end)


def test_undo_refuses_to_overwrite_a_rating_made_elsewhere(window: Any, seed_project: Path) -> None:
    window.open_path(str(seed_project))
    cid = window.current_claim_id()
    window.claim_actions.rate(window.project.scale.ratings[0].id)
    mine = window.project.claim(cid).rating
    depth = window.undo_stack.count()
    with Project.open(seed_project) as other:  # another window or process
        other.set_verdict(cid, "false", "Contradicted by the ministry", reviewer="ana")

    window.undo_stack.undo()
    assert window.project.claim(cid).rating == "false" != mine  # Ana's rating stands
    message = window.ask.errors[-1]
    assert f"claim {cid}" in message and "ana rated it false" in message, message
    assert "refused" in message
    # The refused step leaves the stack: nothing offers to undo over Ana's rating again.
    assert window.undo_stack.count() == depth - 1
    assert window.project.verdicts(cid)[-1].reviewer == "ana"


def test_undo_of_own_edits_still_works_after_an_unrelated_edit_elsewhere(
    window: Any, seed_project: Path
) -> None:
    window.open_path(str(seed_project))
    claims = window.model.claims()
    cid, other_id = claims[0].id, claims[1].id
    window.select_claim(cid)
    window.claim_actions.rate(window.project.scale.ratings[0].id)
    with Project.open(seed_project) as other:
        other.set_verdict(other_id, "false", "", reviewer="ana")
    window.undo_stack.undo()
    assert not window.ask.errors
    assert window.project.claim(cid).rating is None
    assert window.project.claim(other_id).rating == "false"
