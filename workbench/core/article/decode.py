"""Bytes to text: which encoding an article or page is in, decided the way browsers decide.

The order follows the WHATWG encoding-sniffing algorithm, simplified for files and fetches:

1. a byte-order mark (UTF-8, UTF-16 LE/BE) wins over everything;
2. the charset the transport declared (HTTP Content-Type), when there is one;
3. for HTML, a <meta charset> or <meta http-equiv="Content-Type"> in the first 1024 bytes;
4. strict UTF-8, since most text today is UTF-8 and random legacy bytes rarely pass as UTF-8
   (valid UTF-8 that has non-ASCII characters is taken as UTF-8 before steps 2 and 3: a label
   that contradicts such bytes is a stale template, and honouring it gives mojibake);
5. charset_normalizer's guess among encodings browsers support, preferring windows-1252 on a tie;
6. windows-1252, the web's default for undeclared legacy text.

Labels are normalised as browsers do: iso-8859-1, latin-1 and ascii mean windows-1252 (a superset
that also has curly quotes and the euro sign), and a <meta> claiming UTF-16 means UTF-8 (a page
that has just been read as ASCII-compatible bytes cannot be UTF-16).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

META_PRESCAN_BYTES = 1024
# How much worse (in charset_normalizer's "chaos" units) a guess may be than the best one and
# still count as a tie; among ties windows-1252 wins because it is the most common legacy charset.
_TIE_TOLERANCE = 0.005

# Legacy encodings browsers support (WHATWG Encoding Standard), less the DOS and Mac code pages:
# charset_normalizer otherwise happily reads curly quotes as cp852 or mac_iceland letters.
_WEB_CODECS = [
    "utf_8", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257",
    "cp1258", "cp874", "iso8859_2", "iso8859_3", "iso8859_4", "iso8859_5", "iso8859_6",
    "iso8859_7", "iso8859_8", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15",
    "iso8859_16", "koi8_r", "koi8_u", "gb18030", "big5", "euc_jp", "iso2022_jp", "shift_jis",
    "euc_kr",
]  # fmt: skip

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Python codec name -> the name recorded on Article.encoding (WHATWG spelling where one exists).
_DISPLAY_NAMES = {
    "utf-8": "utf-8",
    "utf-16-le": "utf-16le",
    "utf-16-be": "utf-16be",
    "latin-1": "windows-1252",
    "iso8859-1": "windows-1252",
    "ascii": "windows-1252",
    "cp1250": "windows-1250",
    "cp1251": "windows-1251",
    "cp1252": "windows-1252",
    "cp1253": "windows-1253",
    "cp1254": "windows-1254",
    "cp1255": "windows-1255",
    "cp1256": "windows-1256",
    "cp1257": "windows-1257",
    "cp1258": "windows-1258",
    "koi8-r": "koi8-r",
    "koi8-u": "koi8-u",
}

_META_TAG = re.compile(rb"<meta\b[^>]*>", re.IGNORECASE)
_CHARSET_ATTR = re.compile(rb"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_HTML_COMMENT = re.compile(rb"<!--.*?(?:-->|$)", re.DOTALL)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # e.g. "utf-8", "windows-1251"
    how: str  # "bom" | "declared" | "meta" | "utf-8" | "detected" | "fallback"


def decode_bytes(data: bytes, *, declared: str | None = None, is_html: bool = False) -> Decoded:
    """Decode `data` to text, recording which encoding was used and how it was chosen.

    `declared` is the charset the transport announced (e.g. HTTP Content-Type); `is_html` turns on
    the <meta> prescan. A leading byte-order mark is consumed, never left in the text.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom) :].decode(codec, errors="replace"), _display(codec), "bom")

    # Valid UTF-8 with multi-byte characters is almost never a legacy encoding by accident, so
    # it wins over a label that says otherwise (a UTF-8 page still declaring gb2312 would
    # otherwise come out as mojibake).
    utf8 = _utf8(data) if not data.isascii() else None
    if utf8 is not None and "\ufffd" not in utf8:
        return Decoded(utf8, "utf-8", "utf-8")

    declared_codec = normalise_label(declared) if declared else None
    if declared_codec is not None:
        decoded = _decode_declared(data, declared_codec, "declared")
        if decoded is not None:
            return decoded

    if is_html:
        meta_codec = prescan_meta_charset(data)
        if meta_codec is not None:
            decoded = _decode_declared(data, meta_codec, "meta")
            if decoded is not None:
                return decoded

    text = _utf8(data)
    if text is not None:
        return Decoded(text, "utf-8", "utf-8")

    guessed = _guess_codec(data)
    if guessed is not None:
        return Decoded(data.decode(guessed, errors="replace"), _display(guessed), "detected")

    return Decoded(data.decode("cp1252", errors="replace"), "windows-1252", "fallback")


def normalise_label(label: str) -> str | None:
    """The Python codec for a charset label, with browser aliasing; None for unknown labels."""
    cleaned = label.strip().strip("\"'").lower()
    if not cleaned:
        return None
    if cleaned in {"x-user-defined"}:
        return "cp1252"
    try:
        codec = codecs.lookup(cleaned).name
    except LookupError:
        return None
    if codec in {"latin-1", "iso8859-1", "ascii"}:
        return "cp1252"
    return codec


def prescan_meta_charset(data: bytes) -> str | None:
    """The codec named by a <meta> charset in the first 1024 bytes of an HTML document."""
    head = _HTML_COMMENT.sub(b"", data[:META_PRESCAN_BYTES])
    for tag in _META_TAG.finditer(head):
        match = _CHARSET_ATTR.search(tag.group(0))
        if match is None:
            continue
        codec = normalise_label(match.group(1).decode("ascii", errors="ignore"))
        if codec is None:
            continue
        # Bytes we could read as ASCII to find this tag cannot be UTF-16; browsers use UTF-8.
        if codec.startswith("utf-16"):
            return "utf-8"
        return codec
    return None


def _decode_declared(data: bytes, codec: str, how: str) -> Decoded | None:
    """Decode with a declared charset; None when a declared UTF-8 is plainly wrong.

    Pages that say UTF-8 but are windows-1252 are common; browsers show replacement characters,
    but a claim quoted from "\ufffd" is useless, so such pages go on to detection instead.
    A declared legacy charset is honoured even if a few bytes are undefined in it.
    """
    if codec == "utf-8":
        text = _utf8(data)
        return None if text is None else Decoded(text, "utf-8", how)
    try:
        return Decoded(data.decode(codec), _display(codec), how)
    except UnicodeDecodeError:
        return Decoded(data.decode(codec, errors="replace"), _display(codec), how)


def _utf8(data: bytes) -> str | None:
    """Strict UTF-8, except that a character cut off by the end of the data becomes U+FFFD.

    A truncated download or a file cut with `head -c` is still UTF-8; without this, the one
    broken character at the end sent it to detection, which found no encoding for the whole
    text and the loader refused it as a binary file.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            return data[: exc.start].decode("utf-8") + "\ufffd"
        return None


def _guess_codec(data: bytes) -> str | None:
    """charset_normalizer's best guess, or windows-1252 when that decodes just as plausibly."""
    matches = list(from_bytes(data, cp_isolation=_WEB_CODECS))
    if not matches:
        return None
    best = min(match.chaos for match in matches)
    for match in matches:
        if match.chaos <= best + _TIE_TOLERANCE and "cp1252" in match.could_be_from_charset:
            return "cp1252"
    return normalise_label(matches[0].encoding) or None


def _display(codec: str) -> str:
    name = codecs.lookup(codec).name
    return _DISPLAY_NAMES.get(name, name)
