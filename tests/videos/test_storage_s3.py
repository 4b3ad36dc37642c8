"""With S3 storage (moto's server on loopback): renders land in the bucket, and what members get
is a presigned, time-limited link that downloads exactly the rendered bytes."""

import hashlib
import urllib.parse

import pytest
from django.urls import reverse

from tests.conftest import BUCKET, bucket_keys, client_for, fetch_url
from tests.videos.conftest import (
    api_for,
    png_bytes,
    stored_files,
    upload,
)
from videos import services, storage
from videos.models import Video


@pytest.mark.django_db
def test_a_render_lands_in_the_bucket_and_its_presigned_link_downloads_it(
    s3, owner, workspace, make_template, settings, django_capture_on_commit_callbacks
):
    assert not storage.is_local()
    template = make_template(duration=1)
    photo = upload("photo.png", png_bytes((64, 64)), "image/png")
    video = services.video_create(
        workspace=workspace,
        template=template,
        title="Cloud cut",
        actor=owner,
        duration=1,
        files={"photo": photo},
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.video_render(video=video, actor=owner)
    video.refresh_from_db()
    assert video.status == "ready", (video.error_code, video.error_detail)
    keys = bucket_keys(s3)
    assert video.file.name in keys and video.thumbnail.name in keys
    assert video.fields["photo"] in keys  # the upload went to the bucket too
    assert stored_files(settings) == []  # nothing on the local disk

    response = client_for(owner).get(reverse("videos:download", args=[video.pk]))
    assert response.status_code == 302
    url = response["Location"]
    query = urllib.parse.parse_qs(urllib.parse.urlparse(url).query)
    assert url.startswith(settings.AWS_S3_ENDPOINT_URL)
    assert "X-Amz-Signature" in query and query["X-Amz-Expires"] == ["600"]
    assert query["response-content-disposition"][0].startswith("attachment")
    body, headers = fetch_url(url)
    assert hashlib.sha256(body).hexdigest() == video.checksum
    assert headers["Content-Disposition"].startswith("attachment")

    # The API and the page link to the same object through presigned URLs, too.
    data = api_for(owner).get(f"/api/v1/videos/{video.pk}/").json()
    assert "X-Amz-Signature" in data["file_url"]
    assert hashlib.sha256(fetch_url(data["file_url"])[0]).hexdigest() == video.checksum
    api_download = api_for(owner).get(f"/api/v1/videos/{video.pk}/download/")
    assert api_download.status_code == 302 and "X-Amz-Signature" in api_download["Location"]
    assert hashlib.sha256(fetch_url(api_download["Location"])[0]).hexdigest() == video.checksum
    page = client_for(owner).get(reverse("videos:detail", args=[video.pk])).content.decode()
    assert settings.AWS_S3_ENDPOINT_URL in page and "/files/" not in page


@pytest.mark.django_db
def test_unsigned_bucket_paths_are_refused(s3, owner, ready_video):
    video = ready_video()
    with pytest.raises(urllib.error.HTTPError) as error:
        fetch_url(f"{s3.meta.endpoint_url}/{BUCKET}/{video.file.name}")
    assert error.value.code == 403


@pytest.mark.django_db
def test_outsiders_get_no_link_on_s3(s3, outsider, viewer, ready_video):
    video = ready_video()
    assert client_for(outsider).get(reverse("videos:download", args=[video.pk])).status_code == 404
    assert client_for(viewer).get(reverse("videos:download", args=[video.pk])).status_code == 302


@pytest.mark.django_db
def test_deleting_a_video_removes_its_objects(
    s3, owner, ready_video, django_capture_on_commit_callbacks
):
    video = ready_video()
    assert video.file.name in bucket_keys(s3)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(owner).post(reverse("videos:delete", args=[video.pk]))
    assert not Video.objects.exists()
    assert bucket_keys(s3) == []
