import pytest
from allauth.account.models import EmailAddress
from django.core.management import CommandError, call_command

from accounts.models import ApiToken, User
from analytics.models import Event
from teams.models import Team


@pytest.mark.django_db
def test_create_user_matches_signup(capsys):
    call_command(
        "create_user", email="Ops@Example.com", password="s3cret-pass", staff=True, language="ja"
    )
    user = User.objects.get(email="ops@example.com")
    assert user.is_staff and user.check_password("s3cret-pass")
    assert user.profile.language == "ja"
    assert EmailAddress.objects.get(user=user).verified
    assert Team.objects.get(created_by=user, is_personal=True).memberships.get().role == "owner"
    names = set(Event.objects.filter(actor=user).values_list("name", flat=True))
    assert {"user.signed_up", "user.verified"} <= names
    assert "ops@example.com" in capsys.readouterr().out


@pytest.mark.django_db
def test_create_user_refuses_duplicates(owner):
    with pytest.raises(CommandError):
        call_command("create_user", email=owner.email, password="x-y-z-123")
    assert User.objects.filter(email=owner.email).count() == 1


@pytest.mark.django_db
def test_create_api_token_prints_key_alone_on_last_line(owner, capsys):
    call_command("create_api_token", email=owner.email, name="Deploy bot")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert key.startswith("vc_")
    assert ApiToken.objects.get(user=owner, name="Deploy bot").key_hash == ApiToken.hash_key(key)


@pytest.mark.django_db
def test_create_api_token_for_unknown_user_fails():
    with pytest.raises(CommandError):
        call_command("create_api_token", email="nobody@example.com")


@pytest.mark.django_db
def test_seed_demo_dry_run_writes_nothing():
    call_command("seed_demo", dry_run=True)
    assert not User.objects.exists()
