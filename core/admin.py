"""What the review admins share: read-only pages and decision buttons that call workflows."""

import functools
import logging
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import flatten_fieldsets, unquote
from django.contrib.admin.views.main import ORDER_VAR, ChangeList
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from .access_log import record_access, record_search
from .admin_site import AdminPage
from .decisions import DecisionError, DecisionTone, OwnFileRefused, ReasonRequired, is_own_file
from .digits import normalized_search_term
from .emails import retry_now
from .hijri import hijri_with_time
from .holidays import holiday_dates
from .models import AccessAction, AccessRecord, Holiday, OutboundEmail, StaffSearch
from .queue import (
    HeldByAnother,
    hand_back,
    held_count,
    may_take_any,
    queue_clock,
    reassign,
    registered_queues,
    reviewers_for,
    take_next,
)

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
        # Only the ids: a list's annotations (a renewal's accepted hours, a subquery a row) would
        # otherwise be computed for every counted row.
        return self.object_list.order_by().values("pk")[: self.CAP + 1].count()


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


def reason_draft_key(model_admin, object_id):
    """Where a reason typed but not used (cancelled, or refused) waits for the change page: the
    reviewer's own session, one draft per record."""
    return f"admin.decision_reason:{model_admin.url_info}:{object_id}"


class ReviewerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return f"{user.full_name_ar} ({user.national_id})"


