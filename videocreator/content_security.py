"""The Content-Security-Policy every response carries (django-csp), built from settings.

Scripts, styles, fonts, images, media and connections come from our own origin only: htmx is
django-htmx's bundled file and our own code lives in static/js, so nothing inline is needed.
Images and media may also come from the S3 bucket the presigned links point at. Forms post to
us, and the few that redirect elsewhere (Stripe's checkout and billing portal, the platforms'
OAuth consent pages) name those origins, because browsers apply form-action to redirects too.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from csp.constants import NONE, SELF

STRIPE_FORM_ORIGINS = ("https://checkout.stripe.com", "https://billing.stripe.com")


def origin_of(url: str) -> str:
    """scheme://host[:port] of an absolute URL; "" for anything else."""
    parts = urlsplit(url or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def storage_origins(bucket: str, endpoint_url: str | None, region: str | None) -> list[str]:
    """The origins presigned S3 links can have: path-style and virtual-host-style addressing."""
    if not bucket:
        return []
    if endpoint_url:
        parts = urlsplit(endpoint_url)
        return [f"{parts.scheme}://{parts.netloc}", f"{parts.scheme}://{bucket}.{parts.netloc}"]
    origins = [f"https://{bucket}.s3.amazonaws.com", "https://s3.amazonaws.com"]
    if region:
        origins += [
            f"https://{bucket}.s3.{region}.amazonaws.com",
            f"https://s3.{region}.amazonaws.com",
        ]
    return origins


def content_security_policy(*, storage: list[str], form_targets: list[str]) -> dict:
    """django-csp 4's CONTENT_SECURITY_POLICY setting."""
    unique_targets = sorted({origin for origin in form_targets if origin})
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "script-src": [SELF],
            "style-src": [SELF],
            "img-src": [SELF, *storage],
            "media-src": [SELF, *storage],
            "font-src": [SELF],
            "connect-src": [SELF],
            "object-src": [NONE],
            "frame-src": [NONE],
            "frame-ancestors": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF, *storage, *unique_targets],
        }
    }
