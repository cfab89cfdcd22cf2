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


def test_the_history_s_decided_applications_share_one_letter_and_the_waiting_ones_have_their_own():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    history = Application.objects.filter(applicant__email__startswith="history")

    def letters(applications):
        contents = []
        for application in applications:
            with application.document(DocumentKind.EMPLOYER_LETTER).open("rb") as letter:
                contents.append(letter.read())
        return contents

    decided = letters(history.filter(decided_at__isnull=False))
    waiting = letters(history.filter(decided_at__isnull=True))
    assert len(decided) > 1
    assert len(set(decided)) == 1  # drawn once
    assert len(set(waiting)) == len(waiting) > 1  # each names its applicant and date
    assert set(decided).isdisjoint(waiting)
