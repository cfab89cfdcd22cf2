"""The email outbox and the record of periodic jobs: what the task queue works from."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboundEmail(models.Model):
    """One email, rendered when its event happened and sent by the task queue.

    The row is written in the same transaction as the change it reports, so a rolled-back
    change sends nothing and a committed one always sends. `key` names the event: the same
    event never makes a second email, and a retried task never sends a sent one again.
    """

    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    to_address = models.EmailField(pgettext_lazy("email recipient", "to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"))
    # An iCalendar entry sent as an attachment (a renewal reminder's expiry date), or empty.
    calendar = models.TextField(_("calendar entry"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # Who is sending it now (host/process/attempt) and since when; empty between attempts. A
    # claim older than the send's deadline and a margin was left by a worker that died.
    claimed_by = models.CharField(_("being sent by"), max_length=100, blank=True)
    claimed_at = models.DateTimeField(_("being sent since"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="portal_email_status_created"),
            # The metrics' "sent in the last minute" reads the newest few rows, never the whole table.
            models.Index(fields=["sent_at"], name="core_email_sent_at"),
        ]

    def __str__(self):
        return f"{self.subject} → {self.to_address}"


class PeriodicRun(models.Model):
    """That a periodic job was started for one period: the first server to write it runs the job."""

    job = models.CharField(_("job"), max_length=100)
    period = models.CharField(_("period"), max_length=30)
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)

    class Meta:
        verbose_name = _("periodic job run")
        verbose_name_plural = _("periodic job runs")
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="portal_periodic_run_once")]

    def __str__(self):
        return f"{self.job} {self.period}"


class AccessAction(models.TextChoices):
    VIEWED_APPLICATION = "viewed_application", _("opened an application")
    VIEWED_UPDATE_REQUEST = "viewed_update_request", _("opened a data update request")
    VIEWED_PROFILE = "viewed_profile", _("opened a practitioner record")
    DOWNLOADED_DOCUMENT = "downloaded_document", _("downloaded a document")
    DECIDED = "decided", _("recorded a decision")
    FOUND_IN_SEARCH = "found_in_search", _("found in a staff search")
    VIEWED_HISTORY = "viewed_history", _("opened a change history")


class AccessRecord(models.Model):
    """One look by staff at a person's file: who, whose, what, when, from where. Append-only.

    Written by the admin's review pages, the document download, the decisions and the staff
    searches (one record for each person on the result page shown); never
    changed or deleted except by the retention job (ACCESS_LOG_RETENTION_DAYS).
    """

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("whose file")
    )
    action = models.CharField(_("action"), max_length=30, choices=AccessAction.choices)
    target = models.CharField(_("what"), max_length=100, blank=True)
    client_address = models.CharField(_("client address"), max_length=45, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at"]
        indexes = [models.Index(fields=["owner", "-at"], name="portal_access_owner_at")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.staff_id} {self.action} {self.target}"


class RateCounter(models.Model):
    """One rate-limit counter for one window (portal/limit_store.py): never culled, its window's
    end fixed when the window opens. Expired rows are deleted by the `prune_rate_counters` job."""

    key = models.CharField(_("key"), max_length=250, primary_key=True)
    hits = models.BigIntegerField(_("hits"))
    # Seconds since the epoch, as the rate limiter's own clock counts them.
    expires_at = models.FloatField(_("expires at"), db_index=True)

    class Meta:
        verbose_name = _("rate-limit counter")
        verbose_name_plural = _("rate-limit counters")

    def __str__(self):
        return f"{self.key} {self.hits}"


class StaffSearch(models.Model):
    """One search by staff in a list that shows people: who, in which list, what was typed and
    how many rows it matched. Append-only; pruned with the access log (ACCESS_LOG_RETENTION_DAYS).
    The people on the page shown each get an AccessRecord "found in a staff search"."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    listed = models.CharField(_("list"), max_length=100)
    term = models.CharField(_("search term"), max_length=200)
    result_count = models.PositiveIntegerField(_("results"))
    client_address = models.CharField(_("client address"), max_length=45, blank=True)
    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("staff search")
        verbose_name_plural = _("staff searches")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.staff_id} {self.listed} {self.term}"


class Holiday(models.Model):
    """An official holiday: not a working day for the service levels (core/working_days.py).
    Filled for years ahead from the Umm al-Qura calendar; staff correct it when dates are announced."""

    date = models.DateField(_("date"), unique=True)
    name_ar = models.CharField(_("name in Arabic"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100)

    class Meta:
        verbose_name = _("official holiday")
        verbose_name_plural = _("official holidays")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.name_en}"


class AssignedForReview(models.Model):
    """What every kind of request a reviewer decides shares: at most one owner while it waits.

    Set and cleared only by core/queue.py (take the next, hand back, reassign) and by the
    decision that takes the request off the queue (core.queue.release).
    """

    # SET_NULL: a reviewer's account removed puts what they held back in the queue.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned to"),
    )
    assigned_at = models.DateTimeField(_("assigned"), null=True, blank=True)

    class Meta:
        abstract = True


class CountedFigures(models.Model):
    """Figures a periodic job counted (a service's queue, the public service-level record), kept
    so that pages only read them: counting at a million rows takes a second to half a minute,
    which no request should pay, and a cache anyone's traffic can empty must not decide when."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    data = models.JSONField(_("figures"))
    counted_on = models.DateField(_("counted on"))
    counted_at = models.DateTimeField(_("counted at"), auto_now=True)

    class Meta:
        verbose_name = _("counted figures")
        verbose_name_plural = _("counted figures")

    def __str__(self):
        return f"{self.name} {self.counted_at:%Y-%m-%d %H:%M}"
