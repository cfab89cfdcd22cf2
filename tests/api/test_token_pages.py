"""The organisation's API tokens page: administrators make (shown once) and revoke tokens."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from api.models import ApiToken
from api.tokens import create_token, hash_token
from api.usage import flush_counts, record_use
from employers.models import OrganisationStatus

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(organisation):
    return f"/employers/{organisation.pk}/api-tokens/"


def test_an_administrator_makes_a_token_and_sees_it_once(client, administrator, url):
    client.force_login(administrator)
    client.cookies["mumaris_language"] = "en"
    response = client.post(url, {"name": "HR system", "days": "180"})
    assert response.status_code == 200
    token = ApiToken.objects.get()
    text = response.context["issued"].text
    assert token.secret_hash == hash_token(text)
    lifetime_days = round((token.expires_at - token.created_at).total_seconds() / 86400)
    assert (token.name, token.created_by, lifetime_days) == ("HR system", administrator, 180)
    page = response.content.decode()
    assert text in page
    assert "it is shown only this once" in page
    assert response["Cache-Control"] == "private, no-store"
    # Never again: the list shows its prefix only.
    again = client.get(url).content.decode()
    assert text not in again
    assert f"mumaris_{token.prefix}_…" in again


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "days": "90"}, "name"),
        ({"name": "\u200b\u200b", "days": "90"}, "name"),
        ({"name": "x\u202e", "days": "90"}, "name"),
        ({"name": "ok", "days": "7"}, "days"),
        ({"name": "ok", "days": "abc"}, "days"),
        ({"name": "x" * 101, "days": "90"}, "name"),
    ],
)
def test_a_bad_form_makes_no_token_and_keeps_what_was_typed(client, administrator, url, data, field):
    client.force_login(administrator)
    response = client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["issued"] is None
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("status", [OrganisationStatus.PENDING, OrganisationStatus.REFUSED])
def test_an_organisation_not_approved_is_told_and_cannot_make_one(client, administrator, organisation, url, status):
    organisation.status = status
    organisation.save()
    client.force_login(administrator)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "HR", "days": "90"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_viewer_is_refused_and_an_outsider_learns_nothing(client, viewer, issued, url):
    for person, status in ((viewer, 403), (UserFactory(), 404)):
        client.force_login(person)
        assert client.get(url).status_code == status
        assert client.post(url, {"name": "HR", "days": "90"}).status_code == status
        assert client.post(f"{url}{issued.token.pk}/revoke/").status_code == status
    assert ApiToken.objects.get().revoked_at is None
    assert ApiToken.objects.count() == 1


def test_an_administrator_needs_a_second_factor(client, organisation, url):
    from employers.models import MemberRole

    from ..factories import MembershipFactory

    administrator = MembershipFactory(
        organisation=organisation, role=MemberRole.ADMINISTRATOR, second_factor=False
    ).user
    client.force_login(administrator)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "HR", "days": "90"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_visitor_is_sent_to_log_in(client, url):
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_an_administrator_revokes_a_token_and_it_shows_revoked(client, administrator, issued, url):
    client.force_login(administrator)
    response = client.post(f"{url}{issued.token.pk}/revoke/")
    assert response.status_code == 302
    token = ApiToken.objects.get()
    assert token.revoked_by == administrator
    page = client.get(url).content.decode()
    assert "badge--rejected" in page
    assert f"{url}{token.pk}/revoke/" not in page


def test_a_token_of_another_organisation_cannot_be_revoked_from_this_one(client, administrator, url):
    other = OrganisationFactory()
    foreign = create_token(other, name="theirs", days=30, created_by=None)
    client.force_login(administrator)
    assert client.post(f"{url}{foreign.token.pk}/revoke/").status_code == 404
    foreign.token.refresh_from_db()
    assert foreign.token.revoked_at is None


def test_the_page_counts_each_tokens_requests_of_the_last_30_days(client, administrator, issued, url):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    record_use(issued.token.pk, issued.token.organisation_id, day=today)
    record_use(issued.token.pk, issued.token.organisation_id, day=today)
    record_use(issued.token.pk, issued.token.organisation_id, day=today - datetime.timedelta(days=29))
    record_use(issued.token.pk, issued.token.organisation_id, day=today - datetime.timedelta(days=30))
    flush_counts()
    client.force_login(administrator)
    response = client.get(url)
    assert [token.recent_requests for token, _state in response.context["tokens"]] == [3]


def test_staff_revoke_a_token_in_the_admin_and_cannot_make_one(client, issued, django_user_model):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(superuser)
    assert client.get("/admin/api/apitoken/").status_code == 200
    assert client.get(f"/admin/api/apitoken/{issued.token.pk}/change/").status_code == 200
    assert client.get("/admin/api/apitoken/add/").status_code == 403
    client.post("/admin/api/apitoken/", {"action": "revoke", ACTION_CHECKBOX_NAME: [issued.token.pk]})
    issued.token.refresh_from_db()
    assert issued.token.revoked_by == superuser
