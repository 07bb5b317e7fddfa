"""Helpers for tests that run the platform in separate processes on their own SQLite file."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def sqlite_env(data_dir: Path) -> dict[str, str]:
    """Environment for a child process using a fresh SQLite database in `data_dir` (never the
    PostgreSQL of DATABASE_URL), with `tests` importable and e-mail kept in memory."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        ASCNHUB_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="ascnhub.settings",
        PYTHONPATH=os.pathsep.join([str(ROOT), str(ROOT / "src")]),
        ASCNHUB_LOG_LEVEL="WARNING",
        ASCNHUB_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    return env


def write_lock_held(lock: Path) -> bool:
    """Whether some process holds the database's write lock (common/dbbackends/sqlite) right now."""
    with open(lock, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(f, fcntl.LOCK_UN)
        return False
