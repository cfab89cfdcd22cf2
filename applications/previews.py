"""Pictures of uploaded documents for reviewers: a PDF's first pages or an image, drawn by the server.

A reviewer's browser never opens an applicant's file itself: it gets a PNG made here (PDF
pages rendered by PDFium, images decoded and encoded again by Pillow), so whatever else a
file carries (scripts, forms, odd image chunks) stays on the server.
"""

import functools
import io
import threading
import warnings

import pypdfium2
from PIL import Image, ImageDraw, ImageOps

from .documents import MAX_IMAGE_PIXELS, kind_from_stored_name

MAX_PREVIEW_PAGES = 3
# The largest picture sent: about an A4 page at 120 dpi, sharp enough to read a letter.
MAX_WIDTH = 1000
MAX_HEIGHT = 1414
# A tiny page is not blown up beyond this (PDF pages are measured at 72 points per inch).
MAX_PDF_SCALE = 2.0
# PDFium is not thread-safe; a threaded server must not render two pages at once.
pdfium_lock = threading.Lock()


class PreviewUnavailable(Exception):
    """The file cannot be drawn: damaged, encrypted, or the page does not exist."""


def preview_page_count(document):
    """How many pictures a document has (1 to MAX_PREVIEW_PAGES), or 0 when it cannot be drawn."""
    kind = kind_from_stored_name(document.name)
    if kind in ("jpeg", "png"):
        return 1
    try:
        with pdfium_lock, document.open("rb") as stored:
            pdf = pypdfium2.PdfDocument(stored.read())
            try:
                return min(len(pdf), MAX_PREVIEW_PAGES)
            finally:
                pdf.close()
    except (pypdfium2.PdfiumError, OSError):
        return 0


def render_preview(document, page_number):
    """PNG bytes of page `page_number` (from 1) of a stored document; PreviewUnavailable if impossible."""
    if not 1 <= page_number <= MAX_PREVIEW_PAGES:
        raise PreviewUnavailable
    kind = kind_from_stored_name(document.name)
    try:
        with document.open("rb") as stored:
            content = stored.read()
    except OSError as error:
        raise PreviewUnavailable from error
    picture = pdf_page_picture(content, page_number) if kind == "pdf" else image_picture(content, page_number)
    return png_bytes(picture)


def pdf_page_picture(content, page_number):
    with pdfium_lock:
        try:
            pdf = pypdfium2.PdfDocument(content)
        except pypdfium2.PdfiumError as error:
            raise PreviewUnavailable from error
        try:
            if page_number > len(pdf):
                raise PreviewUnavailable
            page = pdf[page_number - 1]
            width, height = page.get_size()
            if width <= 0 or height <= 0:
                raise PreviewUnavailable
            scale = min(MAX_WIDTH / width, MAX_HEIGHT / height, MAX_PDF_SCALE)
            return page.render(scale=scale).to_pil()
        except pypdfium2.PdfiumError as error:
            raise PreviewUnavailable from error
        finally:
            pdf.close()


def image_picture(content, page_number):
    if page_number != 1:
        raise PreviewUnavailable
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                if image.format not in ("JPEG", "PNG") or image.width * image.height > MAX_IMAGE_PIXELS:
                    raise PreviewUnavailable
                # A JPEG is decoded straight at about the size shown, which is much cheaper.
                image.draft("RGB", (MAX_WIDTH, MAX_HEIGHT))
                # Phone photos are stored sideways with an orientation tag; show them upright.
                picture = ImageOps.exif_transpose(image)
                picture.thumbnail((MAX_WIDTH, MAX_HEIGHT))
                return picture.convert("RGBA" if "A" in picture.getbands() else "RGB")
    except PreviewUnavailable:
        raise
    except Exception as error:  # Pillow raises many kinds for a broken or hostile file.
        raise PreviewUnavailable from error


def png_bytes(picture):
    output = io.BytesIO()
    picture.save(output, "PNG")
    return output.getvalue()


@functools.cache
def placeholder_png():
    """A grey page with a crossed box: what a reviewer sees where a document cannot be drawn."""
    picture = Image.new("RGB", (400, 300), "#eef1f4")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((150, 90, 250, 210), outline="#5b6470", width=4)
    draw.line((150, 90, 250, 210), fill="#5b6470", width=4)
    draw.line((250, 90, 150, 210), fill="#5b6470", width=4)
    return png_bytes(picture)
