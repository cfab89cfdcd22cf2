"""The data-update requests' queue in the admin: oldest first, never one's own, the clock."""

import datetime

import pytest
from django.utils import timezone

from profiles.models import DataUpdateRequest

from ..factories import DataUpdateRequestFactory, PractitionerProfileFactory

pytestmark = pytest.mark.django_db
LIST_URL = "/admin/profiles/dataupdaterequest/"


def test_take_the_next_request_gives_the_oldest_and_never_ones_own(client, rana, pat):
    own = DataUpdateRequestFactory(profile=PractitionerProfileFactory(user=rana))
    newer = DataUpdateRequestFactory(profile=pat.practitioner_profile)
    older = DataUpdateRequestFactory()
    DataUpdateRequest.objects.filter(pk=own.pk).update(created_at=timezone.now() - datetime.timedelta(days=9))
    DataUpdateRequest.objects.filter(pk=older.pk).update(created_at=timezone.now() - datetime.timedelta(days=8))
    client.force_login(rana)
    response = client.post(f"{LIST_URL}take-next/")
    assert response.url == f"{LIST_URL}{older.pk}/change/"
    client.post(f"{LIST_URL}take-next/")
    assert set(DataUpdateRequest.objects.filter(assigned_to=rana).values_list("pk", flat=True)) == {older.pk, newer.pk}
    assert DataUpdateRequest.objects.get(pk=own.pk).assigned_to is None


def test_the_list_marks_a_request_past_its_five_working_days(client, rana):
    late = DataUpdateRequestFactory()
    DataUpdateRequest.objects.filter(pk=late.pk).update(created_at=timezone.now() - datetime.timedelta(days=20))
    client.force_login(rana)
    content = client.get(LIST_URL).content.decode()
    assert "⚠ متأخر" in content
    overdue = client.get(f"{LIST_URL}?service_level=overdue").context["cl"].result_list
    assert [update_request.pk for update_request in overdue] == [late.pk]
