"""PostgreSQL clusters of a test's own: a primary and a streaming standby in temporary directories.

Built with the machine's PostgreSQL 15 binaries (initdb, pg_basebackup -R, pg_ctl), on ports the caller
chooses, and never the machine's own cluster. As root the binaries run as the ``postgres`` user, which owns
the directory. Skipped when the binaries are missing, except under CI, where that fails loudly.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

PG_BIN = Path(os.environ.get("S2CART_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))


def pg_binaries_or_skip() -> None:
    missing = [name for name in ("initdb", "pg_ctl", "pg_basebackup") if not (PG_BIN / name).exists()]
    if missing:
        message = f"PostgreSQL binaries missing in {PG_BIN}: {', '.join(missing)} (S2CART_TEST_PG_BIN)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def _as_owner(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def _run(argv: list[str], **kwargs: object) -> None:
    subprocess.run(_as_owner(argv), check=True, capture_output=True, timeout=120, **kwargs)  # type: ignore[call-overload]


@dataclass
class Cluster:
    directory: Path
    port: int
    host: str = "127.0.0.1"

    @property
    def conninfo(self) -> str:
        return f"host={self.host} port={self.port} user=postgres dbname=postgres"

    def url(self, database: str = "postgres", host: str | None = None) -> str:
        return f"postgresql+psycopg://postgres@{host or self.host}:{self.port}/{database}"

    def start(self) -> None:
        log = self.directory.parent / f"{self.directory.name}.log"
        _run([str(PG_BIN / "pg_ctl"), "-D", str(self.directory), "-l", str(log), "-w", "-t", "60", "start"])

    def stop(self, mode: str = "fast") -> None:
        _run([str(PG_BIN / "pg_ctl"), "-D", str(self.directory), "-m", mode, "-w", "-t", "60", "stop"])

    def running(self) -> bool:
        return (self.directory / "postmaster.pid").exists()

    def execute(self, sql: str, database: str = "postgres") -> list[tuple[object, ...]]:
        conninfo = self.conninfo.replace("dbname=postgres", f"dbname={database}")
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=5) as conn:
            cursor = conn.execute(sql)  # type: ignore[arg-type]
            return cursor.fetchall() if cursor.description else []


_PRIMARY_CONF = """
listen_addresses = '{listen}'
port = {port}
unix_socket_directories = '{sockets}'
max_connections = 100
shared_buffers = 32MB
wal_level = replica
max_wal_senders = 8
wal_keep_size = 64MB
hot_standby = on
fsync = off
full_page_writes = off
autovacuum = off
"""

_HBA = """
local all all trust
local replication all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
host all all 10.200.0.0/24 trust
host replication all 10.200.0.0/24 trust
"""


@dataclass
class Replicated:
    primary: Cluster
    replica: Cluster

    def pause_replay(self) -> None:
        self.replica.execute("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.replica.execute("SELECT pg_wal_replay_resume()")

    def wait_replayed(self, timeout: float = 20) -> None:
        """Until the standby has replayed everything the primary has written so far."""
        (target,) = self.primary.execute("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn")[0]
        deadline = time.monotonic() + timeout
        while True:
            (done,) = self.replica.execute("SELECT coalesce(pg_last_wal_replay_lsn() - '0/0'::pg_lsn, 0)")[0]
            if done >= target:  # type: ignore[operator]
                return
            assert time.monotonic() < deadline, f"the standby did not replay up to {target} (at {done})"
            time.sleep(0.05)


@contextmanager
def replicated_clusters(primary_port: int, replica_port: int, listen: str = "127.0.0.1") -> Iterator[Replicated]:
    """A primary and a standby streaming from it, started; both stopped and their directory removed at the end."""
    pg_binaries_or_skip()
    root = Path(tempfile.mkdtemp(prefix="s2cart-replicas-"))
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        os.chown(root, owner.pw_uid, owner.pw_gid)
    primary = Cluster(root / "primary", primary_port)
    replica = Cluster(root / "replica", replica_port)
    started: list[Cluster] = []
    try:
        _run([str(PG_BIN / "initdb"), "-D", str(primary.directory), "-U", "postgres", "-A", "trust", "-E", "UTF8",
              "--no-sync"])  # fmt: skip
        conf = _PRIMARY_CONF.format(listen=listen, port=primary_port, sockets=root)
        _append(primary.directory / "postgresql.conf", conf)
        _write(primary.directory / "pg_hba.conf", _HBA)
        primary.start()
        started.append(primary)
        _run([str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary_port), "-U", "postgres",
              "-D", str(replica.directory), "-R", "-X", "stream", "-c", "fast", "--no-sync"])  # fmt: skip
        _append(replica.directory / "postgresql.conf", f"port = {replica_port}\n")
        replica.start()
        started.append(replica)
        yield Replicated(primary, replica)
    finally:
        for cluster in reversed(started):
            if cluster.running():
                with suppress(subprocess.SubprocessError):
                    cluster.stop("immediate")
        shutil.rmtree(root, ignore_errors=True)


def _append(path: Path, text: str) -> None:
    _run(["sh", "-c", f"cat >> '{path}'"], input=text.encode())


def _write(path: Path, text: str) -> None:
    _run(["sh", "-c", f"cat > '{path}'"], input=text.encode())
