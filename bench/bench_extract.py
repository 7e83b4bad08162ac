"""Benchmark: article extraction on mozilla/readability's 130 test pages, beside trafilatura.

Run with ``python bench/bench_extract.py [--data DIR] [--json]``. Reads
``../shared/data/extraction-dev/readability/test-pages/*/`` where it lies (the pages are never
copied into the repository). For every page, Workbench's loader (`article_from_html` on the
page's bytes) and trafilatura called directly on the same bytes (`bare_extraction` with
metadata) are compared with the page's expected output:

- body F1: word-level F1 (bag of lower-cased words) against the text of `expected.html`, the
  Readability.js extraction; a refused page scores 0;
- title, byline and date match rates over the pages whose `expected-metadata.json` gives one:
  equal after case and white-space folding (a byline may carry a leading "By"), the date
  compared as YYYY-MM-DD.

The "real pages" rows keep only pages named after a news site (not the synthetic unit tests).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _table import emit_json

ROOT = Path(__file__).resolve().parents[1]
# ../shared/data beside the repository (or beside a folder holding it, for a git worktree).
_SHARED = next(
    (p / "shared" / "data" for p in ROOT.parents if (p / "shared" / "data").is_dir()),
    ROOT.parent / "shared" / "data",
)
DEFAULT_DATA = _SHARED / "extraction-dev" / "readability" / "test-pages"
_WORD = re.compile(r"\w+", re.UNICODE)
# Pages of the set that are real sites rather than hand-made unit tests. Not "rtl-1".."rtl-4":
# despite the name they are lorem-ipsum right-to-left tests ("<title>RTL Test</title>").
_REAL = re.compile(
    r"^(?:aclu|aktualne|archive-of-our-own|ars|bbc|blogger|breitbart|buzzfeed|citylab|cnet|cnn|"
    r"daringfireball|dev418|dropbox-blog|ebb-org|ehow|engadget|firefox-nightly-blog|folha|"
    r"gitlab-blog|gmw|google-sre-book|guardian|heise|herald-sun|hukumusume|iab|ietf|la-nacion|"
    r"lemonde|liberation|lifehacker-post-comment-load|lifehacker-working|lwn|medicalnewstoday|"
    r"medium|mercurial|mozilla|msn|nytimes|pixnet|qq|quanta|royal-road|salon|seattletimes|"
    r"simplyfound|spiceworks|telegraph|theverge|tmz|topicseed|tumblr|v8-blog|wapo|webmd|wikia|"
    r"wikipedia|wordpress|yahoo|youth)(?:-\d+)?$"
)


@dataclass
class Result:
    text: str
    title: str
    byline: str
    date: str | None


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in _WORD.findall(text))


def f1(ours: str, expected: str) -> float:
    a, b = words(ours), words(expected)
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def _fold(text: str | None) -> str:
    return " ".join((text or "").casefold().split())


def byline_match(ours: str, expected: str) -> bool:
    a, b = _fold(ours), _fold(expected)
    a, b = re.sub(r"^by\s+", "", a), re.sub(r"^by\s+", "", b)
    return bool(a) and a == b


def workbench(data: bytes) -> Result:
    from workbench.core.article.load import article_from_html
    from workbench.core.errors import WorkbenchError

    try:
        article = article_from_html(data)
    except WorkbenchError:
        return Result("", "", "", None)
    return Result(article.text, article.title, article.byline, (article.published or "")[:10])


def trafilatura_direct(data: bytes) -> Result:
    from trafilatura import bare_extraction

    try:
        doc = bare_extraction(data, with_metadata=True, include_comments=False)
    except Exception:  # trafilatura raises assorted errors on odd pages; count as nothing
        doc = None
    if doc is None:
        return Result("", "", "", None)
    return Result(
        getattr(doc, "text", "") or "",
        getattr(doc, "title", "") or "",
        getattr(doc, "author", "") or "",
        (getattr(doc, "date", "") or "")[:10] or None,
    )


def expected_text(path: Path) -> str:
    import lxml.html

    html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
    return lxml.html.document_fromstring(html).text_content() if html.strip() else ""


def measure(folder: Path, extract: Callable[[bytes], Result]) -> dict[str, float]:
    scores: dict[str, list[float]] = {
        "f1": [],
        "f1_real": [],
        "title": [],
        "byline": [],
        "date": [],
    }
    refused = refused_real = 0
    started = time.perf_counter()
    for page in sorted(p for p in folder.iterdir() if p.is_dir()):
        data = gzip.decompress((page / "source.html.gz").read_bytes())
        meta = json.loads((page / "expected-metadata.json").read_text("utf-8"))
        got = extract(data)
        score = f1(got.text, expected_text(page / "expected.html.gz"))
        scores["f1"].append(score)
        real = bool(_REAL.match(page.name))
        if real:
            scores["f1_real"].append(score)
        if not got.text.strip():
            refused += 1
            refused_real += real
        if meta.get("title"):
            scores["title"].append(float(_fold(got.title) == _fold(meta["title"])))
        if meta.get("byline"):
            scores["byline"].append(float(byline_match(got.byline, meta["byline"])))
        if meta.get("publishedTime"):
            scores["date"].append(float((got.date or "") == meta["publishedTime"][:10]))
    out = {key: sum(values) / len(values) for key, values in scores.items() if values}
    out |= {f"{key}_n": len(values) for key, values in scores.items()}
    out |= {"empty": refused, "empty_real": refused_real, "seconds": time.perf_counter() - started}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not args.data.is_dir():
        print(f"error: the extraction pages are not in {args.data}", file=sys.stderr)
        return 2
    import trafilatura

    ours = measure(args.data, workbench)
    theirs = measure(args.data, trafilatura_direct)
    print(f"{'':28s} {'Workbench':>10s} {'trafilatura ' + trafilatura.__version__:>18s}")
    for key, label in (
        ("f1", f"body F1, all {ours['f1_n']} pages"),
        ("f1_real", f"body F1, {ours['f1_real_n']} real pages"),
        ("title", f"title match ({ours['title_n']})"),
        ("byline", f"byline match ({ours['byline_n']})"),
        ("date", f"date match ({ours['date_n']})"),
        ("empty", "pages with no text"),
        ("seconds", "seconds"),
    ):
        print(f"{label:28s} {ours[key]:>10.3f} {theirs[key]:>18.3f}")
    if args.json:
        emit_json(
            {
                "pages": ours["f1_n"],
                "trafilatura_version": trafilatura.__version__,
                **{f"ours_{k}": v for k, v in ours.items()},
                **{f"trafilatura_{k}": v for k, v in theirs.items()},
            }
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
