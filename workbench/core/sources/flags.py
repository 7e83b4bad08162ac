"""The clauses a snapshot check writes into a note, one per flag.

Apart from the checks (`checks.py`, which parse HTML), so the review pane can read notes
without importing an HTML parser before the window shows.
"""

from __future__ import annotations

# One fixed clause per flag, written into the note (sometimes with details after it); the review
# pane finds them there by this start and shows each beside its flag. Notes join clauses with
# "; ", so no clause may contain one.
FLAG_SENTENCES: dict[str, str] = {
    "soft-404": "the copy looks like an error page (page not found), not the cited page",
    "paywall": "the copy looks like a paywall stub: the cited text may be missing from it",
    "consent-wall": "the copy shows a cookie or consent notice instead of the page",
    "redirected-home": (
        "the cited link led to the site's home page when captured, "
        "so the cited page was probably gone"
    ),
    "thin": "the copy holds very little text, too little to be the cited page",
    # Set by sources_fetch.readable for PDFs, with the reason after the clause.
    "no-text": "no text could be read from this PDF, so quotations cannot be checked in it",
    "partial-text": "only part of this PDF's text was read",
}
