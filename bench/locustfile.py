"""Locust users that read the map the way a browser tab does, at the protocol level (no browser).

    locust -f bench/locustfile.py --headless -u 50 -r 5 -t 60s --stop-timeout 70 --host http://127.0.0.1:8501

Each user, in a loop: opens a new session ("reload": the health and host-config pings, then the
websocket `/_stcore/stream` with the XSRF token, as the frontend does; reported as "connect"),
sends the first load's `rerun_script` ("first load": the page's query string, no widget state),
takes the sidebar "Country" multiselect's id from that run's deltas, sends the rerun a browser
sends when a reader picks Italy there ("filter change"), then reads for 1 to 2 s (`--think`) with the
session open, and closes it when it reloads. Request type "WS"; the time is from sending the BackMsg to
the `script_finished` ForwardMsg. A failure is an error, a disconnect, a timeout
(`--request-timeout`), an exception element in the page, or a filter change that did not filter.

Loopback only (bench/streamlit_ws.py refuses any other host). `--raw-log FILE` appends one JSON
line a request (end time, name, ms, ok, bytes, sessions open in this process) for exact
percentiles; bench/server_load.py reads it.
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path

from locust import User, events, task

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `bench` imports however locust is started
from bench.streamlit_ws import StreamlitSession, multiselect_state

OPEN = 0  # sessions this process holds right now
_raw = None


@events.init_command_line_parser.add_listener
def _options(parser):
    parser.add_argument("--request-timeout", type=float, default=60.0, help="seconds before a run counts as failed")
    parser.add_argument("--country", default="Italy", help="the Country filter's choice for 'filter change'")
    parser.add_argument("--query", default="", help="the page's query string on first load (no '?')")
    parser.add_argument("--raw-log", default="", help="append one JSON line a request to this file")
    parser.add_argument("--think", default="1,2", help="MIN,MAX seconds a reader reads before reloading")


@events.test_start.add_listener
def _open_raw_log(environment, **_kw):
    global _raw
    path = environment.parsed_options.raw_log if environment.parsed_options else ""
    if path:
        _raw = open(path, "a", encoding="utf-8", buffering=1)  # line by line, closed at quit


@events.request.add_listener
def _log_request(request_type, name, response_time, response_length, exception=None, **_kw):
    if _raw is not None:
        record = {
            "t": round(time.time(), 3),
            "name": name,
            "ms": round(response_time, 1),
            "ok": exception is None,
            "bytes": response_length,
            "open": OPEN,
            "error": None if exception is None else f"{type(exception).__name__}: {exception}"[:300],
        }
        _raw.write(json.dumps(record) + "\n")


@events.quitting.add_listener
def _close_raw_log(**_kw):
    if _raw is not None:
        _raw.close()


SHOWING = re.compile(r"Showing ([\d,]+) of ([\d,]+)")


class FilterNotApplied(Exception):
    pass


class MapReader(User):
    def on_start(self):
        opts = self.environment.parsed_options
        self.timeout = opts.request_timeout if opts else 60.0
        self.country = opts.country if opts else "Italy"
        self.query = opts.query if opts else ""
        self.think = tuple(float(v) for v in (opts.think if opts else "1,2").split(","))
        self.session: StreamlitSession | None = None

    def wait_time(self) -> float:
        """Reading time, with the session open, before the reader reloads."""
        return random.uniform(*self.think)

    def on_stop(self):
        self._close()

    def _close(self):
        global OPEN
        if self.session is not None:
            self.session.close()
            self.session = None
            OPEN -= 1

    def _fire(self, name: str, t0: float, length: int = 0, exc: BaseException | None = None) -> None:
        self.environment.events.request.fire(
            request_type="WS",
            name=name,
            response_time=(time.perf_counter() - t0) * 1000,
            response_length=length,
            exception=exc,
            context={},
        )

    def _report(self, name: str, run) -> None:
        """A run that finished: its time is the server's, from the BackMsg sent to script_finished."""
        self.environment.events.request.fire(
            request_type="WS",
            name=name,
            response_time=run.seconds * 1000,
            response_length=run.bytes,
            exception=None,
            context={},
        )

    @task
    def read_the_map(self):
        global OPEN
        self._close()  # a reload: the old tab's websocket goes, a new session starts
        session = StreamlitSession(self.host, timeout=self.timeout)
        session.query_string = self.query
        t0 = time.perf_counter()
        try:
            session.connect()
        except Exception as exc:  # every failure is reported, none stops the user
            session.close()
            self._fire("connect", t0, exc=exc)
            return
        self.session = session
        OPEN += 1
        self._fire("connect", t0)

        t0 = time.perf_counter()
        try:
            first = session.rerun()
            widget = first.widget_id("multiselect", "Country")
            if widget is None:
                raise LookupError("no 'Country' multiselect in the first run's deltas")
        except Exception as exc:
            self._fire("first load", t0, exc=exc)
            self._close()
            return
        self._report("first load", first)

        t0 = time.perf_counter()
        try:
            changed = session.rerun([multiselect_state(widget, [self.country])])
            before, after = (
                SHOWING.search(first.markdown("Showing") or ""),
                SHOWING.search(changed.markdown("Showing") or ""),
            )
            if before and after and after.group(1) == before.group(1):
                raise FilterNotApplied(f"still {after.group(0)!r} after choosing {self.country}")
        except Exception as exc:
            self._fire("filter change", t0, exc=exc)
            self._close()
            return
        self._report("filter change", changed)
