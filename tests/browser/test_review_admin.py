"""The reviewer's admin in a browser: the documents drawn beside the data, clean for axe."""

import pytest
from django.core.files.base import ContentFile

from applications.workflow import submit_application

from ..applications.test_previews import pdf_of_pages
from ..factories import PASSWORD, ApplicationFactory
from .conftest import assert_accessible, log_in, type_app_code, use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["ar", "en"])
def test_reviewer_sees_the_documents_as_pictures_and_the_pages_pass_axe(page, language, rana, alice):
    application = ApplicationFactory(applicant=alice, employer_letter=ContentFile(pdf_of_pages(), name="letter.pdf"))
    submit_application(application, alice, declared=True)
    use_language(page, language)
    log_in(page, rana.national_id, PASSWORD)
    type_app_code(page, rana)
    page.wait_for_url(lambda url: "/accounts/login/" not in url)

    page.goto("/admin/applications/application/")
    assert application.reference in page.inner_text("#result_list")
    name = rana.full_name_en if language == "en" else rana.full_name_ar
    assert name.upper() in page.inner_text("#user-tools").upper()  # not the ID number
    assert_accessible(page)

    page.goto(f"/admin/applications/application/{application.pk}/change/")
    pictures = page.locator(".document-page")
    assert pictures.count() == 3
    for index in range(3):
        picture = pictures.nth(index)
        picture.scroll_into_view_if_needed()
        page.wait_for_function("picture => picture.complete && picture.naturalWidth > 0", arg=picture.element_handle())
    assert page.locator(".review-documents a[href$='/documents/employer_letter/']").count() == 1
    assert_accessible(page)
