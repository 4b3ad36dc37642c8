"""The template library and making a video from a template, through the pages."""

import datetime
import re
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.conftest import client_in
from tests.videos.conftest import FILLED_FORM, png_bytes, stored_files, upload
from videos.models import RenderJob, Template, Video

# -- library --------------------------------------------------------------------------------------


def _names(response) -> list[str]:
    return [t.name for t in response.context["templates"]]


@pytest.mark.django_db
def test_library_shows_media_or_a_placeholder(owner_client, make_template, mp4_path):
    from django.core.files.base import ContentFile

    plain = make_template(name="Plain")
    with_media = make_template(name="With media")
    with_media.thumbnail.save("thumb.png", ContentFile(png_bytes()), save=False)
    with_media.preview.save("preview.mp4", ContentFile(mp4_path.read_bytes()), save=False)
    with_media.save()
    page = owner_client.get(reverse("videos:templates"))
    assert page.status_code == 200
    text = page.content.decode()
    assert escape(plain.name) in text and "No preview yet" in text
    assert re.search(r'<video class="media-fill" src="/files/[^"]+" poster="/files/', text)
    assert "/media/" not in text
    # The linked preview is the real file.
    src = re.search(r'<video class="media-fill" src="([^"]+)"', text).group(1)
    assert b"".join(owner_client.get(src).streaming_content) == mp4_path.read_bytes()


@pytest.mark.django_db
def test_library_filters_and_sorts(owner_client, make_template, only_test_templates):
    now = timezone.now()
    make_template(
        name="Old popular",
        category="social",
        tags=["sale"],
        usage_count=50,
        duration=8,
        created_at=now - datetime.timedelta(days=9),
    )
    make_template(
        name="New", category="education", tags=["tips"], usage_count=1, duration=5, created_at=now
    )
    make_template(
        name="Short",
        category="education",
        tags=["tips", "sale"],
        usage_count=7,
        duration=2,
        created_at=now - datetime.timedelta(days=1),
    )
    url = reverse("videos:templates")
    assert _names(owner_client.get(url)) == ["Old popular", "Short", "New"]
    assert _names(owner_client.get(url, {"sort": "recent"})) == ["New", "Short", "Old popular"]
    assert _names(owner_client.get(url, {"sort": "duration"})) == ["Short", "New", "Old popular"]
    assert _names(owner_client.get(url, {"category": "education"})) == ["Short", "New"]
    assert _names(owner_client.get(url, {"tag": "sale"})) == ["Old popular", "Short"]
    assert _names(owner_client.get(url, {"q": "tip"})) == ["Short", "New"]
    assert _names(owner_client.get(url, {"q": "popular"})) == ["Old popular"]
    empty = owner_client.get(url, {"tag": "nothing"})
    assert "No template matches these filters." in empty.content.decode()
    # Nonsense filters are ignored, never a 500.
    assert owner_client.get(url, {"sort": "'; drop", "category": "x"}).status_code == 200


@pytest.mark.django_db
def test_pro_templates_are_locked_on_free_with_an_upgrade_prompt(owner, workspace, make_template):
    pro = make_template(name="Fancy", tier="pro")
    client = client_in(owner, workspace)
    text = client.get(reverse("videos:templates")).content.decode()
    assert "Locked on the Free plan." in text
    assert reverse("billing:pricing") in text
    detail = client.get(reverse("videos:template", args=[pro.key])).content.decode()
    assert "This is a Pro template." in detail and 'enctype="multipart/form-data"' not in detail
    # Posting anyway is refused by the services, with the upgrade link.
    response = client.post(
        reverse("videos:template", args=[pro.key]), {**FILLED_FORM, "title": "Try"}
    )
    assert response.status_code == 200
    assert "part of the Pro plan" in response.content.decode()
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_pro_workspace_uses_pro_templates_and_1080p(owner, pro_workspace, make_template):
    pro = make_template(name="Fancy", tier="pro")
    client = client_in(owner, pro_workspace)
    assert (
        "Locked on the Free plan." not in client.get(reverse("videos:templates")).content.decode()
    )
    response = client.post(
        reverse("videos:template", args=[pro.key]),
        {**FILLED_FORM, "title": "Big", "duration": 3, "resolution": 1080},
    )
    video = Video.objects.get()
    assert response["Location"] == reverse("videos:detail", args=[video.pk])
    assert (video.workspace, video.resolution) == (pro_workspace, 1080)


# -- making a video -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_form_is_generated_from_the_template_fields(owner, workspace, make_template):
    template = make_template(clip=True)
    page = client_in(owner, workspace).get(reverse("videos:template", args=[template.key]))
    form = page.context["form"]
    assert [name for name in form.fields] == [
        "title",
        "field_headline",
        "field_background",
        "field_count",
        "field_values",
        "field_labels",
        "field_photo",
        "duration",
        "resolution",
        "source_clip",
    ]
    text = page.content.decode()
    assert 'maxlength="40"' in text and 'type="color"' in text and 'value="#123456"' in text
    assert 'type="number"' in text and 'min="0"' in text and 'max="100"' in text
    assert 'value="1, 2, 3"' in text
    assert 'min="1"' in text and 'max="10"' in text  # the duration range
    assert re.search(r'<option value="1080" disabled>1080p \(Pro\)</option>', text)
    assert ".webm" in text  # the clip input accepts mp4, mov and webm


@pytest.mark.django_db
def test_templates_without_a_video_slot_take_no_clip(owner_client, template):
    page = owner_client.get(reverse("videos:template", args=[template.key]))
    assert "source_clip" not in page.context["form"].fields


