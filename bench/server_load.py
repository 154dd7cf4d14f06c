"""`python -m bench.server_load [--users 10,50,100,200] [--run-time 60]`: the Streamlit server under load.

For each number of users: starts `streamlit run app.py --server.port <free> --server.address
127.0.0.1 --server.headless true` (a fresh server a level, so one level's leftover sessions do not
weigh on the next; served from a snapshot of the work tree taken at the start, so edits made
meanwhile cannot change the code under test; `--in-place` serves the work tree itself), waits for
`/_stcore/health`, warms it with one session (first load, then filter change, twice: the second
pair is the "alone" reference), then runs Locust headless with `bench/locustfile.py`: every user
opens a session over the websocket as a browser tab does, loads the page, picks Italy in the
Country filter, reads for 1-2 s (`--think`) and reloads, until the run time is up; runs in flight
then are allowed to finish (`--stop-timeout`). Protocol level, no browser: the figures are the
server's work only.

While Locust runs, the server process is sampled every half second: RSS, CPU time (all threads and
the event-loop thread), and the ESTABLISHED TCP connections on its port (the websocket sessions it
holds). Writes `bench/results/server_load.md` and `server_load.json` (`--name` for another name);
Locust's own CSVs go to `bench/results/server_load/`. Only 127.0.0.1 is contacted; every wait has a
deadline and every process started here is stopped here.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path

import psutil

from bench.streamlit_ws import StreamlitSession, multiselect_state

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile.py"
MAX_USERS = 1000
MAX_RUN_TIME = 600
RERUNS = ("first load", "filter change")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, grace: float = 15) -> None:
    """End a process this script started: SIGTERM, then SIGKILL after `grace` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)


