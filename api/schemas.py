"""The shapes of the API's answers, for the OpenAPI description (and the tests, which check each
answer against them). The views build the JSON themselves: a look-up is on the hot path."""

from datetime import date, datetime

from ninja import Field, Schema


class ErrorDetail(Schema):
    code: str = Field(description="Stable: programs compare this. Listed on the documentation page.")
    message: str = Field(description="For people, in the request's language (Accept-Language: ar or en).")


class ErrorBody(Schema):
    error: ErrorDetail


class SharedChange(Schema):
    changed_at: datetime
    field: str = Field(description="employer or specialty")
    old_value: str
    new_value: str


class SharedEvent(Schema):
    kind: str = Field(description="registered, suspended, reinstated, revoked or renewed")
    at: datetime
    valid_until: date


class Shared(Schema):
    expires_at: datetime = Field(description="When the practitioner's share code stops adding this.")
    work_history: list[SharedChange] | None = Field(description="Null when the code does not share it.")
    timeline: list[SharedEvent] | None = Field(description="Null when the code does not share it.")


class Registration(Schema):
    membership_number: str = Field(examples=["26-0000-0001"])
    name_ar: str
    name_en: str
    profession: str = Field(description="physician, dentist, pharmacist, nurse, allied_health or technician")
    profession_ar: str
    profession_en: str
    specialty_ar: str
    specialty_en: str = Field(description="The Arabic name where no English one is kept.")
    status: str = Field(description="active, expired, suspended or revoked")
    status_ar: str
    status_en: str
    valid_until: date = Field(description="The last day the registration is valid.")
    shared: Shared | None = Field(
        description="What a share code the practitioner gave your organisation adds, while it is valid; else null."
    )


class BatchResult(Schema):
    number: str = Field(description="The number as you sent it.")
    registration: Registration | None
    error: ErrorDetail | None = Field(description="malformed_number or not_found; null when found.")


class BatchBody(Schema):
    results: list[BatchResult]


class WatchedRegistration(Registration):
    watched_since: datetime


class WatchlistBody(Schema):
    since: datetime | None
    as_of: datetime = Field(description="Send this as `since` next time to get what changed after it.")
    page: int
    has_next: bool
    count: int = Field(description="Entries on every page together.")
    results: list[WatchedRegistration]
