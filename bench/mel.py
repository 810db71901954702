"""`make bench-mel`: the MEL dashboards at the issue's budget size, against raw SQL.

For each database (SQLite; PostgreSQL through ``scripts/with-postgres``) a fresh database is
migrated and filled with ``landhub generate-scale --scale 1 --mel-indicators 300
--mel-observations 2000000`` (1,000 landscapes; generation and roll-up times are taken from
its timestamped output), then, in a process of its own (``--measure``), every dashboard page
and dashboard API endpoint is requested as ``measure.py`` does (Django test client through
the full middleware, three warm-up requests, p50/p95 of ``--repeat`` requests, queries
counted), and so are the same aggregates computed by raw SQL over ``mel_observation``
(``SUM … GROUP BY`` joined to assignments, landscapes and countries), to show what reading
the roll-ups saves. If ``landhub.mel.imports.import_values`` exists, the time to import
``--import-rows`` values from a CSV file is measured too.

Results: ``bench/results/mel-<stamp>.json`` and ``bench/results/mel-latest.md`` (shown in
``docs/performance.md`` between the ``bench-mel`` markers).

    scripts/with-postgres .venv/bin/python bench/mel.py --dbs sqlite postgres
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import BIN, RESULTS, commit, fresh_hub, machine  # noqa: E402

BUDGET_MS = 50.0  # issue 5: every dashboard ≤ 50 ms server time at 2,000,000 observations
IMPORT_BUDGET_S = 60.0  # issue 5: importing 1,000,000 observations ≤ 60 s
DOCS = ROOT / "docs" / "performance.md"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


# --- Generation (parent process) -------------------------------------------------------------


def generate(env: dict, args) -> dict:
    """Migrate and generate; returns the phases' seconds read from the timestamped output."""
    subprocess.run([str(BIN / "landhub"), "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    command = [str(BIN / "landhub"), "generate-scale", "--scale", str(args.scale), "--no-index",
               "--mel-indicators", str(args.indicators),
               "--mel-observations", str(args.observations)]  # fmt: skip
    started = time.perf_counter()
    stamps: list[tuple[float, str]] = []
    with subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True) as proc:
        for line in proc.stdout:
            stamps.append((time.perf_counter() - started, line.rstrip()))
            print(f"  {stamps[-1][0]:7.1f} s {line.rstrip()}", flush=True)
    if proc.returncode:
        raise SystemExit(f"generate-scale failed ({proc.returncode})")

    def at(prefix: str) -> float:
        return next(t for t, line in stamps if line.strip().startswith(prefix))

    mel_start = max(t for t, line in stamps if t < at("MEL indicators"))
    return {
        "generate_total_s": round(stamps[-1][0], 1),
        "mel_values_s": round(at("MEL observations") - mel_start, 1),
        "mel_rollups_s": round(at("MEL roll-ups") - at("MEL observations"), 1),
        "mel_lines": [line.strip() for _t, line in stamps if "MEL" in line],
    }