@contextmanager
def serve(app_dir: Path, log_path: Path, start_timeout: float = 120):
    """`streamlit run app.py` in app_dir on 127.0.0.1 (headless, its .streamlit/config.toml); yields (url, process)."""
    port = free_port()
    with open(log_path, "wb") as log:  # a file, not a pipe: an unread pipe fills up and stalls the server
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port)]
            + ["--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=app_dir,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + start_timeout
            while True:
                try:
                    with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("streamlit did not start: " + log_path.read_text()[-2000:]) from None
                    time.sleep(0.2)
            yield url, proc
        finally:
            stop(proc)


def one_reader(url: str, country: str, timeout: float) -> dict:
    """One session, alone: first load then filter change; the times the server took."""
    session = StreamlitSession(url, timeout=timeout)
    session.connect()
    try:
        first = session.rerun()
        widget = first.widget_id("multiselect", "Country")
        if widget is None:
            raise LookupError("no 'Country' multiselect in the first run")
        changed = session.rerun([multiselect_state(widget, [country])])
        return {
            "first_load_s": first.seconds,
            "filter_change_s": changed.seconds,
            "first_load_kb": first.bytes / 1024,
            "filter_change_kb": changed.bytes / 1024,
            "showing_after": changed.markdown("Showing"),
        }
    finally:
        session.close()


class Sampler(threading.Thread):
    """Every `interval` s: server RSS, server and client CPU seconds, sessions the server holds."""

    def __init__(self, server: psutil.Process, port: int, interval: float = 0.5):
        super().__init__(daemon=True)
        self.server, self.port, self.interval = server, port, interval
        self.client: psutil.Process | None = None
        self.samples: list[dict] = []
        self.done = threading.Event()

    def sample(self) -> dict:
        with self.server.oneshot():
            rss = self.server.memory_info().rss / 2**20
            cpu = sum(self.server.cpu_times()[:2])
            threads = self.server.threads()
        main = next((sum(t[1:3]) for t in threads if t.id == self.server.pid), None)  # the asyncio event loop
        held = sum(
            1
            for c in self.server.net_connections(kind="tcp")
            if c.status == psutil.CONN_ESTABLISHED and c.laddr and c.laddr.port == self.port
        )
        machine = psutil.cpu_times()
        busy = (
            machine.user + machine.nice + machine.system + getattr(machine, "irq", 0) + getattr(machine, "softirq", 0)
        )
        client_cpu = None
        if self.client is not None:
            try:
                client_cpu = sum(self.client.cpu_times()[:2])
            except psutil.NoSuchProcess:
                pass
        return {
            "t": time.time(),
            "rss_mb": rss,
            "cpu_s": cpu,
            "held": held,
            "threads": len(threads),
            "main_thread_cpu_s": main,
            "machine_busy_s": busy,
            "client_cpu_s": client_cpu,
        }

    def run(self) -> None:
        while not self.done.is_set():
            try:
                self.samples.append(self.sample())
            except psutil.Error:
                return
            self.done.wait(self.interval)


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def tracebacks(log: str, keep: int = 2) -> list[str]:
    """The first `keep` Python tracebacks in a server log, each cut to 2,500 characters."""
    found, lines = [], log.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("Traceback") and len(found) < keep:
            block = [line]
            for nxt in lines[i + 1 :]:
                block.append(nxt)
                if nxt and not nxt.startswith((" ", "\t", "Traceback", "During handling", "The above")):
                    break
            found.append("\n".join(block)[-2500:])
    return found


def run_level(users: int, args, app_dir: Path, csv_dir: Path, tmp: Path) -> dict:
    rate = max(1, math.ceil(users / args.ramp))
    raw = tmp / f"u{users}.jsonl"
    server_log, locust_log = tmp / f"server_u{users}.log", tmp / f"locust_u{users}.log"
    stop_timeout = math.ceil(args.timeout) + 10
    code_at_start = code_hash(app_dir)
    with serve(app_dir, server_log) as (url, proc):
        port = int(url.rsplit(":", 1)[1])
        server = psutil.Process(proc.pid)
        try:
            cold = one_reader(url, args.country, args.timeout)  # imports, data load, caches
            alone = one_reader(url, args.country, args.timeout)
        except Exception as exc:
            found = tracebacks(server_log.read_text(errors="replace"), keep=1)
            raise SystemExit(
                f"the app failed for one reader alone, before any load ({type(exc).__name__}: {exc}); "
                f"was it being edited when the snapshot was taken?\n{found[0] if found else ''}"
            ) from exc
        time.sleep(2)
        sampler = Sampler(server, port)
        before = sampler.sample()
        sampler.start()
        cmd = [sys.executable, "-m", "locust", "-f", str(LOCUSTFILE.relative_to(ROOT)), "--headless"]
        cmd += ["-u", str(users), "-r", str(rate), "-t", f"{args.run_time}s", "--stop-timeout", str(stop_timeout)]
        cmd += ["--host", url, "--csv", str(csv_dir / f"u{users}"), "--only-summary", "--loglevel", "WARNING"]
        cmd += ["--request-timeout", str(args.timeout), "--country", args.country, "--raw-log", str(raw)]
        cmd += ["--think", f"{args.think[0]:g},{args.think[1]:g}"]
        t_start = time.time()
        with open(locust_log, "wb") as log:
            locust = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
            try:
                sampler.client = psutil.Process(locust.pid)
            except psutil.NoSuchProcess:
                pass
            overran = False
            try:
                locust.wait(args.run_time + stop_timeout + 60)
            except subprocess.TimeoutExpired:
                overran = True
                print("    locust overran its deadline; stopping it", flush=True)
            finally:
                stop(locust)
        t_end = time.time()
        sampler.done.set()
        sampler.join(5)
        after = sampler.sample()
        log_text = server_log.read_text(errors="replace")
    records = [json.loads(line) for line in raw.read_text().splitlines() if line.strip()] if raw.exists() else []
    return summarize(users, rate, args, records, [before, *sampler.samples, after], t_start, t_end) | {
        "cold_single": cold,
        "alone": alone,
        "locust_exit_code": locust.returncode,
        "locust_overran": overran,
        "locust_log_tail": locust_log.read_text(errors="replace")[-1500:],
        "server_tracebacks": log_text.count("Traceback (most recent call last)"),
        "server_traceback_samples": tracebacks(log_text),
        "code_at_start": code_at_start,
        "code_at_end": code_hash(app_dir),
    }


def summarize(users: int, rate: int, args, records: list[dict], samples: list[dict], t0: float, t1: float) -> dict:
    by = {name: [r for r in records if r["name"] == name] for name in ("connect", *RERUNS)}
    failures = [r for r in records if not r["ok"]]
    errors: dict[str, int] = {}
    for r in failures:
        key = f"{r['name']}: {(r['error'] or '')[:120]}"
        errors[key] = errors.get(key, 0) + 1
    ok_reruns = [r for name in RERUNS for r in by[name] if r["ok"]]
    base = samples[0]
    during = samples[1:-1] or samples
    peak_held = max(during, key=lambda s: (s["held"], s["t"]))
    wall = (samples[-1]["t"] - base["t"]) or 1.0
    client = [s["client_cpu_s"] for s in during if s["client_cpu_s"] is not None]
    server_cpu = samples[-1]["cpu_s"] - base["cpu_s"]

    def times(name: str) -> list[float]:
        return [r["ms"] / 1000 for r in by[name]]  # failures count at the time they failed, as in Locust

    return {
        "users": users,
        "spawn_rate": rate,
        "run_time_s": args.run_time,
        "think_s": list(args.think),
        "wall_s": round(t1 - t0, 1),
        "requests": sum(len(by[n]) for n in RERUNS),
        "connects": len(by["connect"]),
        "errors": len(failures),
        "errors_by_kind": dict(sorted(errors.items(), key=lambda kv: -kv[1])),
        "ok": {name: sum(r["ok"] for r in by[name]) for name in ("connect", *RERUNS)},
        "sessions_held_peak": peak_held["held"],
        "sessions_open_client_peak": max((r["open"] for r in records), default=0),
        "reruns_per_s": round(len(ok_reruns) / (t1 - t0), 2),
        "first_load_p50_s": percentile(times("first load"), 50),
        "first_load_p95_s": percentile(times("first load"), 95),
        "first_load_max_s": max(times("first load"), default=None),
        "filter_change_p50_s": percentile(times("filter change"), 50),
        "filter_change_p95_s": percentile(times("filter change"), 95),
        "filter_change_max_s": max(times("filter change"), default=None),
        "rss_before_mb": round(base["rss_mb"], 1),
        "rss_at_peak_sessions_mb": round(peak_held["rss_mb"], 1),
        "rss_peak_mb": round(max(s["rss_mb"] for s in samples), 1),
        "mb_per_session": round((peak_held["rss_mb"] - base["rss_mb"]) / peak_held["held"], 2)
        if peak_held["held"]
        else None,
        "server_threads_peak": max(s["threads"] for s in samples),
        "server_cpu_s": round(server_cpu, 1),
        "server_cores_used": round(server_cpu / wall, 2),
        "server_cpu_ms_per_rerun": round(1000 * server_cpu / len(ok_reruns), 1) if ok_reruns else None,
        "event_loop_share_of_server_cpu": round(
            (samples[-1]["main_thread_cpu_s"] - base["main_thread_cpu_s"]) / server_cpu, 2
        )
        if server_cpu and samples[-1]["main_thread_cpu_s"] is not None and base["main_thread_cpu_s"] is not None
        else None,
        "client_cores_used": round((client[-1] - client[0]) / wall, 2) if len(client) > 1 else None,
        "machine_cores_busy": round((samples[-1]["machine_busy_s"] - base["machine_busy_s"]) / wall, 2),
        "samples": [
            {k: (round(v, 2) if isinstance(v, float) else v) for k, v in s.items()}
            for s in samples[:: max(1, len(samples) // 240)]
        ],
    }


def _s(v) -> str:
    return "-" if v is None else f"{v:.2f}"


def table(levels: list[dict]) -> str:
    head = (
        "| users | requests | errors | sessions held | reruns/s | first load p50 / p95 s | filter change p50 / p95 s "
        "| server RSS before / with sessions MB | MB a session | server CPU ms a rerun "
        "| cores busy: server / locust / machine |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|\n"
    )
    rows = [
        f"| {x['users']} | {x['requests']:,} | {x['errors']:,} | {x['sessions_held_peak']} | {x['reruns_per_s']:.1f} "
        f"| {_s(x['first_load_p50_s'])} / {_s(x['first_load_p95_s'])} "
        f"| {_s(x['filter_change_p50_s'])} / {_s(x['filter_change_p95_s'])} "
        f"| {x['rss_before_mb']:.0f} / {x['rss_at_peak_sessions_mb']:.0f} | {_s(x['mb_per_session'])} "
        f"| {x['server_cpu_ms_per_rerun'] or 0:.0f} "
        f"| {x['server_cores_used']:.2f} / {_s(x['client_cores_used'])} / {x['machine_cores_busy']:.2f} |"
        for x in levels
    ]
    return head + "\n".join(rows)


def targets(levels: list[dict]) -> list[dict]:
    by = {x["users"]: x for x in levels}
    out = []
    if 200 in by:
        x = by[200]
        holds = x["errors"] == 0 and x["sessions_held_peak"] >= 200
        out.append(
            {
                "target": "200 concurrent sessions, 0 errors",
                "measured": f"{x['sessions_held_peak']} sessions held at most; {x['errors']:,} errors in "
                f"{x['requests']:,} script runs asked for and {x['connects']:,} connects",
                "holds": holds,
            }
        )
    if 50 in by:
        p95 = by[50]["first_load_p95_s"]
        holds = p95 is not None and p95 < 2.0
        by_how_much = "" if holds or p95 is None else f" ({p95 / 2.0:.1f}x the target)"
        out.append(
            {
                "target": "p95 first load < 2 s at 50 sessions",
                "measured": f"{_s(p95)} s{by_how_much}",
                "holds": holds,
            }
        )
    return out


def write(levels: list[dict], meta: dict, name: str = "server_load") -> Path:
    lines = [
        "# Server load (protocol level, Locust)",
        "",
        f"`{meta['command']}` on {meta['date']}; {meta['machine']}; load average {meta['load_before']} at the start, "
        f"{meta['load_after']} at the end. {meta['packages']}.",
        "",
        "Each Locust user is a browser tab without a browser: it opens a Streamlit session over the websocket "
        "(XSRF token as the frontend sends it), sends the first load's `rerun_script`, then the rerun that picks "
        f"{meta['country']} in the sidebar's Country filter, reads for {meta['think'][0]:g}-{meta['think'][1]:g} s "
        f"with the session open, and reloads; {meta['run_time']} s a level, its users started over the first "
        f"{meta['ramp']:g} s, runs still in flight then allowed to finish; a fresh server a level, served from "
        f"{meta['served_from']} ({meta['app']}). Times are from the BackMsg "
        "sent to the `script_finished` received; percentiles (nearest rank) include failed runs at the time they "
        f"failed; a run not finished in {meta['timeout']:g} s is a failure. Locust runs on the same 2 cores as the "
        "server: its share, and the whole machine's, are in the last column.",
        "",
        table(levels),
        "",
        "*sessions held*: most websocket connections the server held at once (ESTABLISHED on its port, sampled every "
        "0.5 s). *reruns/s*: script runs (first loads and filter changes) finished without error, over the level's "
        "wall time (the run time plus the runs in flight finishing). "
        "*MB a session*: (RSS with that many sessions - RSS before) / sessions. *server CPU ms a rerun*: the server's "
        "CPU time during the level over the script runs finished. *cores busy*: CPU seconds over wall seconds "
        "(2 cores): the server process, Locust, and the whole machine (anything else running shows here).",
        "",
        "## Targets",
        "",
        "| target | measured | holds |",
        "|---|---|---|",
        *[f"| {t['target']} | {t['measured']} | {'yes' if t['holds'] else '**no**'} |" for t in targets(levels)],
        "",
        "## One session alone (same server, before each level)",
        "",
        "| level | cold first load s | first load s | filter change s | first load KB | filter change KB |",
        "|---|---|---|---|---|---|",
        *[
            f"| {x['users']} | {x['cold_single']['first_load_s']:.2f} | {x['alone']['first_load_s']:.2f} "
            f"| {x['alone']['filter_change_s']:.2f} | {x['alone']['first_load_kb']:.0f} "
            f"| {x['alone']['filter_change_kb']:.0f} |"
            for x in levels
        ],
        "",
        "## Errors",
        "",
    ]
    any_error = False
    for x in levels:
        for kind, count in list(x["errors_by_kind"].items())[:5]:
            any_error = True
            lines.append(f"- {x['users']} users: {count:,} x {kind}")
    if not any_error:
        lines.append("None.")
    for x in levels:
        if x["server_tracebacks"]:
            lines += [
                "",
                f"The server logged {x['server_tracebacks']} tracebacks at {x['users']} users; the first:",
                "",
            ]
            lines += ["```", x["server_traceback_samples"][0], "```"]
    path = RESULTS / f"{name}.md"
    path.write_text("\n".join(lines) + "\n")
    path.with_suffix(".json").write_text(
        json.dumps({"meta": meta, "targets": targets(levels), "levels": levels}, indent=1)
    )
    return path


SNAPSHOT_SKIP = (".venv", ".git", ".hypothesis", ".ruff_cache", ".pytest_cache", "__pycache__", "results", "tests")


def snapshot(dest: Path) -> Path:
    """A copy of the work tree (app.py, geo/, data/, static/, seeds/, .streamlit/...; 2-3 MB) to serve from.

    Streamlit's file watcher re-imports app.py and geo/ when they change on disk; someone editing the
    app during a run would otherwise make each level (or half a level) measure different code.
    """
    shutil.copytree(ROOT, dest, ignore=shutil.ignore_patterns(*SNAPSHOT_SKIP), symlinks=True)
    return dest


def code_hash(app_dir: Path) -> str:
    """sha256 of app.py and every geo/**/*.py: the code a level measured."""
    h = hashlib.sha256()
    for path in [app_dir / "app.py", *sorted((app_dir / "geo").rglob("*.py"))]:
        h.update(str(path.relative_to(app_dir)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def app_version(app_dir: Path = ROOT) -> str:
    """The app measured: a hash of app.py and geo/ as served, and the commit it started from."""
    digest = code_hash(app_dir)
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
        dirty = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "app.py", "geo"], cwd=ROOT, timeout=10)
        commit = head.stdout.strip() + (" + uncommitted changes to app.py or geo/" if dirty.returncode else "")
    except (OSError, subprocess.TimeoutExpired):
        commit = "no git"
    return f"app.py + geo/ sha256 {digest}, work tree at commit {commit}"


def versions() -> str:
    names = ("streamlit", "locust", "websocket-client", "gevent", "protobuf")
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            pass
    return f"Python {platform.python_version()}, " + ", ".join(found)


def main(argv: list[str] | None = None) -> list[dict]:
    ap = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--users", default="10,50,100,200", help="comma-separated user counts, one level each")
    ap.add_argument(
        "--run-time", type=int, default=60, help="seconds of load a level (after which runs in flight finish)"
    )
    ap.add_argument("--ramp", type=float, default=10, help="seconds to start all of a level's users")
    ap.add_argument("--timeout", type=float, default=60, help="seconds before a script run counts as failed")
    ap.add_argument("--country", default="Italy", help="the Country filter's choice for 'filter change'")
    ap.add_argument("--think", default="1,2", help="MIN,MAX seconds a reader reads before reloading (default 1,2)")
    ap.add_argument("--name", default="server_load", help="results in bench/results/NAME.md, NAME.json, NAME/")
    ap.add_argument("--in-place", action="store_true", help="serve the work tree itself, not a snapshot of it")
    args = ap.parse_args(argv)
    if not args.name.replace("_", "").replace("-", "").isalnum():
        ap.error("--name: letters, digits, - and _ only")
    try:
        args.think = tuple(float(v) for v in args.think.split(","))
        assert len(args.think) == 2 and 0 <= args.think[0] <= args.think[1] <= 600
    except (ValueError, AssertionError):
        ap.error("--think is MIN,MAX seconds, 0 <= MIN <= MAX <= 600")
    levels_wanted = [int(u) for u in args.users.split(",") if u.strip()]
    if not levels_wanted or min(levels_wanted) < 1 or max(levels_wanted) > MAX_USERS:
        ap.error(f"--users must be between 1 and {MAX_USERS}")
    if not 5 <= args.run_time <= MAX_RUN_TIME or not 1 <= args.timeout <= 300:
        ap.error(f"--run-time must be 5..{MAX_RUN_TIME} s and --timeout 1..300 s")
    RESULTS.mkdir(exist_ok=True)
    csv_dir = RESULTS / args.name
    csv_dir.mkdir(exist_ok=True)
    meta = {
        "command": " ".join(["python -m bench.server_load", *(sys.argv[1:] if argv is None else argv)]),
        "date": time.strftime("%Y-%m-%d %H:%M"),
        "machine": f"{os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GiB RAM, "
        f"{platform.platform()}",
        "load_before": " ".join(f"{v:.1f}" for v in os.getloadavg()),
        "packages": versions(),
        "country": args.country,
        "run_time": args.run_time,
        "ramp": args.ramp,
        "timeout": args.timeout,
        "think": list(args.think),
        "served_from": "the work tree" if args.in_place else "a snapshot of the work tree",
    }
    levels = []
    with tempfile.TemporaryDirectory(prefix="aps-server-load-") as tmp:
        app_dir = ROOT if args.in_place else snapshot(Path(tmp) / "app")
        meta["app"] = app_version(app_dir)
        for users in levels_wanted:
            print(f"{users} users: starting a server, then {args.run_time} s of load ...", flush=True)
            x = run_level(users, args, app_dir, csv_dir, Path(tmp))
            levels.append(x)
            print(
                f"  {x['requests']:,} reruns asked, {x['errors']:,} errors, {x['sessions_held_peak']} sessions held, "
                f"{x['reruns_per_s']:.1f} reruns/s; first load p50 {_s(x['first_load_p50_s'])} s p95 "
                f"{_s(x['first_load_p95_s'])} s; filter change p50 {_s(x['filter_change_p50_s'])} s p95 "
                f"{_s(x['filter_change_p95_s'])} s; RSS {x['rss_before_mb']:.0f} -> "
                f"{x['rss_at_peak_sessions_mb']:.0f} MB "
                f"({_s(x['mb_per_session'])} MB a session); server {x['server_cores_used']:.2f} cores, "
                f"locust {_s(x['client_cores_used'])} cores, whole machine {x['machine_cores_busy']:.2f} cores",
                flush=True,
            )
            for kind, count in list(x["errors_by_kind"].items())[:3]:
                print(f"    {count} x {kind}", flush=True)
    meta["load_after"] = " ".join(f"{v:.1f}" for v in os.getloadavg())
    changed = {x["code_at_start"] for x in levels} | {x["code_at_end"] for x in levels}
    if len(changed) > 1:
        meta["app"] = "CHANGED DURING THE RUN: " + ", ".join(sorted(changed))
        print("warning: app.py or geo/ changed during the run; levels measured different code", flush=True)
    path = write(levels, meta, args.name)
    print(f"wrote {path.relative_to(ROOT)} and {path.with_suffix('.json').name}", flush=True)
    return levels


if __name__ == "__main__":
    main()
