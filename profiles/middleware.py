"""Takes a practitioner whose data review is due to مراجعة البيانات before anything else."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from core.middleware import is_always_reachable

from .data_review import profile_review_is_due

REVIEW_DUE_KEY = "profiles.data_review_due"


def data_review_exempt(view):
    """Mark a view as reachable while the data review waits (the review and where it leads)."""
    view.data_review_exempt = True
    return view


def is_exempt(request, view_func):
    """Reachable while the review waits: views marked @data_review_exempt, the staff site, and
    what is always reachable."""
    return (
        getattr(view_func, "data_review_exempt", False)
        or "admin" in request.resolver_match.namespaces
        or is_always_reachable(request, view_func)
    )


class DataReviewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.session.get(REVIEW_DUE_KEY) or is_exempt(request, view_func):
            return None
        profile = getattr(request.user, "practitioner_profile", None) if request.user.is_authenticated else None
        if profile is not None and profile_review_is_due(profile):
            target = reverse("profiles:review_data")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        # Confirmed, updated (a request is pending) or logged out: nothing waits any more.
        request.session.pop(REVIEW_DUE_KEY, None)
        return None
