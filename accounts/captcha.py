"""The captcha: a digits challenge, its answer in any digits, and the code spoken aloud.

Digits, because they are as easy to say in Arabic as in English and to type on any keyboard;
the spoken code is the image's alternative (WCAG 1.1.1), drawn by espeak-ng, which speaks
Arabic (the package's own audio needs flite, which does not).
"""

import contextlib
import copy
import datetime
import functools
import logging
import secrets
import subprocess  # nosec B404
import tempfile

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.forms.utils import flatatt
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core.digits import normalize_digits
from core.links import path_of, path_with

logger = logging.getLogger("mumaris.captcha")

# A new challenge's row, in the package's table and columns. The package's `generate_key` compiles
# this INSERT with the ORM on every log-in and sign-up page.
CHALLENGE_INSERT_SQL = (
    f"INSERT INTO {CaptchaStore._meta.db_table} (challenge, response, hashkey, expiration)"  # noqa: S608  # nosec B608
    " VALUES (%s, %s, %s, %s)"
)
# A challenge spent: whatever the answer, and whether it was the answer, in time.
CHALLENGE_SPEND_SQL = f"DELETE FROM {CaptchaStore._meta.db_table} WHERE hashkey = %s"  # noqa: S608  # nosec B608
CHALLENGE_ANSWERED_SQL = CHALLENGE_SPEND_SQL + " AND expiration > %s AND response = %s"
# On PostgreSQL a challenge's writes do not wait for the disk: sent with the statement in one
# string, this runs in the same implicit transaction and ends with it, so nothing else commits
# asynchronously. Other connections see the write at once (at commit, not at the flush), so a
# challenge is spent for everyone the moment it is answered. Only a crash of the database server
# within a second of a write can undo it (three times wal_writer_delay, 0.2 s by default): a
# challenge lost after being shown is refused as a wrong answer (the visitor gets another); one
# spent comes back until it expires, to be answered once more. That is all a crash gives an
# attacker: the lockout's counts and the session are written durably. No page showing a captcha
# and no form posted with one waits for the disk for the challenge.
ASYNC_COMMIT_SQL = "SET LOCAL synchronous_commit TO OFF; "
# The widget (VerificationCodeInput). "Another code" is a plain link, so both work without
# JavaScript: it reloads the page (mumaris.js swaps the image in place instead); a submit button
# would keep what was typed, but as the form's first submit button it would take the Enter key
# from the real one. The key input gets no attributes: required, autocomplete and aria-* are
# invalid on a hidden input.
CAPTCHA_HTML = """<div class="captcha">
  <div class="captcha-row">
    <img src="{image}" alt="{image_text}" width="150" height="50">
    <ul class="captcha-actions">
      <li><a class="captcha-refresh" href="" data-refresh-url="{refresh}">{refresh_label}</a></li>
      {audio}
    </ul>
  </div>
  <input type="hidden" name="{key_name}" value="{key}">
  <input type="{answer_type}" name="{answer_name}"{answer_attrs}>
</div>"""
# The code played in place; a browser without <audio> shows the link to the file instead.
AUDIO_HTML = """<li class="captcha-listen"><span id="captcha-listen-label">{label}</span>
        <audio class="captcha-player" controls preload="none" src="{url}" aria-labelledby="captcha-listen-label">\
<a class="captcha-audio" href="{url}" type="audio/wav">{label}</a></audio></li>"""
# What separates the spoken digits: a short pause in each language.
DIGIT_SEPARATORS = {"ar": "، ", "en": ", "}
# Slower than espeak-ng's 175 words a minute, so each digit can be told apart.
WORDS_PER_MINUTE = "130"


class SpeechUnavailable(Exception):
    """The speech program is not installed or failed."""


def digits_challenge():
    """A random code of CAPTCHA_LENGTH digits: (what the image shows, the expected answer)."""
    code = "".join(secrets.choice("0123456789") for _ in range(captcha_settings.CAPTCHA_LENGTH))
    return code, code


def new_challenge(generator=None):
    """A fresh challenge stored, and its key (what the form's hidden field carries): what the
    package's `CaptchaStore.generate_key` stores, in one fixed statement. The key is 160 random
    bits in hexadecimal, as long as the package's SHA-1 of 64 random bits and the time."""
    challenge, response = captcha_settings.get_challenge(generator)()
    key = secrets.token_hex(20)
    expiration = timezone.now() + datetime.timedelta(minutes=int(captcha_settings.CAPTCHA_TIMEOUT))
    with challenge_writes() as (cursor, prefix):
        cursor.execute(
            prefix + CHALLENGE_INSERT_SQL,
            [challenge, response.lower(), key, cursor.db.ops.adapt_datetimefield_value(expiration)],
        )
    return key


def spend_challenge(key, response):
    """Spend the challenge `key` whatever `response` is (one attempt each); True when `response`
    was its answer before it expired. A right answer costs one statement, a wrong one two."""
    with challenge_writes() as (cursor, prefix):
        now = cursor.db.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(prefix + CHALLENGE_ANSWERED_SQL, [key, now, response])
        if cursor.rowcount:
            return True
        cursor.execute(prefix + CHALLENGE_SPEND_SQL, [key])
        return False


