"""Build the self-contained one-folder app: `python packaging/build.py` -> dist/workbench/workbench.

Needs the `package` extra (`pip install .[package]`). The folder runs on a Linux machine with no
Python and none of the project's dependencies: copy it anywhere and run `workbench` inside it.
Prints the build time and the unpacked size; exits non-zero if the built program does not start.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "packaging" / "workbench.spec"
LINUX = ROOT / "packaging" / "linux"
SIZE_GOAL_MB = 200


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def build(dist: Path, work: Path) -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ModuleNotFoundError:
        raise SystemExit(
            "build: PyInstaller is not installed; run `python -m pip install '.[package]'` first."
        ) from None
    subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            str(dist),
            "--workpath",
            str(work),
            str(SPEC),
        ],
        cwd=ROOT,
        check=True,
    )
    return dist / "workbench"


def strip_interpreter(folder: Path) -> None:
    """Drop debug symbols from libpython and its extension modules (a pyenv build carries 16 MB
    of them), where binutils' `strip` exists. Only these: stripping the libraries that wheels
    repaired with patchelf (numpy's OpenBLAS) makes them unloadable."""
    strip = shutil.which("strip")
    if strip is None:
        return
    internal = folder / "_internal"
    files = [*internal.glob("libpython3*.so*"), *internal.glob("python3*/lib-dynload/*.so")]
    files = [f for f in files if f.is_file() and not f.is_symlink()]
    if files:
        subprocess.run([strip, "--strip-unneeded", *map(str, files)], check=True)


def add_desktop_files(folder: Path) -> None:
    """The desktop entry, MIME type and icons beside the program, with the script installing them."""
    share = folder / "share"
    (share / "icons").mkdir(parents=True, exist_ok=True)
    for name in ("workbench.desktop", "workbench-mime.xml"):
        shutil.copy2(LINUX / name, share / name)
    for icon in (ROOT / "workbench" / "resources" / "icons").iterdir():
        shutil.copy2(icon, share / "icons" / icon.name)
    shutil.copy2(LINUX / "install-desktop.sh", folder / "install-desktop.sh")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--dist", type=Path, default=ROOT / "dist", help="where dist/workbench goes"
    )
    parser.add_argument(
        "--work", type=Path, default=ROOT / "build" / "pyinstaller", help="PyInstaller's scratch"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    folder = build(args.dist.resolve(), args.work.resolve())
    strip_interpreter(folder)
    add_desktop_files(folder)
    seconds = time.perf_counter() - started
    shutil.rmtree(args.work, ignore_errors=True)
    exe = folder / "workbench"
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True)
    size_mb = folder_size(folder) / 1e6
    verdict = "within" if size_mb < SIZE_GOAL_MB else "OVER"
    print(f"built {exe} ({version.stdout.strip()}) in {seconds:.0f} s")
    print(f"size unpacked: {size_mb:.0f} MB ({verdict} the {SIZE_GOAL_MB} MB goal)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
