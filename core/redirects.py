"""Where to go next after a form: only ever a path on this site."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, fallback):
    """The `next` parameter when it is a path on this site, else `fallback`."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    is_local_path = candidate.startswith("/") and candidate.isprintable()
    if is_local_path and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return fallback
