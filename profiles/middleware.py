"""Takes a practitioner whose data review is due to مراجعة البيانات before anything else."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from .data_review import profile_review_is_due

REVIEW_DUE_KEY = "profiles.data_review_due"
# Always reachable while the review waits: the review itself, the update flow it leads to,
# log-out, the language switch, and what pages need to load.
EXEMPT_PREFIXES = (
    "/services/review-data/",
    "/services/update-member-data/",
    "/services/requests/",
    "/services/confirm-email/",
    "/accounts/logout/",
    "/language/",
    "/static/",
    "/captcha/",
    "/healthz",
    "/admin/",
)


class DataReviewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.session.get(REVIEW_DUE_KEY) and not request.path.startswith(EXEMPT_PREFIXES):
            profile = getattr(request.user, "practitioner_profile", None) if request.user.is_authenticated else None
            if profile is not None and profile_review_is_due(profile):
                target = reverse("profiles:review_data")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
            # Confirmed, updated (a request is pending) or logged out: nothing waits any more.
            request.session.pop(REVIEW_DUE_KEY, None)
        return self.get_response(request)