@pytest.mark.django_db
def test_create_a_draft_with_an_image(owner, workspace, template, settings):
    client = client_in(owner, workspace)
    response = client.post(
        reverse("videos:template", args=[template.key]),
        {
            "title": "  Spring sale ",
            "field_headline": "50% off",
            "field_background": "#AABBCC",
            "field_count": "7",
            "field_values": "4, 5.5, 6",
            "field_photo": upload("photo.png", png_bytes(), "image/png"),
            "duration": "4",
            "resolution": "720",
        },
    )
    video = Video.objects.get()
    assert response.status_code == 302
    assert (video.title, video.status, video.duration_seconds) == ("Spring sale", "draft", 4)
    assert video.fields["headline"] == "50% off"
    assert video.fields["background"] == "#aabbcc"
    assert video.fields["count"] == 7 and video.fields["values"] == [4, 5.5, 6]
    assert video.fields["photo"].startswith(f"workspaces/{workspace.pk}/uploads/")
    assert not RenderJob.objects.exists()
    assert Template.objects.get(pk=template.pk).usage_count == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"field_headline": "x" * 41}, "field_headline", "at most 40 characters"),
        ({"field_headline": "   "}, "field_headline", "Headline is required."),
        ({"field_background": "red"}, "field_background", "must be a colour like #1a2b3c"),
        ({"field_count": "500"}, "field_count", "must be between 0 and 100"),
        ({"field_values": "1, two"}, "field_values", "list of numbers separated by commas"),
        ({"field_values": "1,2,3,4,5,6"}, "field_values", "at most 5 numbers"),
        ({"duration": "60"}, "duration", "less than or equal to 10"),
        ({"title": ""}, "title", "This field is required."),
    ],
)
def test_invalid_fields_show_translated_errors_and_create_nothing(
    owner, workspace, template, data, field, message
):
    client = client_in(owner, workspace)
    post = {**FILLED_FORM, "title": "A video", **data}
    response = client.post(reverse("videos:template", args=[template.key]), post)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors.get(field, []))
    assert message in errors, response.context["form"].errors
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_errors_follow_the_language(owner, workspace, template):
    client = client_in(owner, workspace)
    response = client.post(
        reverse("videos:template", args=[template.key]),
        {"title": "", "duration": "2", "resolution": "720"},
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert "Dieses Feld ist erforderlich." in response.content.decode()


@pytest.mark.django_db
def test_1080p_is_refused_on_free_with_an_upgrade_link(owner, workspace, template):
    client = client_in(owner, workspace)
    response = client.post(
        reverse("videos:template", args=[template.key]),
        {**FILLED_FORM, "title": "Big", "resolution": "1080"},
    )
    text = response.content.decode()
    assert "1080p output is part of the Pro plan" in text
    assert reverse("billing:pricing") in text
    assert not Video.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case", ["text as image", "oversize image", "pdf as clip", "pdf named mp4", "too-long clip"]
)
def test_bad_uploads_are_rejected_and_create_nothing(
    owner, workspace, make_template, settings, long_mp4_path, case
):
    template = make_template(clip=True)
    files = {
        "text as image": {"field_photo": upload("photo.png", b"just some text", "image/png")},
        "oversize image": {"field_photo": upload("big.png", b"\0" * (10 * 1024 * 1024 + 1))},
        "pdf as clip": {"source_clip": upload("clip.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")},
        "pdf named mp4": {"source_clip": upload("clip.mp4", b"%PDF-1.4\n%%EOF", "video/mp4")},
        "too-long clip": {
            "source_clip": upload("long.mp4", long_mp4_path.read_bytes(), "video/mp4"),
            # A valid image alongside: it must not be stored when the clip is refused.
            "field_photo": upload("photo.png", png_bytes(), "image/png"),
        },
    }[case]
    expected = {
        "text as image": "The file is not a readable image.",
        "oversize image": "Images can be at most 10 MB.",
        "pdf as clip": "Upload an MP4, MOV or WebM video.",
        "pdf named mp4": "This file is not a video we can read.",
        "too-long clip": "Videos can be at most 5 minutes long.",
    }[case]
    client = client_in(owner, workspace)
    response = client.post(
        reverse("videos:template", args=[template.key]),
        {**FILLED_FORM, "title": "Upload", **files},
    )
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert not Video.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_a_clip_goes_into_the_video_slot(owner, workspace, make_template, mp4_path):
    template = make_template(clip=True)
    client = client_in(owner, workspace)
    client.post(
        reverse("videos:template", args=[template.key]),
        {
            **FILLED_FORM,
            "title": "Mine",
            "source_clip": upload("mine.mov", mp4_path.read_bytes(), "video/quicktime"),
        },
    )
    video = Video.objects.get()
    assert video.source_clip.name.endswith(".mov")


@pytest.mark.django_db
def test_every_starter_template_page_shows_its_form(owner, pro_workspace):
    client = client_in(owner, pro_workspace)
    starters = Template.objects.filter(is_active=True)
    assert starters.count() >= 7
    for template in starters:
        page = client.get(reverse("videos:template", args=[template.key]))
        assert page.status_code == 200, template.key
        assert "field_" + template.fields[0]["name"] in page.context["form"].fields
    demo = client.get(reverse("videos:template", args=["product-demo-60"]))
    assert "source_clip" in demo.context["form"].fields  # its video layer takes your clip


# -- query counts of the other list pages ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [2, 25])
def test_template_library_query_count_does_not_grow(
    owner_client, make_template, only_test_templates, count, django_assert_max_num_queries
):
    for n in range(count):
        make_template(name=f"Template {n}")
    with django_assert_max_num_queries(8):  # 7, and the bell's unread count
        response = owner_client.get(reverse("videos:templates"))
    assert len(response.context["templates"]) == count
