"""What the review admins share: read-only pages and decision buttons that call workflows."""

import functools
import logging

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .access_log import record_access, record_search
from .decisions import DecisionError, OwnFileRefused, ReasonRequired, is_own_file
from .digits import normalized_search_term
from .emails import retry_now
from .hijri import hijri_with_time
from .models import AccessAction, AccessRecord, Holiday, OutboundEmail, StaffSearch

security_log = logging.getLogger("mumaris.security")


class CappedCountPaginator(Paginator):
    """Counts at most CAP + 1 rows: a list of a million rows is not counted on every page.

    Beyond the cap the list offers CAP rows' worth of pages; a search or a filter narrows it.
    """

    CAP = 10_000

    @cached_property
    def count(self):
        # Which rows are counted does not matter, so not their order either: an ordered count
        # made PostgreSQL sort every match of a broad name search before stopping at the cap.
        return self.object_list.order_by()[: self.CAP + 1].count()


@functools.cache
def calendar_display(model, field_name):
    """A model's date or time field as the portal shows it (day month year, with Hijri), for a
    list column or a read-only field; one function per field, so the admin can match it."""
    field = model._meta.get_field(field_name)

    @admin.display(description=field.verbose_name, ordering=field_name)
    def display(obj):
        value = getattr(obj, field_name)
        return hijri_with_time(value) if value else "-"

    # The column's and the row's CSS class ("column-submitted_at", "field-submitted_at").
    display.__name__ = field_name
    return display


def is_calendar_field(model, name):
    try:
        return isinstance(model._meta.get_field(name), models.DateField)  # DateTimeField is one too.
    except FieldDoesNotExist:  # a column computed by the admin
        return False


class DecisionForm(forms.Form):
    action = forms.CharField(max_length=30)
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReadOnlyAdmin(admin.ModelAdmin):
    """Staff read these records; nobody adds, changes or deletes one through the admin."""

    show_full_result_count = False
    paginator = CappedCountPaginator

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordsStaffLooks:
    """For every admin whose lists and pages show people: a search is recorded (the term, the
    count, and each person on the page shown) and so is opening a record's change history.

    A subclass names whose file a row is (`owner_id(obj)`, a user's id) and how the record is
    named in the access log (`access_target(obj)`).
    """

    def owner_id(self, obj):
        return None

    def access_target(self, obj):
        return str(obj)

    def viewable_object(self, request, object_id):
        """The object, for staff who may view this kind; 403 without that permission whatever the id
        (so ids cannot be probed), then 404 for an id that is malformed or does not exist."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        obj = self.get_object(request, unquote(str(object_id)))
        if obj is None:
            raise Http404
        return obj

    def get_changelist_instance(self, request):
        changelist = super().get_changelist_instance(request)
        if changelist.query:
            # The page's rows are read once, here; the template shows this same list.
            changelist.result_list = list(changelist.result_list)
            owners = [self.owner_id(obj) for obj in changelist.result_list]
            record_search(request, self.model._meta.label_lower, changelist.query, changelist.result_count, owners)
        return changelist

    def history_view(self, request, object_id, extra_context=None):
        obj = self.viewable_object(request, object_id)
        record_access(request, self.owner_id(obj), AccessAction.VIEWED_HISTORY, self.access_target(obj))
        return super().history_view(request, object_id, extra_context)


class ReviewAdmin(RecordsStaffLooks, ReadOnlyAdmin):
    """Reviewers read; they change nothing directly. Decisions go through the workflow's table.

    A subclass with decisions sets `decision_permission` ("app.codename"), `decisions` (the
    workflow's DECISIONS), `decisions_for` (the workflow's function naming those allowed now),
    `reason_label` and `reason_required_message`, and implements `owner_id(obj)` (whose file it
    is). `review_context(obj)` adds what its change page shows besides the fields.
    """

    # The portal's pages are the applicant's own: a reviewer would only find a 404 there.
    view_on_site = False
    # What opening a record means in the access log, and how the record is named there.
    access_action = None
    decision_permission = None
    decisions = {}
    decisions_for = None
    reason_label = _("Reason")
    reason_help = _("Required to return or reject.")
    reason_required_message = ReasonRequired.message

    def get_queryset(self, request):
        # The change page reads the same related rows as the list.
        return super().get_queryset(request).select_related(*self.list_select_related)

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalized_search_term(search_term))

    def with_portal_dates(self, names):
        """`names` with each date field shown as the portal shows dates, not in Django's format."""
        return [calendar_display(self.model, name) if is_calendar_field(self.model, name) else name for name in names]

    def get_list_display(self, request):
        return self.with_portal_dates(super().get_list_display(request))

    def get_fieldsets(self, request, obj=None):
        return [
            (title, {**options, "fields": self.with_portal_dates(options["fields"])})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_readonly_fields(self, request, obj=None):
        # Reviewers change nothing here: every field shown is read-only.
        return flatten_fieldsets(self.get_fieldsets(request, obj))

    def get_urls(self):
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        return [path("<int:object_id>/decide/", decide, name=f"{info}_decide"), *super().get_urls()]

    def review_context(self, obj):
        return {}

    def decision_context(self, request, obj):
        """Template context for the decision controls (none on one's own file, or without permission)."""
        own_file = is_own_file(request.user, self.owner_id(obj))
        may_decide = request.user.has_perm(self.decision_permission) and not own_file
        allowed = self.decisions_for(obj) if may_decide else []
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        form = DecisionForm()
        form.fields["reason"].label = self.reason_label
        actions = [(key, self.decisions[key].label, self.decisions[key].needs_reason) for key in allowed]
        return {
            "decision_actions": actions,
            # The reason box only beside a decision that reads it ("Start review" alone needs none).
            "reason_needed": any(needs_reason for _key, _label, needs_reason in actions),
            "decision_form": form,
            "reason_help": self.reason_help,
            "decision_url": reverse(f"admin:{info}_decide", args=[obj.pk]),
            "own_file_notice": OwnFileRefused.message if own_file else "",
        }

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.viewable_object(request, object_id)
        record_access(request, self.owner_id(obj), self.access_action, self.access_target(obj))
        extra_context = {**(extra_context or {}), **self.review_context(obj)}
        if self.decisions:
            extra_context.update(self.decision_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, object_id):
        if not request.user.has_perm(self.decision_permission):
            raise PermissionDenied
        obj = self.viewable_object(request, object_id)
        change_url = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change", args=[object_id]
        )
        form = DecisionForm(request.POST)
        if not form.is_valid() or form.cleaned_data["action"] not in self.decisions:
            messages.error(request, _("Choose a decision."))
            return redirect(change_url)
        decision = self.decisions[form.cleaned_data["action"]]
        try:
            decision.apply(obj, request.user, form.cleaned_data["reason"])
        except ReasonRequired:
            messages.error(request, self.reason_required_message)
        except DecisionError as refusal:
            messages.error(request, refusal.message)
        else:
            record_access(request, self.owner_id(obj), AccessAction.DECIDED, self.access_target(obj))
            messages.success(request, _("Decision recorded: %(action)s.") % {"action": decision.label})
        return redirect(change_url)


