"""allauth's user-visible strings, repeated here so our own catalogs carry them.

django-allauth translates its form labels, form errors and adapter error
messages with its own catalog, but it ships none for two of our languages
(`pt` — it has only `pt_BR` and `pt_PT` — and `hi`). Users with those
languages would see those strings in English in the middle of otherwise
translated pages.

Django looks a msgid up in every catalog it has loaded and our LOCALE_PATHS
come first, so listing the msgids here makes `makemessages` extract them into
locale/<lang>/LC_MESSAGES/django.po; once translated there, our translation is
used for every language, including the ones allauth does not cover.

`gettext_noop` only marks the strings: nothing here is translated at import
time and nothing imports this module. Each msgid must match allauth's source
character for character (placeholders such as %d included) or it will not
match; check them again when upgrading django-allauth (pinned at 65.21.1).

The flash messages allauth shows (templates/account/messages/*.txt) and its
page and e-mail templates are overridden by our own templates instead, so
their strings are not listed here. Django's own messages (e.g. the password
validators') are left out: Django ships catalogs for all our languages.
"""

from django.utils.translation import gettext_noop as _

ALLAUTH_MESSAGES = (
    # allauth/account/fields.py: EmailField and PasswordField, used by the
    # login, sign-up, password reset and add-e-mail forms.
    _("Email"),
    _("Email address"),
    _("Forgot your password?"),
    # allauth/account/forms.py: labels (PasswordField also uses its label as
    # the placeholder) and errors of LoginForm, SignupForm, ChangePasswordForm,
    # SetPasswordForm, ResetPasswordKeyForm and ReauthenticateForm.
    _("Password"),
    _("Remember Me"),
    _("Password (again)"),
    _("Current Password"),
    _("New Password"),
    _("New Password (again)"),
    _("You must type the same password each time."),
    # allauth/account/adapter.py: DefaultAccountAdapter.error_messages (the
    # form errors above and the rate-limit messages of allauth's views).
    # "username_taken" is Django's own message, so it is not repeated here.
    _("This account is currently inactive."),
    _("You cannot remove your primary email address."),
    _("This email address is already associated with this account."),
    _("The email address and/or password you specified are not correct."),
    _("The phone number and/or password you specified are not correct."),
    _("A user is already registered with this email address."),
    _("Please type your current password."),
    _("Incorrect code."),
    _("Incorrect password."),
    _("Invalid or expired key."),
    _("Invalid login."),
    _("The password reset token was invalid."),
    _("You cannot add more than %d email addresses."),
    _("A user is already registered with this phone number."),
    _("Too many failed login attempts. Try again later."),
    _("The email address is not assigned to any user account."),
    _("The phone number is not assigned to any user account."),
    _("Your primary email address must be verified."),
    _("Username can not be used. Please use other username."),
    _("The username and/or password you specified are not correct."),
    _("Please select only one."),
    _("The new value must be different from the current one."),
    _("Be patient, you are sending too many requests."),
)
