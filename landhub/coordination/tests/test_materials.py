"""Links and files of an offering: added by its providers, checked on upload, downloaded by
whoever may see the offering, never served as a page."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from landhub.coordination.models import OfferingAttachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def _attach(client, offering, name, content, title="Manual"):
    return client.post(
        reverse("coordination:offering_attachment_add", args=[offering.slug]),
        {"file-title": title, "file-file": SimpleUploadedFile(name, content)},
    )


def test_providers_add_links_and_files_that_readers_download(
    client, client_for, world, django_capture_on_commit_callbacks
):
    pablo = client_for("pablo")
    offering = world.offering
    link = {"link-title": "Video tour", "link-url": "https://example.org/tour"}
    response = pablo.post(reverse("coordination:offering_link_add", args=[offering.slug]), link)
    assert response.status_code == 302
    assert _attach(pablo, offering, "clinic manual.pdf", PDF).status_code == 302
    assert _attach(pablo, offering, "plan.docx", _docx(), title="").status_code == 302
    page = client.get(offering.get_absolute_url()).content.decode()
    assert "Video tour" in page and "https://example.org/tour" in page
    assert "Manual" in page and "clinic manual.pdf" in page and "plan.docx" in page
    manual = OfferingAttachment.objects.get(title="Manual")
    assert manual.file.name != "clinic manual.pdf" and manual.file.name.endswith(".pdf")
    assert manual.history.first().history_user == world.pablo

    download = client.get(manual.get_absolute_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert "clinic manual.pdf" in download["Content-Disposition"]
    assert download["Content-Security-Policy"] == "sandbox; default-src 'none'"
    # The stored file has no public address: /media/attachments/ is not served.
    assert client.get(f"/media/attachments/{manual.file.name}").status_code == 404

    stored = manual.file.name
    storage = manual.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        removed = pablo.post(reverse("coordination:offering_material_remove",
                                     args=[offering.slug, "file", manual.pk]))  # fmt: skip
    assert removed.status_code == 302
    assert not storage.exists(stored)
    assert client.get(reverse("coordination:attachment_download",
                              args=[offering.slug, manual.pk])).status_code == 404  # fmt: skip


def test_files_of_a_draft_stay_with_its_providers(client, client_for, world):
    draft = world.draft_offering
    assert _attach(client_for("pablo"), draft, "notes.txt", "Notes in UTF-8: café".encode()
                   ).status_code == 302  # fmt: skip
    notes = OfferingAttachment.objects.get(offering=draft)
    assert client.get(notes.get_absolute_url()).status_code == 404
    assert client_for("nora").get(notes.get_absolute_url()).status_code == 404
    assert client_for("pablo").get(notes.get_absolute_url()).status_code == 200
    # Someone who sees a published offering but does not provide it cannot change its files.
    nora = client_for("nora")
    assert nora.get(reverse("coordination:offering_materials",
                            args=[world.offering.slug])).status_code == 403  # fmt: skip
    assert _attach(nora, world.offering, "x.pdf", PDF).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "not .exe"),
        ("report.pdf", b"<html><script>alert(1)</script></html>", "is not a .pdf file"),
        ("report.docx", b"PK\x03\x04 not really a zip", "is not a .docx file"),
        ("photo.png", b"\xff\xd8\xff\xe0 a jpeg named png", "is not a .png file"),
        ("data.csv", "name;valeur\nsite;café".encode("latin-1"), "Save the text file as UTF-8"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_a_bad_file_is_refused_with_a_message(client_for, world, name, content, message):
    response = _attach(client_for("pablo"), world.offering, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not OfferingAttachment.objects.exists()


def test_size_limit_and_bad_links(client_for, world):
    pablo = client_for("pablo")
    with override_settings(LANDHUB_MAX_ATTACHMENT_BYTES=1000):
        response = _attach(pablo, world.offering, "big.pdf", PDF + b"0" * 2000)
    assert response.status_code == 400 and "the limit is 0.0 MB" in response.content.decode()
    response = pablo.post(reverse("coordination:offering_link_add", args=[world.offering.slug]),
                          {"link-title": "Bad", "link-url": "javascript:alert(1)"})  # fmt: skip
    assert response.status_code == 400 and "Enter a valid URL." in response.content.decode()


def test_the_api_adds_lists_downloads_and_removes_materials(client, client_for, world):
    pablo = client_for("pablo")
    base = f"/api/v1/offerings/{world.offering.slug}"
    link = pablo.post(f"{base}/links", {"title": "Guide", "url": "https://example.org/guide"},
                      content_type="application/json")  # fmt: skip
    assert link.status_code == 201 and link.json()["title"] == "Guide"
    bad = pablo.post(f"{base}/links", {"title": "x", "url": "ftp://example.org"},
                     content_type="application/json")  # fmt: skip
    assert bad.status_code == 422 and "url" in str(bad.json())
    brochure = {"title": "Brochure", "file": SimpleUploadedFile("b.pdf", PDF)}
    created = pablo.post(f"{base}/attachments", brochure)
    assert created.status_code == 201
    data = created.json()
    assert (data["file_name"], data["content_type"], data["size"]) == ("b.pdf", "application/pdf",
                                                                      len(PDF))  # fmt: skip
    refused = pablo.post(f"{base}/attachments", {"file": SimpleUploadedFile("b.pdf", b"nope")})
    assert refused.status_code == 422 and "is not a .pdf file" in str(refused.json())
    detail = client.get(base).json()
    assert [a["title"] for a in detail["attachments"]] == ["Brochure"]
    assert [item["title"] for item in detail["links"]] == ["Guide"]
    download = client.get(f"{base}/attachments/{data['id']}")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client_for("nora").delete(f"{base}/attachments/{data['id']}").status_code == 403
    assert pablo.delete(f"{base}/attachments/{data['id']}").status_code == 204
    assert pablo.delete(f"{base}/links/{link.json()['id']}").status_code == 204
    assert client.get(base).json()["attachments"] == []
