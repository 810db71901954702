"""Markdown sanitising, version checks, CSV export safety, task progress, deploy checks."""

import subprocess
import sys

import pytest
from django.urls import reverse

from landhub.core.exceptions import ConflictError
from landhub.core.lists import csv_response
from landhub.core.markdown import render_markdown
from landhub.core.services import progress_start, progress_update
from landhub.core.versioning import check_version


def test_markdown_strips_scripts_and_handlers():
    html = render_markdown(
        "**bold** <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))"
    )
    assert "<strong>bold</strong>" in html
    assert "<script" not in html
    assert "onerror" not in html
    assert "javascript:" not in html


def test_one_text_s_definitions_do_not_leak_into_the_next():
    # The converter is reused between texts; what one text defines must not reach the next.
    first = render_markdown("The LLAG met.[^1]\n\n[^1]: In Nairobi.\n\n*[LLAG]: Landscape leaders")
    assert "<abbr" in first and "In Nairobi" in first
    second = render_markdown("The LLAG met again.[^1]")
    assert "<abbr" not in second
    assert "In Nairobi" not in second
    assert second == "<p>The LLAG met again.[^1]</p>"


def test_a_list_s_filters_come_from_the_query_string_checkboxes_read_as_one(rf):
    from landhub.core.lists import filters_from

    request = rf.get("/", {"q": "x" * 300, "mine": "on", "overdue": "true", "other": "y"})
    filters = filters_from(
        request, ("q", "mine", "overdue", "status"), checkboxes=("mine", "overdue")
    )
    assert filters == {"q": "x" * 200, "mine": "1", "overdue": "1", "status": ""}


@pytest.mark.parametrize(("raw", "version"), [
    ("3", 3), (" 7 ", 7), (4, 4), ("", None), (None, None), ("abc", None), ("-1", None),
    ("1" * 12, None), ("2.5", None),
])  # fmt: skip
def test_a_posted_version_is_a_number_or_none(raw, version):
    from landhub.core.forms import posted_version

    assert posted_version(raw) == version


class _Rec:
    version = 3


def test_stale_version_raises_conflict():
    check_version(_Rec(), 3)
    check_version(_Rec(), None)
    with pytest.raises(ConflictError) as exc:
        check_version(_Rec(), 2)
    assert "changed by someone else" in str(exc.value)


def test_csv_export_neutralises_formulas():
    response = csv_response("x.csv", ["name"], [['=HYPERLINK("http://evil")'], ["Plain"]])
    body = b"".join(response.streaming_content).decode()
    assert "'=HYPERLINK" in body
    assert "Plain" in body


@pytest.mark.django_db
def test_task_progress_only_for_its_owner(world, client_for):
    progress = progress_start(owner=world.hana, kind="import", label="Import", total=10)
    progress_update(progress.pk, done=5, status="running")
    response = client_for("hana").get(reverse("core:task_progress", args=[progress.pk]))
    assert response.status_code == 200
    assert 'aria-valuenow="50"' in response.content.decode()
    partial = client_for("hana").get(
        reverse("core:task_progress", args=[progress.pk]), HTTP_HX_REQUEST="true"
    )
    assert b"<html" not in partial.content
    assert b"hx-get" in partial.content  # keeps polling while running
    assert (
        client_for("nora").get(reverse("core:task_progress", args=[progress.pk])).status_code == 404
    )


def test_check_deploy_is_clean_in_production_settings(tmp_path):
    env = {
        "PATH": "/usr/bin:/bin",
        "LANDHUB_DEBUG": "0",
        "LANDHUB_ALLOWED_HOSTS": "hub.example.org",
        "LANDHUB_SECRET_KEY": "x" * 64 + "-a-long-and-random-production-secret-key",
        "LANDHUB_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_unknown_api_path_answers_json_404(client, db):
    response = client.get("/api/v1/people/null,null")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert client.get("/api/v1/no-such-endpoint/").json() == {"detail": "Not found."}
    assert client.get("/no/such/page/").status_code == 404
