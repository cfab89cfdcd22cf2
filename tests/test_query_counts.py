"""Query counts of every page, pinned, with data grown between two measurements.

If a page's count changes, an N+1 crept in (or a query was saved): explain it in the change.
"""

import datetime
import re

import pytest
from captcha.models import CaptchaStore
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from api.usage import tally_store
from applications.models import Application, ApplicationEvent, ApplicationStatus
from portal.dashboard import count_waiting_figures, count_weekly_figures
from portal.service_levels import count_published_figures
from profiles.models import ProfileChange
from registry.models import RegistrationEvent
from registry.sharing import create_share_code, record_view

from .conftest import login_data
from .factories import (
    ApplicationFactory,
    CPDActivityFactory,
    DataUpdateRequestFactory,
    PractitionerProfileFactory,
    RegistrationFactory,
)

pytestmark = pytest.mark.django_db


def queries(client, url, method="get", data=None):
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, data or {})
    assert response.status_code == 200, url
    return len(captured)


def measure_twice(client, url, grow, method="get", data=None):
    queries(client, url, method, data)  # warm caches shared by all requests (content types)
    before = queries(client, url, method, data)
    grow()
    after = queries(client, url, method, data)
    assert before == after, f"{url}: {before} queries, then {after} with more data"
    return after


def add_events(application, count, actor):
    ApplicationEvent.objects.bulk_create(
        ApplicationEvent(application=application, from_status="draft", to_status="draft", actor=actor)
        for _ in range(count)
    )


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/", 0),
        ("/terms/", 0),
        ("/privacy/", 0),
        ("/accounts/login/", 1),
        ("/accounts/signup/", 1),
        ("/eligibility/", 0),
        # the figures are counted once every few minutes and kept in the cache
        ("/service-levels/", 0),
    ],
)
def test_public_pages(client, url, expected):
    assert measure_twice(client, url, lambda: ApplicationFactory.create_batch(5)) == expected


def log_in_queries(password, username, **extra):
    """The queries of one log-in POST from a fresh browser, with a real captcha challenge."""
    client = Client()
    page = client.get("/accounts/login/").content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)
    answer = CaptchaStore.objects.get(hashkey=key).response
    data = {"username": username, "password": password, "captcha_0": key, "captcha_1": answer}
    with CaptureQueriesContext(connection) as captured:
        response = client.post("/accounts/login/", data, **extra)
    assert response.status_code == 302
    return len(captured)


def a_limits_statement():
    """Statements reading or counting a rate limit: one on the embedded default's table, none with
    Redis (LIMITS_CACHE_URL)."""
    return 0 if "redis" in settings.CACHES["limits"]["BACKEND"].lower() else 1


def test_log_in_post(pat, bob, password):
    """Before the password: the challenge spent, the account (with its profile), its failures
    across addresses (the limits store) and from this address (django-axes); after it: whether a
    second factor follows. Then, in one transaction, the access log row, last_login (the data
    review costs a query only when its date has come) and the new session's row, written once,
    with its data, in one statement (a random key already taken writes nothing, and another is
    drawn: no savepoint needed). (The test runs inside a transaction, so the log-in's transaction
    is a savepoint.)"""

    def grow():
        for address in ("10.0.0.1", "10.0.0.2"):
            Client().post("/accounts/login/", login_data(bob.national_id, "wrong"), REMOTE_ADDR=address)
        log_in_queries(password, bob.national_id)

    log_in_queries(password, pat.national_id)
    before = log_in_queries(password, pat.national_id)
    grow()
    # 5 before the transaction (one the limits store's); in it: its savepoint (2), the access log
    # row and last_login (2), the session's row (1).
    limit = a_limits_statement()
    assert log_in_queries(password, pat.national_id) == before == 4 + limit + 2 + 2 + 1
    # After failures from this address the log-in deletes them: read, then deleted with their expiries.
    Client().post("/accounts/login/", login_data(pat.email, "wrong"))
    assert log_in_queries(password, pat.email) == 4 + limit + 2 + 2 + 1 + 3


