"""A brand kit's settings, and the settings to preview before saving them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import BrandKit, LogoPosition
from ._shared import ServiceErrors


class BrandKitForm(ServiceErrors, forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    logo = forms.FileField(
        label=gettext_lazy("Logo"),
        help_text=gettext_lazy("PNG or JPEG, up to 5 MB; a transparent PNG looks best."),
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    position = forms.ChoiceField(label=gettext_lazy("Position"), choices=LogoPosition.choices)
    opacity = forms.IntegerField(
        label=gettext_lazy("Opacity (%)"), min_value=0, max_value=100, initial=80
    )
    scale = forms.FloatField(
        label=gettext_lazy("Size (share of the video width)"),
        min_value=0.05,
        max_value=0.30,
        initial=0.15,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
        help_text=gettext_lazy("From 0.05 (small) to 0.30 (large)."),
    )
    margin = forms.IntegerField(
        label=gettext_lazy("Margin (pixels)"), min_value=0, max_value=500, initial=24
    )
    is_default = forms.BooleanField(label=gettext_lazy("Apply to every new render"), required=False)

    def __init__(self, *args, instance: BrandKit | None = None, **kwargs) -> None:
        if instance is not None:
            kwargs.setdefault(
                "initial",
                {
                    "name": instance.name,
                    "position": instance.position,
                    "opacity": instance.opacity,
                    "scale": instance.scale,
                    "margin": instance.margin,
                    "is_default": instance.is_default,
                },
            )
        super().__init__(*args, **kwargs)
        self.instance = instance
        if instance is not None:
            self.fields["logo"].required = False
            self.fields["logo"].help_text = _("Choose a file only to replace the current logo.")

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "logo": data.get("logo") or None,
            "position": data["position"],
            "opacity": data["opacity"],
            "scale": data["scale"],
            "margin": data["margin"],
            "is_default": data["is_default"],
        }


class BrandKitPreviewForm(forms.Form):
    """Optional settings to preview before saving them, and a video to preview on."""

    position = forms.ChoiceField(choices=LogoPosition.choices, required=False)
    opacity = forms.IntegerField(min_value=0, max_value=100, required=False)
    scale = forms.FloatField(min_value=0.05, max_value=0.30, required=False)
    margin = forms.IntegerField(min_value=0, max_value=500, required=False)
    video = forms.IntegerField(min_value=1, required=False)

    def overrides(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("position", "opacity", "scale", "margin")
            if self.cleaned_data.get(name) not in (None, "")
        }
