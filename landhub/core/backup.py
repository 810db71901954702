"""One-file backups of a LandHub: database, uploaded media and a manifest that proves both.

``landhub backup`` writes a ``.tar.gz`` with

- ``database.sqlite3`` (SQLite's online backup API: consistent while the hub runs) or
  ``database.pgdump`` (``pg_dump --format=custom``),
- ``media/…`` (uploaded files),
- ``manifest.json``: LandHub version, database vendor, rows per table, SHA-256 of every member.

``landhub restore ARCHIVE`` checks the archive completely (readable, every checksum right)
*before* it touches anything, restores into an empty database, then counts the rows of every
table and compares them with the manifest. A damaged archive is refused with a message and
the database is left as it was.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

FORMAT_VERSION = 1


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("landhub")
    except Exception:  # running from a checkout without the package metadata
        return "dev"


# --- Counting --------------------------------------------------------------------------------


def sqlite_counts(path: Path) -> dict[str, int]:
    db = sqlite3.connect(path)
    try:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
                "AND name NOT LIKE '%_fts%' ORDER BY name"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608
    finally:
        db.close()


def postgres_counts(dsn: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(dsn) as db:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def _pg_dsn() -> str:
    s = connection.settings_dict
    return (
        f"host={s['HOST'] or 'localhost'} port={s['PORT'] or 5432} dbname={s['NAME']} "
        f"user={s['USER']} password={s['PASSWORD']}"
    )


def _pg_env() -> dict:
    s = connection.settings_dict
    env = dict(os.environ)
    env.update(
        PGHOST=s["HOST"] or "localhost", PGPORT=str(s["PORT"] or 5432), PGUSER=s["USER"] or "",
        PGPASSWORD=s["PASSWORD"] or "", PGDATABASE=s["NAME"],
    )  # fmt: skip
    return env


def _pg_tool(name: str) -> str:
    for folder in (os.environ.get("PG_BIN", ""), "/usr/lib/postgresql/15/bin"):
        candidate = Path(folder) / name
        if folder and candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (apt-get install postgresql-client).")
    return found


# --- Backup ----------------------------------------------------------------------------------


def create_backup(output: Path) -> dict:
    """Write the archive to ``output``; return its manifest."""
    output = Path(output)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        vendor = connection.vendor
        if vendor == "sqlite":
            dump = tmp / "database.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(dump)
            with target:
                connection.connection.backup(target)
            target.close()
            counts = sqlite_counts(dump)
        elif vendor == "postgresql":
            dump = tmp / "database.pgdump"
            result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(dump)],
                env=_pg_env(), capture_output=True, text=True,
            )  # fmt: skip
            if result.returncode:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()[:500]}")
            counts = postgres_counts(_pg_dsn())
        else:
            raise BackupError(f"Backups of {vendor} databases are not supported.")
        members = {dump.name: _sha256(dump)}
        media_root = Path(settings.MEDIA_ROOT)
        media_files = []
        if media_root.exists():
            media_files = [p for p in media_root.rglob("*") if p.is_file()]
        for path in media_files:
            members["media/" + path.relative_to(media_root).as_posix()] = _sha256(path)
        manifest = {
            "format": FORMAT_VERSION, "landhub": _version(), "vendor": vendor,
            "created_at": datetime.now(UTC).isoformat(), "counts": counts, "files": members,
        }  # fmt: skip
        partial = output.with_suffix(output.suffix + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            for path in media_files:
                archive.add(path, arcname="media/" + path.relative_to(media_root).as_posix())
        partial.replace(output)  # never leave a half-written archive under the final name
    return manifest


# --- Restore ---------------------------------------------------------------------------------


def _read_archive(archive: Path, into: Path) -> dict:
    """Extract and verify everything; raise BackupError on any damage."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            tar.extractall(into, filter="data")  # refuses absolute paths and links outside
    except (tarfile.TarError, EOFError, OSError, ValueError) as exc:
        raise BackupError(f"The archive cannot be read ({exc}); it is damaged or incomplete.")
    try:
        manifest = json.loads((into / "manifest.json").read_text())
    except (OSError, ValueError) as exc:
        raise BackupError("The archive has no readable manifest.json.") from exc
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, expected in manifest.get("files", {}).items():
        path = into / name
        if not path.is_file():
            raise BackupError(f"The archive is missing {name}.")
        if _sha256(path) != expected:
            raise BackupError(f"{name} does not match its checksum; the archive is damaged.")
    return manifest


def _check_empty() -> None:
    """Restore only into an empty database: never overwrite a hub's data by accident."""
    tables = set(connection.introspection.table_names())
    for table in ("accounts_user", "directory_organization", "directory_landscape",
                  "directory_person"):  # fmt: skip
        if table not in tables:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - fixed names
            if cursor.fetchone()[0]:
                raise BackupError(
                    f"The database is not empty ({table} has rows). Restore into a new, "
                    "empty database."
                )


def restore_backup(archive: Path) -> dict:
    """Restore ``archive`` into the configured (empty) database and verify the row counts."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        manifest = _read_archive(Path(archive), tmp)
        vendor = connection.vendor
        if manifest["vendor"] != vendor:
            raise BackupError(
                f"This is a {manifest['vendor']} backup; the configured database is {vendor}."
            )
        _check_empty()
        if vendor == "sqlite":
            source = sqlite3.connect(tmp / "database.sqlite3")
            connection.ensure_connection()
            with source:
                source.backup(connection.connection)
            source.close()
            counts = sqlite_counts(Path(connection.settings_dict["NAME"]))
        else:
            connection.close()
            result = subprocess.run(  # noqa: S603 - fixed argument list, no shell
                [_pg_tool("pg_restore"), "--no-owner", "--clean", "--if-exists",
                 "--dbname", connection.settings_dict["NAME"], str(tmp / "database.pgdump")],
                env=_pg_env(), capture_output=True, text=True,
            )  # fmt: skip
            if result.returncode:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()[:500]}")
            counts = postgres_counts(_pg_dsn())
        media_root = Path(settings.MEDIA_ROOT)
        if (tmp / "media").exists():
            shutil.copytree(tmp / "media", media_root, dirs_exist_ok=True)
    wrong = {t: (n, counts.get(t)) for t, n in manifest["counts"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"Row counts differ after the restore: {wrong}")
    return manifest