def test_home_page_of_a_practitioner(client, pat):
    """The cards come from the fragment cache; the renewal notice needs the registration."""
    client.force_login(pat)
    profile = pat.practitioner_profile

    def grow():
        DataUpdateRequestFactory.create_batch(3, profile=profile, status="rejected")

    # the session with its user, profile and registration: one statement (accounts/sessions.py; the
    # registration, then the user, were queries of their own before issue 27)
    assert measure_twice(client, "/", grow) == 1


def test_my_requests_page(client, pat, bob):
    client.force_login(pat)
    profile = pat.practitioner_profile

    def grow():
        for _ in range(3):
            application = ApplicationFactory(applicant=pat, status=ApplicationStatus.REJECTED)
            add_events(application, 3, pat)
        DataUpdateRequestFactory.create_batch(3, profile=profile, status="rejected")

    # the session with its user, profile and registration (one statement, issue 27), applications,
    # update requests
    assert measure_twice(client, "/requests/", grow) == 3


def test_my_requests_page_with_requests_waiting_for_a_decision(client, alice, pat):
    """The service level and the expected decision: the holidays and the queues' figures come
    from the cache (counted once per kind every few minutes, not per page), so waiting requests
    cost one query: the status histories of the applications awaiting a decision (their clock)."""
    client.force_login(alice)
    application = ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)
    add_events(application, 2, alice)
    # the session with its user, applications; +1: the waiting application's status history
    assert measure_twice(client, "/requests/", lambda: add_events(application, 20, alice)) == 2 + 1

    client.force_login(pat)
    DataUpdateRequestFactory(profile=pat.practitioner_profile)
    # as with no waiting request: a data-update request's clock is its own row's dates
    assert measure_twice(client, "/requests/", lambda: DataUpdateRequestFactory.create_batch(3, status="rejected")) == 3


def test_the_application_steps(client, alice, rana):
    """The question pages, check your answers, the confirmation and the withdrawal page read the
    same however long the application's history."""
    client.force_login(alice)
    application = ApplicationFactory(applicant=alice)
    reference = application.reference

    def grow():
        add_events(application, 20, alice)

    # the session with its user, the application (with its applicant and specialty)
    assert measure_twice(client, f"/applications/{reference}/edit/", grow) == 2
    # + the specialties of the profession
    assert measure_twice(client, f"/applications/{reference}/edit/work/", grow) == 3
    assert measure_twice(client, f"/applications/{reference}/check/", grow) == 2
    application.status = ApplicationStatus.SUBMITTED
    application.submitted_at = timezone.now()
    application.save()
    # the session with its user, the application with its status history (one read), for the
    # expected decision (the queue's figures come from the cache)
    assert measure_twice(client, f"/applications/{reference}/submitted/", grow) == 2
    assert measure_twice(client, f"/applications/{reference}/withdraw/", grow) == 2


def test_application_page(client, alice, rana):
    client.force_login(alice)
    application = ApplicationFactory(applicant=alice)
    add_events(application, 2, rana)
    # 4: the application comes with its applicant (and specialty), 5 before issue 25
    assert (
        measure_twice(client, f"/applications/{application.reference}/", lambda: add_events(application, 20, alice))
        == 3
    )
    application.status = ApplicationStatus.SUBMITTED
    application.save()
    # waiting: its clock comes from the status history the page already reads, the rest from the cache
    assert (
        measure_twice(client, f"/applications/{application.reference}/", lambda: add_events(application, 20, alice))
        == 3
    )


def test_electronic_services_and_update_steps(client, pat):
    client.force_login(pat)
    profile = pat.practitioner_profile

    def grow():
        DataUpdateRequestFactory.create_batch(5, profile=profile, status="rejected")

    # the session with its user, profile and registration (one statement, issue 27), the open application
    assert measure_twice(client, "/services/", grow) == 2
    # A practitioner's update starts at once with their own data (no membership number asked).
    assert client.get("/services/update-member-data/")["Location"] == "/services/update-member-data/data/"
    # + the specialties of the profession, twice: the options, and Django's Select reading its
    # first option again to decide whether to mark itself required (issue 25's list)
    assert measure_twice(client, "/services/update-member-data/data/", grow) == 5
    update_request = DataUpdateRequestFactory(profile=profile, status="rejected")
    assert measure_twice(client, f"/services/requests/{update_request.number}/", grow) == 2
    update_request.status = "pending"
    update_request.save()
    # waiting: its service level and expected decision come from the row and the cache
    assert measure_twice(client, f"/services/requests/{update_request.number}/", grow) == 2


