"""Documents to upload in tests: real PDF, JPEG and PNG content, and impostors."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from ..factories import PDF_BYTES


def pdf(name="letter.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def image(kind="JPEG", name="scan.jpg", size=(40, 30)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, kind)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def text_named_pdf():
    return SimpleUploadedFile("letter.pdf", b"just some text, not a PDF", content_type="application/pdf")
