"""Lemmy's own JavaScript client (lemmy-js-client 0.19.9 from npm) against a real Moot process.

tests/clients/js/scenario.mjs registers, posts, comments, votes, reads the inbox and logs out, and
checks every response against the TypeScript type the client declares for it. scripts/test installs
the pinned packages (``npm ci`` in tests/clients/js).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.clients.live import LiveServer

JS_DIR = Path(__file__).resolve().parent / "js"
NODE = shutil.which("node")

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def _require_packages() -> None:
    if not (JS_DIR / "node_modules" / "lemmy-js-client").is_dir() or \
            not (JS_DIR / "node_modules" / "typescript").is_dir():
        pytest.fail(f"{JS_DIR}/node_modules is missing: run scripts/test (it runs `npm ci` there), "
                    f"or `cd {JS_DIR} && npm ci`")


def _node(*args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NODE), *args], cwd=JS_DIR, capture_output=True, text=True,
                          timeout=timeout, check=False)


def test_shape_checker_notices_missing_null_and_mistyped_fields() -> None:
    _require_packages()
    result = _node("selftest.mjs")
    assert result.returncode == 0, result.stdout + result.stderr


def test_lemmy_js_client_scenario(live_server: str, live_process: LiveServer) -> None:
    _require_packages()
    # --keep-going: on a failure, the later steps still run, so one run shows every problem.
    result = _node("scenario.mjs", live_server, "--keep-going")
    if result.returncode != 0 or "scenario passed" not in result.stdout:
        pytest.fail(f"scenario.mjs exited with {result.returncode}\n--- output ---\n{result.stdout}"
                    f"{result.stderr}\n--- server log (tail) ---\n{live_process.log_tail()}",
                    pytrace=False)
