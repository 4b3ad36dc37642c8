"""Choice labels: the label in the reader's language, the value itself when it is no choice."""

from django.utils import translation

from integrations.models import Platform
from videocreator.choices import choice_label
from videos.publishing.models import PostStatus


def test_labels_follow_the_active_language():
    for language in ("en", "de", "ja"):
        with translation.override(language):
            for value, label in PostStatus.choices:
                assert choice_label(PostStatus, value) == str(label)
            assert choice_label(Platform, Platform.YOUTUBE) == str(Platform.YOUTUBE.label)
    labels = {}
    for language in ("en", "de"):
        with translation.override(language):
            labels[language] = [choice_label(PostStatus, value) for value, _ in PostStatus.choices]
    assert labels["en"] != labels["de"]  # really translated, not the first language cached


def test_an_unknown_value_is_shown_as_it_is():
    assert choice_label(PostStatus, "no-such-status") == "no-such-status"