def test_access_log_page(client, pat, rana, alice):
    from core.models import AccessAction, AccessRecord

    client.force_login(pat)

    def grow():
        AccessRecord.objects.bulk_create(
            AccessRecord(staff=rana, owner=pat, action=AccessAction.VIEWED_PROFILE) for _ in range(20)
        )

    grow()  # an empty log skips reading its (no) records
    # the practitioner's two-step verification page, off: the session with its user, then whether it is on
    # and the device being set up in one query (issue 27: two before, and a third reading the user
    # again for the device's QR code)
    assert measure_twice(client, "/accounts/two-factor/", lambda: None) == 2
    TOTPDevice.objects.create(user=pat, name="app", confirmed=True)
    # on: the same query says so
    assert measure_twice(client, "/accounts/two-factor/", lambda: None) == 2
    TOTPDevice.objects.filter(user=pat).delete()

    # the session with its user, profile and registration, the page of records, the page of the
    # organisations' watch records, the organisations' API look-ups: a page of a list reads one
    # row more than it shows instead of counting the list (core/pagination.py, issue 27)
    assert measure_twice(client, "/my-data/access-log/", grow) == 4
    assert measure_twice(client, "/services/review-data/", grow) == 2
    # Someone not registered is watched and looked up by no organisation: only the records' page.
    client.force_login(alice)
    assert measure_twice(client, "/my-data/access-log/", grow) == 2


def test_admin_lists(client, rana):
    # Every admin page needs a verified second factor: its device comes with the session and its
    # user (accounts.backends; two queries fewer than Django's and django-otp's own, issue 27).
    client.force_login(rana)

    def grow():
        for _ in range(10):
            profile = PractitionerProfileFactory()
            DataUpdateRequestFactory(profile=profile)

    # A review list (+1): how many requests the reviewer holds, all kinds in one count.
    assert measure_twice(client, "/admin/profiles/dataupdaterequest/", grow) == 5 + 1
    assert measure_twice(client, "/admin/profiles/practitionerprofile/", grow) == 5
    assert (
        measure_twice(client, "/admin/applications/application/", lambda: ApplicationFactory.create_batch(10)) == 5 + 1
    )

    def grow_renewals():
        for _ in range(5):
            practitioner = RegistrationFactory().profile.user
            ApplicationFactory(applicant=practitioner, kind="renewal", status="submitted")
            CPDActivityFactory(profile=practitioner.practitioner_profile, status="accepted")

    # Renewals' hours come with the list's own query (a subquery), not one query a row. The
    # owner comes with it too (a join); +1 once the page shows a waiting application: the status
    # histories of the page's waiting rows, for their service-level clock (one query a page).
    grow_renewals()
    assert measure_twice(client, "/admin/applications/application/", grow_renewals) == 6 + 1
    assert measure_twice(client, "/admin/applications/application/?kind__exact=renewal", grow_renewals) == 6 + 1
    # The queue's filters: mine, unassigned, overdue. Overdue applications are found by their
    # clocks: +3, the candidates of each kind (made before the cut-off, two queries) and the
    # histories of the registrations among them (one; the renewals have none late here).
    assert measure_twice(client, "/admin/applications/application/?assigned=unassigned", grow_renewals) == 6 + 1
    long_ago = timezone.now() - datetime.timedelta(days=60)
    late = ApplicationFactory(status=ApplicationStatus.SUBMITTED, submitted_at=long_ago)
    ApplicationEvent.objects.create(application=late, from_status="draft", to_status="submitted")
    ApplicationEvent.objects.filter(application=late).update(created_at=long_ago)
    Application.objects.filter(pk=late.pk).update(created_at=long_ago)

    def grow_late():
        grow_renewals()
        more = ApplicationFactory(status=ApplicationStatus.SUBMITTED, submitted_at=long_ago)
        Application.objects.filter(pk=more.pk).update(created_at=long_ago)

    assert measure_twice(client, "/admin/applications/application/?service_level=overdue", grow_late) == 6 + 1 + 3
    assert measure_twice(client, "/admin/registry/registration/", lambda: RegistrationFactory.create_batch(5)) == 5
    assert measure_twice(client, "/admin/applications/cpdactivity/", lambda: CPDActivityFactory.create_batch(5)) == 6


