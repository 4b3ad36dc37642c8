"""The video form never shows two inputs with the same label: the video's own name is "Video
name", the template's "Title" field keeps its label."""

from __future__ import annotations

import re
from collections import Counter
from html import unescape

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.conftest import client_in
from videos.forms import VideoForm
from videos.models import Template, Video

pytestmark = pytest.mark.django_db


def _repeated(labels) -> list[str]:
    return [label for label, n in Counter(labels).items() if n > 1]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_labels_are_unique_on_the_form_of_every_starter_template(language):
    starters = list(Template.objects.filter(is_active=True))
    assert len(starters) >= 7
    with translation.override(language):
        for template in starters:
            form = VideoForm(template=template, allow_full_hd=True)
            labels = [str(field.label) for field in form.fields.values()]
            assert _repeated(labels) == [], (template.key, labels)


def test_the_video_name_is_not_called_title(english):
    template = Template.objects.get(key="tiktok-quick-tips")
    form = VideoForm(template=template, allow_full_hd=True)
    assert str(form.fields["title"].label) == "Video name"
    assert str(form.fields["field_title"].label) == "Title"  # the template's own field


def _page_labels(html: str) -> list[str]:
    labels = re.findall(r"<label[^>]*>(.*?)</label>", html, flags=re.S)
    return [" ".join(unescape(re.sub(r"<[^>]+>", "", label)).split()) for label in labels]


def test_the_new_video_and_edit_pages_show_distinct_labels(owner, pro_workspace, english):
    client = client_in(owner, pro_workspace)
    for template in Template.objects.filter(is_active=True):
        page = client.get(reverse("videos:template", args=[template.key])).content.decode()
        labels = _page_labels(page)
        assert "Video name" in labels
        assert _repeated(labels) == [], (template.key, labels)
        video = Video.objects.create(
            workspace=pro_workspace,
            template=template,
            title="Mine",
            duration_seconds=template.duration,
            created_by=owner,
        )
        edit = client.get(reverse("videos:edit", args=[video.pk])).content.decode()
        assert _repeated(_page_labels(edit)) == [], (template.key, _page_labels(edit))
