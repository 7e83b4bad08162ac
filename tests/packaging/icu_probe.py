"""Call every family of ICU functions QtCore uses, through the ICU libraries in one folder, and
print the answers as JSON: `python icu_probe.py QT_LIB_FOLDER`.

Run once on the installed PySide6's full ICU and once on the build's trimmed ICU data; the two
outputs must be the same. One process per folder: both copies are named libicudata.so.73.
"""

from __future__ import annotations

import ctypes
import json
import sys
from pathlib import Path

# Names and texts in several scripts and orders: collation tailorings (Swedish å, German ß,
# Spanish ñ, Japanese kana, Chinese pinyin order), numeric order as Qt's file dialog sorts.
WORDS = ["zebra", "Zürich", "åsa", "Ärger", "Straße", "strasse", "ñandú", "nube", "file10",
         "file9", "File2", "ひらがな", "カタカナ", "中文", "北京", "Ωmega", "äpple", "ch", "cz"]  # fmt: skip
COLLATION_LOCALES = ["", "en_US", "de_DE", "de@collation=phonebook", "sv_SE", "es_ES",
                     "es@collation=traditional", "cs_CZ", "ja_JP", "zh_CN", "zh@collation=stroke",
                     "ar_EG", "ru_RU", "tr_TR"]  # fmt: skip
CONVERTERS = ["windows-1252", "ISO-8859-7", "KOI8-R", "Shift_JIS", "EUC-JP", "GB18030", "Big5",
              "EUC-KR", "IBM037", "windows-1256", "ISO-2022-JP", "macintosh", "TIS-620"]  # fmt: skip
SAMPLE = "Größe ÆØÅ Ωμέγα Привет 日本語 中文 한국어 عربى ไทย"
ZONES = ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "UTC",
         "Asia/Kathmandu", "America/Sao_Paulo"]  # fmt: skip
ZONE_ALIASES = ["US/Eastern", "Asia/Calcutta", "Europe/Kiev", "GMT", "Etc/GMT+5"]
ZONE_LOCALES = ["en_US", "de_DE", "fr_FR", "ja_JP", "ar_EG", "hi_IN", "pt_BR", "zh_Hant_TW"]
CASE = [("istanbul ıi", "tr"), ("Straße", "de"), ("ΌΣΟΣ", "el"), ("IJssel", "nl"), ("ǆ", "")]


def uchars(text: str) -> tuple[ctypes.Array[ctypes.c_uint16], int]:
    units = text.encode("utf-16-le")
    n = len(units) // 2
    return (ctypes.c_uint16 * n).from_buffer_copy(units), n


def text_of(buffer: ctypes.Array[ctypes.c_uint16], n: int) -> str:
    return bytes(buffer)[: 2 * n].decode("utf-16-le", "replace")


