"""Brand kits through the pages: create, edit, preview, delete, limits, applying one."""

import pytest
from django.urls import reverse

from tests.conftest import client_for, client_in
from tests.videos.conftest import png_bytes, stored_files, upload

# -- brand kits -----------------------------------------------------------------------------------


def _kit_post(**overrides):
    return {
        "name": "Acme",
        "position": "top-left",
        "opacity": "60",
        "scale": "0.2",
        "margin": "10",
        **overrides,
    }


@pytest.mark.django_db
def test_brand_kit_create_edit_preview_and_delete(owner, workspace, settings):
    client = client_in(owner, workspace)
    assert "No brand kit yet." in client.get(reverse("videos:brand_kits")).content.decode()
    response = client.post(
        reverse("videos:brand_kit_create"),
        _kit_post(logo=upload("logo.png", png_bytes((80, 40)), "image/png"), is_default="on"),
    )
    assert response["Location"] == reverse("videos:brand_kits")
    from videos.models import BrandKit

    kit = BrandKit.objects.get()
    assert (kit.workspace, kit.position, kit.opacity, kit.scale, kit.is_default) == (
        workspace,
        "top-left",
        60,
        0.2,
        True,
    )
    listing = client.get(reverse("videos:brand_kits")).content.decode()
    assert (
        reverse("videos:brand_kit_preview", args=[kit.pk]) in listing and "data-confirm" in listing
    )

    preview = client.get(reverse("videos:brand_kit_preview", args=[kit.pk]))
    assert preview["Content-Type"] == "image/png" and preview.content.startswith(b"\x89PNG")
    moved = client.get(reverse("videos:brand_kit_preview", args=[kit.pk]), {"position": "center"})
    assert moved.content != preview.content
    # Nonsense settings fall back to the kit's own.
    same = client.get(reverse("videos:brand_kit_preview", args=[kit.pk]), {"opacity": "900"})
    assert same.content == preview.content
    live = client.get(
        reverse("videos:brand_kit_edit", args=[kit.pk]),
        {"position": "center"},
        HTTP_HX_REQUEST="true",
    )
    assert "position=center" in live.content.decode() and "<html" not in live.content.decode()

    response = client.post(
        reverse("videos:brand_kit_edit", args=[kit.pk]), _kit_post(name="Acme 2", opacity="100")
    )
    assert response.status_code == 302
    kit.refresh_from_db()
    assert (kit.name, kit.opacity, kit.is_default) == ("Acme 2", 100, False)

    response = client.post(reverse("videos:brand_kit_delete", args=[kit.pk]))
    assert response["Location"] == reverse("videos:brand_kits")
    assert not BrandKit.objects.exists()


@pytest.mark.django_db
def test_brand_kit_preview_on_a_videos_thumbnail(owner, ready_video):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from videos.models import BrandKit

    video = ready_video()
    key = default_storage.save("workspaces/x/logo.png", ContentFile(png_bytes((20, 20))))
    kit = BrandKit.objects.create(workspace=video.workspace, name="K", logo=key)
    client = client_for(owner)
    on_video = client.get(reverse("videos:brand_kit_preview", args=[kit.pk]), {"video": video.pk})
    import io

    from PIL import Image

    assert Image.open(io.BytesIO(on_video.content)).size == (64, 36)  # the thumbnail's size


UNREADABLE = "The file is not a readable image."


TOO_BIG = b"\0" * (5 * 1024 * 1024 + 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("logo", "message"),
    [
        (upload("logo.png", b"not an image at all", "image/png"), UNREADABLE),
        (upload("logo.pdf", b"%PDF-1.4\n%%EOF", "application/pdf"), UNREADABLE),
        (upload("logo.png", TOO_BIG, "image/png"), "The logo is larger than 5 MB."),
    ],
)
def test_bad_logos_are_refused_and_store_nothing(owner, workspace, settings, logo, message):
    client = client_in(owner, workspace)
    response = client.post(reverse("videos:brand_kit_create"), _kit_post(logo=logo))
    assert response.status_code == 200
    assert message in response.content.decode()
    from videos.models import BrandKit

    assert not BrandKit.objects.exists()
    assert stored_files(settings) == []


@pytest.mark.django_db
def test_the_plans_brand_kit_limit_is_shown_with_an_upgrade_link(owner, workspace):
    client = client_in(owner, workspace)
    for name in ["One", "Two"]:
        response = client.post(
            reverse("videos:brand_kit_create"),
            _kit_post(name=name, logo=upload("logo.png", png_bytes(), "image/png")),
        )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Upgrade to Pro for more." in text and reverse("billing:pricing") in text
    from videos.models import BrandKit

    assert list(BrandKit.objects.values_list("name", flat=True)) == ["One"]


@pytest.mark.django_db
def test_apply_branding_from_the_video_page(owner, ready_video, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from videos.models import BrandKit

    video = ready_video()
    key = default_storage.save("workspaces/x/logo.png", ContentFile(png_bytes((20, 20))))
    kit = BrandKit.objects.create(workspace=video.workspace, name="Acme", logo=key)
    client = client_for(owner)
    page = client.get(reverse("videos:detail", args=[video.pk])).content.decode()
    assert reverse("videos:apply_branding", args=[video.pk]) in page
    old_file = video.file.name
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("videos:apply_branding", args=[video.pk]), {"brand_kit": kit.pk})
    video.refresh_from_db()
    assert (video.status, video.brand_kit) == ("ready", kit)
    assert video.file.name != old_file


# -- query counts of the other list pages ---------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 12])
def test_brand_kit_list_query_count_does_not_grow(
    owner, workspace, count, django_assert_max_num_queries
):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from videos.models import BrandKit

    key = default_storage.save(
        f"workspaces/{workspace.pk}/brand/logo.png", ContentFile(png_bytes())
    )
    BrandKit.objects.bulk_create(
        BrandKit(workspace=workspace, name=f"Kit {n}", logo=key) for n in range(count)
    )
    client = client_in(owner, workspace)
    with django_assert_max_num_queries(7):  # 6, and the bell's unread count
        response = client.get(reverse("videos:brand_kits"))
    assert len(response.context["kits"]) == count
