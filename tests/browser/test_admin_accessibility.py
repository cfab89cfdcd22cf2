"""The reviewer's admin on the demo data, in Arabic and English: every page a reviewer opens passes
axe with WCAG 2.2's target size and the label rules included; the demo documents are drawn; a
decision is confirmed on its own page, and cancelling it gives the reason back."""

import pytest
from django.core.management import call_command

from applications.models import Application, CPDActivity
from applications.workflow import start_review
from devtools.demo import DEMO_PEOPLE
from registry.models import Registration

from ..factories import PASSWORD
from .conftest import WCAG_TAGS, log_in, type_app_code, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Beyond WCAG 2.1 A/AA: 2.2's target size (24 px, or spaced apart) and a label one can see.
ADMIN_AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": [*WCAG_TAGS, "wcag22aa"]},
    "rules": {"target-size": {"enabled": True}, "label-title-only": {"enabled": True}},
}
LISTS = (
    "/admin/",
    "/admin/applications/application/",
    "/admin/applications/application/?status=submitted",
    "/admin/applications/cpdactivity/",
    "/admin/profiles/dataupdaterequest/",
    "/admin/profiles/practitionerprofile/",
    "/admin/registry/registration/",
)


def assert_admin_accessible(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=ADMIN_AXE_OPTIONS)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def assert_pictures_drawn(page, count):
    pictures = page.locator(".document-page")
    assert pictures.count() == count
    for index in range(count):
        picture = pictures.nth(index)
        picture.scroll_into_view_if_needed()
        page.wait_for_function("picture => picture.complete && picture.naturalWidth > 0", arg=picture.element_handle())


@pytest.fixture
def demo(rana):
    """The demo data, decided by rana (the demo's reviewer), with the submitted application under review."""
    call_command("load_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    submitted = Application.objects.get(applicant__national_id=DEMO_PEOPLE["submitted"].national_id)
    start_review(submitted, rana)
    return submitted


def test_every_review_page_passes_axe_and_shows_the_demo_documents(page, rana, demo):
    iqama_holder = Application.objects.get(applicant__national_id=DEMO_PEOPLE["practitioner"].national_id)
    activity = CPDActivity.objects.filter(status="pending").get()
    registration = Registration.objects.get(profile__user=iqama_holder.applicant)
    log_in(page, rana.national_id, PASSWORD)
    type_app_code(page, rana)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    for language in ("ar", "en"):
        use_language(page, language)
        for path in LISTS:
            page.goto(path)
            assert_admin_accessible(page)

        page.goto("/admin/applications/application/")
        reference = page.locator(".field-reference").first
        assert reference.evaluate("cell => cell.getClientRects().length") == 1  # one line, not broken at a hyphen
        assert page.locator("label[for=searchbar]").is_visible()

        page.goto(f"/admin/applications/application/{iqama_holder.pk}/change/")
        assert_pictures_drawn(page, 2)  # the employer's letter (PDF) and the iqama scan (JPEG)
        assert_admin_accessible(page)
        page.goto(f"/admin/applications/cpdactivity/{activity.pk}/change/")
        assert_pictures_drawn(page, 1)
        assert_admin_accessible(page)
        page.goto(f"/admin/registry/registration/{registration.pk}/change/")
        assert_admin_accessible(page)

        page.goto(f"/admin/applications/application/{demo.pk}/change/")
        assert_pictures_drawn(page, 1)
        assert_admin_accessible(page)


def test_a_refusal_is_confirmed_on_its_own_page_and_cancelling_keeps_the_reason(page, rana, demo):
    use_language(page, "ar")
    log_in(page, rana.national_id, PASSWORD)
    type_app_code(page, rana)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"/admin/applications/application/{demo.pk}/change/")
    reject = page.get_by_role("button", name="رفض", exact=True)
    assert "decision-button--destructive" in reject.get_attribute("class")

    page.fill("#id_reason", "خطاب جهة العمل غير موقّع")
    reject.click()
    page.wait_for_url(f"**/admin/applications/application/{demo.pk}/decide/")
    assert "يُغلق الطلب نهائيًا" in page.inner_text(".decision-consequence")
    assert "خطاب جهة العمل غير موقّع" in page.inner_text(".decision-reason")
    assert_admin_accessible(page)

    page.get_by_role("button", name="إلغاء والعودة إلى الطلب").click()
    page.wait_for_url(f"**/admin/applications/application/{demo.pk}/change/")
    assert page.input_value("#id_reason") == "خطاب جهة العمل غير موقّع"
    assert Application.objects.get(pk=demo.pk).status == "under_review"
