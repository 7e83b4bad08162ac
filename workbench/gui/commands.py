"""Every edit as a QUndoCommand on one QUndoStack; undo changes the project file back too.

Each command does its first edit in `apply()` (called before it is pushed, so a refused edit
shows its message and never reaches the stack); later redo/undo calls come from the stack.
Verdicts are append-only, so undoing one appends the previous verdict again, marked "undo".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtGui import QUndoCommand

from workbench.core.errors import WorkbenchError
from workbench.core.project.records import ClaimRecord, ClaimSource, EventRecord
from workbench.core.project.store import Project


class EditConflictError(WorkbenchError):
    """An undo or redo refused because someone else has edited the claim since."""


class EditContext(Protocol):
    """What commands need from the window: the project, who is editing, how to refresh."""

    @property
    def project(self) -> Project: ...

    def actor(self) -> str: ...

    def claims_changed(self, claim_ids: Iterable[int], select: int | None = None) -> None: ...

    def report_error(self, message: str) -> None: ...


class ProjectCommand(QUndoCommand):
    """Base: runs an edit, then tells the window which claims to refresh.

    Every run (do, undo, redo) is one transaction, however many rows it touches. Before an undo
    or redo the command checks that nobody else (another window or process) edited its claims
    since its own last run: if someone did, it is refused, names what changed and leaves the
    stack, so it never overwrites another person's edit."""

    def __init__(self, ctx: EditContext, text: str) -> None:
        super().__init__(text)
        self.ctx = ctx
        self._applied = False
        self._skip_redo = False
        self._mark = 0  # the project's newest event after this command's last run

    def apply(self) -> None:
        """The first run; raises WorkbenchError if the edit is refused (nothing is pushed)."""
        with self.project.transaction():
            self._do()
        self._mark = self.project.last_event_id()
        self._applied = True
        self._skip_redo = True  # QUndoStack.push() calls redo() at once: already done
        self._refresh(undo=False)

    def redo(self) -> None:
        if self._skip_redo:
            self._skip_redo = False
            return
        if not self._applied:  # pushed without apply(): the stack's redo is the first run
            self._guard(self.apply, undo=False)
            return
        self._guard(lambda: self._checked(self._redo, "Redo"), undo=False)

    def undo(self) -> None:
        self._guard(lambda: self._checked(self._undo, "Undo"), undo=True)

    def _checked(self, fn: Callable[[], None], verb: str) -> None:
        with self.project.transaction():
            others = self.project.changes_by_others(
                self.claim_ids(), self._mark, source_ids=self.source_ids()
            )
            if others:
                raise EditConflictError(_conflict_message(verb, self.text(), others))
            fn()
        self._mark = self.project.last_event_id()

    def _guard(self, fn: Callable[[], None], *, undo: bool) -> None:
        # Exceptions cannot cross Qt's virtual call: show them instead (e.g. the file is busy).
        try:
            fn()
        except EditConflictError as exc:
            # The stack already counts this step as taken; an obsolete command is dropped
            # from it, so nothing offers to undo (or redo) over the other person's edit again.
            self.setObsolete(True)
            self.ctx.report_error(str(exc))
        except WorkbenchError as exc:
            self.ctx.report_error(str(exc))
        self._refresh(undo=undo)

    def claim_ids(self) -> list[int]:
        """The claims this command edits: whose later edits by others block its undo."""
        return []

    def source_ids(self) -> list[int]:
        """The sources whose description this command edits (a checklist, a title)."""
        return []

    def _do(self) -> None:
        raise NotImplementedError

    def _redo(self) -> None:
        self._do()

    def _undo(self) -> None:
        raise NotImplementedError

    def _refresh(self, *, undo: bool) -> None:
        raise NotImplementedError

    @property
    def project(self) -> Project:
        return self.ctx.project


class ClaimCommand(ProjectCommand):
    """An edit of one claim that may also move its status (restored on undo)."""

    def __init__(self, ctx: EditContext, claim: ClaimRecord, text: str) -> None:
        super().__init__(ctx, f"{text} on claim {claim.id}")
        self.claim_id = claim.id
        self.before = claim

    def claim_ids(self) -> list[int]:
        return [self.claim_id]

    def _restore_status(self) -> None:
        now = self.project.claim(self.claim_id)
        if (now.status, now.status_note) != (self.before.status, self.before.status_note):
            self.project.set_status(
                self.claim_id, self.before.status, note=self.before.status_note, actor=self._who()
            )

    def _who(self) -> str:
        return self.ctx.actor()

    def _refresh(self, *, undo: bool) -> None:
        self.ctx.claims_changed([self.claim_id], select=self.claim_id)


