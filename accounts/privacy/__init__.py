"""Privacy: a person's data as one ZIP built in the background, and deleting their account.

Accounts imports no other app, so the other apps answer through the modules listed in
`settings.PRIVACY_PROVIDERS` (`providers.py` describes what each may offer): what they hold
about a person for the ZIP, what must be settled before the account can go, and how to forget
the person. The event log (analytics.events) is asked directly, like everywhere else.
"""
