"""schema.org ClaimReview JSON-LD: one ClaimReview per rated claim.

Google's fact-check markup requires claimReviewed, reviewRating (a Rating whose alternateName
is the verdict in words) and url (the fact-check page, optionally with an anchor); it
recommends author, datePublished, itemReviewed (a Claim with author, datePublished,
appearance/firstAppearance) and the Rating's ratingValue, bestRating and worstRating.
(Google has announced it is phasing ClaimReview out of Search results; the markup stays in
use by the Fact Check Explorer and other consumers, so we keep producing it.)
"""

from __future__ import annotations

from typing import Any

from workbench.core.report.data import ReportClaim, ReportData, ReportSource

PREVIOUSLY_CHECKED = "previously checked"

CONTEXT = "https://schema.org"


def claim_reviews(
    data: ReportData,
    *,
    review_url: str | None = None,
    organization: str | None = None,
    approved_only: bool = False,
) -> list[dict[str, Any]]:
    """ClaimReview objects for the rated claims among data.claims, in article order.

    review_url: the page publishing the fact check; defaults to the article URL. Each review
    gets "#claim-ID" appended, the anchor the HTML report gives that claim.
    organization: publish as this Organization; otherwise each review's author is the Person
    who gave the current verdict.
    """
    base = (review_url or data.article.url or "").split("#", 1)[0]
    reviews = []
    for item in data.claims:
        if item.rating is None:
            continue
        if approved_only and item.claim.status != "approved":
            continue
        reviews.append(_review(data, item, base, organization))
    return reviews


def _review(
    data: ReportData, item: ReportClaim, base: str, organization: str | None
) -> dict[str, Any]:
    claim = item.claim
    review: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": f"{base}#claim-{claim.id}" if base else f"#claim-{claim.id}",
        "claimReviewed": claim.text,
        "reviewRating": _rating(data, item),
        "itemReviewed": _claim(data),
    }
    if organization:
        review["author"] = {"@type": "Organization", "name": organization}
    elif claim.rated_by:
        review["author"] = {"@type": "Person", "name": claim.rated_by}
    if claim.rated_at:
        review["datePublished"] = claim.rated_at
    earlier = [s for s in item.sources if s.relation == PREVIOUSLY_CHECKED]
    if earlier:
        # An earlier fact check of the same claim, attached from the fact-check library.
        # schema.org has no property just for it; `citation` is a CreativeWork's reference to
        # another work, and typing it ClaimReview says what kind of work it is.
        review["citation"] = [_earlier(s) for s in earlier]
    return review


def _earlier(source: ReportSource) -> dict[str, Any]:
    work: dict[str, Any] = {"@type": "ClaimReview", "url": source.url}
    if source.title:
        work["name"] = source.title
    if source.publisher:
        work["publisher"] = {"@type": "Organization", "name": source.publisher}
    return work


def _rating(data: ReportData, item: ReportClaim) -> dict[str, Any]:
    assert item.rating is not None
    rating: dict[str, Any] = {"@type": "Rating", "alternateName": item.rating.label}
    # Ratings outside the ordinal order (Misleading, Unverifiable) have no place on a numeric
    # scale. Google requires only alternateName and asks for bestRating/worstRating only when
    # a numeric ratingValue is given, so for those we give alternateName alone rather than
    # invent a number that would rank "Misleading" against "False".
    if item.rating_value is not None:
        rating["ratingValue"] = item.rating_value
        rating["bestRating"] = len(data.scale.ordinal)
        rating["worstRating"] = 1
    return rating


def _claim(data: ReportData) -> dict[str, Any]:
    article = data.article
    claim: dict[str, Any] = {"@type": "Claim"}
    if article.url or article.title:
        work: dict[str, Any] = {"@type": "CreativeWork"}
        if article.url:
            work["url"] = article.url
        if article.title:
            work["headline"] = article.title
        claim["appearance"] = work
        claim["firstAppearance"] = work
    if article.byline:
        claim["author"] = {"@type": "Person", "name": article.byline}
    if article.published:
        claim["datePublished"] = article.published
    return claim
