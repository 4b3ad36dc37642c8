from videos.starter_templates import STARTER_TEMPLATES
from videos.template_strings import FIELD_LABELS


def test_every_starter_field_label_is_in_the_catalog_list():
    labels = {field["label"] for template in STARTER_TEMPLATES for field in template["fields"]}
    assert labels <= set(FIELD_LABELS), sorted(labels - set(FIELD_LABELS))


def test_clearing_an_optional_text_keeps_it_empty_but_missing_takes_the_default(db):
    from videos.fields import clean_fields
    from videos.models import Template

    template = Template.objects.get(key="tiktok-quick-tips")
    optional = next(f for f in template.fields if f["type"] == "text" and not f.get("required"))
    cleaned = clean_fields(template, {optional["name"]: ""})
    assert cleaned[optional["name"]] == ""
    assert clean_fields(template, {})[optional["name"]] == optional.get("default")
