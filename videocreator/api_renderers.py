"""DRF's HTML pages for the API, which DEBUG adds (settings.py) for people trying it in a
browser. A module of its own: DRF reads its renderer classes while defining its views, so
this must not import them at load time."""

from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """Our list views build their queryset in the handler, so DRF's filter form, which asks
    the view for `get_queryset()`, is left out for them: asking failed with a 500 on every
    such list in a browser."""

    def get_filter_form(self, data, view, request):
        from rest_framework.generics import GenericAPIView

        method = getattr(type(view), "get_queryset", None)
        if method is GenericAPIView.get_queryset and getattr(view, "queryset", None) is None:
            return None
        return super().get_filter_form(data, view, request)
