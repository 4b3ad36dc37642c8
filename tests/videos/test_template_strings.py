from videos.starter_templates import STARTER_TEMPLATES
from videos.template_strings import FIELD_LABELS


def test_every_starter_field_label_is_in_the_catalog_list():
    labels = {field["label"] for template in STARTER_TEMPLATES for field in template["fields"]}
    assert labels <= set(FIELD_LABELS), sorted(labels - set(FIELD_LABELS))
