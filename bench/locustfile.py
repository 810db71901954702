"""Simulated hub users for the load test (``make load``; driven by ``bench/load.py``).

``Member`` is a signed-in partner: browses the directory (pages and API), searches, and now
and then edits the landscape she leads through the API, sending the version she read. Several
members lead the same landscape, so some edits collide; the hub must answer those with 409
(counted as conflicts, not errors) and never lose an acknowledged edit. ``Importer`` is one
hub-staff member who uploads a small CSV import now and then and follows its progress until the
background worker has finished it; the number of imports is bounded (``LOAD_MAX_IMPORTS``).
``Floor`` requests only the trivial view, for the ratio to the framework floor.

Environment: ``LOAD_CREDENTIALS`` (from ``bench/load_setup.py``), ``LOAD_REPORT`` (where the
counts of acknowledged edits and imports are written at the end), ``LOAD_WAIT`` ("min,max"
seconds of think time between a user's requests).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
from collections import Counter
from pathlib import Path

from locust import HttpUser, between, events, task

CREDENTIALS = json.loads(Path(os.environ["LOAD_CREDENTIALS"]).read_text())
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "0.5,2").split(","))
MAX_IMPORTS = int(os.environ.get("LOAD_MAX_IMPORTS", "6"))
WORDS = ["water", "forest", "synthetic", "finance", "river", "highlands", "coffee", "soil"]

_next_member = itertools.count()
_lock = threading.Lock()
acknowledged_edits: Counter = Counter()  # slug -> edits answered 200
conflicts: Counter = Counter()  # slug -> edits answered 409
imports = {"started": 0, "succeeded": 0, "failed": 0, "unfinished": 0, "seconds": []}


def _check(response, expected=(200,)):
    if response.status_code in expected:
        response.success()
    else:
        response.failure(f"{response.status_code}: {response.text[:200]}")


class Member(HttpUser):
    weight = 49
    wait_time = between(*WAIT)

    def on_start(self):
        account = CREDENTIALS["users"][next(_next_member) % len(CREDENTIALS["users"])]
        self.landscape = account["landscape"]
        self.cookies = {"Cookie": f"{CREDENTIALS['session_cookie_name']}={account['session']}"}
        self.bearer = {"Authorization": f"Bearer {account['token']}"}
        self.landscapes = CREDENTIALS["landscapes"]
        self.organizations = CREDENTIALS["organizations"]

    def _page(self, url: str, name: str):
        with self.client.get(url, headers=self.cookies, name=name, catch_response=True) as r:
            _check(r)

    def _api(self, url: str, name: str):
        with self.client.get(url, headers=self.bearer, name=name, catch_response=True) as r:
            _check(r)

    @task(4)
    def landscape_list(self):
        page = random.choice(["", "?page=2", "?page=7", "?status=engaged", "?sort=-updated"])
        self._page(f"/landscapes/{page}", "page: landscape list")

    @task(6)
    def landscape_profile(self):
        self._page(f"/landscapes/{random.choice(self.landscapes)}/", "page: landscape profile")

    @task(3)
    def organization_list(self):
        self._page("/organizations/", "page: organization list")

    @task(3)
    def organization_profile(self):
        slug = random.choice(self.organizations)
        self._page(f"/organizations/{slug}/", "page: organization profile")

    @task(2)
    def people_list(self):
        self._page("/people/", "page: people list")

    @task(2)
    def my_hub(self):
        self._page("/my/", "page: my hub")

    @task(1)
    def home(self):
        self._page("/", "page: home")

    @task(4)
    def api_reads(self):
        url, name = random.choice([
            ("/api/v1/landscapes?limit=50", "API landscapes list"),
            (f"/api/v1/landscapes/{random.choice(self.landscapes)}", "API landscape detail"),
            ("/api/v1/organizations?limit=50", "API organizations list"),
            ("/api/v1/people?limit=50", "API people list"),
        ])  # fmt: skip
        self._api(url, name)

    @task(4)
    def search(self):
        word = random.choice(WORDS)
        url, name = random.choice([
            (f"/search/?q={word}", "search: page"),
            (f"/landscapes/?q={word}", "search: landscape list"),
            (f"/api/v1/search?q={word}", "search: API"),
        ])  # fmt: skip
        if name.startswith("search: API"):
            self._api(url, name)
        else:
            self._page(url, name)

    @task(3)
    def edit_landscape(self):
        """Read the version, then change the summary: a stale version must get a 409."""
        slug = self.landscape
        read = self.client.get(f"/api/v1/landscapes/{slug}", headers=self.bearer,
                               name="edit: read")  # fmt: skip
        if read.status_code != 200:
            return
        payload = {"version": read.json()["version"],
                   "summary": f"Edited under load at {time.time():.6f}"}  # fmt: skip
        with self.client.patch(f"/api/v1/landscapes/{slug}", json=payload, headers=self.bearer,
                               name="edit: write", catch_response=True) as r:  # fmt: skip
            _check(r, expected=(200, 409))
            with _lock:
                if r.status_code == 200:
                    acknowledged_edits[slug] += 1
                elif r.status_code == 409:
                    conflicts[slug] += 1


class Importer(HttpUser):
    fixed_count = 1
    wait_time = between(5, 10)

    def on_start(self):
        staff = CREDENTIALS["staff"]
        secret = CREDENTIALS["csrf_secret"]
        self.headers = {
            "Cookie": f"{CREDENTIALS['session_cookie_name']}={staff['session']}; "
            f"{CREDENTIALS['csrf_cookie_name']}={secret}",
        }
        self.secret = secret

    @task
    def import_organizations(self):
        with _lock:
            if imports["started"] >= MAX_IMPORTS:
                return
            imports["started"] += 1
            number = imports["started"]
        stamp = f"{time.time():.0f}"
        rows = ["name,kind,country,capabilities"] + [
            f"Load Import {number}-{i} {stamp},ngo,KE,facilitation:basic" for i in range(20)
        ]
        started = time.monotonic()
        with self.client.post(
            "/imports/new/", headers=self.headers, name="import: upload", allow_redirects=False,
            data={"kind": "organizations", "csrfmiddlewaretoken": self.secret},
            files={"file": (f"load-{number}.csv", "\n".join(rows).encode(), "text/csv")},
            catch_response=True,
        ) as r:  # fmt: skip
            _check(r, expected=(302,))
            location = r.headers.get("Location", "")
        if not re.search(r"/imports/\d+/$", location):
            with _lock:
                imports["failed"] += 1
            return
        deadline = started + 45
        while time.monotonic() < deadline:
            time.sleep(1)
            with self.client.get(location, headers={**self.headers, "HX-Request": "true"},
                                 name="import: progress", catch_response=True) as r:  # fmt: skip
                _check(r)
                text = r.text
            if 'data-status="succeeded"' in text or 'data-status="failed"' in text:
                with _lock:
                    key = "succeeded" if 'data-status="succeeded"' in text else "failed"
                    imports[key] += 1
                    imports["seconds"].append(round(time.monotonic() - started, 2))
                return
        with _lock:
            imports["unfinished"] += 1


class Floor(HttpUser):
    """The trivial view only. Named on locust's command line alone (``locust ... Floor``);
    the mixed run names ``Member Importer``, so this class is never mixed in."""

    wait_time = between(*WAIT)

    @task
    def healthz(self):
        with self.client.get("/healthz/", name="floor: /healthz/", catch_response=True) as r:
            _check(r)


@events.test_stop.add_listener
def _write_report(environment, **_kwargs):
    path = os.environ.get("LOAD_REPORT")
    if path:
        Path(path).write_text(json.dumps({
            "acknowledged_edits": dict(acknowledged_edits), "conflicts": dict(conflicts),
            "imports": imports,
        }, indent=1))  # fmt: skip
