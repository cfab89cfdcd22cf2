"""API tokens: made by an organisation's administrators, shown once, kept as a hash, revocable.

A token reads `mumaris_<prefix>_<secret>`: the prefix (12 hex digits) finds the row, the SHA-256
of the whole token must match the stored one. A fast hash is right here, unlike for passwords:
the secret is 256 random bits, so there is nothing to guess from a leaked hash, and checking it
costs microseconds on every request rather than Argon2's tens of milliseconds.
"""

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.statements import PreparedStatement
from employers.models import Organisation, OrganisationStatus

from .errors import ApiError
from .models import ApiToken

TOKEN_PATTERN = re.compile(r"mumaris_(?P<prefix>[0-9a-f]{12})_[A-Za-z0-9_-]{43}")
# Days a new token lasts, as the form offers them; a year at most, so a forgotten token ends.
LIFETIME_DAYS = (30, 90, 180, 365)


class TokenState:
    ACTIVE = "active"
    EXPIRED = "expired"
    REVOKED = "revoked"
    LABELS = {ACTIVE: _("Active"), EXPIRED: _("Expired"), REVOKED: _("Revoked")}


def token_state(token, now=None):
    if token.revoked_at is not None:
        return TokenState.REVOKED
    if (now or timezone.now()) >= token.expires_at:
        return TokenState.EXPIRED
    return TokenState.ACTIVE


def hash_token(text):
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    # The only time the whole token exists outside the client: shown once, never stored.
    text: str


class OrganisationNotApproved(Exception):
    pass


def create_token(organisation, *, name, days, created_by, now=None):
    """A new token for an approved organisation, lasting `days` (one of LIFETIME_DAYS)."""
    if days not in LIFETIME_DAYS:
        raise ValueError(f"a token lasts one of {LIFETIME_DAYS} days")
    if organisation.status != OrganisationStatus.APPROVED:
        raise OrganisationNotApproved
    prefix = secrets.token_hex(6)
    text = f"mumaris_{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=prefix,
        secret_hash=hash_token(text),
        created_by=created_by,
        expires_at=(now or timezone.now()) + timedelta(days=days),
    )
    return IssuedToken(token=token, text=text)


def revoke_token(token, *, by, now=None):
    """Revoke at once; revoking twice keeps the first time and who did it."""
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now(), revoked_by=by
    )


# Every request reads the token: one fixed statement rather than a query the ORM builds each time
# (which costs more than the bare view the benchmark compares a look-up with), planned once per
# connection on PostgreSQL. A single look-up reads it with the records (records.LOOKUP_STATEMENT).
# The table names are ours.
TOKEN_COLUMNS = ", ".join(
    ["token.id", "token.secret_hash", "token.expires_at", "token.revoked_at", "token.organisation_id"]
    + ["organisation.status"]
)
TOKEN_FROM = (
    f"{ApiToken._meta.db_table} token"
    f" JOIN {Organisation._meta.db_table} organisation ON organisation.id = token.organisation_id"
)
TOKEN_SQL = f"SELECT {TOKEN_COLUMNS} FROM {TOKEN_FROM} WHERE token.prefix = %s"  # noqa: S608  # nosec B608
TOKEN_STATEMENT = PreparedStatement("api_token", TOKEN_SQL, ["varchar"])


def _aware(moment):
    """A time read by a raw statement: aware on PostgreSQL, naive UTC (or a string) on SQLite."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


@dataclass(frozen=True)
class ApiClient:
    """Who is asking: the token and its organisation."""

    token_id: int
    organisation_id: int


@dataclass(frozen=True)
class Bearer:
    """The token an Authorization header carries, as typed; not yet checked against the table."""

    prefix: str
    text: str


def read_bearer(authorization):
    """The bearer token of an Authorization header, read without the database; raises ApiError
    when there is none or it cannot be a token of ours."""
    scheme, _space, text = (authorization or "").strip().partition(" ")
    if not text or scheme.lower() != "bearer":
        raise ApiError("missing_token")
    match = TOKEN_PATTERN.fullmatch(text.strip())
    if match is None:
        raise ApiError("bad_token")
    return Bearer(prefix=match["prefix"], text=match[0])


def client_of(bearer, row, now=None):
    """The client of `bearer`, given its row (TOKEN_COLUMNS, or None when no token has its prefix);
    raises ApiError with the reason it is refused otherwise."""
    if row is None or not hmac.compare_digest(row[1], hash_token(bearer.text)):
        raise ApiError("bad_token")
    token_id, _hash, expires_at, revoked_at, organisation_id, organisation_status = row
    if revoked_at is not None:
        raise ApiError("token_revoked")
    if (now or timezone.now()) >= _aware(expires_at):
        raise ApiError("token_expired")
    if organisation_status != OrganisationStatus.APPROVED:
        raise ApiError("organisation_not_approved")
    return ApiClient(token_id=token_id, organisation_id=organisation_id)


def check_bearer(bearer, now=None):
    """The client of a bearer token, in one indexed read; raises ApiError with the reason otherwise."""
    with connection.cursor() as cursor:
        TOKEN_STATEMENT.execute(cursor, [bearer.prefix])
        row = cursor.fetchone()
    return client_of(bearer, row, now)


def authenticate(authorization, now=None):
    """The client of an Authorization header's bearer token, in one indexed read; raises
    ApiError with the reason otherwise."""
    return check_bearer(read_bearer(authorization), now)


def tokens_of(organisation):
    return ApiToken.objects.filter(organisation=organisation).select_related("created_by", "revoked_by")