class ReassignForm(forms.Form):
    reviewer = ReviewerChoiceField(
        queryset=None, required=False, label=_("Reviewer"), empty_label=_("Nobody: back to the queue")
    )

    def __init__(self, *args, reviewers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = reviewers


class AssignedFilter(admin.SimpleListFilter):
    """Mine, or waiting with nobody: the two lists a reviewer works from."""

    title = _("assigned")
    parameter_name = "assigned"

    def __init__(self, request, params, model, model_admin):
        self.review_queue = model_admin.review_queue
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [("mine", _("Mine")), ("unassigned", _("Unassigned, waiting"))]

    def queryset(self, request, queryset):
        if self.value() == "mine":
            return queryset.filter(self.review_queue.waiting, assigned_to=request.user)
        if self.value() == "unassigned":
            return queryset.filter(self.review_queue.waiting, assigned_to__isnull=True)
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = _("service level")
    parameter_name = "service_level"

    def __init__(self, request, params, model, model_admin):
        self.review_queue = model_admin.review_queue
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(self.review_queue.overdue(timezone.localdate(), holiday_dates()))
        return queryset


class QueueChangeList(ChangeList):
    """A review list as a supervisor sees it: overdue requests first, unless a column is sorted."""

    def overdue_first(self, request):
        return self.model_admin.may_supervise(request) and not self.params.get(ORDER_VAR)

    def get_queryset(self, request, exclude_parameters=None):
        if self.overdue_first(request) and "queue_overdue_last" not in self.root_queryset.query.annotations:
            overdue = self.model_admin.review_queue.overdue(timezone.localdate(), holiday_dates())
            self.root_queryset = self.root_queryset.annotate(
                queue_overdue_last=Case(When(overdue, then=Value(0)), default=Value(1), output_field=IntegerField())
            )
        return super().get_queryset(request, exclude_parameters)

    def get_ordering(self, request, queryset):
        ordering = super().get_ordering(request, queryset)
        if self.overdue_first(request):
            return ["queue_overdue_last", *ordering]
        return ordering


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


def service_level_mark(clock):
    """A waiting request's clock in words, not by colour alone: "Overdue", "Paused" or "On time"."""
    if clock is None:
        return "-"
    if clock.overdue:
        return format_html('<span class="badge badge--overdue">⚠ {}</span>', _("Overdue"))
    if clock.left_days is None:
        return _("Paused")
    return _("On time")


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
    # The kind's ReviewQueue (core/queue.py): "Take the next request", "Hand back", the owner.
    review_queue = None
    change_list_template = "admin/review_change_list.html"
    actions = ["reassign_selected"]

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
        info = self.url_info
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        urls = [path("<int:object_id>/decide/", decide, name=f"{info}_decide")]
        if self.review_queue is not None:
            take = self.admin_site.admin_view(require_POST(self.take_next_view))
            give_back = self.admin_site.admin_view(require_POST(self.hand_back_view))
            urls += [
                path("take-next/", take, name=f"{info}_take_next"),
                path("<int:object_id>/hand-back/", give_back, name=f"{info}_hand_back"),
            ]
        return [*urls, *super().get_urls()]

    @property
    def url_info(self):
        return f"{self.model._meta.app_label}_{self.model._meta.model_name}"

    def may_take(self, request):
        return self.review_queue is not None and request.user.has_perm(self.review_queue.decision_permission)

    def may_supervise(self, request):
        return self.review_queue is not None and request.user.has_perm(self.review_queue.supervise_permission)

    def get_changelist(self, request, **kwargs):
        return QueueChangeList if self.review_queue is not None else super().get_changelist(request, **kwargs)

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if self.review_queue is None:
            return filters
        return [AssignedFilter, OverdueFilter, *filters]

    def get_changelist_instance(self, request):
        """The page's rows with their service-level clock (`queue_clock`), for its columns."""
        changelist = super().get_changelist_instance(request)
        if self.review_queue is not None:
            changelist.result_list = list(changelist.result_list)
            today, holidays = timezone.localdate(), holiday_dates()
            standings = self.review_queue.standings(changelist.result_list, today, holidays)
            for obj in changelist.result_list:
                obj.queue_clock = queue_clock(standings.get(obj.pk), today, holidays)
        return changelist

    @admin.display(description=_("assigned to"), ordering="assigned_to__full_name_ar")
    def assigned_to_name(self, obj):
        return obj.assigned_to.full_name_ar if obj.assigned_to_id else "-"

    @admin.display(description=_("working days waited"))
    def clock_waited(self, obj):
        clock = getattr(obj, "queue_clock", None)
        return "-" if clock is None else clock.waited_days

    @admin.display(description=_("working days left"))
    def clock_left(self, obj):
        clock = getattr(obj, "queue_clock", None)
        return "-" if clock is None or clock.left_days is None else clock.left_days

    @admin.display(description=_("service level"))
    def clock_mark(self, obj):
        return service_level_mark(getattr(obj, "queue_clock", None))

    queue_columns = ("assigned_to_name", "clock_waited", "clock_left", "clock_mark")

    def has_reassign_permission(self, request):
        return self.may_supervise(request)

    @admin.action(description=_("Reassign to a reviewer"), permissions=["reassign"])
    def reassign_selected(self, request, queryset):
        """A supervisor gives the selected requests to a reviewer (or back to the queue): a page
        to choose whom, then one transaction per request."""
        reviewers = reviewers_for(self.review_queue)
        form = ReassignForm(request.POST if "apply" in request.POST else None, reviewers=reviewers)
        if form.is_valid():
            to_reviewer = form.cleaned_data["reviewer"]
            done = 0
            refusals = set()
            for pk in queryset.order_by().values_list("pk", flat=True):
                try:
                    reassign(self.review_queue, pk, to_reviewer, request.user)
                except DecisionError as refusal:
                    refusals.add(str(refusal.message))
                else:
                    done += 1
            if done:
                reassigned = ngettext("%(count)s request reassigned.", "%(count)s requests reassigned.", done)
                messages.success(request, reassigned % {"count": done})
            for refusal in sorted(refusals):
                messages.error(request, refusal)
            return None
        return TemplateResponse(
            request,
            "admin/reassign.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Reassign to a reviewer"),
                "opts": self.model._meta,
                "form": form,
                "selected": queryset.order_by().values_list("pk", flat=True),
                "count": queryset.count(),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        if self.may_take(request):
            extra_context["take_next_url"] = reverse(f"admin:{self.url_info}_take_next")
            extra_context["held_hint"] = held_hint(held_count(request.user))
            extra_context["my_requests_url"] = reverse("admin:my_requests")
        return super().changelist_view(request, extra_context)

    def take_next_view(self, request):
        """Assign the reviewer the next request of this kind, then open it (recorded there)."""
        if not self.may_take(request):
            raise PermissionDenied
        try:
            taken = take_next(self.review_queue, request.user, timezone.localdate())
        except DecisionError as refusal:
            messages.error(request, refusal.message)
            return redirect(f"admin:{self.url_info}_changelist")
        if taken is None:
            messages.info(request, _("Nothing is waiting that you may take."))
            return redirect(f"admin:{self.url_info}_changelist")
        messages.success(request, _("%(request)s is now assigned to you.") % {"request": self.access_target(taken)})
        return redirect(f"admin:{self.url_info}_change", taken.pk)

    def hand_back_view(self, request, object_id):
        if not self.may_take(request):
            raise PermissionDenied
        obj = self.viewable_object(request, object_id)
        try:
            hand_back(self.review_queue, obj.pk, request.user)
        except DecisionError as refusal:
            messages.error(request, refusal.message)
            return redirect(f"admin:{self.url_info}_change", obj.pk)
        messages.success(request, _("%(request)s is back in the queue.") % {"request": self.access_target(obj)})
        return redirect(f"admin:{self.url_info}_changelist")

    def held_by_another(self, request, obj):
        """Another reviewer holds it and this one is no supervisor: no decision here."""
        return (
            self.review_queue is not None
            and obj.assigned_to_id not in (None, request.user.pk)
            and not self.may_supervise(request)
        )

    def assignment_context(self, request, obj):
        """Who holds the request, and whether this reviewer may hand it back."""
        holder_id = obj.assigned_to_id
        mine = holder_id is not None and holder_id == request.user.pk
        return {
            "assignment_shown": True,
            "assigned_to": obj.assigned_to if holder_id else None,
            "assigned_at": obj.assigned_at,
            "assigned_to_me": mine,
            "held_by_another": self.held_by_another(request, obj),
            "held_by_another_notice": HeldByAnother.message,
            "hand_back_url": reverse(f"admin:{self.url_info}_hand_back", args=[obj.pk]) if mine else "",
        }

    def review_context(self, obj):
        return {}

    def decision_context(self, request, obj):
        """Template context for the decision controls (none on one's own file, or without permission)."""
        own_file = is_own_file(request.user, self.owner_id(obj))
        may_decide = (
            request.user.has_perm(self.decision_permission) and not own_file and not self.held_by_another(request, obj)
        )
        allowed = self.decisions_for(obj) if may_decide else []
        form = DecisionForm()
        form.fields["reason"].label = self.reason_label
        # Granting first, then the rest; what takes away or closes for good last, set apart.
        tone_order = [DecisionTone.PRIMARY, DecisionTone.NEUTRAL, DecisionTone.DESTRUCTIVE]
        actions = sorted(
            ((key, self.decisions[key]) for key in allowed), key=lambda action: tone_order.index(action[1].tone)
        )
        return {
            "decision_actions": actions,
            # The reason box only beside a decision that reads it ("Start review" alone needs none).
            "reason_needed": any(decision.needs_reason for _key, decision in actions),
            "decision_form": form,
            # A reason typed before a cancelled or refused decision, given back (once).
            "reason_draft": request.session.pop(reason_draft_key(self, obj.pk), ""),
            "reason_help": self.reason_help,
            "decision_url": reverse(f"admin:{self.url_info}_decide", args=[obj.pk]),
            "own_file_notice": OwnFileRefused.message if own_file else "",
        }

    def decision_refusal(self, request, obj, key, reason):
        """Why this reviewer may not make decision `key` on `obj` now (a message), or None. Asked
        before the confirmation page; the decision function asks again under the row lock."""
        if is_own_file(request.user, self.owner_id(obj)):
            return OwnFileRefused.message
        if self.held_by_another(request, obj):
            return HeldByAnother.message
        if key not in self.decisions_for(obj):
            return DecisionError.message
        if self.decisions[key].needs_reason and not reason.strip():
            return self.reason_required_message
        return None

    def keep_reason(self, request, obj, reason):
        """A reason typed for a decision not made waits in the session for the record's page."""
        if reason.strip():
            request.session[reason_draft_key(self, obj.pk)] = reason

    def decision_person(self, obj):
        """Whose file the decision is on, as the confirmation page names them."""
        return get_user_model().objects.get(pk=self.owner_id(obj))

    def confirm_decision(self, request, obj, key, reason):
        """The page that says what the decision will do, with Confirm and Cancel."""
        decision = self.decisions[key]
        return TemplateResponse(
            request,
            "admin/decision_confirm.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Confirm: %(decision)s") % {"decision": decision.label},
                "opts": self.model._meta,
                "original": obj,
                "record_name": self.access_target(obj),
                "person": self.decision_person(obj),
                "decision_key": key,
                "decision": decision,
                "consequence": decision.consequence_for(obj),
                "reason": reason,
                "reason_label": self.reason_label,
                "decision_url": reverse(f"admin:{self.url_info}_decide", args=[obj.pk]),
            },
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.viewable_object(request, object_id)
        record_access(request, self.owner_id(obj), self.access_action, self.access_target(obj))
        extra_context = {**(extra_context or {}), **self.review_context(obj)}
        if self.review_queue is not None:
            extra_context.update(self.assignment_context(request, obj))
        if self.decisions:
            extra_context.update(self.decision_context(request, obj))
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_view(self, request, object_id):
        """A decision button's POST: refused with a message, or shown on a confirmation page, or
        (confirmed, or a decision that needs no confirming) made through the workflow's function.
        Whatever is not made, the reason typed waits for the change page."""
        if not request.user.has_perm(self.decision_permission):
            raise PermissionDenied
        obj = self.viewable_object(request, object_id)
        change_url = reverse(f"admin:{self.url_info}_change", args=[object_id])
        form = DecisionForm(request.POST)
        if not form.is_valid() or form.cleaned_data["action"] not in self.decisions:
            messages.error(request, _("Choose a decision."))
            return redirect(change_url)
        key, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
        decision = self.decisions[key]
        if "cancel" in request.POST:
            messages.info(request, _("Nothing was decided."))
            self.keep_reason(request, obj, reason)
            return redirect(change_url)
        refusal = self.decision_refusal(request, obj, key, reason)
        if refusal is not None:
            messages.error(request, refusal)
            self.keep_reason(request, obj, reason)
            return redirect(change_url)
        if decision.needs_confirmation and "confirmed" not in request.POST:
            return self.confirm_decision(request, obj, key, reason)
        try:
            decision.apply(obj, request.user, reason)
        except DecisionError as error:
            # ReasonRequired among them, with this review's own words for it.
            messages.error(
                request, self.reason_required_message if isinstance(error, ReasonRequired) else error.message
            )
            self.keep_reason(request, obj, reason)
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
        sent_again = ngettext("%(count)s email will be sent again.", "%(count)s emails will be sent again.", resent)
        messages.success(request, sent_again % {"count": resent})


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


