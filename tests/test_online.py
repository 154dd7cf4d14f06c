"""Tile-server reachability, checked against servers on loopback only."""

from __future__ import annotations

import http.server
import threading

import pytest

from geo.data.online import reachable
from tests.browser import free_port


@pytest.fixture()
def tile_server():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_HEAD(self):  # noqa: N802 - the stdlib's naming
            self.send_response(404 if "/0/0/0" in self.path else 500)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_a_server_that_answers_is_reachable_even_with_4xx(tile_server):
    assert reachable(tile_server + "/{z}/{x}/{y}.png") is True


def test_a_refused_port_or_a_5xx_is_not(tile_server):
    assert reachable(f"http://127.0.0.1:{free_port()}/{{z}}/{{x}}/{{y}}.png", timeout=1) is False
    assert reachable(tile_server + "/broken/{z}.png") is False
