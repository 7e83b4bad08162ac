"""Encoding detection: BOM, transport charset, <meta> prescan, UTF-8, detection, fallback."""

from __future__ import annotations

import codecs

import pytest

from workbench.core.article import decode as textdecode
from workbench.core.article.decode import decode_bytes, normalise_label, prescan_meta_charset

RUSSIAN = (
    "Министерство обороны России заявило, что за последние сутки самолёты нанесли удары "
    "по шестидесяти целям в провинции Алеппо. Независимые наблюдатели сообщают, что "
    "большинство ударов пришлось на позиции умеренной оппозиции."
)
ARABIC = (
    "قالت وزارة الدفاع الروسية إن طائراتها قصفت ستين هدفا في شمال سوريا خلال الساعات "
    "الأربع والعشرين الماضية. وأفاد مراقبون مستقلون بأن معظم الغارات أصابت مواقع المعارضة."
)
ENGLISH_1252 = (
    "The minister said “we will not pay €500 million for this” — and the opposition’s "
    "reaction was immediate. Later the office’s statement called the figure “final”."
)
FRENCH = (
    "Élodie Martin a déclaré que la réunion aurait lieu à Genève après l'été, près du lac "
    "où les élèves étudient. Le maire a précisé que la fermeture était définitive."
)


@pytest.mark.parametrize(
    ("text", "codec", "expected"),
    [
        (RUSSIAN, "cp1251", "windows-1251"),
        (ARABIC, "cp1256", "windows-1256"),
        (ENGLISH_1252, "cp1252", "windows-1252"),
        # Latin-1 bytes are read as windows-1252, its superset, exactly as browsers do.
        (FRENCH, "latin-1", "windows-1252"),
    ],
)
def test_undeclared_legacy_encodings_are_detected(text: str, codec: str, expected: str) -> None:
    decoded = decode_bytes(text.encode(codec))
    assert decoded.text == text
    assert decoded.encoding == expected
    assert decoded.how == "detected"


def test_plain_utf8_is_tried_strictly_before_detection() -> None:
    decoded = decode_bytes(RUSSIAN.encode("utf-8"))
    assert (decoded.text, decoded.encoding, decoded.how) == (RUSSIAN, "utf-8", "utf-8")


@pytest.mark.parametrize(
    ("bom", "codec", "expected"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16be"),
    ],
)
def test_byte_order_mark_wins_and_is_removed(bom: bytes, codec: str, expected: str) -> None:
    data = bom + ENGLISH_1252.encode(codec)
    decoded = decode_bytes(data, declared="windows-1251", is_html=True)
    assert decoded.text == ENGLISH_1252
    assert decoded.encoding == expected
    assert decoded.how == "bom"


def test_transport_charset_beats_meta() -> None:
    html = '<meta charset="utf-8"><p>' + RUSSIAN + "</p>"
    decoded = decode_bytes(html.encode("cp1251"), declared="windows-1251", is_html=True)
    assert RUSSIAN in decoded.text
    assert (decoded.encoding, decoded.how) == ("windows-1251", "declared")


def test_meta_charset_is_honoured() -> None:
    html = '<html><head><meta charset="windows-1256"></head><body>' + ARABIC + "</body></html>"
    decoded = decode_bytes(html.encode("cp1256"), is_html=True)
    assert ARABIC in decoded.text
    assert (decoded.encoding, decoded.how) == ("windows-1256", "meta")


def test_meta_http_equiv_iso_8859_1_means_windows_1252() -> None:
    # 0x93/0x94 are curly quotes in windows-1252 but C1 controls in true ISO-8859-1.
    html = (
        '<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        "<p>“Café” à Genève</p>"
    )
    decoded = decode_bytes(html.encode("cp1252"), is_html=True)
    assert "<p>“Café” à Genève</p>" in decoded.text
    assert (decoded.encoding, decoded.how) == ("windows-1252", "meta")


def test_meta_is_only_looked_for_in_the_first_1024_bytes() -> None:
    html = "<p>" + "x" * 1100 + '</p><meta charset="windows-1251"><p>' + RUSSIAN + "</p>"
    assert prescan_meta_charset(html.encode("cp1251")) is None
    decoded = decode_bytes(html.encode("cp1251"), is_html=True)
    assert decoded.how == "detected"
    assert RUSSIAN in decoded.text


def test_meta_inside_a_comment_is_ignored_and_meta_utf16_means_utf8() -> None:
    assert prescan_meta_charset(b'<!-- <meta charset="koi8-r"> --><p>x</p>') is None
    assert prescan_meta_charset(b'<meta charset="utf-16">') == "utf-8"


def test_meta_is_ignored_for_plain_text() -> None:
    text = 'A note about <meta charset="windows-1251"> tags: ' + FRENCH
    decoded = decode_bytes(text.encode("utf-8"))
    assert (decoded.text, decoded.how) == (text, "utf-8")


def test_wrongly_declared_utf8_falls_through_to_detection() -> None:
    html = '<meta charset="utf-8"><p>' + ENGLISH_1252 + "</p>"
    decoded = decode_bytes(html.encode("cp1252"), is_html=True)
    assert ENGLISH_1252 in decoded.text
    assert "\ufffd" not in decoded.text
    assert decoded.encoding == "windows-1252"


def test_unknown_declared_label_is_ignored() -> None:
    decoded = decode_bytes(RUSSIAN.encode("utf-8"), declared="no-such-charset")
    assert (decoded.text, decoded.how) == (RUSSIAN, "utf-8")


def test_windows_1252_is_the_last_resort(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(textdecode, "from_bytes", lambda data, **options: [])
    decoded = decode_bytes(ENGLISH_1252.encode("cp1252"))
    assert (decoded.text, decoded.encoding, decoded.how) == (
        ENGLISH_1252,
        "windows-1252",
        "fallback",
    )


@pytest.mark.parametrize(
    ("label", "codec"),
    [
        ("ISO-8859-1", "cp1252"),
        ("latin1", "cp1252"),
        ("US-ASCII", "cp1252"),
        ("ascii", "cp1252"),
        ("windows-1251", "cp1251"),
        (" 'UTF8' ", "utf-8"),
        ("x-user-defined", "cp1252"),
        ("bogus", None),
        ("", None),
    ],
)
def test_labels_are_normalised_like_browsers(label: str, codec: str | None) -> None:
    assert normalise_label(label) == codec


def test_valid_utf8_beats_a_meta_charset_that_contradicts_it() -> None:
    # The qq.com page of the extraction set: UTF-8 bytes under a stale gb2312 declaration.
    chinese = "外交部发言人表示，双方将于下周在北京举行第二轮会谈。"
    html = '<html><head><meta charset="gb2312"></head><body><p>' + chinese + "</p></body></html>"
    decoded = decode_bytes(html.encode("utf-8"), is_html=True)
    assert chinese in decoded.text
    assert (decoded.encoding, decoded.how) == ("utf-8", "utf-8")


def test_a_meta_charset_the_bytes_fit_is_still_honoured_over_utf8_guessing() -> None:
    chinese = "外交部发言人表示，双方将于下周在北京举行第二轮会谈。"
    html = '<html><head><meta charset="gb2312"></head><body><p>' + chinese + "</p></body></html>"
    decoded = decode_bytes(html.encode("gb2312"), is_html=True)
    assert chinese in decoded.text
    assert decoded.how == "meta"