def held_hint(held):
    """ "You hold 3 of 10": the requests a reviewer holds, all kinds together, against the cap."""
    return _("You hold %(held)s of %(limit)s requests at most.") % {"held": held, "limit": settings.REVIEW_MAX_OPEN}


@dataclass(frozen=True)
class HeldRequest:
    """A row of "My requests": one request the reviewer holds, of any kind."""

    label: str
    kind: str
    url: str
    assigned_at: object
    clock: object

    @property
    def mark(self):
        return service_level_mark(self.clock)


def held_requests(reviewer, today, holidays):
    """Every request waiting assigned to `reviewer`, of every kind, the overdue and the nearest
    due first (one query a kind, and the applications' status histories)."""
    held = []
    for queue in registered_queues():
        rows = list(queue.waiting_requests().filter(assigned_to=reviewer).order_by("assigned_at", "pk"))
        standings = queue.standings(rows, today, holidays)
        meta = queue.model._meta
        held += [
            HeldRequest(
                label=queue.label(row),
                kind=meta.verbose_name,
                url=reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[row.pk]),
                assigned_at=row.assigned_at,
                clock=queue_clock(standings.get(row.pk), today, holidays),
            )
            for row in rows
        ]

    def urgency(held_request):
        clock = held_request.clock
        if clock is None or clock.left_days is None:
            return (1, 0)
        return (0 if clock.overdue else 1, clock.left_days)

    return sorted(held, key=urgency)


def my_requests_view(request):
    """ "My requests": what the reviewer holds, all kinds on one page, each linked to its review."""
    if not may_take_any(request.user):
        raise PermissionDenied
    held = held_requests(request.user, timezone.localdate(), holiday_dates())
    return TemplateResponse(
        request,
        "admin/my_requests.html",
        {
            **admin.site.each_context(request),
            "title": _("Requests you hold"),
            "held": held,
            "held_hint": held_hint(len(held)),
        },
    )


admin.site.register_page(
    AdminPage(
        route="my-requests/",
        view=my_requests_view,
        name="my_requests",
        title=_("Requests you hold"),
        shown_to=may_take_any,
    )
)