def main(folder: Path) -> dict[str, object]:
    major = next(folder.glob("libicuuc.so.*")).name.rsplit(".", 1)[-1]
    uc = ctypes.CDLL(str(folder / f"libicuuc.so.{major}"))
    i18n = ctypes.CDLL(str(folder / f"libicui18n.so.{major}"))

    def fn(lib: ctypes.CDLL, name: str, restype: object = ctypes.c_int32) -> ctypes._CFuncPtr:
        f = getattr(lib, f"{name}_{major}")
        f.restype = restype
        return f

    status = ctypes.c_int(0)

    def ok() -> int:
        code, status.value = status.value, 0
        return code

    out: dict[str, object] = {}
    ucol_open = fn(i18n, "ucol_open", ctypes.c_void_p)
    strcoll = fn(i18n, "ucol_strcoll")
    sort_key = fn(i18n, "ucol_getSortKey")
    for locale in COLLATION_LOCALES:
        coll = ucol_open(locale.encode(), ctypes.byref(status))
        opened = ok()
        if not coll:  # no collator without its data
            out[f"collation {locale}"] = [opened]
            continue
        fn(i18n, "ucol_setAttribute", None)(
            ctypes.c_void_p(coll), 7, 17, ctypes.byref(status)
        )  # UCOL_NUMERIC_COLLATION on, as QCollator's numeric mode (file dialogs)
        ok()
        pairs = [(a, b) for a in WORDS for b in WORDS]
        order = [strcoll(ctypes.c_void_p(coll), *uchars(a), *uchars(b)) for a, b in pairs]
        keys = []
        for word in WORDS:
            key = (ctypes.c_uint8 * 256)()
            n = sort_key(ctypes.c_void_p(coll), *uchars(word), key, 256)
            keys.append(bytes(key)[:n].hex())
        fn(i18n, "ucol_close", None)(ctypes.c_void_p(coll))
        out[f"collation {locale}"] = [opened, order, keys]

    ucnv_open = fn(uc, "ucnv_open", ctypes.c_void_p)
    available = fn(uc, "ucnv_getAvailableName", ctypes.c_char_p)
    out["converters"] = [available(i).decode() for i in range(fn(uc, "ucnv_countAvailable")())]
    for name in CONVERTERS:
        conv = ucnv_open(name.encode(), ctypes.byref(status))
        opened = ok()
        if not conv:
            out[f"converter {name}"] = [opened]
            continue
        encoded = (ctypes.c_char * 512)()
        n = fn(uc, "ucnv_fromUChars")(
            ctypes.c_void_p(conv), encoded, 512, *uchars(SAMPLE), ctypes.byref(status)
        )
        back = (ctypes.c_uint16 * 512)()
        m = fn(uc, "ucnv_toUChars")(
            ctypes.c_void_p(conv), back, 512, encoded, n, ctypes.byref(status)
        )
        standard = fn(uc, "ucnv_getStandardName", ctypes.c_char_p)(
            name.encode(), b"IANA", ctypes.byref(status)
        )
        out[f"converter {name}"] = [
            opened, ok(), bytes(encoded)[:n].hex(), text_of(back, m), standard and standard.decode()
        ]  # fmt: skip
        fn(uc, "ucnv_close", None)(ctypes.c_void_p(conv))

    ucal_open = fn(i18n, "ucal_open", ctypes.c_void_p)
    display = fn(i18n, "ucal_getTimeZoneDisplayName")
    for zone in ZONES:
        for locale in ZONE_LOCALES:
            cal = ucal_open(*uchars(zone), locale.encode(), 0, ctypes.byref(status))
            opened = ok()
            if not cal:
                out[f"zone {zone} {locale}"] = [opened]
                continue
            names = []
            for kind in range(4):  # UCAL_STANDARD, SHORT_STANDARD, DST, SHORT_DST
                buf = (ctypes.c_uint16 * 128)()
                n = display(
                    ctypes.c_void_p(cal), kind, locale.encode(), buf, 128, ctypes.byref(status)
                )
                names.append([ok(), text_of(buf, n)])
            fn(i18n, "ucal_close", None)(ctypes.c_void_p(cal))
            out[f"zone {zone} {locale}"] = [opened, names]
    canonical = fn(i18n, "ucal_getCanonicalTimeZoneID")
    for alias in ZONE_ALIASES:
        buf = (ctypes.c_uint16 * 128)()
        system = ctypes.c_int8(0)
        n = canonical(*uchars(alias), buf, 128, ctypes.byref(system), ctypes.byref(status))
        out[f"canonical {alias}"] = [ok(), text_of(buf, n), system.value]

    for text, locale in CASE:
        for name in ("u_strToUpper", "u_strToLower"):
            buf = (ctypes.c_uint16 * 128)()
            n = fn(uc, name)(buf, 128, *uchars(text), locale.encode(), ctypes.byref(status))
            out[f"{name} {text} {locale}"] = [ok(), text_of(buf, n)]
    return out


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), ensure_ascii=False, sort_keys=True))
