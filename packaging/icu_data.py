"""Trim the ICU data library Qt ships (libicudata, 32 MB) to what Qt can ever ask ICU for.

QtCore is the only library in the build that calls ICU, and it imports a few families of ICU
functions only: collation (`ucol_*`, QCollator: sorting in file dialogs), code-page converters
(`ucnv_*`, QStringDecoder for names Qt has no converter of its own for), calendars and time
zones (`ucal_*`: QTimeZone's display names) and locale case mapping (`u_strToUpper/Lower`,
whose data is compiled into libicuuc). None of those reach ICU's break iterators, unit,
currency, language and region display names, transliterators, spelled-out numbers, StringPrep
profiles or spoof checks: those items are dropped, everything else stays byte for byte.

If QtCore imports an ICU function outside those families (a newer Qt), nothing is trimmed.
Writing the library needs binutils (`as`, `ld`); without them nothing is trimmed either.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# The ICU function families QtCore may call, with the data they can read kept whole.
QT_ICU_FAMILIES = ("ucol_", "ucnv_", "UCNV_", "ucal_", "u_strToUpper", "u_strToLower")
# Item trees and types no function of those families reads.
UNREACHABLE = re.compile(
    r"^icudt\d+[lb]/((brkitr|unit|curr|lang|region|translit|rbnf)/.*|[^/]+\.(spp|cfu))$"
)
ALIGN = 16  # ICU reads items in place; pkgdata aligns each one to 16 bytes


@dataclass(frozen=True)
class CommonData:
    header: bytes  # ICU's data header (magic, UDataInfo "CmnD", copyright)
    items: dict[str, bytes]  # item name (icudt73l/coll/root.res) -> its bytes, in TOC order


def _readelf(what: str, library: Path) -> str:
    """binutils' readelf listing of one part of a shared library, lines unwrapped."""
    return subprocess.run(
        ["readelf", what, "--wide", str(library)], capture_output=True, text=True, check=True
    ).stdout


def _dynamic_symbols(library: Path) -> list[tuple[str, str]]:
    """(section index, name) of each dynamic symbol, from binutils' readelf."""
    listing = _readelf("--dyn-syms", library)
    rows = []
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) >= 8 and parts[0].rstrip(":").isdigit():
            rows.append((parts[6], parts[7].split("@")[0]))
    return rows


def qt_icu_imports(qtcore: Path, major: str) -> set[str]:
    """The ICU functions libQt6Core imports (every ICU symbol ends in the major version, as in
    ucol_open_73), without that suffix."""
    suffix = f"_{major}"
    return {
        name.removesuffix(suffix)
        for index, name in _dynamic_symbols(qtcore)
        if index == "UND" and name.endswith(suffix)
    }


def outside_families(imports: set[str]) -> set[str]:
    return {name for name in imports if not name.startswith(QT_ICU_FAMILIES)}


def data_symbol(library: Path) -> str:
    names = [name for index, name in _dynamic_symbols(library) if index != "UND"]
    found = [n for n in names if re.fullmatch(r"icudt\d+_dat", n)]
    if len(found) != 1:
        raise ValueError(f"{library.name}: no single icudtNN_dat symbol ({names})")
    return found[0]


def _rodata(library: Path) -> bytes:
    listing = _readelf("--section-headers", library)
    for line in listing.splitlines():
        m = re.search(r"\]\s+\.rodata\s+PROGBITS\s+[0-9a-f]+\s+([0-9a-f]+)\s+([0-9a-f]+)", line)
        if m:
            offset, size = int(m.group(1), 16), int(m.group(2), 16)
            return library.read_bytes()[offset : offset + size]
    raise ValueError(f"{library.name}: no .rodata section")


