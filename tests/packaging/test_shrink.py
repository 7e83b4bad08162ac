"""What packaging/build.py cuts from the build, checked on the installed wheels (no build needed):
the loader rule that decides which stripped libraries stay, and the ICU data trim.

Marked `packaging` with the build's tests: they use binutils (strip, readelf, as, ld), which
PyInstaller requires on Linux anyway (objdump).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import numpy
import PySide6
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "packaging"))

import elf  # noqa: E402
import icu_data  # noqa: E402

pytestmark = pytest.mark.packaging

QT_LIB = Path(PySide6.__file__).parent / "Qt" / "lib"
ICU_MAJOR = next(QT_LIB.glob("libicudata.so.*")).name.rsplit(".", 1)[-1]  # 73 in PySide6 6.11


def test_a_stripped_openblas_is_refused_and_a_stripped_cython_module_is_not(
    tmp_path: Path,
) -> None:
    """numpy's OpenBLAS, repaired by auditwheel, comes out of `strip` unloadable (the loader
    says "ELF load command address/offset not page-aligned"); the rule sees it."""
    openblas = next((Path(numpy.__file__).parent.parent / "numpy.libs").glob("libscipy_openblas*"))
    assert elf.loader_accepts(openblas)
    copy = tmp_path / openblas.name
    shutil.copy2(openblas, copy)
    subprocess.run(["strip", "--strip-unneeded", str(copy)], check=True)
    assert not elf.loader_accepts(copy)

    import wordllama

    kmeans = next((Path(wordllama.__file__).parent / "algorithms").glob("kmeans*.so"))
    copy = tmp_path / kmeans.name
    shutil.copy2(kmeans, copy)
    subprocess.run(["strip", "--strip-unneeded", str(copy)], check=True)
    assert elf.loader_accepts(copy) and copy.stat().st_size < kmeans.stat().st_size / 2


def test_qtcore_calls_only_the_icu_functions_the_trim_was_vetted_for() -> None:
    """If a newer Qt calls other ICU functions (break iterators, say), the trim must stop: this
    fails first, and build.py then keeps the data whole."""
    imports = icu_data.qt_icu_imports(QT_LIB / "libQt6Core.so.6", ICU_MAJOR)
    assert {"ucol_open", "ucnv_open", "ucal_open", "u_strToUpper"} <= imports
    assert icu_data.outside_families(imports) == set()


def test_the_icu_package_is_rewritten_with_only_the_unreachable_items_left_out() -> None:
    library = next(QT_LIB.glob("libicudata.so.*"))
    whole = icu_data.parse(icu_data._rodata(library))
    assert icu_data.parse(icu_data.serialise(whole)).items == whole.items  # a faithful writer
    kept = icu_data.subset(whole)
    trees = {name.split("/")[1] for name in kept.items if name.count("/") == 2}
    assert trees == {"coll", "zone"}  # collation and time-zone names stay whole
    dropped = set(whole.items) - set(kept.items)
    assert {name.split("/")[1] for name in dropped if name.count("/") == 2} == {
        "brkitr", "unit", "curr", "lang", "region", "translit", "rbnf"
    }  # fmt: skip
    assert all(name.endswith((".spp", ".cfu")) for name in dropped if name.count("/") == 1)
    assert sum(n.endswith(".cnv") for n in kept.items) == sum(
        n.endswith(".cnv") for n in whole.items
    )
    package = f"icudt{ICU_MAJOR}l"
    assert f"{package}/zoneinfo64.res" in kept.items and f"{package}/cnvalias.icu" in kept.items


def test_the_trimmed_library_is_one_icu_loads(tmp_path: Path) -> None:
    """Written with binutils only; ICU reads a collation through it, and no break iterator."""
    lib = tmp_path / "lib"
    lib.mkdir()
    m = ICU_MAJOR
    for name in ("libQt6Core.so.6", f"libicudata.so.{m}", f"libicuuc.so.{m}", f"libicui18n.so.{m}"):
        shutil.copy2(QT_LIB / name, lib / name)
    assert "kept" in icu_data.trim(lib)
    assert (lib / f"libicudata.so.{m}").stat().st_size < 18_000_000
    probe = (
        "import ctypes,sys\n"
        f"uc=ctypes.CDLL(sys.argv[1]+'/libicuuc.so.{m}')\n"
        f"i18n=ctypes.CDLL(sys.argv[1]+'/libicui18n.so.{m}')\n"
        f"s=ctypes.c_int(0); i18n.ucol_open_{m}.restype=ctypes.c_void_p\n"
        f"c=i18n.ucol_open_{m}(b'sv_SE',ctypes.byref(s)); print(bool(c), s.value)\n"
        f"s.value=0; uc.ubrk_open_{m}.restype=ctypes.c_void_p\n"
        f"b=uc.ubrk_open_{m}(1,b'en',None,0,ctypes.byref(s)); print(bool(b), s.value)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(lib)],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "ICU_DATA": str(tmp_path / "none")},
        check=True,
    )
    collator, breaker = done.stdout.split("\n")[:2]
    assert collator.startswith("True") and breaker.split()[0] == "False"