@admin.register(OutboundEmail)
class OutboundEmailAdmin(ReadOnlyAdmin):
    """The outbox: staff see what was sent, what waits and what failed (with the error), and
    can send a failed email again. Nothing here edits a message."""

    list_display = ("created_at", "to_address", "subject", "status", "attempts", "short_error")
    list_filter = ("status",)
    search_fields = ("=to_address", "subject")
    readonly_fields = [field.name for field in OutboundEmail._meta.fields]
    actions = ["send_again"]

    def has_send_permission(self, request):
        return request.user.has_perm("core.change_outboundemail")

    @admin.display(description=_("last error"))
    def short_error(self, email):
        return Truncator(email.last_error).chars(80)

    @admin.action(description=_("Send again now"), permissions=["send"])
    def send_again(self, request, queryset):
        resent = sum(retry_now(email) for email in queryset)
        security_log.info("emails sent again count=%s by user=%s", resent, request.user.pk)
        messages.success(request, _("%(count)s email(s) will be sent again.") % {"count": resent})


class SuperuserOnlyAdmin(ReadOnlyAdmin):
    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(StaffSearch)
class StaffSearchAdmin(SuperuserOnlyAdmin):
    """The staff searches, beside the access log: for superusers only, read-only."""

    list_display = ("at", "staff", "listed", "term", "result_count", "client_address")
    list_filter = ("listed", ("at", admin.DateFieldListFilter))
    search_fields = ("=staff__national_id",)
    list_select_related = ("staff",)
    readonly_fields = [field.name for field in StaffSearch._meta.fields]


@admin.register(AccessRecord)
class AccessRecordAdmin(SuperuserOnlyAdmin):
    """The access log, for superusers only, read-only: nobody changes or deletes a row here."""

    list_display = ("at", "staff_id_number", "owner_id_number", "action", "target_isolated", "client_address")
    list_filter = ("action", ("staff", admin.RelatedOnlyFieldListFilter), ("at", admin.DateFieldListFilter))
    search_fields = ("=staff__national_id", "=owner__national_id", "=target")
    search_help_text = _("ID number of the staff member or of the person, or a reference.")
    list_select_related = ("staff", "owner")
    readonly_fields = [field.name for field in AccessRecord._meta.fields]

    @admin.display(description=_("staff member"), ordering="staff__national_id")
    def staff_id_number(self, record):
        return format_html('<bdi dir="ltr">{}</bdi>', record.staff.national_id)

    @admin.display(description=_("whose file"), ordering="owner__national_id")
    def owner_id_number(self, record):
        return format_html('<bdi dir="ltr">{}</bdi>', record.owner.national_id)

    @admin.display(description=_("what"))
    def target_isolated(self, record):
        return format_html('<bdi dir="ltr" class="nowrap">{}</bdi>', record.target)


@admin.register(Holiday)
class HolidayAdmin(admin.ModelAdmin):
    """The official holidays the service levels skip: staff move an Eid by a day when the moon's
    sighting is announced, and add the years after the ones filled in advance."""

    list_display = ("date", "name_ar", "name_en")
    date_hierarchy = "date"
    search_fields = ("name_ar", "name_en")
