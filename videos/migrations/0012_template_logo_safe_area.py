"""The starter templates declare where a brand kit's logo may go (`logo_safe_area`, see
videos/rendering/spec.py): templates made by 0002 before it get the area their spec now has.

The areas are written out here, not imported, so this migration does the same thing whatever
videos/starter_templates.py says later. A template whose spec already has an area keeps it.
"""

from django.db import migrations

SAFE_AREAS = {
    "instagram-product-showcase": {"x": 0, "y": 0.19, "w": 1, "h": 0.81},
    "tiktok-quick-tips": {"x": 0, "y": 0.12, "w": 1, "h": 0.81},
    "youtube-quote": {"x": 0, "y": 0, "w": 1, "h": 0.87},
    "educational-explainer": {"x": 0, "y": 0.16, "w": 1, "h": 0.74},
    "animated-statistics": {"x": 0, "y": 0.24, "w": 1, "h": 0.69},
    "product-demo-60": {"x": 0.36, "y": 0, "w": 0.64, "h": 1},
    "brand-story": {"x": 0, "y": 0, "w": 1, "h": 1},
}


def add_safe_areas(apps, schema_editor):
    Template = apps.get_model("videos", "Template")
    for template in Template.objects.filter(key__in=SAFE_AREAS):
        spec = dict(template.spec or {})
        if "logo_safe_area" in spec:
            continue
        spec["logo_safe_area"] = SAFE_AREAS[template.key]
        Template.objects.filter(pk=template.pk).update(spec=spec)


def remove_safe_areas(apps, schema_editor):
    Template = apps.get_model("videos", "Template")
    for template in Template.objects.filter(key__in=SAFE_AREAS):
        spec = dict(template.spec or {})
        if spec.get("logo_safe_area") == SAFE_AREAS[template.key]:
            del spec["logo_safe_area"]
            Template.objects.filter(pk=template.pk).update(spec=spec)


class Migration(migrations.Migration):
    dependencies = [("videos", "0011_video_created")]

    operations = [migrations.RunPython(add_safe_areas, remove_safe_areas)]