class SetVerdict(ClaimCommand):
    """A rating (or None to clear) and its rationale."""

    def __init__(
        self, ctx: EditContext, claim: ClaimRecord, rating: str | None, rationale: str
    ) -> None:
        label = "Set verdict"
        if rating == claim.rating and rationale != claim.rationale:
            label = "Edit rationale"
        elif rating is None:
            label = "Clear verdict"
        super().__init__(ctx, claim, label)
        self.rating = rating
        self.rationale = rationale

    def _do(self) -> None:
        self.project.set_verdict(self.claim_id, self.rating, self.rationale, reviewer=self._who())

    def _undo(self) -> None:
        self.project.set_verdict(
            self.claim_id,
            self.before.rating,
            self.before.rationale,
            reviewer=self._who(),
            note="undo",
            advance_status=False,
        )
        self._restore_status()


RATIONALE_MERGE_ID = 17  # QUndoCommand.id(): rationale saves of one typing session merge


class EditRationale(SetVerdict):
    """The rationale as typed. The box saves after every pause; the saves of one typing session
    (`session`, from the claim panel) merge into one undo step, and a session that ends where it
    began leaves no step at all."""

    def __init__(self, ctx: EditContext, claim: ClaimRecord, rationale: str, session: int) -> None:
        super().__init__(ctx, claim, claim.rating, rationale)
        self.session = session

    def id(self) -> int:
        return RATIONALE_MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (
            isinstance(other, EditRationale)
            and other.claim_id == self.claim_id
            and other.session == self.session
        ):
            return False
        self.rationale = other.rationale  # already written by other.apply()
        self.setObsolete(self.rationale == self.before.rationale)
        return True


class SetStatus(ClaimCommand):
    def __init__(self, ctx: EditContext, claim: ClaimRecord, status: str, note: str) -> None:
        super().__init__(ctx, claim, "Set status")
        self.status = status
        self.note = note

    def _do(self) -> None:
        self.project.set_status(self.claim_id, self.status, note=self.note, actor=self._who())

    def _undo(self) -> None:
        self._restore_status()


class SetWording(ClaimCommand):
    def __init__(self, ctx: EditContext, claim: ClaimRecord, text: str) -> None:
        super().__init__(ctx, claim, "Edit wording")
        self.text = text

    def _do(self) -> None:
        self.project.set_claim_text(self.claim_id, self.text, actor=self._who())

    def _undo(self) -> None:
        self.project.set_claim_text(self.claim_id, self.before.text, actor=self._who())


class Rescore(ClaimCommand):
    def __init__(self, ctx: EditContext, claim: ClaimRecord) -> None:
        super().__init__(ctx, claim, "Re-score")

    def _do(self) -> None:
        self.project.rescore_claim(self.claim_id, actor=self._who())

    def _undo(self) -> None:
        _put_analysis(self.project, self.before, self._who())


@dataclass(frozen=True)
class SourceLink:
    url: str
    relation: str
    note: str


class AttachSource(ClaimCommand):
    """Attach (or re-describe) a source; undo detaches it or puts the old description back."""

    def __init__(
        self,
        ctx: EditContext,
        claim: ClaimRecord,
        link: SourceLink,
        previous: ClaimSource | None = None,
        text: str = "Add source",
    ) -> None:
        super().__init__(ctx, claim, text)
        self.link = link
        self.previous = previous
        self.source_id: int | None = None

    def _do(self) -> None:
        self.source_id = self.project.attach_source(
            self.claim_id,
            self.link.url,
            relation=self.link.relation,
            note=self.link.note,
            actor=self._who(),
        )

    def _undo(self) -> None:
        if self.previous is not None:
            self.project.attach_source(
                self.claim_id,
                self.previous.source.url,
                relation=self.previous.relation,
                note=self.previous.note,
                actor=self._who(),
            )
        elif self.source_id is not None:
            self.project.detach_source(self.claim_id, self.source_id, actor=self._who())
        self._restore_status()


class DetachSource(ClaimCommand):
    def __init__(self, ctx: EditContext, claim: ClaimRecord, link: ClaimSource) -> None:
        super().__init__(ctx, claim, "Remove source")
        self.link = link

    def _do(self) -> None:
        self.project.detach_source(self.claim_id, self.link.source.id, actor=self._who())

    def _undo(self) -> None:
        self.project.attach_source(
            self.claim_id,
            self.link.source.url,
            relation=self.link.relation,
            note=self.link.note,
            actor=self._who(),
        )
        self._restore_status()


class AddClaim(ProjectCommand):
    """A claim from a selection; undo deletes it softly, redo restores the same claim."""

    def __init__(self, ctx: EditContext, start: int, end: int) -> None:
        super().__init__(ctx, "Make claim from selection")
        self.start, self.end = start, end
        self.claim_id: int | None = None

    def _do(self) -> None:
        self.claim_id = self.project.add_claim(self.start, self.end, actor=self.ctx.actor())
        self.setText(f"Make claim {self.claim_id}")

    def claim_ids(self) -> list[int]:
        return [self.claim_id] if self.claim_id is not None else []

    def _redo(self) -> None:
        assert self.claim_id is not None
        self.project.restore_claim(self.claim_id, actor=self.ctx.actor())

    def _undo(self) -> None:
        assert self.claim_id is not None
        self.project.delete_claim(self.claim_id, actor=self.ctx.actor())

    def _refresh(self, *, undo: bool) -> None:
        if self.claim_id is not None:
            self.ctx.claims_changed([self.claim_id], select=None if undo else self.claim_id)


