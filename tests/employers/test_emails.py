"""The organisations' emails: to a contact address (no person's name), in the requester's language,
with the portal's layout and a link to the page they are about (from SITE_URL)."""

import datetime

import pytest

from core.emails import render_email
from employers.alerts import Change, ChangeKind
from employers.models import Invitation
from registry.public import public_card

from ..factories import RegistrationFactory

pytestmark = pytest.mark.django_db
SITE = "https://mumaris.example.sa"


def organisation_only(organisation):
    return {"organisation": organisation}, "/employers/"


def invitation(organisation):
    sent = Invitation(organisation=organisation, email="x@example.sa", role="viewer")
    return {"invitation": sent, "link": f"{SITE}/employers/invitations/token/"}, "/employers/invitations/token/"


def daily_alert(organisation):
    card = public_card(RegistrationFactory(profile__user__full_name_en="Reem Alotaibi"))
    changes = [Change(ChangeKind.SUSPENDED, card)]
    context = {"organisation": organisation, "changes": changes, "day": datetime.date(2026, 12, 6)}
    return context, f"/employers/{organisation.pk}/"


EMAILS = {
    "employers/email/signup_received": organisation_only,
    "employers/email/signup_exists": organisation_only,
    "employers/email/decided": organisation_only,
    "employers/email/invitation": invitation,
    "employers/email/daily_alert": daily_alert,
}


@pytest.mark.parametrize("template_prefix", EMAILS)
@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("en", "ltr")])
def test_each_email_links_to_its_page_in_the_layout(settings, hospital, template_prefix, language, direction):
    settings.SITE_URL = SITE
    context, path = EMAILS[template_prefix](hospital)
    subject, text_body, html_body = render_email(template_prefix, context, language)
    assert f'<html lang="{language}" dir="{direction}">' in html_body
    assert f'href="{SITE}{path}"' in html_body
    assert f"{SITE}{path}" in text_body
    assert "#006c35" in html_body
    assert hospital.name_ar in subject + text_body


def test_the_daily_alert_names_each_change_and_practitioner(settings, hospital):
    context, _path = daily_alert(hospital)
    subject, text_body, _html = render_email("employers/email/daily_alert", context, "en")
    assert subject == f"Mumaris: 1 change for {hospital.name_ar}"
    assert "Suspended: " in text_body
    assert "Reem Alotaibi" in text_body
