"""The demo data's documents are real files: they pass the upload checks and the reviewer's preview draws them."""

import pytest
from django.core.management import call_command

from applications.documents import detect_document_type
from applications.models import Application, CPDActivity, DocumentKind
from applications.previews import preview_page_count, render_preview

pytestmark = pytest.mark.django_db


def test_every_demo_document_passes_the_upload_checks_and_is_drawn():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    documents = [
        application.document(kind)
        for application in Application.objects.all()
        for kind in DocumentKind
        if application.document(kind)
    ]
    documents += [activity.certificate for activity in CPDActivity.objects.all()]

    kinds = []
    for document in documents:
        with document.open("rb") as stored:
            kinds.append(detect_document_type(stored))
        assert preview_page_count(document) == 1, document.name
        assert render_preview(document, 1).startswith(b"\x89PNG"), document.name
    assert sorted(set(kinds)) == ["jpeg", "pdf"]  # the letters and certificates, and an iqama scan
    # The demo people's three letters, an iqama and three certificates of attendance; a letter for
    # each application of the supervisors' dashboard history.
    history = Application.objects.filter(applicant__email__startswith="history").count()
    assert history > 0
    assert len(documents) == 7 + history
