"""Imports: every bad row reported with its line, nothing written unless the whole file is good."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from landhub.core.models import TaskProgress
from landhub.core.services import progress_start
from landhub.directory.imports import run_import, template_csv, template_xlsx
from landhub.directory.models import Landscape, Organization

pytestmark = pytest.mark.django_db

ORG_HEADER = "name,kind,country,capabilities,themes\n"


def _run(world, tmp_path, kind, content: bytes, name="file.csv", boundaries: bytes | None = None):
    path = tmp_path / name
    path.write_bytes(content)
    bpath = ""
    if boundaries is not None:
        (tmp_path / "b.geojson").write_bytes(boundaries)
        bpath = str(tmp_path / "b.geojson")
    progress = progress_start(owner=world.hana, kind=f"import.{kind}", label="test")
    result = run_import(progress_id=progress.pk, kind=kind, path=str(path), boundaries_path=bpath)
    progress.refresh_from_db()
    return progress, result


def test_good_csv_imports_every_row(world, tmp_path):
    content = (ORG_HEADER + "Alpha Trust,ngo,KE,facilitation:advanced,water\n"
               "Beta Fund,funder,US,,\n").encode()  # fmt: skip
    progress, result = _run(world, tmp_path, "organizations", content)
    assert progress.status == TaskProgress.Status.SUCCEEDED and progress.percent == 100
    assert result["created"] == 2
    alpha = Organization.objects.get(name="Alpha Trust")
    assert alpha.capabilities.get().level == "advanced"
    assert alpha.history.first().history_user == world.hana


def test_every_bad_row_is_reported_and_nothing_is_written(world, tmp_path):
    content = (ORG_HEADER + "Gamma,ngo,KE,,\n"  # line 2: fine
               "Delta,spaceship,KE,,\n"  # line 3: unknown kind
               "Epsilon,ngo,XX,,\n"  # line 4: unknown country
               "Gamma,ngo,KE,,\n"  # line 5: duplicate of line 2
               "River Friends,ngo,KE,,\n"  # line 6: exists already
               "Zeta,ngo,KE,magic:advanced,\n").encode()  # line 7: unknown capability  # fmt: skip
    progress, result = _run(world, tmp_path, "organizations", content)
    assert progress.status == TaskProgress.Status.FAILED
    by_line = {(e["line"], e["column"]) for e in result["errors"]}
    assert {(3, "kind"), (4, "country"), (5, "name"), (6, "name"), (7, "capabilities")} <= by_line
    assert not any(e["line"] == 2 for e in result["errors"])
    assert not Organization.objects.filter(name="Gamma").exists()


def test_missing_columns_are_named(world, tmp_path):
    _progress, result = _run(world, tmp_path, "organizations", b"name,country\nX,KE\n")
    assert result["errors"][0]["message"] == "Missing columns: kind."


def test_non_utf8_file_gets_a_clear_message(world, tmp_path):
    content = (ORG_HEADER + "Caf\xe9 Verde,ngo,CO,,\n").encode("latin-1")
    progress, result = _run(world, tmp_path, "organizations", content)
    assert progress.status == TaskProgress.Status.FAILED
    assert (
        "not UTF-8" in result["errors"][0]["message"] and "0xe9" in result["errors"][0]["message"]
    )


def test_oversized_file_is_refused(world, tmp_path, settings):
    settings.LANDHUB_MAX_IMPORT_BYTES = 100
    _progress, result = _run(world, tmp_path, "organizations", ORG_HEADER.encode() + b"x" * 200)
    assert "the limit is" in result["errors"][0]["message"]


def test_xlsx_landscapes_with_companion_boundaries(world, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["name", "countries", "population", "ecosystems"])
    book.active.append(["Volta Basin", "GH;BF", 1200000, "freshwater"])
    out = io.BytesIO()
    book.save(out)
    square = {"type": "Polygon", "coordinates": [[[0, 10], [1, 10], [1, 11], [0, 11], [0, 10]]]}
    feature = {"type": "Feature", "properties": {"name": "Volta Basin"}, "geometry": square}
    boundaries = {"type": "FeatureCollection", "features": [feature]}
    progress, result = _run(world, tmp_path, "landscapes", out.getvalue(), "l.xlsx",
                            json.dumps(boundaries).encode())  # fmt: skip
    assert result["created"] == 1, result
    volta = Landscape.objects.get(name="Volta Basin")
    assert volta.population == 1200000 and volta.area_km2 > 12000
    assert set(volta.countries.values_list("code", flat=True)) == {"GH", "BF"}


def test_invalid_boundary_in_a_row_is_reported(world, tmp_path):
    bowtie = json.dumps(
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    )
    content = "name,countries,boundary\n" + f'Bow,KE,"{bowtie.replace(chr(34), chr(34) * 2)}"\n'
    _progress, result = _run(world, tmp_path, "landscapes", content.encode())
    assert result["errors"][0]["line"] == 2
    assert "Self-intersection" in result["errors"][0]["message"]


def test_templates_are_importable(world, tmp_path):
    _progress, result = _run(
        world, tmp_path, "organizations", template_csv("organizations").encode()
    )
    assert result["created"] == 1, result
    _progress, result = _run(world, tmp_path, "landscapes", template_xlsx("landscapes"), "t.xlsx")
    assert result["created"] == 1, result


def test_upload_page_starts_a_task_and_shows_progress(
    client_for, world, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = str(settings.VAR_DIR / "test-media")
    client = client_for("hana")
    upload = SimpleUploadedFile("orgs.csv", (ORG_HEADER + "Omega Alliance,network,BR,,\n").encode())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("directory:import_create"), {"kind": "organizations",
                                                                   "file": upload})  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "1 record created" in page and 'aria-valuenow="100"' in page
    assert Organization.objects.filter(name="Omega Alliance").exists()


def test_wrong_file_type_is_refused_on_the_form(client_for, world):
    upload = SimpleUploadedFile("orgs.pdf", b"%PDF")
    response = client_for("hana").post(
        reverse("directory:import_create"), {"kind": "organizations", "file": upload}
    )
    assert response.status_code == 400
    assert "Upload a .csv or .xlsx file." in response.content.decode()