def parse(blob: bytes) -> CommonData:
    """ICU's common data package ("CmnD"): header, item count, (name, data) offsets, items."""
    header_size, magic1, magic2 = struct.unpack_from("<HBB", blob, 0)
    if (magic1, magic2) != (0xDA, 0x27) or blob[12:16] != b"CmnD" or blob[8] != 0:
        raise ValueError("not a little-endian ICU common data package")
    toc = blob[header_size:]
    (count,) = struct.unpack_from("<I", toc, 0)
    entries = [struct.unpack_from("<II", toc, 4 + 8 * i) for i in range(count)]
    ends = [offset for _name, offset in entries[1:]] + [len(toc)]
    items = {}
    for (name_at, data_at), end in zip(entries, ends, strict=True):
        name = toc[name_at : toc.index(b"\0", name_at)].decode("ascii")
        items[name] = toc[data_at:end]
    return CommonData(blob[:header_size], items)


def _pad(size: int) -> int:
    return -size % ALIGN


def serialise(data: CommonData) -> bytes:
    """The package again, items in the same (sorted: ICU binary-searches them) order."""
    names = list(data.items)
    table_size = 4 + 8 * len(names)
    name_block = b"".join(n.encode("ascii") + b"\0" for n in names)
    first = table_size + len(name_block)
    first += _pad(len(data.header) + first)
    offsets, at, name_at = [], first, table_size
    for name in names:
        offsets.append((name_at, at))
        name_at += len(name) + 1
        at += len(data.items[name]) + _pad(len(data.items[name]))
    toc = struct.pack("<I", len(names)) + b"".join(struct.pack("<II", *o) for o in offsets)
    body = toc + name_block
    body += b"\0" * (first - len(body))
    for name in names:
        item = data.items[name]
        body += item + b"\0" * _pad(len(item))
    return data.header + body


def subset(data: CommonData) -> CommonData:
    kept = {name: item for name, item in data.items.items() if not UNREACHABLE.match(name)}
    return CommonData(data.header, kept)


def write_library(blob: bytes, symbol: str, soname: str, out: Path) -> None:
    """A shared library holding `blob` as the exported object `symbol`, as ICU's own build makes
    it (binutils only: the blob is included by the assembler, not compiled)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "data.bin").write_bytes(blob)
        (folder / "data.s").write_text(
            "\t.section .rodata\n"
            f"\t.globl {symbol}\n\t.type {symbol}, @object\n\t.size {symbol}, {len(blob)}\n"
            f'\t.balign {ALIGN}\n{symbol}:\n\t.incbin "data.bin"\n'
            '\t.section .note.GNU-stack,"",@progbits\n'
        )
        subprocess.run(["as", "-o", "data.o", "data.s"], cwd=folder, check=True)
        subprocess.run(
            ["ld", "-shared", "-soname", soname, "-o", str(out), "data.o"], cwd=folder, check=True
        )


def trim(qt_lib: Path) -> str:
    """Replace Qt's libicudata in `qt_lib` by one without the unreachable items; says what it
    did (or why it did not) in one line."""
    libraries = sorted(qt_lib.glob("libicudata.so.*"))
    qtcore = qt_lib / "libQt6Core.so.6"
    if len(libraries) != 1 or not qtcore.is_file():
        return "ICU data kept whole: no single libicudata beside libQt6Core"
    if not all(shutil.which(tool) for tool in ("readelf", "as", "ld")):
        return "ICU data kept whole: binutils (readelf, as, ld) not found"
    library = libraries[0]
    major = library.name.rsplit(".", 1)[-1]
    imports = qt_icu_imports(qtcore, major)
    unexpected = outside_families(imports)
    if not imports or unexpected:
        return f"ICU data kept whole: QtCore calls ICU functions not vetted: {sorted(unexpected)}"
    whole = parse(_rodata(library))
    kept = subset(whole)
    write_library(serialise(kept), data_symbol(library), library.name, library)
    dropped = sum(map(len, whole.items.values())) - sum(map(len, kept.items.values()))
    return (
        f"ICU data: kept {len(kept.items)} of {len(whole.items)} items, "
        f"{dropped / 1e6:.1f} MB that Qt's ICU calls never read dropped"
    )
