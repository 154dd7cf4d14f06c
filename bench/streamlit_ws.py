"""A Streamlit client at the protocol level: what the browser's JavaScript does, without a browser.

One `StreamlitSession` is one browser tab: it pings `/_stcore/health` and `/_stcore/host-config`
as the frontend does before it connects (the health answer sets the `_streamlit_xsrf` cookie),
opens the websocket `/_stcore/stream` with the subprotocols the frontend sends
(`["streamlit", <xsrf cookie value>]`, plus the cookie and a same-origin `Origin` header), and
sends `rerun_script` BackMsgs built with Streamlit's own protobuf classes. `rerun()` returns when
the server's `script_finished` ForwardMsg arrives, or raises.

Like the frontend's ForwardMessageCache, it remembers the hashes of the cacheable messages it
received (large `new_element` deltas), sends them back in `cached_message_hashes`, resolves the
`ref_hash` messages the server then sends instead, and forgets a hash after
`maxCachedMessageAge` script runs without it. Without this the server would resend the map on
every rerun, which a browser never makes it do.

Read from the installed streamlit 1.67: `App.tsx`'s `sendRerunBackMsg` and
`WebsocketConnection.getSessionTokens` (in `static/static/js/index.*.js`),
`web/server/starlette/starlette_websocket.py` (subprotocol parsing, XSRF check),
`runtime/forward_msg_cache.py`, `proto/BackMsg.proto` and `proto/ClientState.proto`.
Loopback only: `base_url` must be http://127.0.0.1 or http://localhost.
"""

from __future__ import annotations

import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

import websocket  # websocket-client: plain sockets, so gevent's monkey patching makes it cooperative
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

XSRF_COOKIE = "_streamlit_xsrf"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
OK = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class ProtocolError(Exception):
    """The server answered something a browser could not use (exception element, cache miss, bad status)."""


@dataclass
class Run:
    """What one script run sent back."""

    seconds: float = 0.0  # BackMsg sent -> script_finished received
    messages: int = 0
    bytes: int = 0
    status: int = -1
    elements: list = field(default_factory=list)  # (delta path, Element) of every new_element
    exceptions: list = field(default_factory=list)

    def widget_id(self, kind: str, label: str) -> str | None:
        """The id of the widget of this kind (Element oneof name, e.g. "multiselect") with this label."""
        for _path, element in self.elements:
            if element.WhichOneof("type") == kind and getattr(element, kind).label == label:
                return getattr(element, kind).id
        return None

    def markdown(self, startswith: str) -> str | None:
        for _path, element in self.elements:
            if element.WhichOneof("type") == "markdown" and element.markdown.body.lstrip("*").startswith(startswith):
                return element.markdown.body
        return None


