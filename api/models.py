"""API tokens of organisations, and what they were used for, counted per day.

A token is shown once when it is made; only the SHA-256 of it is kept, with a short public
prefix to find the row (tokens.py says why a fast hash is right here). Uses are counted per
token and day, and the registrations an organisation looked up per organisation, practitioner
and day: the practitioner's access-log page shows those counts, and a count a day is what it
needs — a row per request would grow by a hundred rows for every batch look-up.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.forms import reject_bidi_controls
from employers.models import Organisation
from registry.models import Registration


class ApiToken(models.Model):
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=100, validators=[reject_bidi_controls])
    # The token's public part (it is written in the token itself), unique: one indexed read finds
    # the row, and the hash is compared after.
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    secret_hash = models.CharField(_("hash"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.name} ({self.prefix})"


class ApiTokenUse(models.Model):
    """How many requests a token made on one day (each request counts, whatever it asked)."""

    token = models.ForeignKey(ApiToken, on_delete=models.CASCADE, related_name="uses", verbose_name=_("token"))
    day = models.DateField(_("day"))
    requests = models.PositiveIntegerField(_("requests"), default=0)

    class Meta:
        verbose_name = _("API token use")
        verbose_name_plural = _("API token uses")
        ordering = ["-day", "-id"]
        constraints = [models.UniqueConstraint(fields=["token", "day"], name="api_one_use_row_a_day")]

    def __str__(self):
        return f"{self.token_id} {self.day:%Y-%m-%d} {self.requests}"


class ApiLookup(models.Model):
    """How many times an organisation's API requests returned one practitioner's record on one day."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )
    practitioner = models.ForeignKey(
        Registration,
        on_delete=models.CASCADE,
        related_name="api_lookups",
        verbose_name=_("registration"),
        db_index=False,  # led by the constraint's index, which the practitioner's page reads
    )
    day = models.DateField(_("day"))
    lookups = models.PositiveIntegerField(_("look-ups"), default=0)

    class Meta:
        verbose_name = _("API look-up")
        verbose_name_plural = _("API look-ups")
        ordering = ["-day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["practitioner", "day", "organisation"], name="api_one_lookup_row_a_day")
        ]
        indexes = [models.Index(fields=["day"], name="api_lookup_day")]  # the pruning job

    def __str__(self):
        return f"{self.organisation_id} {self.practitioner_id} {self.day:%Y-%m-%d} {self.lookups}"


class ApiCountBatch(models.Model):
    """A batch of counts added up in the limits' Redis and written to the two tables above (usage.py):
    kept so that a batch written but not yet dropped from Redis (the job stopped in between) is
    never written twice."""

    batch = models.CharField(_("batch"), max_length=32, unique=True)
    written_at = models.DateTimeField(_("written"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("batch of API counts")
        verbose_name_plural = _("batches of API counts")

    def __str__(self):
        return self.batch
