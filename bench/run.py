"""`make bench`: generate scale data, measure every main page and API list, write the results.

For each database (SQLite; PostgreSQL when PG_BIN has the server binaries) and each scale, a
fresh database is created, filled with ``landhub generate-scale`` and measured by
``bench/measure.py`` in its own process. Results: one JSON file per run in ``bench/results/``
(machine, CPU count, commit, database, scale, figures, growth ratios) and a Markdown table that
``docs/performance.md`` includes.

    python bench/run.py --scales 0.1 1 10 --dbs sqlite postgres --repeat 40
    python bench/run.py --scales 1 10 --pages plan search   # a targeted re-measure
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "bench" / "results"
BUDGET_MS = 100.0  # DESIGN.md §7: p95 ≤ 100 ms at scale 1
GROWTH_BUDGET = 1.5  # p95(scale 10) ≤ 1.5 × p95(scale 1)


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cpus": os.cpu_count(), "python": platform.python_version(),
            "system": f"{platform.system()} {platform.release()}"}  # fmt: skip


def commit() -> str:
    try:
        return subprocess.check_output(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                                       text=True).strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def fresh_hub(db: str, name: str, env_base: dict) -> tuple[Path, dict]:
    """A temporary var directory and an empty database (SQLite file or a PostgreSQL database
    created on the server of ``scripts/with-postgres``); returns the directory and the env."""
    tmp = Path(tempfile.mkdtemp(prefix=f"landhub-{name}-{db}-"))
    env = {**env_base, "LANDHUB_VAR_DIR": str(tmp), "LANDHUB_DEBUG": "0",
           "LANDHUB_SSL_REDIRECT": "0", "LANDHUB_ALLOWED_HOSTS": "testserver"}  # fmt: skip
    if db == "sqlite":
        env["LANDHUB_DATABASE_URL"] = f"sqlite:///{tmp}/{name}.sqlite3"
    else:
        base = env_base["LANDHUB_DATABASE_URL"].rsplit("/", 1)[0]
        subprocess.run([sys.executable, "-c", (
            "import psycopg,sys; c=psycopg.connect(sys.argv[1], autocommit=True); "
            "c.execute('DROP DATABASE IF EXISTS ' + sys.argv[2]); "
            "c.execute('CREATE DATABASE ' + sys.argv[2])"),
            base + "/postgres", name], check=True)  # fmt: skip
        env["LANDHUB_DATABASE_URL"] = f"{base}/{name}"
    return tmp, env


def generate(env: dict, scale: float) -> None:
    subprocess.run([str(BIN / "landhub"), "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([str(BIN / "landhub"), "generate-scale", "--scale", str(scale)],
                   env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # fmt: skip


def run_one(db: str, scale: float, repeat: int, env_base: dict, pages=()) -> dict:
    tmp, env = fresh_hub(db, f"bench_{str(scale).replace('.', '_')}", env_base)
    env["LANDHUB_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    try:
        print(f"[{db} scale {scale}] migrate + generate-scale", flush=True)
        generate(env, scale)
        out = tmp / "measure.json"
        print(f"[{db} scale {scale}] measuring", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / "measure.py"), "--scale", str(scale),
                        "--db", db, "--repeat", str(repeat), "--out", str(out),
                        *(["--pages", *pages] if pages else [])],
                       env=env, check=True, cwd=ROOT)  # fmt: skip
        return json.loads(out.read_text())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def markdown(runs: list[dict], info: dict) -> str:
    where = f"{info['machine']['cpu']} ({info['machine']['cpus']} CPUs)"
    lines = [
        f"Measured {info['date']} on {where}, commit `{info['commit']}`, {info['repeat']} "
        "requests per page after a warm-up; server time through the full middleware stack. "
        "Floor = `/healthz/`.",
        "",
    ]
    for db in sorted({r["db"] for r in runs}):
        mine = sorted((r for r in runs if r["db"] == db), key=lambda r: r["scale"])
        scales = [r["scale"] for r in mine]
        header = ["page", "queries"] + [f"p95 ms @ {s}" for s in scales]
        if 1.0 in scales and 10.0 in scales:
            header.append("growth 10/1")
        header.append("× floor @ 1" if 1.0 in scales else "× floor")
        lines += [f"### {db}", "", "| " + " | ".join(header) + " |",
                  "|" + "---|" * len(header)]  # fmt: skip
        by_scale = {r["scale"]: {p["page"]: p for p in r["pages"]} for r in mine}
        for page in [p["page"] for p in mine[0]["pages"]]:
            cells = [page, str(by_scale[scales[-1]][page]["queries"])]
            for s in scales:
                value = by_scale[s][page]["p95_ms"]
                flag = " ⚠" if s == 1.0 and value > BUDGET_MS else ""
                cells.append(f"{value:.1f}{flag}")
            if 1.0 in scales and 10.0 in scales:
                growth = by_scale[10.0][page]["p95_ms"] / max(by_scale[1.0][page]["p95_ms"], 0.01)
                cells.append(f"{growth:.2f}{' ⚠' if growth > GROWTH_BUDGET else ''}")
            ref = by_scale.get(1.0, by_scale[scales[-1]])[page]
            cells.append(f"{ref['ratio_to_floor']:.0f}")
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    lines.append("⚠ = misses the budget of DESIGN.md §7 (p95 ≤ 100 ms at scale 1; growth ≤ 1.5).")
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", nargs="+", type=float, default=[0.1, 1.0, 10.0])
    parser.add_argument("--dbs", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--pages", nargs="*", default=[],
                        help="Only the pages whose label contains one of these words "
                             "(e.g. --pages plan search); every page by default.")  # fmt: skip
    args = parser.parse_args()
    env = dict(os.environ)
    runs = []
    for db in args.dbs:
        if db == "postgres" and not env.get("LANDHUB_DATABASE_URL", "").startswith("postgres"):
            print("postgres: run through scripts/with-postgres (make bench does)", flush=True)
            continue
        for scale in args.scales:
            runs.append(run_one(db, scale, args.repeat, env, pages=args.pages))
    info = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(), "commit": commit(), "repeat": args.repeat}  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    path = RESULTS / f"bench-{stamp}-{'-'.join(args.dbs)}.json"
    path.write_text(json.dumps({**info, "runs": runs}, indent=2))
    table = markdown(runs, info)
    (RESULTS / "latest.md").write_text(table)
    print(table)
    print(f"Results: {path.relative_to(ROOT)} and bench/results/latest.md")


if __name__ == "__main__":
    main()
