"""The one URL policy of the whole program: only http and https.

Every address that Workbench opens in the desktop browser, fetches, or stores as a source goes
through `web_url` (or `require_web_url`). Anything else — file:, smb:, ms-msdt:, javascript:,
data:, a bare host name, an address with spaces or control characters — is not a link: it is
kept as plain text where it appeared, and the person is told why (`NOT_WEB_REASON`).

Before this module the rule lived in six places with six slightly different tests (a prefix
check, a deny-list of schemes, a regular expression...), so a scheme missing from one deny-list
reached QDesktopServices.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit, urlunsplit

from workbench.core.errors import InvalidInputError

WEB_SCHEMES = frozenset({"http", "https"})
NOT_WEB_REASON = "only http:// and https:// addresses are opened, fetched or kept as sources"
# Control characters never belong in an address; browsers strip some of them silently (so
# "java\tscript:" can become "javascript:"), which is reason enough to refuse them. A space is
# tolerated in the path (people paste such addresses; it is percent-encoded when used) but not
# in the host.
_UNSAFE_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def web_url(value: object) -> str | None:
    """`value` as an http(s) address (surrounding white space removed), or None if it is not one.

    An http(s) address is absolute, has a host name without spaces, a valid port and no control
    characters.
    """
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or _UNSAFE_CHARS.search(url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname or " " in parts.netloc:
        return None
    return url


# "www.example.org/report", "example.org:8080/a?b": a host with a dot, an optional port, then
# a path, query or fragment. What a person types or copies from a browser's address bar.
_BARE_ADDRESS = re.compile(r"^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(:\d+)?([/?#]\S*)?$")


def typed_web_url(value: object) -> str | None:
    """An address as a person types it: an http(s) address as `web_url` takes it, or a bare
    "www.example.org/page" completed with https:// as a browser does; None for anything else
    (another scheme, a single word, text with spaces)."""
    url = web_url(value)
    if url is not None or not isinstance(value, str):
        return url
    text = value.strip()
    return web_url(f"https://{text}") if _BARE_ADDRESS.match(text) else None


def is_web_url(value: object) -> bool:
    """Whether `value` may be opened, fetched or stored as a source (see `web_url`)."""
    return web_url(value) is not None


def require_web_url(value: object, *, what: str = "The address") -> str:
    """The http(s) address in `value` as it may be kept (`kept_url`), or InvalidInputError
    with a one-line reason. Every address stored in a project goes through here."""
    url = kept_url(value)
    if url is None:
        raise InvalidInputError(f"{what} {shown(value)} is not a web address; {NOT_WEB_REASON}.")
    return url


def kept_url(value: object) -> str | None:
    """`web_url(value)` without a user name or password in it. An address typed or linked
    as https://user:password@host/... may be fetched once as given, but what is stored (in the
    project, its reports and exports, shared with the desk) and looked up in the public web
    archives is the address alone: the credentials are never kept or sent elsewhere."""
    url = web_url(value)
    return None if url is None else without_credentials(url)


def without_credentials(url: str) -> str:
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


_USERINFO = re.compile(r"(?<=://)[^/@\s]*@")


def shown(value: object, limit: int = 80) -> str:
    """A quoted, shortened, printable form of a refused address for a message."""
    text = "" if value is None else str(value)
    text = _USERINFO.sub("", _UNSAFE_CHARS.sub(" ", text)).strip()  # never a password
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"'{text}'"
