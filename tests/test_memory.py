"""What a server process holds (bench/README.md "Memory", docs/decisions/0039)."""

from __future__ import annotations

import platform
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from moot import memory

# Imported only when used: a captcha (Pillow), a migration (Alembic), PostgreSQL's driver (the
# app below is on SQLite). Moot uses no ORM.
NOT_AT_START = ("PIL", "alembic", "sqlalchemy.orm", "psycopg")


def test_building_the_app_imports_nothing_it_uses_only_later(tmp_path: Path) -> None:
    script = ("import sys\nfrom moot.app import create_app\nfrom moot.config import load_settings\n"
              "app = create_app(load_settings())\napp.state.ctx.db.dispose()\n"
              f"print(sorted(m for m in sys.modules if m.split('.')[0] in {NOT_AT_START!r}"
              f" or m.startswith({NOT_AT_START!r})))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).parent.parent,
                          env={"MOOT_DATABASE_URL": f"sqlite:///{tmp_path}/moot.db",
                               "PATH": "/usr/bin:/bin"})
    assert done.stdout.strip() == "[]"


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator only")
def test_allocator_thresholds_are_fixed_and_the_trimmer_runs() -> None:
    assert memory.tune_allocator() is True
    stop = threading.Event()
    thread = memory.start_trimmer(every_s=0.01, stop=stop)
    assert thread is not None and thread.daemon and thread.is_alive()
    memory.trim()
    stop.set()
    thread.join(timeout=5)
    assert not thread.is_alive()
