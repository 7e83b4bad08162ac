"""Strip symbols from the build's shared libraries, keeping only results the loader accepts.

Many wheels ship their compiled modules unstripped (WordLlama's Cython algorithms, tokenizers,
PyYAML, regex, fast-diff-match-patch: ~20 MB of symbol tables). `strip --strip-unneeded` drops
what the dynamic loader never reads. It cannot be used blindly: libraries that auditwheel
repaired with patchelf (numpy's OpenBLAS and the modules linking it) come out of `strip` with
load segments whose file offset and address disagree modulo the page size, and the loader then
refuses them ("ELF load command address/offset not page-aligned"). So each stripped copy is
checked against the loader's rule and kept only if it passes; otherwise the original stays.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
from pathlib import Path

PT_LOAD = 1
PAGE = 4096


def is_elf(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(4) == b"\x7fELF"


def load_segments(path: Path) -> list[tuple[int, int, int]]:
    """(file offset, address, alignment) of each PT_LOAD segment of a 64-bit little-endian ELF."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError(f"{path.name}: not a 64-bit little-endian ELF file")
    (phoff,) = struct.unpack_from("<Q", data, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", data, 0x36)
    segments = []
    for i in range(phnum):
        at = phoff + i * phentsize
        p_type, _flags, offset, vaddr = struct.unpack_from("<IIQQ", data, at)
        (align,) = struct.unpack_from("<Q", data, at + 48)
        if p_type == PT_LOAD:
            segments.append((offset, vaddr, align))
    return segments


def loader_accepts(path: Path) -> bool:
    """glibc's checks on each load segment (dl-load.c): the alignment is a whole number of pages
    and the file offset agrees with the address modulo that alignment."""
    for offset, vaddr, align in load_segments(path):
        if align % PAGE or (vaddr - offset) % align:
            return False
    return True


def shared_libraries(folder: Path) -> list[Path]:
    found = (p for p in folder.rglob("*.so*") if p.is_file() and not p.is_symlink())
    return sorted(p for p in found if is_elf(p))


def strip_libraries(folder: Path) -> tuple[int, list[str]]:
    """Strip every shared library under `folder` where the result still loads. Returns the bytes
    saved and the names of the libraries left as they were because stripping broke them."""
    strip = shutil.which("strip")
    if strip is None:
        return 0, []
    saved, refused = 0, []
    with tempfile.TemporaryDirectory() as tmp:
        for library in shared_libraries(folder):
            if not loader_accepts(library):
                continue  # not ours to judge: leave it exactly as shipped
            copy = Path(tmp) / library.name
            shutil.copy2(library, copy)
            done = subprocess.run([strip, "--strip-unneeded", str(copy)], capture_output=True)
            before, after = library.stat().st_size, copy.stat().st_size
            if done.returncode or after >= before:
                continue
            if not loader_accepts(copy):
                refused.append(library.name)
                continue
            shutil.copy2(copy, library)
            saved += before - after
    return saved, refused
