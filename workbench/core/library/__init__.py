"""The fact-check library: past verdicts and published ClaimReviews, searchable by claim."""
