"""Django REST framework messages an API client can receive, listed for our catalogs.

DRF ships no catalog for Hindi and only `ko_KR` for Korean (Django looks up
`ko`), so without these entries API errors would reach those users in English.
Each msgid is copied exactly from DRF so that our translation is the one used.
"""

from django.utils.translation import gettext_noop as _

DRF_MESSAGES = (
    _("A server error occurred."),
    _("Invalid input."),
    _("Malformed request."),
    _("Incorrect authentication credentials."),
    _("Authentication credentials were not provided."),
    _("You do not have permission to perform this action."),
    _("Not found."),
    _('Method "{method}" not allowed.'),
    _("Could not satisfy the request Accept header."),
    _('Unsupported media type "{media_type}" in request.'),
    _("Request was throttled."),
    _("Invalid token header. No credentials provided."),
    _("Invalid token header. Token string should not contain spaces."),
    _("Invalid token header. Token string should not contain invalid characters."),
    _("Invalid token."),
    _("User inactive or deleted."),
    _("Invalid page."),
    _("This field is required."),
    _("This field may not be null."),
    _("This field may not be blank."),
    _("Must be a valid boolean."),
    _("Not a valid string."),
    _("Ensure this field has no more than {max_length} characters."),
    _("Ensure this field has at least {min_length} characters."),
    _("Enter a valid email address."),
    _("A valid integer is required."),
    _("Ensure this value is less than or equal to {max_value}."),
    _("Ensure this value is greater than or equal to {min_value}."),
    _("Must be a valid UUID."),
)
