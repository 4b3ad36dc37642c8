from django.utils.translation import gettext_lazy as _

from videocreator.coming_soon import coming_soon_view

video_list = coming_soon_view(
    title=_("Videos"),
    summary=_("Here you will make videos from templates, render them and keep every version."),
)
template_list = coming_soon_view(
    title=_("Templates"),
    summary=_(
        "The template library — product showcases, quick tips, quotes, explainers "
        "and statistics — is being built."
    ),
)
schedule = coming_soon_view(
    title=_("Schedule"),
    summary=_(
        "Scheduling to YouTube, Instagram, TikTok, Facebook and X arrives with connected accounts."
    ),
)