def run_one(db: str, args, env_base: dict) -> dict:
    tmp, env = fresh_hub(db, "bench_mel", env_base)
    env["LANDHUB_TASK_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    try:
        print(f"[{db}] migrate + generate-scale (MEL {args.observations:,} values)", flush=True)
        timings = generate(env, args)
        out = tmp / "measure.json"
        print(f"[{db}] measuring", flush=True)
        subprocess.run([sys.executable, __file__, "--measure", "--db", db, "--repeat",
                        str(args.repeat), "--import-rows", str(args.import_rows), "--out",
                        str(out)], env=env, check=True, cwd=ROOT)  # fmt: skip
        return {"db": db, **timings, **json.loads(out.read_text())}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# --- Measurement (child process, Django set up) ----------------------------------------------


def raw_sql(indicator_id: int, period_id: int) -> list[tuple[str, str, list]]:
    """(label, SQL, params): the dashboards' aggregates computed from the observations."""
    from landhub.directory.models import Country, Landscape
    from landhub.mel.models import IndicatorAssignment, Observation

    obs = Observation._meta.db_table
    assignment = IndicatorAssignment._meta.db_table
    through = Landscape.countries.through._meta.db_table
    country = Country._meta.db_table
    # Table names from the models; every value a parameter.
    return [
        ("tracking table, initiative", f"""
            SELECT a.indicator_id, o.period_id, SUM(o.value), SUM(o.numerator),
                   SUM(o.denominator), COUNT(*)
            FROM {obs} o JOIN {assignment} a ON a.id = o.assignment_id
            WHERE o.status = %s AND a.scope_kind = %s AND NOT o.not_applicable
            GROUP BY a.indicator_id, o.period_id""", ["approved", "landscape"]),
        ("indicator, by region for a year", f"""
            SELECT c.region, SUM(o.value), COUNT(*)
            FROM {obs} o JOIN {assignment} a ON a.id = o.assignment_id
            JOIN {through} lc ON lc.landscape_id = a.landscape_id
            JOIN {country} c ON c.code = lc.country_id
            WHERE a.indicator_id = %s AND o.period_id = %s AND o.status = %s
              AND NOT o.not_applicable
            GROUP BY c.region""", [indicator_id, period_id, "approved"]),
        ("indicator, initiative series", f"""
            SELECT o.period_id, SUM(o.value), COUNT(*)
            FROM {obs} o JOIN {assignment} a ON a.id = o.assignment_id
            WHERE a.indicator_id = %s AND o.status = %s AND NOT o.not_applicable
            GROUP BY o.period_id""", [indicator_id, "approved"]),
    ]  # fmt: skip


def time_calls(call, repeat: int) -> dict:
    for _ in range(3):
        call()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1000)
    return {"p50_ms": round(statistics.median(timings), 2),
            "p95_ms": round(percentile(timings, 0.95), 2)}  # fmt: skip


