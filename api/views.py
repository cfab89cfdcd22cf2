"""The API's pages for people: its documentation, and an organisation's tokens."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.limits import LIMITS
from employers.views import organisation_page

from .endpoints import api
from .errors import ERROR_KINDS, ApiError, error_detail, error_response
from .forms import TokenForm
from .models import ApiToken
from .records import BATCH_LIMIT, WATCHLIST_PAGE_SIZE
from .tokens import TokenState, create_token, revoke_token, token_state, tokens_of

USE_DAYS_SHOWN = 30


@require_safe
def documentation(request):
    """The API's documentation in the page's language: how to ask, what comes back, every error."""
    language = get_language()
    examples = {"seconds": 30, "limit": BATCH_LIMIT, "pages": 3}
    errors = [
        {"status": kind.status, **error_detail(ApiError(kind.code, **examples), language)}
        for kind in ERROR_KINDS.values()
    ]
    limit = LIMITS["api-token"]
    context = {
        "errors": errors,
        "batch_limit": BATCH_LIMIT,
        "page_size": WATCHLIST_PAGE_SIZE,
        "rate_allowed": limit.allowed,
        "rate_seconds": limit.window_seconds,
        "site_url": settings.SITE_URL.rstrip("/"),
        "version": api.version,
    }
    return render(request, "api/documentation.html", context)


def unknown_address(request):
    return error_response(request, ApiError("unknown_address"))


@organisation_page(manages=True)
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request, membership):
    """رموز الواجهة البرمجية: the organisation's tokens, and a form for a new one, shown once.
    Administrators only, with a second factor, once the organisation is approved."""
    organisation = membership.organisation
    issued = None
    form = TokenForm(request.POST or None)
    if form.is_valid():
        issued = create_token(organisation, **form.cleaned_data, created_by=request.user)
        form = TokenForm()
    now = timezone.now()
    since = timezone.localdate(now) - timedelta(days=USE_DAYS_SHOWN - 1)
    listed = tokens_of(organisation).annotate(recent_requests=Sum("uses__requests", filter=Q(uses__day__gte=since)))
    context = {
        "membership": membership,
        "organisation": organisation,
        "form": form,
        "issued": issued,
        "tokens": [(token, token_state(token, now)) for token in listed],
        "states": TokenState,
        "use_days": USE_DAYS_SHOWN,
    }
    return render(request, "api/tokens.html", context)


@organisation_page(manages=True)
@require_POST
def revoke(request, membership, token_id):
    token = get_object_or_404(ApiToken, organisation=membership.organisation, pk=token_id)
    revoke_token(token, by=request.user)
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("api:tokens", organisation_id=membership.organisation_id)
