"""`ascnhub backup` / `ascnhub restore`: a round trip in which nothing is lost, on the database the
suite runs on (a file SQLite database, or a scratch PostgreSQL database)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.slow,
]  # needs the test database server (for PostgreSQL scratch DBs)


def _site_env(tmp_path: Path) -> tuple[dict[str, str], callable]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        ASCNHUB_DATA_DIR=str(tmp_path / "data"),
        ASCNHUB_MEDIA_ROOT=str(tmp_path / "media"),
        PYTHONUNBUFFERED="1",
    )
    db = settings.DATABASES["default"]
    cleanup = lambda: None  # noqa: E731
    if "postgresql" in db["ENGINE"]:
        import psycopg

        name = f"ascnhub_backup_{uuid.uuid4().hex[:8]}"
        params = dict(  # noqa: C408 - reads as keyword arguments of psycopg.connect
            dbname="postgres",
            host=db.get("HOST") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            autocommit=True,
        )
        with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        host = db.get("HOST") or ""
        env["DATABASE_URL"] = (
            f"postgres://{db.get('USER') or 'postgres'}@/{name}?host={host}&port={db.get('PORT')}"
        )

        def cleanup():
            with psycopg.connect(**{k: v for k, v in params.items() if v is not None}) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return env, cleanup


def _ascnhub(env, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "ascnhub.cli", *args], env=env, capture_output=True, text=True, timeout=300
    )
    if check and proc.returncode:
        raise AssertionError(
            f"ascnhub {' '.join(args)} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
        )
    return proc


def _dump(env) -> list:
    out = _ascnhub(
        env,
        "dumpdata",
        "--exclude",
        "contenttypes",
        "--exclude",
        "auth.permission",
        "--exclude",
        "sessions",
        "--exclude",
        "admin.logentry",
    ).stdout
    return sorted(json.loads(out), key=lambda o: (o["model"], str(o["pk"])))


def test_backup_and_restore_round_trip_loses_nothing(tmp_path):
    env, cleanup = _site_env(tmp_path)
    try:
        _ascnhub(env, "migrate", "--noinput", "-v0")
        # The network and its projects (documents, reports, parties): every kind of table a backup
        # must carry, without the whole demo's meeting and scheduling run, which add rows, not kinds.
        _ascnhub(
            env,
            "shell",
            "-c",
            "from ascnhub.registry import demo as r; from ascnhub.projects import demo as p; "
            "r.load(lambda _: None); p.load(lambda _: None)",
        )
        upload = tmp_path / "media" / "reports" / "progress.pdf"
        upload.parent.mkdir(parents=True)
        upload.write_bytes(b"%PDF-1.4 demo attachment")
        before = _dump(env)
        assert len(before) > 100

        archive = tmp_path / "backup.tar.gz"
        _ascnhub(env, "backup", "--out", str(archive))
        assert archive.stat().st_size > 0

        # Damage the site: change and delete data, lose the upload.
        _ascnhub(
            env,
            "shell",
            "-c",
            "from ascnhub.registry.models import City; "
            "City.objects.update(description='vandalised'); "
            "from ascnhub.common.models import ActivityLog; ActivityLog.objects.all().delete()",
        )
        upload.unlink()
        assert _dump(env) != before

        restored = _ascnhub(env, "restore", str(archive), "--yes")
        assert "Restored backup" in restored.stdout
        assert _dump(env) == before
        assert upload.read_bytes() == b"%PDF-1.4 demo attachment"
    finally:
        cleanup()


def test_restoring_something_that_is_not_a_backup_changes_nothing(tmp_path):
    env, cleanup = _site_env(tmp_path)
    try:
        _ascnhub(env, "migrate", "--noinput", "-v0")
        _ascnhub(env, "shell", "-c", "from tests.factories import make_network; make_network()")
        before = _dump(env)
        assert any(o["model"] == "registry.city" for o in before)
        bogus = tmp_path / "bogus.tar.gz"
        bogus.write_bytes(b"this is not an archive")
        proc = _ascnhub(env, "restore", str(bogus), "--yes", check=False)
        assert proc.returncode != 0 and "not a readable .tar.gz archive" in proc.stderr
        assert _dump(env) == before
    finally:
        cleanup()
