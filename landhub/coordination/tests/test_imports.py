"""Importing offerings: partners bring their lists; bad cells reported, all or nothing."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from landhub.coordination.models import Offering
from landhub.core.models import Notification, TaskProgress
from landhub.core.services import progress_start
from landhub.directory.imports import run_import, template_csv, template_xlsx

pytestmark = pytest.mark.django_db

HEADER = ["title", "providers", "type", "summary", "capabilities", "available_in", "languages",
          "access", "access_url", "status"]  # fmt: skip


def _file(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode()


def _run(owner, tmp_path, content: bytes, name="offerings.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    progress = progress_start(owner=owner, kind="import.offerings", label="test")
    result = run_import(progress_id=progress.pk, kind="offerings", path=str(path))
    progress.refresh_from_db()
    return progress, result


def test_partner_staff_import_drafts_and_submissions_of_their_organization(world, tmp_path):
    content = _file([
        ["Seed bank starter kit", "Commonland Test", "tool", "Start a community seed bank.",
         "restoration-practice", "Africa;BR", "en;sw", "hub", "", "draft"],
        ["Grazing plan clinic", "commonland-test", "service", "Plan rotational grazing.",
         "", "", "es", "link", "https://example.org/grazing", "in_review"],
    ])  # fmt: skip
    progress, result = _run(world.pablo, tmp_path, content)
    assert progress.status == TaskProgress.Status.SUCCEEDED, result
    assert result["created"] == 2
    kit = Offering.objects.get(title="Seed bank starter kit")
    assert kit.status == "draft" and not kit.is_global
    assert kit.regions == "Africa" and [c.code for c in kit.countries.all()] == ["BR"]
    assert kit.languages == ",en,sw,"
    assert kit.provider_links.get().organization == world.core_org
    assert kit.history.first().history_user == world.pablo
    clinic = Offering.objects.get(title="Grazing plan clinic")
    assert clinic.status == "in_review" and clinic.is_global
    # The reviewers hear once about the import, not once per row.
    told = Notification.objects.filter(recipient=world.hana, kind="coordination.offering_submitted")
    assert told.count() == 1 and "imported 2 offerings" in told.get().title


def test_every_bad_cell_is_reported_with_its_line_and_nothing_is_written(world, tmp_path):
    content = _file([
        ["Good one", "Commonland Test", "tool", "Fine.", "", "", "en", "hub", "", "draft"],
        ["", "Commonland Test", "tool", "No title.", "", "", "", "hub", "", ""],  # line 3
        ["Unknown org", "Nobody Inc", "tool", "x", "", "", "", "hub", "", ""],  # line 4
        ["Not mine", "River Friends", "tool", "x", "", "", "", "hub", "", ""],  # line 5
        ["Bad type", "Commonland Test", "spaceship", "x", "", "", "", "hub", "", ""],  # line 6
        ["Bad terms", "Commonland Test", "tool", "x", "magic", "Atlantis", "xx", "hub", "",
         ""],  # line 7
        ["Link missing", "Commonland Test", "tool", "x", "", "", "", "link", "", ""],  # line 8
        ["Bad link", "Commonland Test", "tool", "x", "", "", "", "link", "javascript:x",
         ""],  # line 9
        ["Good one", "Commonland Test", "tool", "Again.", "", "", "", "hub", "", ""],  # line 10
        ["Landscape Finance Clinic", "Commonland Test", "tool", "x", "", "", "", "hub", "",
         ""],  # line 11: exists
        ["Self-published", "Commonland Test", "tool", "x", "", "", "", "hub", "",
         "published"],  # line 12: only hub staff publish
    ])  # fmt: skip
    progress, result = _run(world.pablo, tmp_path, content)
    assert progress.status == TaskProgress.Status.FAILED
    found = {(e["line"], e["column"]) for e in result["errors"]}
    assert {
        (3, "title"), (4, "providers"), (5, "providers"), (6, "type"), (7, "capabilities"),
        (7, "available_in"), (7, "languages"), (8, "access_url"), (9, "access_url"),
        (10, "title"), (11, "title"), (12, "status"),
    } <= found  # fmt: skip
    assert not any(e["line"] == 2 for e in result["errors"])
    messages = " ".join(e["message"] for e in result["errors"])
    assert "You can only name organizations you belong to: River Friends." in messages
    assert "Duplicate of line 2 in this file." in messages
    assert not Offering.objects.filter(title="Good one").exists()


def test_hub_staff_import_for_any_provider_and_may_publish(world, tmp_path):
    content = _file([["River school", "River Friends;Commonland Test", "training",
                      "A river school.", "", "", "", "hub", "", "published"]])  # fmt: skip
    progress, result = _run(world.hana, tmp_path, content)
    assert progress.status == TaskProgress.Status.SUCCEEDED, result
    school = Offering.objects.get(title="River school")
    assert school.status == "published"
    assert school.provider_links.get(is_lead=True).organization == world.other_org


def test_the_templates_import_as_they_are(world, tmp_path):
    """The example row of the template is valid once its provider exists."""
    from landhub.directory import factories as f

    f.OrganizationFactory(name="Highlands Water Trust")
    progress, result = _run(world.hana, tmp_path, template_csv("offerings").encode())
    assert progress.status == TaskProgress.Status.SUCCEEDED, result
    Offering.objects.filter(title="Watershed restoration clinic").delete()
    progress, result = _run(world.hana, tmp_path, template_xlsx("offerings"), "offerings.xlsx")
    assert progress.status == TaskProgress.Status.SUCCEEDED, result


def test_partner_staff_use_the_import_page_for_offerings_only(client_for, world, tmp_path):
    pablo = client_for("pablo")
    page = pablo.get(reverse("directory:import_list"), {"kind": "offerings"})
    assert page.status_code == 200
    body = page.content.decode()
    assert 'value="offerings" selected' in body and 'value="organizations"' not in body
    assert (
        pablo.get(reverse("directory:import_template", args=["offerings", "csv"])).status_code
        == 200
    )
    assert (
        pablo.get(reverse("directory:import_template", args=["landscapes", "csv"])).status_code
        == 404
    )
    upload = SimpleUploadedFile("offerings.csv", _file([["Pablo's kit", "Commonland Test",
                                "tool", "A kit.", "", "", "", "hub", "", ""]]))  # fmt: skip
    response = pablo.post(reverse("directory:import_create"),
                          {"kind": "offerings", "file": upload})  # fmt: skip
    assert response.status_code == 302
    progress = TaskProgress.objects.get(owner=world.pablo)
    assert pablo.get(response.url).status_code == 200
    # Someone else's import is not theirs to read; hub staff read every import.
    assert client_for("nora").get(response.url).status_code == 404
    assert client_for("hana").get(response.url).status_code == 200
    # A member of no organization may not import at all.
    assert client_for("oscar").get(reverse("directory:import_list")).status_code == 403
    assert progress.kind == "import.offerings"
