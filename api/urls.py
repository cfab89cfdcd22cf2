from django.urls import URLPattern, include, path, re_path
from django.views.generic import RedirectView

from . import views
from .endpoints import api
from .errors import ApiError, error_response

app_name = "api"


def refusing_as_json(view):
    """django-ninja answers a method it has no operation for with a plain-text 405; ours is JSON."""

    def answering(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 405:
            return error_response(request, ApiError("method_not_allowed"), {"Allow": response["Allow"]})
        return response

    return answering


def _operations():
    patterns, ninja_app_name, namespace = api.urls
    wrapped = [URLPattern(p.pattern, refusing_as_json(p.callback), p.default_args, p.name) for p in patterns]
    return include((wrapped, ninja_app_name), namespace=namespace)


urlpatterns = [
    path("api/v1/", RedirectView.as_view(pattern_name="api:documentation"), name="root"),
    path("api/v1/docs/", views.documentation, name="documentation"),
    path("api/v1/", _operations()),
    re_path(r"^api/v1/", views.unknown_address, name="unknown_address"),
    # Beside the organisation's other pages (employers/urls.py).
    path("employers/<int:organisation_id>/api-tokens/", views.tokens, name="tokens"),
    path("employers/<int:organisation_id>/api-tokens/<int:token_id>/revoke/", views.revoke, name="revoke_token"),
]