def test_admin_lists_as_a_supervisor(client, sami):
    """Overdue first: for activities and data-update requests a condition on their own dates
    (no query); for applications the overdue ones' ids (+2: the candidates of each kind, none
    late here so no histories), besides the clock's one query for the page's waiting rows."""
    client.force_login(sami)
    assert (
        measure_twice(client, "/admin/profiles/dataupdaterequest/", lambda: DataUpdateRequestFactory.create_batch(5))
        == 6
    )
    ApplicationFactory(status=ApplicationStatus.SUBMITTED)

    def grow():
        ApplicationFactory.create_batch(5, status=ApplicationStatus.SUBMITTED)

    assert measure_twice(client, "/admin/applications/application/", grow) == 6 + 1 + 2
    assert measure_twice(client, "/admin/applications/cpdactivity/", lambda: CPDActivityFactory.create_batch(5)) == 6


def test_supervisors_dashboard(client, sami):
    """The session with its user and second-factor device (one query), the permissions for the admin's
    menu (two), the Supervisors group check, and the two rows of figures the jobs counted (one
    query), whatever is waiting or was decided."""
    client.force_login(sami)

    def grow():
        DataUpdateRequestFactory.create_batch(3)
        CPDActivityFactory.create_batch(3, status="accepted", decided_by=sami, decided_at=timezone.now())
        count_waiting_figures(timezone.localdate())
        count_weekly_figures(timezone.localdate(), count_published_figures(timezone.localdate()))

    grow()
    assert measure_twice(client, "/admin/dashboard/", grow) == 5


def test_requests_a_reviewer_holds(client, rana):
    """The session with its user and device (one query), the permissions (two); then one query a
    kind of request and the held applications' status histories."""
    client.force_login(rana)

    def grow():
        for status in ("submitted", "under_review"):
            ApplicationFactory(status=status, assigned_to=rana)
        DataUpdateRequestFactory(assigned_to=rana)
        CPDActivityFactory(assigned_to=rana)

    grow()
    assert measure_twice(client, "/admin/my-requests/", grow) == 2 + 4 + 1


def test_admin_review_pages(client, rana, alice, pat):
    client.force_login(rana)
    application = ApplicationFactory(applicant=alice, status=ApplicationStatus.SUBMITTED)
    add_events(application, 2, alice)
    url = f"/admin/applications/application/{application.pk}/change/"
    assert measure_twice(client, url, lambda: add_events(application, 20, rana)) == 8  # with the access record

    # A decision's confirmation page reads the record and its owner, and writes nothing.
    under_review = ApplicationFactory(status=ApplicationStatus.UNDER_REVIEW)
    decide = f"/admin/applications/application/{under_review.pk}/decide/"
    confirm = {"action": "reject", "reason": "غير مكتمل"}
    assert measure_twice(client, decide, lambda: add_events(under_review, 20, rana), "post", confirm) == 5

    profile = pat.practitioner_profile
    update_request = DataUpdateRequestFactory(profile=profile)

    def add_history():
        ProfileChange.objects.bulk_create(
            ProfileChange(
                profile=profile, field="city", old_value="a", new_value="b", request=update_request, reviewer=rana
            )
            for _ in range(20)
        )

    assert measure_twice(client, f"/admin/profiles/dataupdaterequest/{update_request.pk}/change/", add_history) == 6
    assert measure_twice(client, f"/admin/profiles/practitionerprofile/{profile.pk}/change/", add_history) == 7


