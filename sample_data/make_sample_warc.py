"""Write sample_data/cited-pages.warc.gz: archived copies of the pages sample-article.html cites.

Every page, organisation and person here is fictional, written for Workbench's sample data; the
URLs use example.org/.com/.net hosts, which are reserved and never contacted.

The output is reproducible: record ids are derived from the URL and date, WARC dates are fixed
and gzip members carry no timestamp, so running this again gives the same bytes.

    python sample_data/make_sample_warc.py [output path]
"""

from __future__ import annotations

import gzip
import io
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUTPUT = Path(__file__).with_name("cited-pages.warc.gz")


@dataclass(frozen=True)
class Page:
    url: str
    captured_at: str  # WARC-Date, UTC
    site: str
    title: str
    body: str  # the page's main content as HTML paragraphs
    chunked_gzip: bool = False  # served with Content-Encoding: gzip and chunked transfer

    def html(self) -> bytes:
        return _TEMPLATE.format(site=self.site, title=self.title, body=self.body).encode("utf-8")


_TEMPLATE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} | {site}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<!-- Fictional page written for the Workbench sample data. -->
<header>
<a class="logo" href="/">{site}</a>
<nav><a href="/">Home</a> <a href="/about/">About</a> <a href="/news/">News</a>
<a href="/contact/">Contact</a> <a href="/search/">Search</a></nav>
</header>
<div class="cookie-banner">We use cookies to understand how this site is used.
<button>Accept</button> <button>Manage settings</button></div>
<main>
<h1>{title}</h1>
{body}
</main>
<footer>
<p>{site}. All content on this page is fictional sample data.</p>
<nav><a href="/privacy/">Privacy notice</a> <a href="/accessibility/">Accessibility</a>
<a href="/sitemap/">Site map</a></nav>
</footer>
</body>
</html>
"""

PAGES: tuple[Page, ...] = (
    Page(
        url="http://council.example.org/meetings/2026-03-03/minutes",
        captured_at="2026-03-05T14:12:09Z",
        site="Harbour Town Council",
        title="Minutes of the Full Council meeting, 3 March 2026",
        body="""<p class="meta">Meeting held at the Guildhall, Harbour Town, at 6.30pm on Tuesday
3 March 2026. Present: the Mayor (Cllr Tomas Reyes) and Cllrs Chen, Dufresne, Hallett, Lund,
Oduya, Pennington, Quayle and Sorensen.</p>
<h2>1. Apologies</h2>
<p>None were received.</p>
<h2>2. Millbrook Bridge replacement: capital budget</h2>
<p>The Chair of the Finance Committee, Cllr Ada Pennington, introduced the report on the
replacement of the Millbrook Bridge and moved that the council approve a capital budget of
£48.6 million for the scheme.</p>
<p>Cllr Pennington said: "This is the largest single investment the council has made in a
generation, and every penny of it has been scrutinised." She noted that the estimate includes a
contingency of £4.1 million.</p>
<p>Cllr Bryn Oduya said the council had rushed a decision that would be paid for by the next
generation and asked for the vote to be deferred until after the public consultation. The
motion to defer was not seconded.</p>
<p>On being put to the vote, the motion to approve the capital budget of £48.6 million was
carried, with 7 votes in favour and 2 against (Cllrs Oduya and Quayle).</p>
<p><strong>Resolved:</strong> that a capital budget of £48.6 million be approved for the
replacement of the Millbrook Bridge, and that the Director of Place be authorised to begin
procurement.</p>
<h2>3. Date of next meeting</h2>
<p>The next meeting of the Full Council will be held on Tuesday 7 April 2026.</p>""",
    ),
    Page(
        url="http://www.example.com/ridgeway-engineering/reports/millbrook-bridge-feasibility",
        captured_at="2026-03-02T09:40:51Z",
        site="Ridgeway Engineering Partnership",
        title="Millbrook Bridge replacement: feasibility study (summary)",
        body="""<p class="meta">Prepared for Harbour Town Council. Report RE-2291, issue 3,
January 2026.</p>
<h2>Condition of the existing structure</h2>
<p>The existing Millbrook Bridge is a riveted steel truss opened in 1931. Inspections in 2018
and 2025 found section loss of up to 30 per cent in the lower chords. Without replacement, the
existing structure is likely to require closure to all vehicles by 2029.</p>
<h2>Traffic</h2>
<p>Automatic counts in October 2025 recorded an average of 9,800 vehicles a day on the detour
route. With the weight limit removed, we forecast that the new bridge would carry an estimated
12,400 vehicles a day in its opening year, rising to about 13,100 by 2040.</p>
<h2>Preferred option</h2>
<p>Option B, a two-span concrete box girder with a shared footway and cycleway, offers the best
value. It has a design life of 60-70 years with routine maintenance, against 40 years for the
refurbishment option.</p>
<h2>Cost</h2>
<p>The estimated outturn cost of Option B is £44.5 million before contingency. We recommend a
contingency of £4.1 million, giving a total of £48.6 million.</p>""",
    ),
    Page(
        url="http://news.example.net/coastal-courier/2026/03/06/mayor-reyes-interview",
        captured_at="2026-03-07T18:03:27Z",
        site="The Coastal Courier",
        title="Mayor Reyes: 'The bridge is the missing link'",
        body="""<p class="byline">By Joss Pemberton, 6 March 2026</p>
