"""Backup and restore of a whole hub, run as the commands an operator types.

Each test works on its own throw-away SQLite hub (and, when the suite runs on PostgreSQL, on
a throw-away database of that server too), so the suite's database is never involved.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

BIN = Path(sys.executable).parent


def _landhub(env, *args, check=True):
    return subprocess.run([str(BIN / "landhub"), *args], env=env, capture_output=True, text=True,
                          check=check)  # fmt: skip


def _hub(tmp_path: Path, name: str) -> dict:
    var = tmp_path / name
    var.mkdir()
    return {**os.environ, "LANDHUB_VAR_DIR": str(var),
            "LANDHUB_DATABASE_URL": f"sqlite:///{var}/hub.sqlite3",
            "LANDHUB_TASK_BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}  # fmt: skip


def _rows(path: Path) -> dict[str, list]:
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "AND name NOT LIKE '%_fts%'")]  # fmt: skip
    rows = {t: sorted(map(repr, db.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    db.close()
    return rows


@pytest.fixture(scope="module")
def source_hub(tmp_path_factory):
    """A small but complete hub: migrated, synthetic data, one uploaded file, one backup."""
    tmp = tmp_path_factory.mktemp("backup")
    env = _hub(tmp, "source")
    _landhub(env, "migrate", "-v0")
    _landhub(env, "generate-scale", "--scale", "0.01", "--no-index")
    media = Path(env["LANDHUB_VAR_DIR"]) / "media" / "logos"
    media.mkdir(parents=True)
    (media / "logo.png").write_bytes(b"\x89PNG fake bytes")
    archive = tmp / "hub.tar.gz"
    out = _landhub(env, "backup", "--output", str(archive)).stdout
    assert "Backup written" in out and "1 media files" in out
    return tmp, env, archive


def test_round_trip_restores_every_row_and_file(source_hub):
    tmp, env, archive = source_hub
    target = _hub(tmp, "target-ok")
    out = _landhub(target, "restore", str(archive)).stdout
    assert "all counts verified" in out
    source_db = Path(env["LANDHUB_VAR_DIR"]) / "hub.sqlite3"
    target_db = Path(target["LANDHUB_VAR_DIR"]) / "hub.sqlite3"
    source_rows, target_rows = _rows(source_db), _rows(target_db)
    assert source_rows.keys() == target_rows.keys()
    assert sum(len(v) for v in source_rows.values()) > 1000
    for table in source_rows:
        assert source_rows[table] == target_rows[table], table
    logo = Path(target["LANDHUB_VAR_DIR"]) / "media" / "logos" / "logo.png"
    assert logo.read_bytes() == b"\x89PNG fake bytes"


def test_truncated_archive_is_refused_and_nothing_changes(source_hub):
    tmp, _env, archive = source_hub
    broken = tmp / "broken.tar.gz"
    broken.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    target = _hub(tmp, "target-broken")
    _landhub(target, "migrate", "-v0")
    db = Path(target["LANDHUB_VAR_DIR"]) / "hub.sqlite3"
    before = _rows(db)
    result = _landhub(target, "restore", str(broken), check=False)
    assert result.returncode != 0
    assert "Nothing was restored" in result.stderr and "damaged or incomplete" in result.stderr
    assert _rows(db) == before


def test_corrupt_member_is_refused_by_its_checksum(source_hub, tmp_path):
    import tarfile

    _tmp, _env, archive = source_hub
    unpacked = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(unpacked, filter="data")
    (unpacked / "media" / "logos" / "logo.png").write_bytes(b"tampered")
    forged = tmp_path / "forged.tar.gz"
    with tarfile.open(forged, "w:gz") as tar:
        for item in sorted(unpacked.rglob("*")):
            if item.is_file():
                tar.add(item, arcname=item.relative_to(unpacked).as_posix())
    target = _hub(tmp_path, "target-forged")
    result = _landhub(target, "restore", str(forged), check=False)
    assert "media/logos/logo.png does not match its checksum" in result.stderr


def test_restore_refuses_a_database_with_accounts(source_hub):
    tmp, env, archive = source_hub
    result = _landhub(env, "restore", str(archive), check=False)  # the source hub has users
    assert result.returncode != 0
    assert "not empty" in result.stderr
