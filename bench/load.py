"""`make load`: many users at once against the hub served as in production.

For each database (SQLite; PostgreSQL when run under ``scripts/with-postgres``):

1. a fresh hub is generated at ``--scale`` (default 1) and prepared by ``bench/load_setup.py``
   (sessions, API tokens, contested landscapes);
2. gunicorn serves it on loopback with ``--workers`` (default 2) sync workers and
   ``LANDHUB_DEBUG=0``, and the task worker runs beside it, as in docs/deployment.md;
3. locust (``bench/locustfile.py``) drives ``--users`` simulated users (default 50) for
   ``--duration`` seconds (default 60): page and API reads, searches, edits that collide on
   purpose, and a bounded number of CSV imports followed until the worker finishes them;
4. the same number of users then request only the trivial view (``/healthz/``) for
   ``--floor-duration`` seconds: the framework floor under the same load;
5. the hub is checked afterwards: every edit answered 200 moved its record's version by one
   (nothing lost), and the server and worker logs are searched for "database is locked" and
   tracebacks.

Results: ``bench/results/load-<time>-<dbs>.json`` and ``bench/results/load-latest.md``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from run import BIN, RESULTS, ROOT, commit, fresh_hub, generate, machine


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the hub did not answer at {url}")


def warm_up(host: str, credentials: Path) -> None:
    """A few requests to every kind of page, so each gunicorn worker has imported its modules
    and compiled its templates before the clock runs (as a long-running server has)."""
    account = json.loads(credentials.read_text())
    cookie = f"{account['session_cookie_name']}={account['users'][0]['session']}"
    urls = ["/", "/landscapes/", "/organizations/", "/people/", "/my/", "/search/?q=water",
            "/api/v1/landscapes?limit=50", "/api/v1/organizations?limit=50",
            "/api/v1/people?limit=50", "/api/v1/search?q=water"]  # fmt: skip
    for _ in range(6):  # several rounds, so that every worker gets some of them
        for url in urls:
            request = urllib.request.Request(host + url, headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()


def locust(host: str, classes: list[str], users: int, seconds: int, csv_prefix: Path,
           env: dict) -> dict:  # fmt: skip
    """Run locust headless; return the aggregated row of its statistics in our own terms."""
    subprocess.run([
        str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
        # Users arrive over about five seconds; the statistics start once all are there, so
        # the figures describe the steady state, not the queue of the first second.
        "--users", str(users), "--spawn-rate", str(max(1, users // 5)), "--reset-stats",
        "--run-time", f"{seconds}s", "--stop-timeout", "60", "--host", host,
        "--csv", str(csv_prefix), "--only-summary",
        "--loglevel", "WARNING", *classes,
    ], env=env, check=False, cwd=ROOT)  # fmt: skip
    with open(f"{csv_prefix}_stats.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))

    def ms(value: str) -> float:
        try:
            return float(value)
        except ValueError:  # "N/A" when a request type was never made after the reset
            return 0.0

    by_name = {}
    for row in rows:
        count = int(row["Request Count"])
        if not count and row["Name"] != "Aggregated":
            continue
        by_name[row["Name"]] = {
            "requests": count, "failures": int(row["Failure Count"]),
            "rps": round(float(row["Requests/s"]), 1),
            "p50_ms": ms(row["50%"]), "p95_ms": ms(row["95%"]), "p99_ms": ms(row["99%"]),
        }  # fmt: skip
    failures = []
    failures_csv = Path(f"{csv_prefix}_failures.csv")
    if failures_csv.exists():
        with open(failures_csv, encoding="utf-8") as handle:
            failures = [
                {"name": r["Name"], "error": r["Error"][:300], "count": int(r["Occurrences"])}
                for r in csv.DictReader(handle)
            ]
    return {"total": by_name.pop("Aggregated"), "requests": by_name, "failures": failures}


def verify(env: dict, credentials: Path, report: Path) -> dict:
    """Compare acknowledged edits with the versions in the database (``load_setup --verify``);
    then record the versions found as the starting point of the next check."""
    checked = json.loads(subprocess.run(
        [sys.executable, str(ROOT / "bench" / "load_setup.py"), "--out", str(credentials),
         "--verify", str(report)],
        env=env, check=True, cwd=ROOT, capture_output=True, text=True).stdout)  # fmt: skip
    data = json.loads(credentials.read_text())
    data["contested_versions"] = {slug: e["after"] for slug, e in checked["edits"].items()}
    credentials.write_text(json.dumps(data, indent=1))
    return checked


def run_one(db: str, args, env_base: dict) -> dict:
    tmp, env = fresh_hub(db, "load", env_base)
    env["LANDHUB_ALLOWED_HOSTS"] = "127.0.0.1"
    processes: list[subprocess.Popen] = []
    try:
        print(f"[{db}] generate-scale {args.scale}", flush=True)
        immediate = "django_tasks.backends.immediate.ImmediateBackend"
        generate({**env, "LANDHUB_TASK_BACKEND": immediate}, args.scale)
        subprocess.run([str(BIN / "landhub"), "collectstatic", "--noinput", "-v0"], env=env,
                       check=True, cwd=ROOT)  # fmt: skip
        credentials = tmp / "credentials.json"
        subprocess.run([sys.executable, str(ROOT / "bench" / "load_setup.py"), "--users",
                        str(args.users), "--out", str(credentials)], env=env, check=True,
                       cwd=ROOT)  # fmt: skip
        port = free_port()
        host = f"http://127.0.0.1:{port}"
        server_log = open(tmp / "gunicorn.log", "w")  # noqa: SIM115 - open while they run
        worker_log = open(tmp / "worker.log", "w")  # noqa: SIM115
        processes.append(subprocess.Popen([
            str(BIN / "gunicorn"), "landhub.wsgi", "--workers", str(args.workers),
            "--bind", f"127.0.0.1:{port}", "--timeout", "60",
        ], env=env, cwd=ROOT, stdout=server_log, stderr=subprocess.STDOUT))  # fmt: skip
        processes.append(subprocess.Popen(
            [str(BIN / "landhub"), "worker", "--queue-name=*"],
            env=env, cwd=ROOT, stdout=worker_log, stderr=subprocess.STDOUT,
        ))  # fmt: skip
        wait_until_up(f"{host}/healthz/")
        warm_up(host, credentials)
        report = tmp / "report.json"
        load_env = {**env, "LOAD_CREDENTIALS": str(credentials), "LOAD_REPORT": str(report),
                    "LOAD_WAIT": args.wait, "LOAD_MAX_IMPORTS": str(args.max_imports)}  # fmt: skip
        print(f"[{db}] {args.users} users for {args.duration} s", flush=True)
        mixed = locust(host, ["Member", "Importer"], args.users, args.duration, tmp / "mixed",
                       load_env)  # fmt: skip
        print(f"[{db}] the trivial view, {args.users} users for {args.floor_duration} s",
              flush=True)  # fmt: skip
        floor = locust(host, ["Floor"], args.users, args.floor_duration, tmp / "floor",
                       {**load_env, "LOAD_REPORT": ""})  # fmt: skip
        checked = verify(env, credentials, report)
        # Capacity: the same users without think time, so the server is the limit. Its edits
        # are checked the same way, from the versions the first check found.
        saturated = {**load_env, "LOAD_REPORT": str(tmp / "capacity-report.json"),
                     "LOAD_WAIT": "0,0", "LOAD_MAX_IMPORTS": "0"}  # fmt: skip
        print(f"[{db}] capacity: no think time, {args.floor_duration} s each", flush=True)
        capacity = locust(host, ["Member"], args.users, args.floor_duration,
                          tmp / "capacity", saturated)["total"]  # fmt: skip
        capacity_checked = verify(env, credentials, tmp / "capacity-report.json")
        saturated["LOAD_REPORT"] = ""
        capacity_floor = locust(host, ["Floor"], args.users, args.floor_duration,
                                tmp / "capacity-floor", saturated)["total"]  # fmt: skip
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=30)
        server_log.close()
        worker_log.close()
        logs = (tmp / "gunicorn.log").read_text() + (tmp / "worker.log").read_text()
        imports = json.loads(report.read_text())["imports"]
        capacity_edits = capacity_checked["edits"].values()
        return {
            "db": db, "scale": args.scale, "users": args.users, "workers": args.workers,
            "duration_s": args.duration, "think_time_s": args.wait,
            "mixed": mixed, "floor": floor["total"], "imports": imports,
            "capacity": capacity, "capacity_floor": capacity_floor,
            "conflicts_409": sum(e["conflicts"] for e in checked["edits"].values()),
            "acknowledged_edits": sum(e["acknowledged"] for e in checked["edits"].values()),
            "lost_updates": checked["lost_updates"] + capacity_checked["lost_updates"],
            "capacity_conflicts_409": sum(e["conflicts"] for e in capacity_edits),
            "capacity_acknowledged_edits": sum(e["acknowledged"] for e in capacity_edits),
            "unacknowledged_writes": checked["unacknowledged_writes"],
            "imported_organizations": checked["imported_organizations"],
            "database_locked": logs.count("database is locked"),
            "tracebacks": logs.count("Traceback"),
        }  # fmt: skip
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
        shutil.rmtree(tmp, ignore_errors=True)


def markdown(runs: list[dict], info: dict) -> str:
    where = f"{info['machine']['cpu']} ({info['machine']['cpus']} CPUs)"
    first = runs[0]
    lines = [
        f"Measured {info['date']} on {where}, commit `{info['commit']}`: gunicorn with "
        f"{first['workers']} sync workers and the task worker on loopback, {first['users']} "
        f"simulated users (think time {first['think_time_s']} s) for {first['duration_s']} s, "
        f"scale {first['scale']} data; the load generator runs on the same machine. Latency is "
        "seen by the client (queueing included).",
        "",
        "| database | requests | req/s | p50 ms | p95 ms | p99 ms | errors | database locked | "
        "409 conflicts | edits acknowledged / lost | imports ok / started | floor p50 ms | "
        "p50 × floor | capacity req/s | floor capacity req/s | capacity ÷ floor |",
        "|" + "---|" * 16,
    ]
    for run in runs:
        total, floor = run["mixed"]["total"], run["floor"]
        imports = run["imports"]
        lines.append(
            f"| {run['db']} | {total['requests']} | {total['rps']} | {total['p50_ms']:.0f} | "
            f"{total['p95_ms']:.0f} | {total['p99_ms']:.0f} | {total['failures']} | "
            f"{run['database_locked']} | {run['conflicts_409']} | "
            f"{run['acknowledged_edits']} / {run['lost_updates']} | "
            f"{imports['succeeded']} / {imports['started']} | {floor['p50_ms']:.0f} | "
            f"{total['p50_ms'] / max(floor['p50_ms'], 1):.1f} | {run['capacity']['rps']} | "
            f"{run['capacity_floor']['rps']} | "
            f"{run['capacity']['rps'] / max(run['capacity_floor']['rps'], 0.1):.2f} |"
        )
    lines += [
        "",
        "Capacity: the same users with no think time (reads, searches and edits; "
        "no imports), so the server is the limit; the floor is `/healthz/` the same way.",
    ]
    for run in runs:
        lines += ["", f"#### {run['db']}: per request type", "",
                  "| request | count | p50 ms | p95 ms | p99 ms | errors |",
                  "|---|---|---|---|---|---|"]  # fmt: skip
        for name, row in sorted(run["mixed"]["requests"].items()):
            lines.append(
                f"| {name} | {row['requests']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | "
                f"{row['p99_ms']:.0f} | {row['failures']} |"
            )
        for failure in run["mixed"]["failures"]:
            lines.append(f"\nError ×{failure['count']} on {failure['name']}: {failure['error']}")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dbs", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--floor-duration", type=int, default=20)
    parser.add_argument("--wait", default="0.5,2", help="think time between requests: min,max s")
    parser.add_argument("--max-imports", type=int, default=6)
    args = parser.parse_args()
    env = dict(os.environ)
    runs = []
    for db in args.dbs:
        if db == "postgres" and not env.get("LANDHUB_DATABASE_URL", "").startswith("postgres"):
            print("postgres: run through scripts/with-postgres (make load does)", flush=True)
            continue
        runs.append(run_one(db, args, env))
    info = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(), "commit": commit()}  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    path = RESULTS / f"load-{stamp}-{'-'.join(args.dbs)}.json"
    path.write_text(json.dumps({**info, "runs": runs}, indent=2))
    table = markdown(runs, info)
    (RESULTS / "load-latest.md").write_text(table)
    print(table)
    print(f"Results: {path.relative_to(ROOT)} and bench/results/load-latest.md")
    bad = [r["db"] for r in runs if r["mixed"]["total"]["failures"] or r["database_locked"]
           or r["lost_updates"] or r["capacity"]["failures"]]  # fmt: skip
    if bad:
        raise SystemExit(f"load test found errors, locked databases or lost updates on {bad}")


if __name__ == "__main__":
    main()