@contextlib.contextmanager
def challenge_writes():
    """A cursor on the captcha table's database and what to send before each write with it
    (ASYNC_COMMIT_SQL on PostgreSQL). Inside a transaction SET LOCAL would last until its end and
    cover every write in it, so there nothing is sent: the writes commit with the rest."""
    connection = connections[router.db_for_write(CaptchaStore)]
    asynchronous = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        yield cursor, ASYNC_COMMIT_SQL if asynchronous else ""


def greyscale(image):
    """The image's last filter: the digits are near-black on white, and a greyscale PNG weighs
    less than half the colour one (5 KB instead of 13 at 2×)."""
    return image.convert("L")


def speech_is_available():
    return bool(settings.CAPTCHA_SPEECH_PROGRAM)


def spoken_code(code, language):
    """The digits of `code` read one by one in `language` ("ar" or "en"), as WAV bytes."""
    if not speech_is_available():
        raise SpeechUnavailable("CAPTCHA_SPEECH_PROGRAM is not set")
    text = DIGIT_SEPARATORS[language].join(code)
    # espeak-ng writes a streamed WAV (no length in its header) to stdout; a file gets a
    # complete header, which every browser's player accepts.
    with tempfile.NamedTemporaryFile(suffix=".wav") as wav:
        try:
            # Our configured program with a list of arguments (no shell), speaking digits only.
            subprocess.run(  # noqa: S603  # nosec B603
                [settings.CAPTCHA_SPEECH_PROGRAM, "-v", language, "-s", WORDS_PER_MINUTE, "-w", wav.name, text],
                check=True,
                capture_output=True,
                timeout=10,
            )
        except (OSError, subprocess.SubprocessError) as error:
            logger.exception("the captcha's code could not be spoken")
            raise SpeechUnavailable(str(error)) from error
        return wav.read()


class VerificationCodeField(CaptchaField):
    """The captcha's field: the answer may be typed in Arabic-Indic or Persian digits.

    Its check is the package's (one attempt per challenge, right or wrong; an expired one
    refused) without the package's sweep of every expired challenge on each form posted: a
    DELETE over the whole table in every log-in and sign-up, which the hourly job
    `core.tasks.clean_expired_captchas` does off the request path. A right answer costs one
    statement (the package reads the challenge, then deletes it), written as `spend_challenge`
    says.
    """

    def __deepcopy__(self, memo):
        # Every form copies its fields. This one's two sub-fields and its widget's two
        # sub-widgets are never changed by a form (the widget writes its HTML in Python, not
        # through the sub-widgets' context), so they are shared: copying them was half of the
        # log-in form's making (0.2 of 0.4 million instructions).
        result = copy.copy(self)
        memo[id(self)] = result
        result.widget = copy.copy(self.widget)
        result.widget.attrs = self.widget.attrs.copy()
        result.error_messages = self.error_messages.copy()
        result.validators = self.validators[:]
        return result

    def clean(self, value):
        forms.MultiValueField.clean(self, value)
        key, response = value[0], normalize_digits(value[1] or "").strip().lower()
        value[1] = ""
        answered = spend_challenge(key, response)
        if not answered and not (captcha_settings.CAPTCHA_TEST_MODE and response == "passed"):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


class VerificationCodeInput(CaptchaTextInput):
    """The captcha's widget, linking to our spoken code when the speech program is there; its
    challenge stored by `new_challenge`.

    Written in Python, as `{% language_switch %}` is, rather than by the package's MultiWidget
    context through the form renderer and a template: those were the dearest part of the log-in
    and sign-up pages after the challenge's INSERT. The answer input's attributes are still built
    by the package's subwidget (autocomplete, autocorrect, spellcheck off), with ours and the
    field's (required, aria-*) as before. All but the challenge's key is kept (`widget_html`);
    every page view still stores a fresh challenge.
    """

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        answer_input = self.widgets[1]
        answer_attrs = answer_input.build_attrs(answer_input.attrs, attrs)
        if "id" in attrs:
            answer_attrs["id"] = f"{attrs['id']}_1"
        html = widget_html(
            name,
            answer_input.input_type,
            tuple(answer_attrs.items()),
            spoken=speech_is_available(),
            language=get_language(),
            script_prefix=get_script_prefix(),
        )
        # The key is hexadecimal: nothing in it to escape.
        return mark_safe(html.replace(KEY_MARK, new_challenge(self.generator)))  # noqa: S308  # nosec B308 B703


# Stands for the challenge's key in a kept widget: letters only, so addresses take it as it is.
KEY_MARK = "CaptchaKeyMark"


@functools.lru_cache(maxsize=64)
def widget_html(name, answer_type, answer_attrs, *, spoken, language, script_prefix):
    """The widget's HTML with KEY_MARK for the key: the same for every page view with these
    attributes (the answer's, which errors change) in this language, and escaping it on each
    cost about as much as the challenge's INSERT (`python -m bench.instructions`)."""
    audio = ""
    if spoken:
        audio = format_html(
            AUDIO_HTML, url=path_with("captcha-audio", "key", KEY_MARK), label=gettext("Listen to the code")
        )
    return format_html(
        CAPTCHA_HTML,
        image=path_with("captcha-image", "key", KEY_MARK),
        image_text=gettext("Verification code image: type the digits shown in it"),
        refresh=path_of("captcha-refresh"),
        refresh_label=gettext("Show another code"),
        audio=audio,
        key_name=f"{name}_0",
        key=KEY_MARK,
        answer_type=answer_type,
        answer_name=f"{name}_1",
        answer_attrs=flatatt(dict(answer_attrs)),
    )
