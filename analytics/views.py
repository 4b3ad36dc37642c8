from django.utils.translation import gettext_lazy as _

from videocreator.coming_soon import coming_soon_view

overview = coming_soon_view(
    title=_("Analytics"),
    summary=_("Views, engagement and growth of your published videos will be shown here."),
)
