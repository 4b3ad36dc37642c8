"""The seven starter templates, names and descriptions in all nine languages."""

from django.db import migrations

LANGS = ["en", "es", "fr", "de", "pt", "ja", "ko", "zh_hans", "hi"]


def load_starter_templates(apps, schema_editor):
    from videos.starter_templates import STARTER_TEMPLATES

    Template = apps.get_model("videos", "Template")
    for spec in STARTER_TEMPLATES:
        fields = {
            name: spec[name]
            for name in (
                "category", "tags", "tier", "duration", "min_duration", "max_duration",
                "aspect_ratio", "spec", "fields",
            )
        }  # fmt: skip
        fields["name"] = spec["name"]["en"]
        fields["description"] = spec["description"]["en"]
        for lang in LANGS:
            fields[f"name_{lang}"] = spec["name"][lang]
            fields[f"description_{lang}"] = spec["description"][lang]
        Template.objects.update_or_create(key=spec["key"], defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("videos", "0001_initial")]

    operations = [migrations.RunPython(load_starter_templates, migrations.RunPython.noop)]
