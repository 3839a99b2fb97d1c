"""A moderation session with lemmy-js-client 0.19.9 against a real Moot process.

tests/clients/js/moderation.mjs reports, works the report queues, removes with a reason, reads
the modlog, locks, bans from a community, sends, reads and reports private messages, and has an
admin hide a community and purge a post, checking every response against the client's types.
"""

from __future__ import annotations

import pytest

from tests.clients.live import ADMIN_NAME, ADMIN_PASSWORD, LiveServer
from tests.clients.test_lemmy_js_client import NODE, _node, _require_packages

pytestmark = pytest.mark.skipif(NODE is None, reason="node is not installed")


def test_lemmy_js_client_moderation(live_server: str, live_process: LiveServer) -> None:
    _require_packages()
    result = _node("moderation.mjs", live_server, ADMIN_NAME, ADMIN_PASSWORD, "--keep-going")
    if result.returncode != 0 or "scenario passed" not in result.stdout:
        pytest.fail(f"moderation.mjs exited with {result.returncode}\n--- output ---\n"
                    f"{result.stdout}{result.stderr}\n--- server log (tail) ---\n"
                    f"{live_process.log_tail()}", pytrace=False)
