"""Uploaded documents: accepted by what they contain, not by their name, and stored under random names."""

import uuid
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

SIGNATURES = (
    (b"%PDF-", "pdf"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
)
PILLOW_FORMATS = {"jpeg": "JPEG", "png": "PNG"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
EXTENSIONS = {"pdf": ".pdf", "jpeg": ".jpg", "png": ".png"}
# An image larger than this many pixels is refused as a possible decompression bomb.
MAX_IMAGE_PIXELS = 40_000_000

ERROR_MESSAGES = {
    "empty": _("The file is empty. Choose the file again."),
    "too_large": _("The file is larger than 5 MB. Upload a smaller scan."),
    "type": _("The file must be a PDF, JPEG or PNG document."),
    "damaged": _("The image could not be read. It may be damaged; scan it again."),
}


def detect_document_type(uploaded_file):
    """Return "pdf", "jpeg" or "png" from the file's content; raise ValidationError otherwise."""
    if uploaded_file.size == 0:
        raise ValidationError(ERROR_MESSAGES["empty"], code="empty")
    if uploaded_file.size > settings.DOCUMENT_MAX_BYTES:
        raise ValidationError(ERROR_MESSAGES["too_large"], code="too_large")
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(0)
    kind = next((kind for signature, kind in SIGNATURES if head.startswith(signature)), None)
    if kind is None:
        raise ValidationError(ERROR_MESSAGES["type"], code="type")
    if kind in PILLOW_FORMATS:
        verify_image(uploaded_file, PILLOW_FORMATS[kind])
    return kind


def verify_image(uploaded_file, expected_format):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(uploaded_file) as image:
                if image.format != expected_format:
                    raise ValidationError(ERROR_MESSAGES["type"], code="type")
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(ERROR_MESSAGES["damaged"], code="damaged")
                image.verify()
    except ValidationError:
        raise
    except Exception as error:  # Pillow raises many kinds for a broken or hostile file.
        raise ValidationError(ERROR_MESSAGES["damaged"], code="damaged") from error
    finally:
        uploaded_file.seek(0)


def document_upload_path(instance, filename):
    """A random name under documents/; the extension comes from the detected type (set by the form)."""
    extension = filename[filename.rfind(".") :] if "." in filename else ""
    if extension not in EXTENSIONS.values():
        extension = ""
    return f"documents/{uuid.uuid4().hex}{extension}"


def kind_from_stored_name(name):
    """The document type of a stored file, from the extension we gave it."""
    for kind, extension in EXTENSIONS.items():
        if name.endswith(extension):
            return kind
    return None


def sweep_orphan_documents(storage, referenced_names, older_than, now):
    """Delete stored documents that no application refers to; returns the names deleted.

    Only files older than `older_than` go: a younger one may belong to a save that has not
    committed yet. Safe to run on several servers at once (a file already gone is skipped).
    """
    if not storage.exists("documents"):
        return []
    _folders, files = storage.listdir("documents")
    deleted = []
    for file_name in files:
        name = f"documents/{file_name}"
        if name in referenced_names or now - storage.get_modified_time(name) < older_than:
            continue
        storage.delete(name)
        deleted.append(name)
    return deleted