<p>Harbour Town's mayor, Tomas Reyes, sat down with the Courier three days after the council
vote on the Millbrook Bridge.</p>
<p>"The bridge is the missing link in our plan for the eastern side of town," he said. "Eastfield
has the new school and the health centre, but you cannot get a bus to either of them from the
harbour without a detour."</p>
<p>Asked how the council would pay for it, he was firm. "We will not be borrowing a single pound
more than we can repay from the harbour levy over thirty years, and I have said so from the
first day."</p>
<p>He said he expected a decision on the council's bid to the Regional Transport Fund "within
weeks", and that he had met the Friends of Millbrook Estuary twice since January.</p>
<p>The mayor, a former harbour master, was elected in May 2024.</p>""",
        chunked_gzip=True,
    ),
    Page(
        url="http://stats.example.org/regional-statistics/harbour-town/population",
        captured_at="2026-03-09T11:27:44Z",
        site="Regional Statistics Office",
        title="Harbour Town: population estimates",
        body="""<p class="meta">Official statistics. Last updated 26 February 2026.</p>
<h2>Main points</h2>
<ul>
<li>The estimated population of Harbour Town in mid-2025 was 31,250.</li>
<li>The population has grown by 4.2% since mid-2020, faster than the regional average of
2.9%.</li>
<li>People aged 65 and over make up 24.1% of residents.</li>
</ul>
<h2>About these estimates</h2>
<p>Mid-year estimates are based on the census and updated each year using births, deaths and
migration. They are rounded to the nearest 10.</p>""",
    ),
    Page(
        url="http://www.example.org/friends-of-millbrook-estuary/news/bridge-statement",
        captured_at="2026-03-10T08:15:02Z",
        site="Friends of Millbrook Estuary",
        title="Our statement on the council's bridge vote",
        body="""<p class="meta">Posted 4 March 2026 by the committee.</p>
<p>Last night Harbour Town Council voted to approve the budget for a new Millbrook Bridge.</p>
<p>We are not against a new crossing, but the current design could damage the oystercatcher
nesting grounds at Salt Point for years to come.</p>
<p>We are asking the council to move the southern abutment forty metres upstream, which its
own engineers say is possible, and to keep construction traffic off the saltmarsh between April
and July.</p>
<p>Our chair, Morwenna Hale, will speak at the public consultation. Members can read the full
response to the feasibility study on the members' page.</p>""",
    ),
    Page(
        url="http://www.example.com/regional-transport-fund/awards/2026",
        captured_at="2026-03-20T16:48:30Z",  # after the article (12 March): flagged on import
        site="Regional Transport Fund",
        title="Awards 2026",
        body="""<p class="meta">This page was updated on 18 March 2026.</p>
<p>The fund's board met on 27 February 2026 and approved the following capital grants.</p>
<table>
<tr><th>Scheme</th><th>Applicant</th><th>Grant</th></tr>
<tr><td>Millbrook Bridge replacement</td><td>Harbour Town Council</td><td>£12 million</td></tr>
<tr><td>Westhaven station step-free access</td><td>Westhaven Borough</td><td>£3.2 million</td></tr>
<tr><td>Coast Road cycle route, phase 2</td><td>Northcliffe District</td><td>£1.9 million</td></tr>
</table>
<p>Harbour Town Council has been awarded a grant of £12 million towards the replacement of the
Millbrook Bridge, subject to a full business case.</p>""",
    ),
)


def _http_response(page: Page) -> bytes:
    """The HTTP response as a server would send it (headers and body bytes, still encoded)."""
    html = page.html()
    headers = [
        "HTTP/1.1 200 OK",
        "Date: " + _http_date(page.captured_at),
        "Server: nginx",
        "Content-Type: text/html; charset=utf-8",
    ]
    if page.chunked_gzip:
        payload = gzip.compress(html, mtime=0)
        chunks = [payload[i : i + 1024] for i in range(0, len(payload), 1024)]
        encoded = b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"
        headers += ["Content-Encoding: gzip", "Transfer-Encoding: chunked"]
    else:
        encoded = html
        headers.append(f"Content-Length: {len(html)}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode("ascii") + encoded


def _http_date(iso: str) -> str:
    return format_datetime(datetime.fromisoformat(iso), usegmt=True)


def _record_id(*parts: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, '|'.join(parts))}>"


def write_warc(out: io.BufferedIOBase) -> None:
    """Write the warcinfo record, then a request and a response record per page."""
    writer = WARCWriter(out, gzip=True)
    info = writer.create_warcinfo_record(
        "cited-pages.warc.gz",
        {
            "software": "Workbench sample_data/make_sample_warc.py (warcio)",
            "description": "Fictional pages cited by sample-article.html",
        },
    )
    info.rec_headers.replace_header("WARC-Date", "2026-03-21T00:00:00Z")
    info.rec_headers.replace_header("WARC-Record-ID", _record_id("warcinfo"))
    writer.write_record(info)
    for page in PAGES:
        response = writer.create_warc_record(
            page.url,
            "response",
            payload=io.BytesIO(_http_response(page)),
            length=len(_http_response(page)),
            warc_headers_dict={
                "WARC-Date": page.captured_at,
                "WARC-Record-ID": _record_id(page.url, page.captured_at, "response"),
            },
        )
        parts = urlsplit(page.url)
        request_headers = StatusAndHeaders(
            f"GET {parts.path or '/'} HTTP/1.1",
            [("Host", parts.netloc), ("User-Agent", "Workbench sample builder")],
            is_http_request=True,
        )
        request = writer.create_warc_record(
            page.url,
            "request",
            http_headers=request_headers,
            warc_headers_dict={
                "WARC-Date": page.captured_at,
                "WARC-Record-ID": _record_id(page.url, page.captured_at, "request"),
                "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
            },
        )
        writer.write_record(request)
        writer.write_record(response)


def main(argv: list[str]) -> int:
    target = Path(argv[1]) if len(argv) > 1 else OUTPUT
    with target.open("wb") as out:
        write_warc(out)
    print(f"wrote {target} ({target.stat().st_size} bytes, {len(PAGES)} pages)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
