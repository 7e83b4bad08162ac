"""Verdict reports: gathered once (`data`), written as HTML, Markdown, CSV (`formats`), PDF (`pdf`),
JSON and schema.org ClaimReview (`claimreview`); `export` is the entry point."""
