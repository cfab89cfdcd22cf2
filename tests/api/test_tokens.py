"""API tokens: made by an organisation's administrators, shown once, kept hashed, expiring, revocable."""

import hashlib
from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import ApiToken
from api.tokens import (
    OrganisationNotApproved,
    TokenState,
    authenticate,
    create_token,
    revoke_token,
    token_state,
)
from employers.models import OrganisationStatus

from ..factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_token_is_kept_only_as_its_sha256_with_its_public_prefix(issued):
    token = ApiToken.objects.get()
    assert issued.text.startswith(f"mumaris_{token.prefix}_")
    assert token.secret_hash == hashlib.sha256(issued.text.encode()).hexdigest()
    stored = " ".join(str(value) for value in ApiToken.objects.values_list().get())
    assert issued.text.split("_")[-1] not in stored


def test_two_tokens_differ(organisation, administrator, issued):
    other = create_token(organisation, name="Payroll", days=30, created_by=administrator)
    assert other.text != issued.text
    assert other.token.prefix != issued.token.prefix


def test_a_token_lasts_the_days_chosen_and_no_other_lifetime(organisation, administrator):
    now = timezone.now()
    issued = create_token(organisation, name="x", days=365, created_by=administrator, now=now)
    assert issued.token.expires_at == now + timedelta(days=365)
    with pytest.raises(ValueError, match="lasts"):
        create_token(organisation, name="x", days=3650, created_by=administrator)


@pytest.mark.parametrize("status", [OrganisationStatus.PENDING, OrganisationStatus.REFUSED])
def test_an_organisation_not_approved_gets_no_token(administrator, status):
    organisation = OrganisationFactory(status=status)
    with pytest.raises(OrganisationNotApproved):
        create_token(organisation, name="x", days=30, created_by=administrator)
    assert not ApiToken.objects.exists()


def test_the_states_of_a_token(issued, administrator):
    token = issued.token
    assert token_state(token) == TokenState.ACTIVE
    assert token_state(token, now=token.expires_at) == TokenState.EXPIRED
    revoke_token(token, by=administrator)
    token.refresh_from_db()
    assert token_state(token) == TokenState.REVOKED


def test_revoking_twice_keeps_the_first_time_and_who(issued, administrator):
    first = timezone.now() - timedelta(hours=1)
    revoke_token(issued.token, by=administrator, now=first)
    revoke_token(issued.token, by=UserFactory(), now=timezone.now())
    issued.token.refresh_from_db()
    assert (issued.token.revoked_at, issued.token.revoked_by) == (first, administrator)


def test_authenticate_finds_the_organisation_of_a_valid_token(issued, organisation):
    client = authenticate(f"Bearer {issued.text}")
    assert (client.token_id, client.organisation_id) == (issued.token.pk, organisation.pk)
    assert authenticate(f"bearer  {issued.text} ").token_id == issued.token.pk


@pytest.mark.parametrize(
    ("header", "code"),
    [
        (None, "missing_token"),
        ("", "missing_token"),
        ("Basic dXNlcjpwYXNz", "missing_token"),
        ("Bearer", "missing_token"),
        ("Bearer not-a-token", "bad_token"),
        ("Bearer mumaris_0123456789ab_" + "A" * 43, "bad_token"),
        ("Bearer mumaris_ZZ23456789ab_" + "A" * 43, "bad_token"),
        ("Bearer \x00\u202e", "bad_token"),
    ],
)
def test_authenticate_refuses_a_missing_or_malformed_or_unknown_token(db, header, code):
    from api.errors import ApiError

    with pytest.raises(ApiError) as refused:
        authenticate(header)
    assert refused.value.kind.code == code


def test_authenticate_refuses_the_right_prefix_with_a_wrong_secret(issued):
    from api.errors import ApiError

    forged = issued.text[:-1] + ("A" if issued.text[-1] != "A" else "B")
    with pytest.raises(ApiError) as refused:
        authenticate(f"Bearer {forged}")
    assert refused.value.kind.code == "bad_token"
