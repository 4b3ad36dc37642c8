"""Publishing errors are stored once and read in each reader's language."""

from django.utils import translation

from integrations import messages
from integrations.messages import translate_error, with_detail


def test_our_words_are_translated_and_the_platforms_are_kept():
    stored = with_detail(messages.X_NOT_PROCESSED, "Unsupported video")
    assert stored == "X could not process the video: Unsupported video"
    with translation.override("de"):
        assert translate_error(stored) == "X konnte das Video nicht verarbeiten: Unsupported video"
        assert translate_error(messages.NEEDS_RECONNECT) == "Das Konto muss neu verbunden werden."
        assert translate_error("Error validating access token") == "Error validating access token"
        assert translate_error("Note: the platform's own words") == "Note: the platform's own words"
    with translation.override("ja"):
        assert translate_error(messages.STILL_PROCESSING) != messages.STILL_PROCESSING
    assert translate_error("") == ""


def test_every_message_is_in_the_catalog():
    for language in ("es", "fr", "de", "pt", "ja", "ko", "zh-hans", "hi"):
        with translation.override(language):
            untranslated = [m for m in messages.OURS if translation.gettext(m) == m]
        assert not untranslated, (language, untranslated)
