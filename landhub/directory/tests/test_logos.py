"""Organization logos: whatever is uploaded, only a re-encoded PNG of the pixels is stored."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from landhub.accounts.services import api_token_create
from landhub.directory.models import Organization

pytestmark = pytest.mark.django_db


def _image(fmt="JPEG", size=(1600, 800), mode="RGB", **save) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, "green" if mode != "1" else 0).save(buffer, format=fmt, **save)
    return buffer.getvalue()


def _photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (1.0, 17.0, 30.0)}  # GPSInfo: where the phone was
    exif[0x010F] = "PhoneMaker"
    return _image("JPEG", exif=exif.tobytes())


def _edit(client, org, upload=None, **extra):
    data = {"version": org.version, "name": org.name, "short_name": org.short_name,
            "country": "", "website": "", "description": org.description, **extra}  # fmt: skip
    if upload is not None:
        data["logo"] = upload
    return client.post(reverse("directory:organization_edit", args=[org.slug]), data)


def test_an_admin_uploads_a_photo_and_a_clean_small_png_is_stored(client_for, world):
    client = client_for("pablo")  # administrator of the core organization
    upload = SimpleUploadedFile("../../etc/passwd.jpg", _photo_with_gps(), "image/jpeg")
    response = _edit(client, world.core_org, upload)
    assert response.status_code == 302

    org = Organization.objects.get(pk=world.core_org.pk)
    assert org.logo.name.startswith("logos/") and org.logo.name.endswith(".png")
    assert "passwd" not in org.logo.name and ".." not in org.logo.name
    with org.logo.open("rb") as stored:
        image = Image.open(stored)
        image.load()
    assert image.format == "PNG" and max(image.size) == 512 and image.size == (512, 256)
    assert not image.getexif() and "exif" not in image.info

    page = client_for("anonymous").get(org.get_absolute_url()).content.decode()
    assert f'src="{org.logo.url}"' in page and 'alt="Logo of Commonland Test"' in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.png", b"<html><script>alert(1)</script></html>", "not an image"),
        ("logo.png", _image("PNG", (64, 64))[:80], "damaged"),
        ("logo.bmp", _image("BMP", (64, 64)), "Upload a PNG, JPEG, WebP or GIF"),
        ("bomb.png", _image("PNG", (6000, 5000), mode="1"), "25 megapixels"),
        ("huge.png", b"\x89PNG" + b"0" * (3 * 1024 * 1024), "the limit is 2.0 MB"),
    ],
)
def test_anything_but_a_readable_image_is_refused_with_a_message(
    client_for, world, name, content, message
):
    response = _edit(client_for("pablo"), world.core_org, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organization.objects.get(pk=world.core_org.pk).logo


def test_clearing_the_logo_and_saving_without_a_file_keeps_it(client_for, world):
    client = client_for("pablo")
    _edit(client, world.core_org, SimpleUploadedFile("a.png", _image("PNG", (64, 64))))
    org = Organization.objects.get(pk=world.core_org.pk)
    assert org.logo
    assert _edit(client, org).status_code == 302  # no file, "clear" not ticked
    org = Organization.objects.get(pk=org.pk)
    assert org.logo
    assert _edit(client, org, **{"logo-clear": "on"}).status_code == 302
    assert not Organization.objects.get(pk=org.pk).logo


def test_the_api_uploads_and_removes_a_logo(client, world):
    _token, plain = api_token_create(actor=world.pablo, name="script", scope="write")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {plain}"}
    url = f"/api/v1/organizations/{world.core_org.slug}/logo"
    upload = SimpleUploadedFile("logo.webp", _image("WEBP", (300, 300)), "image/webp")
    response = client.post(url, {"file": upload, "version": world.core_org.version}, **headers)
    assert response.status_code == 200
    logo = response.json()["logo"]
    assert logo.startswith("/media/logos/") and logo.endswith(".png")

    bad = client.post(url, {"file": SimpleUploadedFile("x.png", b"text"),
                            "version": response.json()["version"]}, **headers)  # fmt: skip
    assert bad.status_code == 422 and "not an image" in bad.json()["errors"]["logo"][0]

    stale = client.delete(f"{url}?version={world.core_org.version}", **headers)
    assert stale.status_code == 409
    removed = client.delete(f"{url}?version={response.json()['version']}", **headers)
    assert removed.status_code == 200 and removed.json()["logo"] is None
