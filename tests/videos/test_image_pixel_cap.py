"""A template image is held to the same pixel cap as a logo (videos.branding.MAX_LOGO_SIDE)."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image

from tests.conftest import client_in
from tests.videos.conftest import FILLED_FORM, api_error, api_for, stored_files, upload
from videos.branding import MAX_LOGO_SIDE
from videos.models import Video
from videos.services import validate_image

MESSAGE = f"The image is larger than {MAX_LOGO_SIDE} × {MAX_LOGO_SIDE} pixels."


def png_of(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, format="PNG")  # one bit a pixel: a small file
    return buffer.getvalue()


@pytest.fixture(scope="module")
def huge_png() -> bytes:
    return png_of((12000, 12000))


def test_a_12000_square_png_is_refused(huge_png):
    with pytest.raises(ValidationError) as error:
        validate_image(upload("huge.png", huge_png, "image/png"))
    assert error.value.messages == [MESSAGE]


@pytest.mark.parametrize("size", [(MAX_LOGO_SIDE + 1, 10), (10, MAX_LOGO_SIDE + 1)])
def test_one_side_over_the_cap_is_refused(size):
    with pytest.raises(ValidationError):
        validate_image(upload("wide.png", png_of(size), "image/png"))


def test_the_cap_itself_is_accepted():
    validate_image(upload("edge.png", png_of((MAX_LOGO_SIDE, MAX_LOGO_SIDE)), "image/png"))


@pytest.mark.django_db
def test_the_api_refuses_it_and_stores_nothing(owner, workspace, template, settings, huge_png):
    response = api_for(owner).post(
        "/api/v1/videos/",
        {
            "workspace": workspace.pk,
            "template": template.key,
            "title": "Huge",
            "photo": upload("huge.png", huge_png, "image/png"),
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert MESSAGE in api_error(response)["message"]
    assert not Video.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_the_page_refuses_it_and_stores_nothing(owner, workspace, template, settings, huge_png):
    response = client_in(owner, workspace).post(
        reverse("videos:template", args=[template.key]),
        {**FILLED_FORM, "title": "Huge", "field_photo": upload("huge.png", huge_png, "image/png")},
    )
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()
    assert not Video.objects.exists()
    assert stored_files(settings) == []
