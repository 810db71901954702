"""Measure pages again on databases that already hold ``generate-scale``'s data.

``bench/run.py`` builds a fresh database per scale, which at scale 10 takes half an hour per
database; after a fix to a few pages, re-measuring them on the databases of an earlier run (kept
with ``landhub generate-scale`` into a directory of your choosing) takes a minute. Each
``--target`` names the database kind, the scale of its data, its URL and its var directory; the
results are written like ``run.py``'s (JSON in ``bench/results/``, the Markdown table printed),
with ``"reused": true`` so they are not mistaken for a run on fresh data.

    python bench/remeasure.py --repeat 20 --pages governance value \\
        --target sqlite 1 sqlite:////tmp/b1/db.sqlite3 /tmp/b1 \\
        --target postgres 10 postgres://postgres@127.0.0.1:55432/bench_10 /tmp/pg10
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run  # noqa: E402 - the sibling module, for its machine(), commit() and markdown()

IMMEDIATE = "django_tasks.backends.immediate.ImmediateBackend"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--target", nargs=4, action="append", required=True,
                        metavar=("DB", "SCALE", "URL", "VAR_DIR"))  # fmt: skip
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--pages", nargs="*", default=[],
                        help="Only pages whose label contains one of these words.")  # fmt: skip
    args = parser.parse_args()
    runs = []
    for db, scale, url, var_dir in args.target:
        env = {
            **os.environ, "LANDHUB_DATABASE_URL": url, "LANDHUB_VAR_DIR": var_dir,
            "LANDHUB_DEBUG": "0", "LANDHUB_SSL_REDIRECT": "0",
            "LANDHUB_ALLOWED_HOSTS": "testserver", "LANDHUB_TASK_BACKEND": IMMEDIATE,
        }  # fmt: skip
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "measure.json"
            print(f"[{db} scale {scale}] measuring {url}", flush=True)
            subprocess.run([sys.executable, str(run.ROOT / "bench" / "measure.py"), "--scale",
                            scale, "--db", db, "--repeat", str(args.repeat), "--out", str(out),
                            *(["--pages", *args.pages] if args.pages else [])],
                           env=env, check=True, cwd=run.ROOT)  # fmt: skip
            runs.append(json.loads(out.read_text()))
    info = {"date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": run.machine(), "commit": run.commit(), "repeat": args.repeat,
            "reused": True, "runs": runs}  # fmt: skip
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S")
    dbs = "-".join(sorted({r["db"] for r in runs}))
    path = run.RESULTS / f"bench-{stamp}-{dbs}-reused.json"
    path.write_text(json.dumps(info, indent=1) + "\n")
    print(path)
    print(run.markdown(runs, info))


if __name__ == "__main__":
    main()