def test_register_pages(client, pat):
    """The public pages read one row (two for a share code, which also counts its view); the
    share page reads the codes in one query however many, and a code's page of openings the code
    and the page, however many times it was opened."""
    registration = pat.practitioner_profile.registration
    certificate_code = registration.certificates.get().code
    share_code = create_share_code(registration, days=5)

    def grow():
        for _ in range(3):
            create_share_code(registration, days=5, shares_timeline=True)
            record_view(share_code)
        RegistrationFactory.create_batch(2)

    # A certificate's page and a number's result read one row, then are kept for everyone. Each
    # also counts against the per-address limit: on the embedded default that is the counters'
    # table (one upsert a request, whether it opens the window or counts in it); with Redis, none.
    cache.clear()
    limit = a_limits_statement()
    assert queries(client, f"/verify/{certificate_code}/") == 1 + limit
    assert queries(client, "/verify/", data={"q": registration.profile.membership_number}) == 1 + limit
    assert measure_twice(client, f"/verify/{certificate_code}/", grow) == 0 + limit
    assert measure_twice(client, "/verify/", grow, data={"q": registration.profile.membership_number}) == 0 + limit
    # Looked up among certificates first, then share codes; the view's row, count and time.
    assert measure_twice(client, f"/verify/{share_code.code}/", grow) == 6 + limit
    client.force_login(pat)
    # The registration comes with the session's user (issue 27): the codes, each with its count.
    assert measure_twice(client, "/services/share/", grow) == 2
    assert measure_twice(client, f"/services/share/{share_code.pk}/openings/", grow) == 3
    assert measure_twice(client, "/services/certificate/", grow) == 2


def test_a_shared_timeline_is_read_in_one_query(client, pat):
    """The events come with their link to the registration: never read back one at a time."""
    registration = pat.practitioner_profile.registration
    share_code = create_share_code(registration, days=5, shares_timeline=True)

    def grow():
        RegistrationEvent.objects.bulk_create(
            RegistrationEvent(registration=registration, kind="renewed", valid_until=registration.valid_until)
            for _ in range(3)
        )

    # The certificate tried first, the code, the view counted (4 with its transaction), the timeline;
    # and the per-address limit's counter (the embedded default).
    assert measure_twice(client, f"/verify/{share_code.code}/", grow) == 1 + 1 + 4 + 1 + 1


def test_renewal_and_hours_pages(client, pat):
    """The hours page reads the activities in one query, however many, and sums the hours that
    count from them (the totals were a query of their own before issue 27); the renewal page, which
    lists none, reads the totals in one query and the open application in one."""
    profile = pat.practitioner_profile
    registration = profile.registration
    registration.valid_until = registration.period_start + datetime.timedelta(days=60)
    registration.save()

    def grow():
        CPDActivityFactory.create_batch(3, profile=profile)

    client.force_login(pat)
    # The registration comes with the session's user (issue 27).
    assert measure_twice(client, "/services/cpd/", grow) == 2
    assert measure_twice(client, "/services/renewal/", grow) == 3


