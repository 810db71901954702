"""The security baseline a browser sees: headers, cookies, no inline script, safe exports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse

import landhub
from landhub.core.lists import csv_response

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy(client, world):
    response = client.get(reverse("directory:landscape_list"))
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"  # no inline script, no CDN
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_session_and_csrf_cookies_are_httponly_and_samesite(client, world):
    from django.conf import settings

    credentials = {"login": "lena@example.org", "password": "correct-horse-battery"}
    response = client.post(reverse("account_login"), credentials)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert settings.CSRF_COOKIE_HTTPONLY and settings.SESSION_COOKIE_AGE <= 14 * 24 * 3600


def test_no_template_has_inline_script_or_event_handlers():
    """The CSP forbids them; this finds one before a browser silently ignores it."""
    root = Path(landhub.__file__).parent
    offenders = []
    for template in root.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        inline_script = re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text)
        if inline_script or re.search(r"\son[a-z]+=\"", text):
            offenders.append(str(template.relative_to(root)))
    assert not offenders, offenders


def test_csv_exports_neutralise_formulas():
    rows = [['=HYPERLINK("http://evil")', "+1", "-2", "@SUM(A1)", "plain"]]
    body = b"".join(csv_response("x.csv", ["a", "b", "c", "d", "e"], rows).streaming_content)
    line = body.decode("utf-8-sig").splitlines()[1]
    assert line.startswith("\"'=HYPERLINK") and ",'+1,'-2,'@SUM(A1),plain" in line


def test_landscape_export_neutralises_a_formula_in_a_name(client_for, world):
    from landhub.directory import factories as f

    f.LandscapeFactory(name="=cmd|' /C calc'!A0", slug="formula")
    response = client_for("hana").get(reverse("directory:landscape_export_csv"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "\n'=cmd|" in text


def test_static_files_collect_with_the_production_manifest_storage(tmp_path, settings):
    """Production serves hashed static files; a dangling reference (such as a source map that
    is not shipped) makes ``collectstatic`` fail and the deployment with it."""
    import json

    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    assert "vendor/bootstrap-5.3.8/bootstrap.bundle.min.js" in manifest
    assert "directory/map.js" in manifest
