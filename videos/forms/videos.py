"""The video form (generated from the template's fields), the video list's filters and the
brand-kit choice for branding a video."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teams.models import Team

from .. import selectors
from ..fields import FILE_TYPES, label
from ..models import BrandKit, Resolution, Template, Video, VideoStatus
from ..services import has_video_slot, validate_image
from ._shared import ServiceErrors

FIELD_PREFIX = "field_"
IMAGE_ACCEPT = "image/png,image/jpeg,image/webp"
# The field types videos.fields knows.
FORM_TYPES = {"text", "color", "number", "numbers", *FILE_TYPES}
CLIP_ACCEPT = "video/mp4,video/quicktime,video/webm,.mp4,.mov,.webm"


class ResolutionSelect(forms.Select):
    """A select whose 1080p option is disabled (and says why) on the Free plan."""

    def __init__(self, *args, allow_full_hd: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.allow_full_hd = allow_full_hd

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) == str(Resolution.FULL_HD) and not self.allow_full_hd:
            option["attrs"]["disabled"] = True
            option["label"] = _("%(resolution)s (Pro)") % {"resolution": label}
        return option


class VideoForm(ServiceErrors, forms.Form):
    """Title, the template's fields, duration, resolution and (if the template has a slot)
    a clip of your own. `video` given: an edit form with the video's current values."""

    # The video's own name, for the lists; many templates have a "Title" field of their own,
    # which is what the video shows.
    title = forms.CharField(
        label=gettext_lazy("Video name"),
        max_length=200,
        help_text=gettext_lazy("Shown in your list of videos, not in the video itself."),
    )

    def __init__(
        self,
        *args,
        template: Template,
        allow_full_hd: bool,
        video: Video | None = None,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.template = template
        values = video.fields if video is not None else {}
        if video is not None:
            self.fields["title"].initial = video.title
        self.specs = [spec for spec in template.fields if spec["type"] in FORM_TYPES]
        for spec in self.specs:
            self.fields[FIELD_PREFIX + spec["name"]] = _form_field(spec, values.get(spec["name"]))
        self.fields["duration"] = forms.IntegerField(
            label=gettext_lazy("Duration (seconds)"),
            min_value=template.min_duration,
            max_value=template.max_duration,
            initial=video.duration_seconds if video is not None else template.duration,
            help_text=_("Between %(min)s and %(max)s seconds.")
            % {"min": template.min_duration, "max": template.max_duration},
        )
        self.fields["resolution"] = forms.TypedChoiceField(
            label=gettext_lazy("Resolution"),
            choices=Resolution.choices,
            coerce=int,
            initial=video.resolution if video is not None else Resolution.HD,
            widget=ResolutionSelect(allow_full_hd=allow_full_hd),
        )
        if has_video_slot(template):
            help_text = _("Optional: an MP4, MOV or WebM video of up to 5 minutes and 200 MB.")
            if video is not None and video.source_clip:
                help_text = _("A clip is uploaded; choose a file to replace it.") + " " + help_text
            self.fields["source_clip"] = forms.FileField(
                label=gettext_lazy("Your clip"),
                required=False,
                help_text=help_text,
                widget=forms.FileInput(attrs={"accept": CLIP_ACCEPT}),
            )

    def template_field_names(self) -> list[str]:
        return [FIELD_PREFIX + spec["name"] for spec in self.specs]

    def field_values(self) -> dict[str, Any]:
        """The non-file template fields, as entered, for the services to validate."""
        return {
            spec["name"]: self.cleaned_data.get(FIELD_PREFIX + spec["name"], "")
            for spec in self.specs
            if spec["type"] not in FILE_TYPES
        }

    def uploaded_files(self) -> dict[str, Any]:
        return {
            spec["name"]: self.cleaned_data[FIELD_PREFIX + spec["name"]]
            for spec in self.specs
            if spec["type"] in FILE_TYPES and self.cleaned_data.get(FIELD_PREFIX + spec["name"])
        }

    def service_kwargs(self) -> dict[str, Any]:
        return {
            "title": self.cleaned_data["title"],
            "fields": self.field_values(),
            "duration": self.cleaned_data["duration"],
            "resolution": self.cleaned_data["resolution"],
            "files": self.uploaded_files(),
            "source_clip": self.cleaned_data.get("source_clip") or None,
        }

    def clean(self):
        cleaned = super().clean()
        # Images are checked here too, so an error names the input it belongs to.
        for name in self.template_field_names():
            upload = cleaned.get(name)
            if upload and hasattr(upload, "size"):
                try:
                    validate_image(upload)
                except ValidationError as error:
                    self.add_error(name, error)
        return cleaned

    def input_for(self, key: str) -> str:
        return FIELD_PREFIX + key if FIELD_PREFIX + key in self.fields else key

    def wants_render(self) -> bool:
        """Whether the "… and render" button sent the form: a button, not an input, so it has
        no field (the fields are all drawn as inputs)."""
        return bool(self.data.get("render"))


def _form_field(spec: dict, current: Any) -> forms.Field:
    kind = spec["type"]
    initial = spec.get("default") if current is None else current
    attrs: dict[str, Any] = {}
    if spec.get("required") and kind not in FILE_TYPES:
        attrs["required"] = True
    common = {"label": label(spec), "required": False}
    if kind == "text":
        limit = spec.get("max_length")
        if limit:
            attrs["maxlength"] = limit
        widget = (
            forms.Textarea(attrs={**attrs, "rows": 3})
            if spec.get("multiline")
            else forms.TextInput(attrs=attrs)
        )
        help_text = _("Up to %(limit)s characters.") % {"limit": limit} if limit else ""
        return forms.CharField(
            **common,
            initial=initial,
            widget=widget,
            help_text=_join(spec, help_text),
            strip=False,
        )
    if kind == "color":
        return forms.CharField(
            **common,
            help_text=_join(spec, ""),
            initial=initial or "#000000",
            widget=forms.TextInput(attrs={**attrs, "type": "color"}),
        )
    if kind == "number":
        low, high = spec.get("min"), spec.get("max")
        attrs["step"] = spec.get("step", "any")
        if low is not None:
            attrs["min"] = low
        if high is not None:
            attrs["max"] = high
        help_text = (
            _("Between %(min)s and %(max)s.") % {"min": low, "max": high}
            if low is not None and high is not None
            else ""
        )
        return forms.CharField(
            **common,
            initial=initial,
            help_text=_join(spec, help_text),
            widget=forms.NumberInput(attrs=attrs),
        )
    if kind == "numbers":
        if isinstance(initial, list | tuple):
            initial = ", ".join(str(number) for number in initial)
        limit = spec.get("max_items")
        help_text = (
            _("Numbers separated by commas, at most %(limit)s.") % {"limit": limit}
            if limit
            else _("Numbers separated by commas.")
        )
        attrs["inputmode"] = "decimal"
        return forms.CharField(
            **common,
            initial=initial,
            help_text=_join(spec, help_text),
            widget=forms.TextInput(attrs=attrs),
        )
    if kind == "audio":
        help_text = _("MP3, M4A, AAC, WAV, OGG or FLAC, up to 20 MB.")
        if current:
            help_text = _("Music is uploaded; choose a file to replace it.") + " " + help_text
        return forms.FileField(
            **common,
            help_text=_join(spec, help_text),
            widget=forms.FileInput(attrs={"accept": "audio/*"}),
        )
    if kind in FILE_TYPES:
        help_text = _("PNG, JPEG or WebP, up to 10 MB.")
        if current:
            help_text = _("An image is uploaded; choose a file to replace it.") + " " + help_text
        return forms.FileField(
            **common,
            help_text=_join(spec, help_text),
            widget=forms.FileInput(attrs={"accept": IMAGE_ACCEPT}),
        )
    raise ValueError(f"no form input for a {kind} field")


def _join(spec: dict, help_text: str) -> str:
    """The template's own help (an English msgid, translated) before our hint."""
    own = _(spec["help"]) if spec.get("help") else ""
    return " ".join(part for part in (own, help_text) if part)


class VideoFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=200)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All statuses")), *VideoStatus.choices]


class BrandingForm(forms.Form):
    brand_kit = forms.ModelChoiceField(
        label=gettext_lazy("Brand kit"),
        queryset=BrandKit.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args, workspace: Team, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand_kit"].queryset = selectors.brand_kits_for_workspace(workspace=workspace)