def measure(args) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "landhub.settings")
    import django

    django.setup()
    import gc

    from django.db import connection
    from django.test import Client, override_settings

    import landhub.wsgi  # noqa: F401 - start up exactly as a gunicorn worker does
    from landhub.directory.models import Landscape
    from landhub.directory.scale import bench_user
    from landhub.mel.models import Indicator, ReportingPeriod, Rollup

    member = bench_user("bench-member@scale.example")
    client = Client()
    client.force_login(member)
    client.get("/healthz/")
    gc.freeze()
    summed = Indicator.objects.get(code="SCALE-0001")  # people trained: sum, by sex
    weekly = Indicator.objects.get(code="SCALE-0006")  # incidents: sum, non-cumulative
    period = ReportingPeriod.objects.filter(kind="year").order_by("-start").first()
    region = (Rollup.objects.filter(indicator=summed, level="region", period=period)
              .order_by("key").values_list("key", flat=True).first())  # fmt: skip
    country = (Rollup.objects.filter(indicator=summed, level="country", period=period)
               .order_by("key").values_list("key", flat=True).first())  # fmt: skip
    landscape = Landscape.objects.filter(
        name__startswith="Scale", visibility="public",
        indicator_assignments__indicator=summed,
    ).order_by("pk").first()  # fmt: skip
    code = summed.code
    pages = [
        ("floor: /healthz/", "/healthz/", None),
        ("dashboard home (initiative progress)", "/mel/dashboards/", None),
        ("indicator dashboard, initiative", f"/mel/dashboards/indicators/{code}/",
         "indicator, initiative series"),
        ("indicator dashboard, region", f"/mel/dashboards/indicators/{code}/?place=region:"
                                        f"{region}", None),
        ("indicator dashboard, country", f"/mel/dashboards/indicators/{code}/?place=country:"
                                         f"{country}", None),
        ("indicator dashboard CSV", f"/mel/dashboards/indicators/{code}/export.csv", None),
        ("landscape dashboard", f"/mel/dashboards/landscapes/{landscape.slug}/", None),
        ("tracking table, initiative", "/mel/dashboards/tracking/", "tracking table, initiative"),
        ("tracking table, region", f"/mel/dashboards/tracking/?place=region:{region}", None),
        ("tracking table CSV", "/mel/dashboards/tracking/export.csv", None),
        ("tracking table Excel", "/mel/dashboards/tracking/export.xlsx", None),
        ("API progress", "/api/v1/mel/dashboards/progress", None),
        ("API indicator", f"/api/v1/mel/dashboards/indicators/{code}?period={period.label}",
         "indicator, by region for a year"),
        ("API indicator, region", f"/api/v1/mel/dashboards/indicators/{code}?place=region:"
                                  f"{region}", None),
        ("API tracking, initiative", "/api/v1/mel/dashboards/tracking",
         "tracking table, initiative"),
        ("API tracking, country", f"/api/v1/mel/dashboards/tracking?place=country:{country}",
         None),
    ]  # fmt: skip
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    results = []
    with override_settings(STORAGES=storages, SECURE_SSL_REDIRECT=False):
        for label, url, compare in pages:
            response = client.get(url)
            if response.status_code != 200:
                raise SystemExit(f"{label}: {url} answered {response.status_code}")
            executed: list[str] = []

            def count(execute, sql, params, many, context, executed=executed):
                executed.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url)
            row = {"page": label, "url": url, "queries": len(executed),
                   **time_calls(lambda url=url: client.get(url), args.repeat),
                   "compare_with": compare}  # fmt: skip
            results.append(row)
            print(f"  {label:<40} p50 {row['p50_ms']:>8.1f} ms  p95 {row['p95_ms']:>8.1f} ms  "
                  f"{row['queries']:>3} queries", flush=True)  # fmt: skip
    sql_rows = []
    for label, sql, params in raw_sql(summed.pk, period.pk):

        def run(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        found = run()
        row = {"query": label, "rows": len(found), **time_calls(run, max(5, args.repeat // 4))}
        sql_rows.append(row)
        print(f"  raw SQL: {label:<31} p50 {row['p50_ms']:>8.1f} ms  p95 "
              f"{row['p95_ms']:>8.1f} ms  {len(found)} rows", flush=True)  # fmt: skip
    # The raw SQL must be the same aggregate: for a summed, non-cumulative indicator its total
    # per year equals the roll-up's initiative figure.
    check = raw_sql(weekly.pk, period.pk)[2]
    with connection.cursor() as cursor:
        cursor.execute(check[1], check[2])
        by_period = {pid: total for pid, total, _n in cursor.fetchall()}
    rolled = dict(Rollup.objects.filter(indicator=weekly, level="initiative", option__isnull=True)
                  .values_list("period_id", "value"))  # fmt: skip
    agree = all(float(by_period[p]) == float(v) for p, v in rolled.items()) and (
        set(rolled) == set(by_period))  # fmt: skip
    print(f"  raw SQL equals the roll-ups ({weekly.code}, every year): {agree}", flush=True)
    floor = results[0]["p95_ms"] or 0.01
    for row in results:
        row["ratio_to_floor"] = round(row["p95_ms"] / floor, 1)
    out = {"pages": results, "raw_sql": sql_rows, "raw_sql_equals_rollups": agree,
           "observations": summed.__class__.objects.count() and _count_observations(),
           "import": measure_import(args.import_rows)}  # fmt: skip
    Path(args.out).write_text(json.dumps(out, indent=2, default=str))


def _count_observations() -> int:
    from landhub.mel.models import Observation

    return Observation.objects.count()


def measure_import(rows: int) -> dict | None:
    """Import ``rows`` new values from a CSV file through ``imports.import_values``, if it
    exists: one row per (landscape, indicator) of the synthetic assignments for years before
    the data (``rows`` / assignments years), as drafts; then a tenth as many approved (with
    their roll-ups) for the year before those."""
    from landhub.mel import imports

    if rows <= 0 or not hasattr(imports, "import_values"):
        print("  import: landhub.mel.imports.import_values not available; not measured")
        return None
    import csv
    import tempfile

    from django.contrib.auth.models import Group

    from landhub.directory.scale import bench_user
    from landhub.mel.models import IndicatorAssignment, ReportingPeriod
    from landhub.mel.rules import REVIEWERS_GROUP

    staff = bench_user("bench-staff@scale.example", staff=True)
    staff.groups.add(Group.objects.get_or_create(name=REVIEWERS_GROUP)[0])
    assignments = list(
        IndicatorAssignment.objects.filter(
            indicator__code__startswith="SCALE-", indicator__measure="count",
            indicator__disaggregations__isnull=True, scope_kind="landscape",
        ).values_list("landscape__slug", "indicator__code")
    )  # fmt: skip
    first = ReportingPeriod.objects.filter(kind="year").order_by("start").first().start.year
    years = -(-rows // len(assignments))
    for year in range(first - years, first):
        ReportingPeriod.objects.get_or_create(
            label=str(year), defaults={"kind": "year", "start": dt.date(year, 1, 1),
                                       "end": dt.date(year, 12, 31),
                                       "due": dt.date(year + 1, 2, 15)},
        )  # fmt: skip
    directory = Path(tempfile.mkdtemp())

    def run(label: str, years: range, count: int, status: str) -> dict:
        path = directory / f"{label}.csv"
        with path.open("w", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["landscape", "indicator", "period", "value", "status"])
            written = 0
            for year in years:
                for slug, code in assignments:
                    if written == count:
                        break
                    writer.writerow([slug, code, str(year), str(written % 97 + 1), status])
                    written += 1
        print(f"  import ({label}): {written:,} rows from {path.stat().st_size / 1e6:.0f} MB "
              "CSV …", flush=True)  # fmt: skip
        started = time.perf_counter()
        result = imports.import_values(staff, str(path), max_bytes=path.stat().st_size + 1)
        took = time.perf_counter() - started
        errors = result.get("errors") or []
        print(f"  import ({label}): {took:.1f} s, written {result.get('written')}, errors "
              f"{len(errors)} {errors[:3]}", flush=True)  # fmt: skip
        return {"rows": written, "seconds": round(took, 1), "written": result.get("written"),
                "errors": len(errors), "first_errors": errors[:3], "status": status}  # fmt: skip

    # The budget's case: a million values entered (drafts, as landscapes import them).
    drafts = run("drafts", range(first - years, first), rows, "draft")
    # A reviewer importing a tenth as many historical values approved: the roll-ups of every
    # indicator concerned are rewritten in the same transaction (a year before all the data
    # moves every figure to date), which is most of the time.
    ReportingPeriod.objects.get_or_create(
        label=str(first - years - 1), defaults={
            "kind": "year", "start": dt.date(first - years - 1, 1, 1),
            "end": dt.date(first - years - 1, 12, 31), "due": dt.date(first - years, 2, 15)},
    )  # fmt: skip
    approved = run("approved", range(first - years - 1, first - years), rows // 10, "approved")
    return {**drafts, "approved": approved}


# --- Report ----------------------------------------------------------------------------------


def markdown(runs: list[dict], info: dict) -> str:
    where = f"{info['machine']['cpu']} ({info['machine']['cpus']} CPUs)"
    lines = [
        f"Measured {info['date']} on {where}, commit `{info['commit']}`: scale "
        f"{info['scale']:g} ({info['landscapes']:,} landscapes), {info['indicators']} indicators, "
        f"{info['observations']:,} approved values; {info['repeat']} requests per page after "
        "three warm-up requests, server time through the full middleware stack (signed-in "
        "member). Floor = `/healthz/`.",
        "",
    ]
    dbs = [r["db"] for r in runs]
    header = ["page", "queries"] + [f"{db} p50 / p95 ms" for db in dbs]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for index, page in enumerate(runs[0]["pages"]):
        cells = [page["page"], str(page["queries"])]
        for run in runs:
            row = run["pages"][index]
            flag = " ⚠" if index and row["p95_ms"] > BUDGET_MS else ""
            cells.append(f"{row['p50_ms']:.1f} / {row['p95_ms']:.1f}{flag}")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "The same aggregates by raw SQL over the observations (`SUM … GROUP BY` over "
              "`mel_observation` joined to assignments, landscapes, countries), against the "
              "page or endpoint that shows them:", ""]  # fmt: skip
    header = ["aggregate", "compared with"] + [f"{db}: SQL p50 ms (× endpoint p50)" for db in dbs]
    lines += ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for index, query in enumerate(runs[0]["raw_sql"]):
        compared = [p for p in runs[0]["pages"] if p["compare_with"] == query["query"]]
        cells = [f"{query['query']} ({query['rows']:,} rows)",
                 ", ".join(p["page"] for p in compared)]  # fmt: skip
        for run in runs:
            sql = run["raw_sql"][index]
            pages = [p for p in run["pages"] if p["compare_with"] == query["query"]]
            ratio = sql["p50_ms"] / max(min(p["p50_ms"] for p in pages), 0.01) if pages else 0
            cells.append(f"{sql['p50_ms']:.1f} (× {ratio:.1f})")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "| database | values + parts written | roll-ups rebuilt | generate-scale in all "
              "| import of values (CSV) | raw SQL = roll-ups |",
              "|---|---|---|---|---|---|"]  # fmt: skip
    for run in runs:
        imported = run.get("import")
        if imported:
            flag = " ⚠" if imported["seconds"] > IMPORT_BUDGET_S else ""
            import_cell = (f"{imported['rows']:,} drafts: {imported['seconds']:.1f} s "
                           f"({imported['written']:,} written, {imported['errors']} errors)"
                           f"{flag}")  # fmt: skip
            if approved := imported.get("approved"):
                import_cell += (f"; {approved['rows']:,} approved, with roll-ups: "
                                f"{approved['seconds']:.1f} s")  # fmt: skip
        else:
            import_cell = "not measured"
        lines.append(f"| {run['db']} | {run['mel_values_s']:.0f} s | {run['mel_rollups_s']:.0f} s "
                     f"| {run['generate_total_s']:.0f} s | {import_cell} | "
                     f"{'yes' if run['raw_sql_equals_rollups'] else 'NO'} |")  # fmt: skip
    lines += ["", f"⚠ = misses the issue's budget (p95 ≤ {BUDGET_MS:.0f} ms per dashboard; "
              f"import of 1,000,000 values ≤ {IMPORT_BUDGET_S:.0f} s). × endpoint = raw SQL p50 "
              "÷ the fastest p50 of the pages compared (above 1: the roll-ups answer faster "
              "than the bare SQL aggregate, which also leaves out the to-date figures, the "
              "aggregation rules, targets and rendering)."]  # fmt: skip
    return "\n".join(lines) + "\n"


def update_docs(table: str) -> None:
    text = DOCS.read_text()
    start, end = "<!-- bench-mel:start -->", "<!-- bench-mel:end -->"
    if start in text:
        text = re.sub(f"{re.escape(start)}.*?{re.escape(end)}",
                      lambda _m: f"{start}\n{table}{end}", text, flags=re.S)  # fmt: skip
        DOCS.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dbs", nargs="+", default=["sqlite", "postgres"])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--indicators", type=int, default=300)
    parser.add_argument("--observations", type=int, default=2_000_000)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args)
        return
    env = dict(os.environ)
    runs = []
    for db in args.dbs:
        if db == "postgres" and not env.get("LANDHUB_DATABASE_URL", "").startswith("postgres"):
            print("postgres: run through scripts/with-postgres (make bench-mel does)", flush=True)
            continue
        runs.append(run_one(db, args, env))
    info = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(), "commit": commit(), "repeat": args.repeat,
            "indicators": args.indicators, "observations": args.observations,
            "scale": args.scale, "landscapes": round(1000 * args.scale)}  # fmt: skip
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    path = RESULTS / f"mel-{stamp}.json"
    path.write_text(json.dumps({**info, "runs": runs}, indent=2, default=str))
    table = markdown(runs, info)
    (RESULTS / "mel-latest.md").write_text(table)
    update_docs(table)
    print(table)
    print(f"Results: {path.relative_to(ROOT)} and bench/results/mel-latest.md")


if __name__ == "__main__":
    main()
