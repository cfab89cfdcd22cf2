"""The single look-up answered before the page middleware (api.middleware.LookUpMiddleware): the
same answers, headers and all, as through the whole stack, and its statement as the connection's
health check."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from api.models import ApiToken
from employers.models import Organisation, OrganisationStatus
from tests.connections import assert_first_read_checks_the_connection, only_on_postgresql

pytestmark = pytest.mark.django_db

SHORTCUT = "api.middleware.LookUpMiddleware"


def through_the_whole_stack(client, url, **extra):
    """`client`'s GET of `url` with the middleware as they were before the shortcut."""
    with override_settings(MIDDLEWARE=[name for name in settings.MIDDLEWARE if name != SHORTCUT]):
        whole = Client(**client.defaults)  # a new client loads the middleware anew
        whole.cookies = client.cookies
        return whole.get(url, **extra)


def answer(response):
    """What a client gets: status, body and headers (the policy's directives in any order)."""
    headers = {name: value for name, value in response.headers.items() if name != "X-Request-ID"}
    headers["Content-Security-Policy"] = sorted(headers["Content-Security-Policy"].split("; "))
    return response.status_code, response.content, headers


@pytest.fixture
def number(pat):
    return pat.practitioner_profile.membership_number


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("{number}", {}),
        ("{number}", {"HTTP_ACCEPT_LANGUAGE": "en"}),
        ("9999999999", {}),
        ("9999999999", {"HTTP_ACCEPT_LANGUAGE": "en"}),
        ("12", {}),
        ("{number}", {"HTTP_AUTHORIZATION": ""}),
        ("{number}", {"HTTP_AUTHORIZATION": "Bearer abc"}),
    ],
)
def test_a_look_up_answers_as_through_the_whole_stack(api_client, number, path, extra):
    url = f"/api/v1/registrations/{path.format(number=number)}"
    shortcut = api_client.get(url, **extra)
    whole = through_the_whole_stack(api_client, url, **extra)
    assert answer(shortcut) == answer(whole)
    assert not hasattr(shortcut.wsgi_request, "session")  # the page middleware did not run
    assert hasattr(whole.wsgi_request, "session")


def test_refusals_and_the_language_cookie_answer_as_through_the_whole_stack(api_client, issued, number):
    url = f"/api/v1/registrations/{number}"
    api_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    answers = []
    for change in (
        lambda: None,
        lambda: Organisation.objects.update(status=OrganisationStatus.PENDING),
        lambda: ApiToken.objects.update(revoked_at="2026-12-01T00:00:00Z"),
    ):
        change()
        shortcut = api_client.get(url)
        assert answer(through_the_whole_stack(api_client, url)) == answer(shortcut)
        answers.append((shortcut.status_code, shortcut["Content-Language"]))
    assert answers == [(200, "en"), (403, "en"), (401, "en")]


def test_a_look_up_with_a_host_not_allowed_goes_the_usual_way_to_its_400(api_client, number):
    response = api_client.get(f"/api/v1/registrations/{number}", HTTP_HOST="mumaris.example.net")
    assert response.status_code == 400
    assert hasattr(response.wsgi_request, "session")


def test_the_look_up_keeps_its_name_for_the_metrics_and_other_methods_go_to_django_ninja(api_client, number):
    response = api_client.get(f"/api/v1/registrations/{number}")
    assert response.wsgi_request.resolver_match.view_name == "api:api-v1:registration"
    assert api_client.head(f"/api/v1/registrations/{number}").status_code == 405


@only_on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_look_up_is_its_connections_health_check_and_survives_a_dropped_connection(api_client, number, monkeypatch):
    url = f"/api/v1/registrations/{number}"
    assert api_client.get(url).status_code == 200
    assert_first_read_checks_the_connection(lambda: api_client.get(url), monkeypatch)
