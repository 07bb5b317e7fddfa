"""Backup and restore of the whole platform: database and uploaded files, in one archive.

The archive is a .tar.gz holding `manifest.json`, the database (`database.sqlite3`, a consistent
snapshot taken with SQLite's online backup API, or `database.pgdump`, pg_dump's custom format)
and `media/`. Restore checks the manifest first and replaces the database in one step (an atomic
file rename for SQLite; pg_restore inside a single transaction for PostgreSQL), so a failed
restore leaves the previous state in place.
"""

from __future__ import annotations

import datetime
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

import ascnhub

FORMAT = "ascnhub-backup/1"


class BackupError(Exception):
    """A backup or restore could not be made; the message says why."""


def _engine() -> str:
    engine = settings.DATABASES["default"]["ENGINE"]
    if "sqlite" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(f"unsupported database engine {engine}")


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """Connection arguments for pg_dump/pg_restore, password passed in the environment."""
    db = settings.DATABASES["default"]
    args = ["--dbname", db["NAME"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", db["USER"]]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _applied_migrations() -> int:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations")
        return int(cursor.fetchone()[0])


def create_backup(out: Path) -> Path:
    """Write a backup archive to `out` and return its path."""
    engine = _engine()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        if engine == "sqlite":
            db_file = tmpdir / "database.sqlite3"
            connection = connections["default"]
            connection.ensure_connection()
            dest = sqlite3.connect(db_file)
            try:
                connection.connection.backup(dest)  # consistent even while others write (WAL)
            finally:
                dest.close()
        else:
            db_file = tmpdir / "database.pgdump"
            args, env = _pg_env()
            proc = subprocess.run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(db_file), *args],
                env=env,
                capture_output=True,
                text=True,
            )
            if proc.returncode:
                raise BackupError(f"pg_dump failed: {proc.stderr.strip()}")
        manifest = {
            "format": FORMAT,
            "engine": engine,
            "created": datetime.datetime.now(datetime.UTC).isoformat(),
            "version": ascnhub.__version__,
            "migrations": _applied_migrations(),
            "database": db_file.name,
        }
        (tmpdir / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = out.with_suffix(out.suffix + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(tmpdir / "manifest.json", arcname="manifest.json")
            tar.add(db_file, arcname=db_file.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname="media")
        os.replace(partial, out)  # never leave a half-written archive under the final name
    return out


def _read_manifest(tar: tarfile.TarFile) -> dict:
    try:
        member = tar.extractfile("manifest.json")
    except KeyError:
        raise BackupError("not an ASCN Hub backup: manifest.json is missing") from None
    manifest = json.loads(member.read()) if member else {}
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r} (expected {FORMAT})")
    return manifest


def restore_backup(archive: Path) -> dict:
    """Replace the database and media with those in `archive`; returns the manifest."""
    engine = _engine()
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    try:
        tar = tarfile.open(archive, "r:gz")  # noqa: SIM115 - closed by the with-block below
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{archive}: not a readable .tar.gz archive ({exc})") from exc
    with tar, tempfile.TemporaryDirectory() as tmp:
        manifest = _read_manifest(tar)
        if manifest["engine"] != engine:
            raise BackupError(f"backup is of a {manifest['engine']} database; this site uses {engine}")
        tar.extractall(tmp, filter="data")
        tmpdir = Path(tmp)
        db_file = tmpdir / manifest["database"]
        if engine == "sqlite":
            check = sqlite3.connect(db_file)
            try:
                if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                    raise BackupError("the database in the backup is damaged (integrity check failed)")
            finally:
                check.close()
            target = Path(settings.DATABASES["default"]["NAME"])
            connections.close_all()
            staged = target.with_name(target.name + ".restoring")
            shutil.copyfile(db_file, staged)
            for suffix in ("-wal", "-shm"):
                Path(str(target) + suffix).unlink(missing_ok=True)
            os.replace(staged, target)
        else:
            args, env = _pg_env()
            connections.close_all()
            proc = subprocess.run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    *args,
                    str(db_file),
                ],
                env=env,
                capture_output=True,
                text=True,
            )
            if proc.returncode:
                raise BackupError(f"pg_restore failed, nothing was changed: {proc.stderr.strip()}")
        media_src = tmpdir / "media"
        media = Path(settings.MEDIA_ROOT)
        if media_src.is_dir():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(media_src, media)
    return manifest
