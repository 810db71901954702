"""Browser tests: a real LandHub server with the demo data, driven in Debian's Chromium.

The session starts its own server (and task worker) on a free port with a fresh SQLite
database in a temporary directory, so the tests never touch a developer's data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
AXE = Path(__file__).parent / "vendor" / "axe-core-4.11.0" / "axe.min.js"
CHROMIUM = os.environ.get("LANDHUB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip
PASSWORD = "landhub-demo"
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

pytestmark = pytest.mark.e2e


def pytest_collection_modifyitems(items):
    for item in items:
        if "e2e" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _landhub(*args, env, **kwargs):
    return subprocess.run([str(BIN / "landhub"), *args], env=env, check=True, cwd=ROOT, **kwargs)


@pytest.fixture(scope="session")
def server():
    tmp = tempfile.mkdtemp(prefix="landhub-e2e-")
    env = {
        **os.environ,
        "LANDHUB_VAR_DIR": tmp,
        "LANDHUB_DATABASE_URL": f"sqlite:///{tmp}/e2e.sqlite3",
        "LANDHUB_DEBUG": "1",
        "LANDHUB_TILE_URL": "",  # no internet: maps must draw without tiles
        "LANDHUB_EMAIL_VERIFICATION": "optional",
        # E-mails as files, so a test can open a link that was e-mailed (the ``mailbox``).
        "LANDHUB_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "LANDHUB_EMAIL_FILE_PATH": str(Path(tmp) / "mail"),
    }
    _MAILBOX.append(Path(tmp) / "mail")
    _landhub("migrate", "-v0", env=env)
    _landhub("seed-demo", env=env, stdout=subprocess.DEVNULL)
    port = _free_port()
    log = open(Path(tmp) / "server.log", "w")  # noqa: SIM115 - closed at teardown
    procs = [
        subprocess.Popen(
            [str(BIN / "landhub"), "runserver", "--noreload", f"127.0.0.1:{port}"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        ),
        subprocess.Popen(
            [str(BIN / "landhub"), "worker", "--queue-name=*", "--interval=0.2"],
            env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
        ),
    ]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    for _ in range(150):
        try:
            urllib.request.urlopen(base + "/healthz/", timeout=1)
            break
        except OSError:
            time.sleep(0.2)
    else:
        raise RuntimeError("The LandHub server did not start; see " + log.name)
    yield base
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    log.close()


_MAILBOX: list[Path] = []


@pytest.fixture(scope="session")
def mailbox(server) -> Path:
    """The folder the server writes its e-mails to (one file per sending connection)."""
    return _MAILBOX[-1]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(base_url=server, locale="en-GB")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.csp_errors = errors
    page.set_default_timeout(15_000)
    yield page
    context.close()


def totp_now(secret: str = DEMO_TOTP_SECRET) -> str:
    """The current 6-digit code, as an authenticator app computes it (RFC 6238)."""
    key = base64.b32decode(secret)
    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


_staff_cookies: list = []


def sign_in(page, persona: str) -> None:
    """Sign in through the real form. Hub staff sign in once per run and reuse the session:
    allauth refuses a two-factor code that was already used, and codes last 30 seconds."""
    if persona == "hana" and _staff_cookies:
        page.context.add_cookies(_staff_cookies)
        page.goto("/my/")
        return
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(f"{persona}@demo.landhub.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    if persona == "hana":  # hub staff: two-factor code
        page.locator("#id_code").fill(totp_now())
        page.locator("main form button[type=submit]").first.click()
    page.wait_for_url("**/my/")
    if persona == "hana":
        _staff_cookies.extend(page.context.cookies())


def _run_axe(page) -> dict:
    """axe's result for the page, once the page a click led to has arrived.

    A check called right after a click may meet the next page still arriving: no <head> to add
    the script to, or the document replaced while axe runs (CI failed once so). Then wait for
    that page to load and run again; a page that keeps navigating still fails after three tries.
    """
    from playwright.sync_api import Error as PlaywrightError

    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            page.add_script_tag(url="/__e2e__/axe.min.js")
            return page.evaluate(
                "async () => await axe.run(document, {resultTypes: ['violations']})"
            )
        except PlaywrightError as error:
            arriving = "appendChild" in str(error) or "context was destroyed" in str(error)
            if not arriving or attempt == 2:
                raise
            page.wait_for_timeout(200)
    raise AssertionError("unreachable")


def axe_check(page) -> None:
    """Fail on any serious or critical accessibility violation axe-core finds on the page."""
    # Served as a same-origin file (intercepted here) so the page's strict CSP, which forbids
    # inline scripts, stays on during the browser tests.
    page.route("**/__e2e__/axe.min.js", lambda route: route.fulfill(
        path=str(AXE), content_type="application/javascript"))  # fmt: skip
    result = _run_axe(page)
    bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    details = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in bad
    ]
    assert not bad, f"axe on {page.url}:\n" + "\n".join(details)
    blocked = [e for e in getattr(page, "csp_errors", []) if "Content Security Policy" in e]
    assert not blocked, f"the CSP blocked something on {page.url}: {blocked}"