class StreamlitSession:
    """One browser tab's session; not thread safe (one greenlet drives it)."""

    def __init__(self, base_url: str, *, timeout: float = 60.0, locale: str = "en-US", timezone: str = "UTC"):
        parts = urlsplit(base_url)
        if parts.scheme != "http" or parts.hostname not in LOOPBACK:
            raise ValueError(f"loopback http only, not {base_url!r}")
        self.base = f"http://{parts.netloc}"
        self.ws_url = f"ws://{parts.netloc}/_stcore/stream"
        self.timeout = timeout
        self.locale, self.timezone = locale, timezone
        self.ws: websocket.WebSocket | None = None
        self.query_string = ""
        self.page_script_hash = ""  # from new_session, sent back on later reruns as the browser does
        self.max_cached_age = 2  # global.maxCachedMessageAge, updated from new_session.config
        self.cache: dict[str, tuple[int, bytes]] = {}  # hash -> (run count when last used, message): as the frontend
        self.run_count = 0
        self.session_id = ""

    # -- connection -------------------------------------------------------------------------------
    def _get(self, path: str) -> tuple[bytes, str | None]:
        """GET on the app server with `Connection: close`; returns the body and the XSRF cookie if set."""
        req = urllib.request.Request(self.base + path, headers={"Connection": "close"})
        with urllib.request.urlopen(req, timeout=self.timeout) as resp:  # loopback checked above
            body = resp.read()
            cookie = None
            for header in resp.headers.get_all("Set-Cookie") or []:
                jar = SimpleCookie()
                jar.load(header)
                if XSRF_COOKIE in jar:
                    cookie = jar[XSRF_COOKIE].value
        return body, cookie

    def connect(self) -> None:
        """The frontend's pings (health, host-config), then the websocket with its XSRF token."""
        if self.ws is not None:
            raise RuntimeError("already connected")
        body, xsrf = self._get("/_stcore/health")
        if body.strip() != b"ok":
            raise ProtocolError(f"health answered {body[:80]!r}")
        self._get("/_stcore/host-config")
        # getSessionTokens(): [hostAuthToken ?? xsrf cookie ?? "PLACEHOLDER_AUTH_TOKEN", lastSessionId?]
        protocols = ["streamlit", xsrf or "PLACEHOLDER_AUTH_TOKEN"]
        cookie = f"{XSRF_COOKIE}={xsrf}" if xsrf else None
        self.ws = websocket.create_connection(
            self.ws_url,
            timeout=self.timeout,
            subprotocols=protocols,
            cookie=cookie,
            origin=self.base,  # same origin, as from the page the server served
            enable_multithread=False,
        )
        if self.ws.getsubprotocol() != "streamlit":
            raise ProtocolError(f"server chose subprotocol {self.ws.getsubprotocol()!r}")

    def close(self) -> None:
        """As a tab that reloads: a close frame, then the socket goes; no wait for the server's reply.

        (websocket-client's `close()` waits for that reply inside a bare `except:`, which would
        swallow the GreenletExit Locust uses to stop a user.)
        """
        if self.ws is not None:
            ws, self.ws = self.ws, None
            try:
                ws.send_close()
            except Exception:  # a broken socket: nothing left to say
                pass
            ws.shutdown()

    # -- script runs ------------------------------------------------------------------------------
    def _rerun_msg(self, widgets: list[WidgetState] | None) -> BackMsg:
        """`sendRerunBackMsg` in App.tsx: query string, widget states, page hash, cached hashes, context."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.widget_states.SetInParent()  # the browser always sends WidgetStates, empty on first load
        for w in widgets or []:
            state.widget_states.widgets.append(w)
        state.page_script_hash = self.page_script_hash
        state.page_name = ""
        state.is_auto_rerun = False
        state.cached_message_hashes.extend(self.cache)
        ctx = state.context_info
        ctx.timezone, ctx.timezone_offset, ctx.locale = self.timezone, 0, self.locale
        ctx.url = self.base + "/" + (f"?{self.query_string}" if self.query_string else "")
        ctx.is_embedded, ctx.color_scheme = False, "light"
        return msg

    def rerun(self, widgets: list[WidgetState] | None = None, deadline: float | None = None) -> Run:
        """Send a rerun_script and read ForwardMsgs until script_finished (or raise)."""
        if self.ws is None:
            raise RuntimeError("not connected")
        deadline = deadline or time.monotonic() + self.timeout
        payload = self._rerun_msg(widgets).SerializeToString()
        run = Run()
        t0 = time.perf_counter()
        self.ws.send_binary(payload)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no script_finished within {self.timeout:g} s")
            self.ws.settimeout(left)
            try:
                opcode, data = self.ws.recv_data()
            except websocket.WebSocketTimeoutException:
                raise TimeoutError(f"no script_finished within {self.timeout:g} s") from None
            if opcode == websocket.ABNF.OPCODE_CLOSE:
                raise ConnectionError("server closed the websocket")
            if opcode != websocket.ABNF.OPCODE_BINARY:
                continue
            run.messages += 1
            run.bytes += len(data)
            msg = self._resolve(data)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.page_script_hash = msg.new_session.page_script_hash
                self.session_id = msg.new_session.initialize.session_id or self.session_id
                if msg.new_session.config.max_cached_message_age:
                    self.max_cached_age = msg.new_session.config.max_cached_message_age
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string  # the browser puts it in its URL
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                element = msg.delta.new_element
                run.elements.append((tuple(msg.metadata.delta_path), element))
                if element.WhichOneof("type") == "exception":
                    run.exceptions.append(element.exception.message or element.exception.type)
            elif kind == "script_finished":
                run.seconds = time.perf_counter() - t0
                run.status = msg.script_finished
                self._age_cache()
                if run.status not in OK:
                    raise ProtocolError(
                        f"script_finished with status {ForwardMsg.ScriptFinishedStatus.Name(run.status)}"
                    )
                if run.exceptions:
                    raise ProtocolError(f"the script raised: {run.exceptions[0][:200]}")
                return run

    def _resolve(self, data: bytes) -> ForwardMsg:
        """ForwardMessageCache.processMessagePayload: keep cacheable messages, replace references."""
        msg = ForwardMsg()
        msg.ParseFromString(data)
        if msg.WhichOneof("type") == "ref_hash":
            if msg.ref_hash not in self.cache:
                raise ProtocolError(f"cached ForwardMsg miss for hash {msg.ref_hash}")
            cached = self.cache[msg.ref_hash][1]
            self.cache[msg.ref_hash] = (self.run_count, cached)
            original = ForwardMsg()
            original.ParseFromString(cached)
            original.metadata.CopyFrom(msg.metadata)  # the reference carries this run's delta path
            return original
        if msg.metadata.cacheable and msg.hash and msg.hash not in self.cache:
            self.cache[msg.hash] = (self.run_count, data)
        elif msg.hash in self.cache:
            self.cache[msg.hash] = (self.run_count, self.cache[msg.hash][1])
        return msg

    def _age_cache(self) -> None:
        """incrementRunCount(maxCachedMessageAge): forget what has not been used for that many runs."""
        self.run_count += 1
        for h in [h for h, (seen, _) in self.cache.items() if self.run_count - seen > self.max_cached_age]:
            del self.cache[h]


def multiselect_state(widget_id: str, labels: list[str]) -> WidgetState:
    """A multiselect's value as the frontend sends it: the chosen options' labels (string_array_value)."""
    w = WidgetState(id=widget_id)
    w.string_array_value.data.extend(labels)
    return w
