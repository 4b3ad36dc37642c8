"""Navigation pages whose feature is not built yet say so honestly, through one view."""

from django.contrib.auth.decorators import login_required
from django.utils.functional import Promise
from django.views.generic import TemplateView


def coming_soon_view(*, title: Promise, summary: Promise):
    return login_required(
        TemplateView.as_view(
            template_name="coming_soon.html", extra_context={"title": title, "summary": summary}
        )
    )
