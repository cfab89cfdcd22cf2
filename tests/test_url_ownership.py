"""Each app's URL configuration serves only that app's views, so an address leads to one app's
code: `/services/certificate/` to registry, `/services/renewal/` to applications, and so on."""

from django.urls import URLPattern, URLResolver, get_resolver

from mumaris.floors import PROJECT_APPS


def served_views(resolver, urlconf_app=None, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_module, "__name__", "")
            app = module.split(".")[0] if module.split(".")[0] in PROJECT_APPS else urlconf_app
            yield from served_views(entry, app, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield urlconf_app, prefix + str(entry.pattern), entry.callback.__module__


def test_every_app_url_configuration_serves_its_own_views():
    strays = [
        f"/{path} is in {app}.urls but its view is {module}"
        for app, path, module in served_views(get_resolver())
        # Library views (Django's auth views, the captcha's) are configured by the app that includes them.
        if app is not None and module.split(".")[0] in PROJECT_APPS and module.split(".")[0] != app
    ]
    assert strays == []


def test_the_addresses_people_hold_lead_to_the_app_that_owns_them():
    owners = {
        "services/certificate/": "registry",
        "services/share/": "registry",
        "verify/<str:code>/": "registry",
        "services/renewal/": "applications",
        "services/cpd/": "applications",
        "eligibility/": "applications",
        "services/update-member-data/": "profiles",
        "requests/": "portal",
        "services/": "portal",
        "accounts/verify/<str:key>/": "accounts",
    }
    served = {path: module.split(".")[0] for _app, path, module in served_views(get_resolver())}
    assert {path: served.get(path) for path in owners} == owners
