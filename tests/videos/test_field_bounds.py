"""Every bound a template declares for a field is enforced when the values are validated."""

import pytest
from django.core.exceptions import ValidationError

from tests.videos.conftest import api_error, api_for
from videos.fields import clean_fields
from videos.models import Template, Video


@pytest.mark.django_db
@pytest.mark.parametrize("values", [[5000000000], [1e20], [1e300], "1, 2, 1e300", [1, 2e9]])
def test_animated_statistics_refuses_numbers_above_its_max(owner, workspace, values):
    template = Template.objects.get(key="animated-statistics")
    response = api_for(owner).post(
        "/api/v1/videos/",
        {
            "workspace": workspace.pk,
            "template": template.key,
            "title": "Stats",
            "fields": {"values": values},
        },
        format="json",
    )
    assert response.status_code == 400
    message = " ".join(api_error(response)["fields"]["values"])
    assert "between 0 and 1000000000" in message
    assert not Video.objects.exists()


@pytest.mark.django_db
def test_the_declared_max_itself_is_accepted(owner, workspace):
    template = Template.objects.get(key="animated-statistics")
    cleaned = clean_fields(template, {"values": [0, 1_000_000_000]})
    assert cleaned["values"] == [0, 1_000_000_000]


@pytest.mark.django_db
def test_an_update_cannot_go_past_the_bound_either(owner, workspace):
    template = Template.objects.get(key="animated-statistics")
    api = api_for(owner)
    created = api.post(
        "/api/v1/videos/",
        {"workspace": workspace.pk, "template": template.key, "title": "Stats"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/videos/{created.json()['id']}/"
    response = api.patch(url, {"fields": {"values": [1e20]}}, format="json")
    assert response.status_code == 400
    assert Video.objects.get().fields["values"] == [62, 71, 78, 91]


@pytest.mark.parametrize(
    ("field", "value", "text"),
    [
        ({"type": "numbers", "min": 10}, [5], "Values must be at least 10."),
        ({"type": "numbers", "max": 10}, [11], "Values must be at most 10."),
        ({"type": "numbers", "min": 1, "max": 10}, [0.5], "Values must be between 1 and 10."),
        ({"type": "number", "min": 10}, 5, "Values must be at least 10."),
        ({"type": "number", "max": 10}, 1e300, "Values must be at most 10."),
        ({"type": "number", "min": -5, "max": 5}, -6, "Values must be between -5 and 5."),
    ],
)
def test_a_single_declared_bound_is_enforced_with_its_own_message(field, value, text):
    template = Template(fields=[{"name": "values", "label": "Values", **field}])
    with pytest.raises(ValidationError) as error:
        clean_fields(template, {"values": value})
    assert error.value.message_dict == {"values": [text]}
