# A personal workspace is shown in the reader's language until renamed: the person it is named
# after is kept, for the ones that still carry the name they were given at sign-up.

from django.conf import settings
from django.db import migrations, models
from django.utils import translation

from teams.naming import NAME_MAX_LENGTH, personal_workspace_name, shorten


def name_personal_workspaces_after_their_owners(apps, schema_editor):
    """A personal workspace whose name is the sign-up name in one of the languages (not renamed
    since) gets `named_after`; a renamed one keeps its name as it is."""
    Team = apps.get_model("teams", "Team")
    teams = Team.objects.filter(is_personal=True, named_after="", created_by__isnull=False)
    for team in teams.select_related("created_by").iterator():
        user = team.created_by
        person = " ".join((user.name or "").replace("\x00", "").split())
        person = shorten(person or user.email.split("@", 1)[0], NAME_MAX_LENGTH)
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                if personal_workspace_name(person) == team.name:
                    Team.objects.filter(pk=team.pk).update(named_after=person)
                    break


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0005_comment_version_threads"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="team",
            name="named_after",
            field=models.CharField(blank=True, default="", max_length=100),
        ),
        migrations.RunPython(
            name_personal_workspaces_after_their_owners, migrations.RunPython.noop, elidable=True
        ),
    ]
