"""Sending a templated email, in the recipient's language, once the transaction commits."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template_prefix, context, language):
    """Render `<prefix>_subject.txt`, `<prefix>.txt` and `<prefix>.html` in `language`."""
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context, using="text").split())
        text_body = render_to_string(f"{template_prefix}.txt", context, using="text")
        html_body = render_to_string(f"{template_prefix}.html", context)
    return subject, text_body, html_body


def send_email_on_commit(template_prefix, context, to_address, language):
    """Queue the email so it is sent only if the surrounding transaction commits."""
    subject, text_body, html_body = render_email(template_prefix, context, language)

    def send():
        message = EmailMultiAlternatives(subject, text_body, settings.DEFAULT_FROM_EMAIL, [to_address])
        message.attach_alternative(html_body, "text/html")
        message.send()

    transaction.on_commit(send)
