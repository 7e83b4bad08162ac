"""From an article (file, URL or text) to a saved project: the one path every front end uses."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from workbench.core.article.load import load_article
from workbench.core.article.model import Article
from workbench.core.claims.finder import find_claims
from workbench.core.net.urls import NOT_WEB_REASON, kept_url, shown
from workbench.core.project.scales import DEFAULT_SCALE, Scale
from workbench.core.project.schema import ARTICLE_SOURCE_KEY, REFUSED_LINKS_KEY
from workbench.core.project.store import Project

Progress = Callable[[str, float], None]


def new_project(
    path: str | Path,
    source: str | Path | Article,
    *,
    scale: str | Scale = DEFAULT_SCALE,
    overwrite: bool = False,
    progress: Progress | None = None,
) -> Project:
    """Load (unless given an Article), split into claims and write the project file."""
    report = progress or (lambda _step, _fraction: None)
    if isinstance(source, Article):
        article = source
    else:
        report("Loading the article", 0.05)
        article = load_article(source)
    report("Finding claims", 0.4)
    claims = find_claims(article.text)
    report("Saving the project", 0.8)
    project = Project.create(path, article, claims, scale=scale, overwrite=overwrite)
    if not isinstance(source, Article):
        # Remembered so a later fetch can find web archives kept beside the article.
        project.set_meta(ARTICLE_SOURCE_KEY, _source_location(source))
    if article.refused_links:
        project.set_meta(REFUSED_LINKS_KEY, json.dumps(list(article.refused_links)))
    report("Done", 1.0)
    return project


def refused_links_note(project: Project) -> str | None:
    """One sentence on the article's links that are not web addresses, when it had any."""
    refused = json.loads(project.meta().get(REFUSED_LINKS_KEY) or "[]")
    if not refused:
        return None
    listed = ", ".join(shown(url, 40) for url in refused[:3])
    if len(refused) > 3:
        listed += f" and {len(refused) - 3} more"
    if len(refused) == 1:
        return f"A link in the article ({listed}) is not a web address; its text is kept as plain text ({NOT_WEB_REASON})."
    return f"{len(refused)} links in the article ({listed}) are not web addresses; their text is kept as plain text ({NOT_WEB_REASON})."


def _source_location(source: str | Path) -> str:
    text = str(source)
    if text.lower().startswith(("http://", "https://")):
        return kept_url(text) or text  # a password typed into the address is not kept
    return str(Path(text).resolve())
