"""Subscription events are named for their subject (`subscription.*`): rename the rows written
under the old names, so consumers reading history see one vocabulary."""

from django.db import migrations

RENAMED = {"user.subscribed": "subscription.started", "user.cancelled": "subscription.cancel_scheduled"}
CHANGES = {"switched", "resumed", "past_due", "recovered", "ended"}


def to_subject_names(apps, schema_editor):
    Event = apps.get_model("analytics", "Event")
    for old, new in RENAMED.items():
        Event.objects.filter(name=old).update(name=new)
    for event in Event.objects.filter(name="subscription.changed").iterator():
        properties = dict(event.properties or {})
        change = properties.pop("change", "")
        if change in CHANGES:
            event.name, event.properties = f"subscription.{change}", properties
            event.save(update_fields=["name", "properties"])


def to_old_names(apps, schema_editor):
    Event = apps.get_model("analytics", "Event")
    for old, new in RENAMED.items():
        Event.objects.filter(name=new).update(name=old)
    for change in CHANGES:
        for event in Event.objects.filter(name=f"subscription.{change}").iterator():
            event.name = "subscription.changed"
            event.properties = {"change": change, **(event.properties or {})}
            event.save(update_fields=["name", "properties"])


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]

    operations = [migrations.RunPython(to_subject_names, to_old_names)]
