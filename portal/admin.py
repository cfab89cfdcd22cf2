"""What the review admins share: read-only pages and decision buttons that call workflows."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from .digits import normalized_search_term


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


class DecisionRefused(Exception):
    """The decision could not be made; the message says why, for the reviewer."""


class DecisionForm(forms.Form):
    action = forms.CharField(max_length=30)
    reason = forms.CharField(required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewAdmin(admin.ModelAdmin):
    """Reviewers read; they change nothing directly. Decisions go through `decide()`.

    A subclass sets `decision_permission` ("app.codename"), `decisions` (action → (label,
    needs a reason)) and `reason_label`, and implements `available_decisions(obj)` and
    `decide(obj, action, reason, request)`, which raises DecisionRefused with a message.
    """

    show_full_result_count = False
    paginator = CappedCountPaginator
    decision_permission = None
    decisions = {}
    reason_label = _("Reason")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, normalized_search_term(search_term))

    def get_urls(self):
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        return [path("<int:object_id>/decide/", decide, name=f"{info}_decide"), *super().get_urls()]

    def decision_context(self, request, obj):
        """Template context for the decision controls (empty when nothing may be decided)."""
        allowed = self.available_decisions(obj) if request.user.has_perm(self.decision_permission) else []
        info = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        form = DecisionForm()
        form.fields["reason"].label = self.reason_label
        return {
            "decision_actions": [(key, *self.decisions[key]) for key in allowed],
            "decision_form": form,
            "decision_url": reverse(f"admin:{info}_decide", args=[obj.pk]),
        }

    def decide_view(self, request, object_id):
        if not request.user.has_perm(self.decision_permission):
            raise PermissionDenied
        obj = get_object_or_404(self.model, pk=object_id)
        change_url = reverse(
            f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change", args=[object_id]
        )
        form = DecisionForm(request.POST)
        if not form.is_valid() or form.cleaned_data["action"] not in self.decisions:
            messages.error(request, _("Choose a decision."))
            return redirect(change_url)
        action = form.cleaned_data["action"]
        try:
            self.decide(obj, action, form.cleaned_data["reason"], request)
        except DecisionRefused as refusal:
            messages.error(request, str(refusal))
        else:
            messages.success(request, _("Decision recorded: %(action)s.") % {"action": self.decisions[action][0]})
        return redirect(change_url)
