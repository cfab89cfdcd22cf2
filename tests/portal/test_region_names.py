"""A section and the scrolling table inside it have different accessible names, so a screen
reader's list of landmarks does not say the same thing twice."""

import re

import pytest

from applications.models import ApplicationStatus

from ..factories import ApplicationFactory, CPDActivityFactory, DataUpdateRequestFactory

pytestmark = pytest.mark.django_db


def headings_and_region_names(html):
    headings = {re.sub(r"<[^>]+>", "", text).strip() for text in re.findall(r"<h2[^>]*>(.*?)</h2>", html)}
    regions = re.findall(r'<div class="table-wrap"[^>]*role="region"([^>]*)>', html)
    return headings, regions


@pytest.mark.parametrize("url", ["/requests/", "/services/cpd/", "/my-data/access-log/"])
def test_each_table_region_has_a_name_of_its_own(client, pat, rana, url):
    profile = pat.practitioner_profile
    ApplicationFactory(applicant=pat, status=ApplicationStatus.APPROVED)
    DataUpdateRequestFactory(profile=profile, status="rejected")
    CPDActivityFactory(profile=profile)
    client.force_login(rana)
    client.get(f"/admin/profiles/practitionerprofile/{profile.pk}/change/")  # one line in the access log
    client.force_login(pat)

    headings, regions = headings_and_region_names(client.get(url).content.decode())

    assert regions, "the page shows its table"
    for attributes in regions:
        assert "aria-labelledby" not in attributes
        name = re.search(r'aria-label="([^"]+)"', attributes).group(1)
        assert name.startswith("جدول")
        assert name not in headings