class DeleteClaim(ClaimCommand):
    def __init__(self, ctx: EditContext, claim: ClaimRecord, select_after: int | None) -> None:
        super().__init__(ctx, claim, "Delete")
        self.select_after = select_after

    def _do(self) -> None:
        self.project.delete_claim(self.claim_id, actor=self._who())

    def _undo(self) -> None:
        self.project.restore_claim(self.claim_id, actor=self._who())

    def _refresh(self, *, undo: bool) -> None:
        self.ctx.claims_changed(
            [self.claim_id], select=self.claim_id if undo else self.select_after
        )


class SplitClaim(ClaimCommand):
    """Split at an article offset; undo removes the second part and restores the first's span."""

    def __init__(self, ctx: EditContext, claim: ClaimRecord, offset: int) -> None:
        super().__init__(ctx, claim, "Split")
        self.offset = offset
        self.new_id: int | None = None
        self.first_after: ClaimRecord | None = None

    def _do(self) -> None:
        self.new_id = self.project.split_claim(self.claim_id, self.offset, actor=self._who())
        self.first_after = self.project.claim(self.claim_id)

    def claim_ids(self) -> list[int]:
        return [self.claim_id] + ([self.new_id] if self.new_id is not None else [])

    def _redo(self) -> None:
        assert self.new_id is not None and self.first_after is not None
        self.project.restore_claim(self.new_id, actor=self._who())
        _put_span(self.project, self.first_after, self._who())

    def _undo(self) -> None:
        assert self.new_id is not None
        self.project.delete_claim(self.new_id, actor=self._who())
        _put_span(self.project, self.before, self._who())

    def _refresh(self, *, undo: bool) -> None:
        ids = [self.claim_id] + ([self.new_id] if self.new_id is not None else [])
        self.ctx.claims_changed(ids, select=self.claim_id)


class MergeClaims(ClaimCommand):
    """Merge the next claim into this one; undo restores both spans and the copied sources."""

    def __init__(self, ctx: EditContext, first: ClaimRecord, second: ClaimRecord) -> None:
        super().__init__(ctx, first, f"Merge claim {second.id} into")
        self.second_id = second.id
        self.copied: list[int] = []

    def claim_ids(self) -> list[int]:
        return [self.claim_id, self.second_id]

    def _do(self) -> None:
        self.copied = self.project.merge_claims(self.claim_id, self.second_id, actor=self._who())

    def _undo(self) -> None:
        for source_id in self.copied:
            self.project.detach_source(self.claim_id, source_id, actor=self._who())
        self.project.restore_claim(self.second_id, actor=self._who())
        _put_span(self.project, self.before, self._who())

    def _refresh(self, *, undo: bool) -> None:
        self.ctx.claims_changed([self.claim_id, self.second_id], select=self.claim_id)


def _put_span(project: Project, claim: ClaimRecord, actor: str) -> None:
    project.set_claim_span(claim.id, claim.start, claim.end, text=claim.text, actor=actor)
    _put_analysis(project, claim, actor)


def _put_analysis(project: Project, claim: ClaimRecord, actor: str) -> None:
    project.set_claim_analysis(
        claim.id, claim.kind, claim.score, claim.reasons, claim.quotes, actor=actor
    )


_ACTIONS = {
    "verdict": "rated it",
    "status": "changed its status",
    "edit": "edited its wording",
    "span": "moved its span",
    "score": "re-scored it",
    "split": "split it",
    "merge": "merged another claim into it",
    "delete": "deleted it",
    "restore": "restored it",
    "add": "added it",
    "source": "attached a source",
    "unsource": "removed a source",
    "source-edit": "edited it",
}


def _conflict_message(verb: str, what: str, others: list[EventRecord]) -> str:
    """One line naming the newest edit made elsewhere, e.g. who rated the claim and when."""
    last = others[-1]
    done = _ACTIONS.get(last.action, last.action)
    target = f"claim {last.claim_id}" if last.claim_id is not None else f"source {last.source_id}"
    if last.action == "verdict" and last.detail.get("rating"):
        done = f"rated it {last.detail['rating']}"
    more = (
        f" (and {len(others) - 1} more edit{'s' if len(others) > 2 else ''})"
        if len(others) > 1
        else ""
    )
    return (
        f"{verb} of “{what}” refused: {target} was changed in another window or "
        f"process since — {last.actor} {done} at {last.at}{more}. Their edit is kept."
    )
