"""The Claim menu: moving between claims and editing them, as data and the slots behind it.

`ClaimActions` registers its commands with the window's action registry (the window calls
`register()` while it builds its menus), listens to the claim panel and the article for the
edits they ask for, and turns each into an undoable command pushed with window.push(). The
window stays the frame: it shows claims (select_claim) and refreshes them after an edit.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

from workbench.core.project.records import ClaimRecord
from workbench.core.project.scales import Scale
from workbench.gui import commands as cmd
from workbench.gui.window.actions import ActionSpec, MenuSpec
from workbench.gui.window.dialogs import SourceAnswer

if TYPE_CHECKING:
    from workbench.gui.window.main_window import MainWindow

CLAIM_MENU = MenuSpec("claim", "&Claim", order=20, groups=("move", "rate", "edit", "shape"))
# Submenus sit among the actions, in the order they appear.
CLAIM_ACTIONS: tuple[ActionSpec | MenuSpec, ...] = (
    ActionSpec(
        "edit.filter", "&Filter claims", keys=("Ctrl+F",), menu="edit/find", enabled_when="project"
    ),
    ActionSpec(
        "claim.next", "&Next claim", keys=("J", "Down"), menu="claim/move", enabled_when="project"
    ),
    ActionSpec(
        "claim.prev",
        "&Previous claim",
        keys=("K", "Up"),
        menu="claim/move",
        enabled_when="project",
    ),
    ActionSpec(
        "claim.next_unchecked",
        "Next &unchecked claim",
        keys=("N",),
        menu="claim/move",
        toolbar="navigate",
        short="Next unchecked",
        tip="Jump to the next unchecked claim",
        enabled_when="project",
    ),
    MenuSpec("claim.rate", "&Rate", parent="claim/rate", groups=("ratings", "clear")),
    ActionSpec(
        "claim.rationale", "Write &rationale", keys=("R",), menu="claim/edit", enabled_when="claim"
    ),
    ActionSpec(
        "claim.add_source",
        "&Add source…",
        keys=("Ctrl+L",),
        menu="claim/edit",
        toolbar="navigate",
        short="Add source",
        tip="Attach a source to the claim",
        enabled_when="claim",
    ),
    ActionSpec(
        "claim.make",
        "&Make claim from selection",
        keys=("Ctrl+M",),
        menu="claim/shape",
        toolbar="claim",
        short="Make claim",
        tip="Make a claim from the text selected in the article",
        enabled_when="selection",
    ),
    ActionSpec(
        "claim.split",
        "&Split at cursor",
        keys=("Ctrl+Shift+X",),
        menu="claim/shape",
        toolbar="claim",
        short="Split",
        tip="Split the claim where the text cursor is (click in the article first)",
        enabled_when="project",
    ),
    ActionSpec(
        "claim.merge",
        "Mer&ge with next",
        keys=("Ctrl+Shift+M",),
        menu="claim/shape",
        toolbar="claim",
        short="Merge",
        tip="Merge the claim with the next one",
        enabled_when="claim",
    ),
    ActionSpec(
        "claim.wording", "Edit &wording…", keys=("F2",), menu="claim/shape", enabled_when="claim"
    ),
    ActionSpec(
        "claim.rescore",
        "Re-&score",
        keys=("Ctrl+Alt+S",),
        menu="claim/shape",
        tip="Score the claim's check-worthiness again",
        enabled_when="claim",
    ),
    ActionSpec(
        "claim.delete",
        "&Delete claim",
        keys=("Delete",),
        menu="claim/shape",
        toolbar="claim",
        short="Delete",
        enabled_when="claim",
    ),
    ActionSpec(
        "claim.clear", "&Clear verdict", keys=("0",), menu="claim.rate/clear", enabled_when="claim"
    ),
)
MAX_RATING_KEYS = 9  # ratings 1-9 get a key each


class ClaimActions(QObject):
    """The commands of the Claim menu (and Ctrl+F), acting on the window's current claim."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.rate_actions: list[QAction] = []
        panel = window.panel
        panel.verdictChosen.connect(self.set_verdict)
        panel.rationaleCommitted.connect(self.set_rationale)
        panel.statusChosen.connect(self.set_status)
        panel.addSourceRequested.connect(self.add_source)
        panel.editSourceRequested.connect(self.edit_source)
        panel.removeSourceRequested.connect(self.remove_source)
        panel.editWordingRequested.connect(self.edit_wording)
        # Leaving the box saves the rationale (focus-out), as Tab or a click do.
        panel.doneWriting.connect(lambda: self.window.table.setFocus())
        window.article_view.makeClaimRequested.connect(self.make_claim)
        window.article_view.splitRequested.connect(self.split_claim)

    def register(self) -> None:
        """Add the Claim menu and its commands to the window's registry."""
        w = self.window
        w.add_menu(CLAIM_MENU)
        slots = self._slots()
        for spec in CLAIM_ACTIONS:
            if isinstance(spec, MenuSpec):
                w.add_menu(spec)
            else:
                w.add_action(spec, slots[spec.id])

    def _slots(self) -> dict[str, Any]:
        return {
            "edit.filter": self.focus_filter,
            "claim.next": lambda: self.move(1),
            "claim.prev": lambda: self.move(-1),
            "claim.next_unchecked": self.next_unchecked,
            "claim.rationale": self.focus_rationale,
            "claim.add_source": self.add_source,
            "claim.make": self.make_claim_from_selection,
            "claim.split": self.split_at_cursor,
            "claim.merge": self.merge_with_next,
            "claim.wording": self.edit_wording,
            "claim.rescore": self.rescore,
            "claim.delete": self.delete_claim,
            "claim.clear": lambda: self.rate(None),
        }

    def set_scale(self, scale: Scale | None) -> None:
        """Claim ▸ Rate lists the open project's ratings, keys 1-9."""
        registry = self.window.actions_registry
        with registry.batch():
            for action_id in [a for a in registry.ids() if a.startswith("claim.rate.")]:
                registry.remove(action_id)
            ratings = scale.ratings if scale is not None else ()
            self.rate_actions = [
                self.window.add_action(
                    ActionSpec(
                        f"claim.rate.{i + 1}",
                        rating.label,
                        keys=(f"{i + 1}",),
                        menu="claim.rate/ratings",
                        tip=rating.description or rating.label,
                        enabled_when="claim",
                    ),
                    lambda r=rating.id: self.rate(r),
                )
                for i, rating in enumerate(ratings[:MAX_RATING_KEYS])
            ]

    # ------------------------------------------------------------------ moving
    def move(self, step: int) -> None:
        proxy = self.window.proxy
        rows = proxy.rowCount()
        if not rows:
            return
        cid = self.window.current_claim_id()
        row = proxy.row_of(cid) if cid is not None else None
        new = 0 if row is None else max(0, min(rows - 1, row + step))
        self.window.select_claim(proxy.claim_id_at(new))

    def next_unchecked(self) -> None:
        w = self.window
        rows = w.proxy.rowCount()
        cid = w.current_claim_id()
        start = w.proxy.row_of(cid) if cid is not None else None
        start = -1 if start is None else start
        for k in range(1, rows + 1):
            claim_id = w.proxy.claim_id_at((start + k) % rows)
            claim = w.model.claim(claim_id) if claim_id is not None else None
            if claim is not None and claim.status == "unchecked":
                w.select_claim(claim.id)
                return
        w.status("No unchecked claims left in this list. Well done.")

    def focus_filter(self) -> None:
        self.window.dock("claims").show()
        self.window.claims_table.focus_filter()

    def focus_rationale(self) -> None:
        if self.window.current_claim_id() is not None:
            self.window.dock("claim").show()
            self.window.panel.rationale.setFocus()

    # ------------------------------------------------------------------ edits
    def _claim(self, claim_id: int | None = None) -> ClaimRecord | None:
        cid = claim_id if claim_id is not None else self.window.current_claim_id()
        return self.window.model.claim(cid) if cid is not None else None

    def rate(self, rating: str | None) -> None:
        claim = self._claim()
        if claim is None:
            return
        self.window.panel.commit_rationale()
        self.set_verdict(claim.id, rating)

    def set_verdict(self, claim_id: int, rating: str | None) -> None:
        w = self.window
        claim = self._claim(claim_id)
        if claim is None or claim.rating == rating:
            return
        if not w.push(cmd.SetVerdict(w, claim, rating, claim.rationale)):
            return
        # Said for a clear too: the rating's line ("Claim 15: Mostly true") stayed after 0.
        said = w.project.scale.rating(rating).label if rating else "verdict cleared"
        w.status(f"Claim {claim_id}: {said}", 4000)

    def set_rationale(self, claim_id: int, text: str) -> None:
        claim = self._claim(claim_id)
        if claim is not None and claim.rationale != text:
            session = self.window.panel.typing_session()
            self.window.push(cmd.EditRationale(self.window, claim, text, session))

    def set_status(self, claim_id: int, status: str, note: str) -> None:
        claim = self._claim(claim_id)
        if claim is not None:
            self.window.push(cmd.SetStatus(self.window, claim, status, note))

    def add_source(self, answer: SourceAnswer | None = None) -> None:
        claim = self._claim()
        if claim is None:
            return
        answer = answer or self.window.ask.source(None)
        if answer is None or not answer.url:
            return
        link = cmd.SourceLink(answer.url, answer.relation, answer.note)
        self.window.push(cmd.AttachSource(self.window, claim, link))

    def edit_source(self, current: Any) -> None:
        claim = self._claim()
        if claim is None:
            return
        initial = SourceAnswer(current.source.url, current.relation, current.note)
        answer = self.window.ask.source(initial)
        if answer is None or answer == initial:
            return
        link = cmd.SourceLink(current.source.url, answer.relation, answer.note)
        edit = cmd.AttachSource(self.window, claim, link, previous=current, text="Edit source")
        self.window.push(edit)

    def remove_source(self, current: Any) -> None:
        claim = self._claim()
        if claim is not None:
            self.window.push(cmd.DetachSource(self.window, claim, current))

    def make_claim_from_selection(self) -> None:
        span = self.window.article_view.selected_span()
        if span is None:
            self.window.status("Select some text in the article first.")
            return
        self.make_claim(*span)

    def make_claim(self, start: int, end: int) -> None:
        self.window.push(cmd.AddClaim(self.window, start, end))

    def split_at_cursor(self) -> None:
        view = self.window.article_view
        offset = view.cursor_offset()
        claim = view.claim_at_offset(offset) if offset is not None else None
        if claim is None:
            self.window.status(
                "Click inside a claim in the article where it should be split, then split.", 6000
            )
            return
        self.split_claim(claim.id, offset)

    def split_claim(self, claim_id: int, offset: int) -> None:
        claim = self._claim(claim_id)
        if claim is not None:
            self.window.push(cmd.SplitClaim(self.window, claim, offset))

    def merge_with_next(self) -> None:
        claim = self._claim()
        if claim is None:
            return
        _before, after = self.window.model.neighbours(claim.id)
        if after is None:
            self.window.status("This is the last claim; there is nothing to merge.")
            return
        self.window.push(cmd.MergeClaims(self.window, claim, after))

    def edit_wording(self) -> None:
        claim = self._claim()
        if claim is None:
            return
        text = self.window.ask.wording(claim.text)
        if text is not None and text.strip() and text.strip() != claim.text:
            self.window.push(cmd.SetWording(self.window, claim, text.strip()))

    def rescore(self) -> None:
        claim = self._claim()
        if claim is not None:
            self.window.push(cmd.Rescore(self.window, claim))

    def delete_claim(self) -> None:
        claim = self._claim()
        if claim is None:
            return
        before, after = self.window.model.neighbours(claim.id)
        following = after or before
        self.window.push(cmd.DeleteClaim(self.window, claim, following.id if following else None))
