"""Who may open what, generated from the URL configuration so a new address cannot escape.

Every named URL outside the admin must be listed below as public, log-in only, or an object
of its owner's; the admin's addresses come from the admin's own registry.
"""

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from api.tokens import create_token
from employers.models import WatchedPractitioner
from registry.sharing import create_share_code

from .factories import (
    ApplicationFactory,
    CPDActivityFactory,
    DataUpdateRequestFactory,
    MembershipFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC = {
    "portal:home",
    "portal:terms",
    "portal:privacy",
    "portal:service_levels",
    "healthz",
    "readyz",
    # Answers only the bearer of METRICS_TOKEN, 404 to everyone else (tests/portal/test_operations.py).
    "metrics",
    "set_language",
    "accounts:login",
    # Stages of the log-in: they open only with a pending log-in in the session (accounts/login_stages.py).
    "accounts:login_code",
    "accounts:login_enrolment",
    "accounts:enrolment_link",  # a signed, single-use link: the key is the credential
    "accounts:logout",
    "accounts:signup",
    "accounts:signup_done",
    "accounts:resend_verification",
    "accounts:confirm_email",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "applications:eligibility",
    "registry:verify",
    "registry:verify_code",
    "profiles:confirm_email",  # a signed link: the key is the credential
    "captcha-image",
    "captcha-audio",
    "captcha-refresh",
    # The employers' API: its documentation and description are public; every look-up needs a
    # token (TOKEN_REQUIRED), and an unknown address under it answers a JSON 404.
    "api:root",
    "api:documentation",
    "api:api-v1:openapi-json",
    "api:api-v1:api-root",  # django-ninja's own root, answered first by api:root (a redirect)
    "api:unknown_address",
}
# The API's look-ups: an organisation's token, never a session (name → arguments).
TOKEN_REQUIRED = {
    "api:api-v1:registration": ["2600009999"],
    "api:api-v1:registrations": [],
    "api:api-v1:watchlist": [],
}
# name → (method, arguments)
LOG_IN_REQUIRED = {
    "accounts:account": ("get", []),
    "accounts:password_change": ("get", []),
    "accounts:two_factor": ("get", []),
    "accounts:two_factor_change": ("post", []),
    "accounts:password_change_done": ("get", []),
    "portal:my_requests": ("get", []),
    "applications:application_new": ("get", []),
    "portal:services": ("get", []),
    "portal:access_log": ("get", []),
    "portal:download_my_data": ("post", []),
    "portal:close_account": ("get", []),
    "profiles:review_data": ("get", []),
    "profiles:update_lookup": ("get", []),
    "profiles:update_edit": ("get", []),
    "profiles:update_confirm": ("get", []),
    "profiles:update_cancel": ("post", []),
    "registry:certificate": ("get", []),
    "applications:cpd": ("get", []),
    "applications:renewal": ("get", []),
    "registry:share_codes": ("get", []),
    "employers:home": ("get", []),
    "employers:signup": ("get", []),
    "employers:signup_done": ("get", []),
    "employers:invitation": ("get", ["a-token"]),  # and only for the account it was sent to
}
# name → (method, function of the owner's objects giving the arguments)
OWNED_OBJECTS = {
    "applications:application_detail": ("get", lambda objects: [objects["application"].reference]),
    "applications:application_edit": ("get", lambda objects: [objects["application"].reference]),
    "applications:application_work": ("get", lambda objects: [objects["application"].reference]),
    "applications:application_check": ("post", lambda objects: [objects["application"].reference]),
    "applications:application_submitted": ("get", lambda objects: [objects["application"].reference]),
    "applications:application_withdraw": ("post", lambda objects: [objects["application"].reference]),
    "applications:document_download": ("get", lambda objects: [objects["application"].reference, "employer_letter"]),
    "profiles:request_detail": ("get", lambda objects: [objects["update_request"].number]),
    "registry:share_code_revoke": ("post", lambda objects: [objects["share_code"].pk]),
    "registry:share_code_openings": ("get", lambda objects: [objects["share_code"].pk]),
    "applications:cpd_certificate": ("get", lambda objects: [objects["activity"].pk]),
    # An organisation's pages: its members' (tests/employers for the roles).
    "employers:watchlist": ("get", lambda objects: [objects["membership"].organisation_id]),
    "employers:add": ("post", lambda objects: [objects["membership"].organisation_id]),
    "employers:share_code": ("post", lambda objects: [objects["membership"].organisation_id]),
    "employers:upload": ("get", lambda objects: [objects["membership"].organisation_id]),
    "employers:members": ("get", lambda objects: [objects["membership"].organisation_id]),
    "employers:download": ("get", lambda objects: [objects["membership"].organisation_id, "csv"]),
    "employers:watched": ("get", lambda objects: [objects["watched"].organisation_id, objects["watched"].pk]),
    "employers:remove": ("post", lambda objects: [objects["watched"].organisation_id, objects["watched"].pk]),
    "employers:member_remove": (
        "post",
        lambda objects: [objects["membership"].organisation_id, objects["membership"].pk],
    ),
    "api:tokens": ("get", lambda objects: [objects["membership"].organisation_id]),
    "api:revoke_token": ("post", lambda objects: [objects["api_token"].organisation_id, objects["api_token"].pk]),
}

# Reviewers only, never the owner (who downloads her own files): name → function of the owner's
# objects giving the arguments. Every other logged-in person gets 404.
REVIEWER_OBJECTS = {
    "applications:document_preview": lambda objects: [objects["application"].reference, "employer_letter", 1],
    "applications:cpd_certificate_preview": lambda objects: [objects["activity"].pk, 1],
}


def named_urls(patterns=None, namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_address_is_in_the_matrix():
    site_urls = {name for name in named_urls() if not name.startswith("admin:")}
    listed = PUBLIC | set(LOG_IN_REQUIRED) | set(OWNED_OBJECTS) | set(REVIEWER_OBJECTS) | set(TOKEN_REQUIRED)
    assert site_urls - listed == set(), "add the new address to the access matrix"
    assert listed - site_urls == set(), "the matrix lists an address that no longer exists"


@pytest.fixture
def alices_objects(alice):
    from profiles.models import PractitionerProfile, Specialty

    profile = PractitionerProfile.objects.create(
        user=alice,
        membership_number="2600009999",
        profession="nurse",
        specialty=Specialty.objects.filter(profession="nurse").first(),
        email=alice.email,
    )
    registration = RegistrationFactory(profile=profile)
    membership = MembershipFactory(user=alice)
    return {
        "membership": membership,
        "watched": WatchedPractitioner.objects.create(organisation=membership.organisation, practitioner=registration),
        "application": ApplicationFactory(applicant=alice),
        "update_request": DataUpdateRequestFactory(profile=profile),
        "share_code": create_share_code(registration, days=5),
        "activity": CPDActivityFactory(profile=profile),
        "api_token": create_token(membership.organisation, name="x", days=30, created_by=alice).token,
    }


@pytest.mark.parametrize("name", sorted(TOKEN_REQUIRED))
def test_the_api_answers_only_an_organisations_token(client, alice, alices_objects, name):
    url = reverse(name, args=TOKEN_REQUIRED[name])
    assert client.get(url).status_code == 401
    client.force_login(alice)  # an administrator of the organisation, but a session is no token
    assert client.get(url).status_code == 401
    token = create_token(alices_objects["membership"].organisation, name="y", days=30, created_by=alice)
    assert client.get(url, {"numbers": "2600009999"}, HTTP_AUTHORIZATION=f"Bearer {token.text}").status_code == 200


@pytest.mark.parametrize("name", sorted(LOG_IN_REQUIRED) + sorted(OWNED_OBJECTS))
def test_anonymous_visitors_are_sent_to_log_in(client, alices_objects, name):
    method, arguments = {**LOG_IN_REQUIRED, **OWNED_OBJECTS}[name]
    if callable(arguments):
        arguments = arguments(alices_objects)
    response = getattr(client, method)(reverse(name, args=arguments))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


@pytest.mark.parametrize("name", sorted(OWNED_OBJECTS))
def test_another_user_gets_404_for_every_object_address(client, bob, alices_objects, name):
    method, arguments = OWNED_OBJECTS[name]
    client.force_login(bob)
    response = getattr(client, method)(reverse(name, args=arguments(alices_objects)))
    assert response.status_code == 404


@pytest.mark.parametrize("name", sorted(OWNED_OBJECTS))
def test_the_owner_reaches_her_object_addresses(client, alice, alices_objects, name):
    method, arguments = OWNED_OBJECTS[name]
    client.force_login(alice)
    response = getattr(client, method)(reverse(name, args=arguments(alices_objects)))
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("name", sorted(REVIEWER_OBJECTS))
def test_reviewer_addresses_refuse_everyone_but_reviewers(client, bob, rana, alices_objects, name):
    alice = alices_objects["application"].applicant
    url = reverse(name, args=REVIEWER_OBJECTS[name](alices_objects))
    anonymous = client.get(url)
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/?next=")
    for person in (alice, bob, UserFactory(is_staff=True)):
        client.force_login(person)
        assert client.get(url).status_code == 404, person
    client.force_login(rana)
    assert client.get(url).status_code == 200


def admin_addresses(objects):
    """Every admin page of every registered model, with a real object where one is needed."""
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        instance = objects.get(model) or model._default_manager.first()
        yield f"{info}_changelist", []
        yield f"{info}_add", []
        if instance is not None:
            for suffix in ("change", "delete", "history"):
                yield f"{info}_{suffix}", [instance.pk]
            for pattern in model_admin.get_urls():
                if pattern.name and pattern.name.endswith("_decide"):
                    yield f"admin:{pattern.name}", [instance.pk]
    # The admin's pages of our own (the supervisors' dashboard, a reviewer's requests).
    for page in admin.site.pages:
        yield f"admin:{page.name}", []


@pytest.fixture
def admin_objects(alices_objects, rana):
    from applications.models import Application

    return {Application: alices_objects["application"]}


def test_admin_refuses_anonymous_applicants_and_staff_without_permission(client, admin_objects, alice):
    staff_without_permission = UserFactory(is_staff=True)
    addresses = list(admin_addresses(admin_objects))
    assert len(addresses) > 20
    for name, arguments in addresses:
        url = reverse(name, args=arguments)
        method = client.post if name.endswith("_decide") else client.get
        client.logout()
        anonymous = method(url)
        assert anonymous.status_code == 302, url
        assert "/login/" in anonymous["Location"], url
        client.force_login(alice)
        assert method(url, follow=True).status_code == 403, url
        client.force_login(staff_without_permission)
        assert method(url).status_code == 403, url


def assert_security_headers(response, url):
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy, url
    for directive in ("object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
        assert directive in policy, url
    assert "max-age=31536000" in response["Strict-Transport-Security"], url
    assert response["X-Content-Type-Options"] == "nosniff", url
    assert response["Referrer-Policy"] == "same-origin", url


PUBLIC_PAGES = [
    "portal:home",
    "portal:terms",
    "portal:service_levels",
    "accounts:login",
    "accounts:signup",
    "accounts:signup_done",
    "accounts:resend_verification",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_complete",
    "applications:eligibility",
    "registry:verify",
]


def test_security_headers_on_every_page(client, alices_objects, alice, rana):
    for name in PUBLIC_PAGES:
        response = client.get(reverse(name), secure=True)
        assert response.status_code == 200, name
        assert_security_headers(response, name)
    pages = []
    for name, (method, arguments) in LOG_IN_REQUIRED.items():
        # (A made-up invitation token answers 400, "not valid".)
        if method == "get" and name not in ("profiles:update_edit", "profiles:update_confirm", "employers:invitation"):
            pages.append(reverse(name, args=arguments))
    pages += [
        reverse(name, args=arguments(alices_objects))
        for name, (method, arguments) in OWNED_OBJECTS.items()
        if method == "get"
    ]
    client.force_login(alice)
    for url in pages:
        response = client.get(url, secure=True)
        assert response.status_code in (200, 302), url
        assert_security_headers(response, url)
    client.force_login(rana)
    admin_page = client.get(f"/admin/applications/application/{alices_objects['application'].pk}/change/", secure=True)
    assert_security_headers(admin_page, "admin")


def test_permission_denied_is_logged(client, admin_objects, caplog):
    caplog.set_level("INFO", logger="mumaris.security")
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    client.get("/admin/applications/application/")
    assert f"permission denied view=admin:applications_application_changelist user_id={staff.pk}" in caplog.text
    assert staff.national_id not in caplog.text


def test_head_gets_what_get_gets_on_every_page(client, alices_objects, alice):
    for name in PUBLIC_PAGES:
        response = client.head(reverse(name))
        assert response.status_code == 200, name
        assert response.content == b"", name
    client.force_login(alice)
    for name, (method, arguments) in LOG_IN_REQUIRED.items():
        if method == "get":
            url = reverse(name, args=arguments)
            assert client.head(url).status_code == client.get(url).status_code, url
    for name, (method, arguments) in OWNED_OBJECTS.items():
        if method == "get":
            url = reverse(name, args=arguments(alices_objects))
            assert client.head(url).status_code == client.get(url).status_code, url
