"""Language selection: Arabic for everyone unless the visitor chose English."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


class CookieLanguageMiddleware:
    """Activate the language stored in the language cookie, else Arabic.

    Django's LocaleMiddleware falls back to the browser's Accept-Language header; a national
    portal speaks Arabic first whatever the browser says, so the header is ignored here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
