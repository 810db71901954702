"""Evidence files of reported values: attached from the grid row or the API, checked,
downloaded only by who may see the value (as a sandboxed download), removed while the value
is editable, with history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from landhub.mel import services
from landhub.mel.models import ObservationEvidence

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def pdf(name="register.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def draft(world, mel):
    """Lena's draft of women among decision-makers, Kenya Highlands, 2025."""
    return services.observation_save(actor=world.lena, assignment=mel.a[("W1", world.landscape.pk)],
                                     period=mel.periods[0], numerator=2, denominator=5)  # fmt: skip


def add_url(world, draft):
    return reverse("mel:evidence_add", args=[world.landscape.slug, draft.period.label,
                                             draft.assignment_id])  # fmt: skip


def test_a_file_attached_from_the_grid_row_is_listed_on_the_row(world, draft, client_for):
    response = client_for("lena").post(add_url(world, draft), {"file": pdf()},
                                       HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 200
    text = response.content.decode()
    assert f'id="row-{draft.assignment_id}"' in text.split(">", 1)[0]  # the row, not the page
    assert "register.pdf" in text and "File attached." in text
    evidence = ObservationEvidence.objects.get(observation=draft)
    assert evidence.file.name != "register.pdf" and evidence.file.name.endswith(".pdf")
    assert (evidence.content_type, evidence.size, evidence.uploaded_by) == (
        "application/pdf", len(PDF), world.lena)  # fmt: skip
    grid = client_for("lena").get(reverse("mel:report_grid", args=[world.landscape.slug, "2025"]))
    assert reverse("mel:evidence_download", args=[evidence.pk]) in grid.content.decode()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("tool.exe", b"MZ\x90\x00"), "Attach a PDF, Word, Excel"),
        (pdf(data=b"<html><script>alert(1)</script>"), "content is not a .pdf file"),
        (SimpleUploadedFile("empty.csv", b""), "The file is empty."),
    ],
)  # fmt: skip
def test_a_bad_file_is_refused_with_a_message_on_the_row(world, draft, client_for, upload,
                                                         message):  # fmt: skip
    response = client_for("lena").post(add_url(world, draft), {"file": upload},
                                       HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ObservationEvidence.objects.exists()


def test_a_file_over_the_size_limit_is_refused(world, draft, settings):
    settings.LANDHUB_MAX_ATTACHMENT_BYTES = 10
    with pytest.raises(ValidationError, match="the limit is 0.0 MB"):
        services.evidence_add(actor=world.lena, observation=draft, upload=pdf())


def test_a_value_is_saved_before_its_evidence(world, mel, client_for):
    url = reverse("mel:evidence_add", args=[world.landscape.slug, "2025",
                                            mel.a[("T1", world.landscape.pk)].pk])  # fmt: skip
    response = client_for("lena").post(url, {"file": pdf()}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Save the value first, then attach its evidence." in response.content.decode()


def test_download_only_for_who_may_see_the_value_sandboxed(world, draft, client_for):
    evidence = services.evidence_add(actor=world.lena, observation=draft, upload=pdf())
    url = reverse("mel:evidence_download", args=[evidence.pk])
    for persona in ("lena", "hana", "sofia"):  # reporter, hub staff, designated reviewer
        response = client_for(persona).get(url)
        assert response.status_code == 200, persona
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="register.pdf"'
    assert response["Content-Security-Policy"].startswith("sandbox")
    assert response["X-Content-Type-Options"] == "nosniff"
    for persona in ("nora", "pablo", "oscar"):
        assert client_for(persona).get(url).status_code == 404, persona
    assert client_for("anonymous").get(url).status_code == 302


def test_files_change_only_while_the_value_is_editable(world, mel, draft, client_for):
    evidence = services.evidence_add(actor=world.lena, observation=draft, upload=pdf())
    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=world.nora, observation=draft, upload=pdf())
    services.observation_submit(actor=world.lena, observation=draft, version=draft.version)
    with pytest.raises(ValidationError, match="only while the value is a draft or returned"):
        services.evidence_remove(actor=world.lena, evidence=evidence)
    response = client_for("lena").post(add_url(world, draft), {"file": pdf()},
                                       HTTP_HX_REQUEST="true")  # fmt: skip
    assert response.status_code == 400
    # The submitted row still lists the file, without a way to remove it.
    text = response.content.decode()
    assert "register.pdf" in text and "remove" not in text


def test_removing_a_file_deletes_it_and_keeps_the_history(
    world, draft, client_for, django_capture_on_commit_callbacks
):
    evidence = services.evidence_add(actor=world.lena, observation=draft, upload=pdf())
    storage, name = evidence.file.storage, evidence.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("lena").post(reverse("mel:evidence_remove", args=[evidence.pk]),
                                           HTTP_HX_REQUEST="true")  # fmt: skip
    assert "File removed." in response.content.decode()
    assert not ObservationEvidence.objects.exists()
    assert not storage.exists(name)
    history = ObservationEvidence.history.filter(id=evidence.pk).order_by("history_date")
    assert [(h.history_type, h.history_user) for h in history] == [
        ("+", world.lena), ("-", world.lena)]  # fmt: skip


def test_the_api_attaches_downloads_and_removes(world, draft, client_for):
    client = client_for("lena")
    base = f"/api/v1/mel/observations/{draft.pk}/evidence"
    created = client.post(base, {"file": pdf("survey.pdf")})
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["file_name"], body["size"], body["content_type"]) == (
        "survey.pdf", len(PDF), "application/pdf")  # fmt: skip
    download = client.get(body["url"])
    assert download.status_code == 200
    assert download["Content-Security-Policy"].startswith("sandbox")
    refused = client.post(base, {"file": SimpleUploadedFile("notes.txt", b"\xff\xfe\x00bad")})
    assert refused.status_code == 422, refused.content
    assert "UTF-8" in " ".join(refused.json()["errors"]["file"])
    assert client_for("nora").get(body["url"]).status_code == 404
    assert client_for("nora").post(base, {"file": pdf()}).status_code == 404
    assert client.delete(body["url"]).status_code == 204
    assert client.get(body["url"]).status_code == 404