def test_api_look_ups_and_pages(client, pat):
    """A single look-up reads the token and the records in one statement (the token's row, its
    organisation and the records joined to it, a valid share code found by a subquery), which is
    also the connection's health check on PostgreSQL (core.statements: no `SELECT 1`); a batch
    reads the token, then the records (one query). Each counts the rate limit (+1 on the embedded
    default's table: one upsert that opens its window or counts in it) and the token's use and the
    look-ups (one upsert each, in one transaction) — the same for one number or a hundred. The two
    counts are one string of statements on PostgreSQL, one round trip; on SQLite two, and here the
    savepoint and its release inside the test's own transaction. With Redis (LIMITS_CACHE_URL) the
    rate limit and the counts are there: no statement."""
    on_postgresql = connection.vendor == "postgresql"
    in_redis = tally_store() is not None
    limit = a_limits_statement()
    counting = 0 if in_redis else 1 if on_postgresql else 2 + 2
    from api.tokens import create_token
    from employers.models import WatchedPractitioner

    from .factories import MembershipFactory, OrganisationFactory

    organisation = OrganisationFactory()
    issued = create_token(organisation, name="bench", days=30, created_by=None)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {issued.text}"}
    numbers = [pat.practitioner_profile.membership_number]

    def grow():
        for registration in RegistrationFactory.create_batch(3):
            numbers.append(registration.profile.membership_number)
            WatchedPractitioner.objects.create(organisation=organisation, practitioner=registration)

    def api_queries(url, data=None):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url, data or {}, **bearer)
        assert response.status_code == 200, response.content
        return len(captured)

    # The first look-up on a connection also prepares its statement, in the same round trip
    # (PostgreSQL: core.statements); the first request also fills caches.
    api_queries(f"/api/v1/registrations/{numbers[0]}")
    assert api_queries(f"/api/v1/registrations/{numbers[0]}") == 1 + limit + counting
    grow()
    assert api_queries(f"/api/v1/registrations/{numbers[0]}") == 1 + limit + counting
    api_queries("/api/v1/registrations", {"numbers": ",".join(numbers)})  # prepares the token's and the records'
    assert api_queries("/api/v1/registrations", {"numbers": ",".join(numbers)}) == 2 + limit + counting
    grow()
    assert api_queries("/api/v1/registrations", {"numbers": ",".join(numbers)}) == 2 + limit + counting
    # The token, the rate limit, the page's count and its rows; the token's use only.
    counting_the_use = 0 if in_redis else 1 if on_postgresql else 1 + 2
    assert api_queries("/api/v1/watchlist") == 1 + limit + 2 + counting_the_use
    grow()
    assert api_queries("/api/v1/watchlist", {"since": "2020-01-01T00:00:00Z"}) == 1 + limit + 2 + counting_the_use

    assert measure_twice(client, "/api/v1/docs/", grow) == 0
    administrator = MembershipFactory(organisation=organisation).user
    client.force_login(administrator)

    def more_tokens():
        for _ in range(3):
            create_token(organisation, name="more", days=30, created_by=administrator)

    # the session with its user, profile and the second factor's device (administrators' pages need it; one
    # query since issue 27), the membership with its organisation, the tokens with their recent
    # requests and the people who made or revoked them (one query)
    assert measure_twice(client, f"/employers/{organisation.pk}/api-tokens/", more_tokens) == 3


def test_organisation_pages(client, pat):
    from employers.models import WatchAction, WatchedPractitioner, WatchRecord
    from registry.sharing import create_share_code

    from .factories import MembershipFactory

    membership = MembershipFactory()
    organisation, administrator = membership.organisation, membership.user
    entry = WatchedPractitioner.objects.create(
        organisation=organisation,
        practitioner=pat.practitioner_profile.registration,
        share_code=create_share_code(pat.practitioner_profile.registration, days=5, shares_timeline=True),
    )

    def grow():
        for _ in range(10):
            WatchedPractitioner.objects.create(organisation=organisation, practitioner=RegistrationFactory())
            WatchRecord.objects.create(
                organisation=organisation, practitioner=pat.practitioner_profile.registration, action=WatchAction.ADDED
            )

    client.force_login(administrator)
    # Each page: the session with its user and the second factor's device (an administrator's session is
    # verified; one query since issue 27), then the membership with its organisation and what
    # the page shows. The list: its count and its rows.
    assert measure_twice(client, f"/employers/{organisation.pk}/", grow) == 4
    # One entry with its registration and share code, and the timeline the code shares (its
    # events with their link: no longer read back one at a time, issue 27).
    assert measure_twice(client, f"/employers/{organisation.pk}/watched/{entry.pk}/", grow) == 4
    # The members and the invitations waiting.
    assert measure_twice(client, f"/employers/{organisation.pk}/members/", grow) == 4
    # The switcher: the person's organisations (no membership of one page).
    assert measure_twice(client, "/employers/", grow) == 2
    client.force_login(pat)
    # the access log: the session with its user, profile and registration, the staff records (none), the
    # watch records, the organisations' API look-ups (no counts since issue 27)
    assert measure_twice(client, "/my-data/access-log/", grow) == 4
