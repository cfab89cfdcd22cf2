"""The captcha: a real challenge solved from the database, single use, and checked first; its
digits typed in any script, its image sharp at 2×, its code spoken in the page's language."""

import datetime
import io
import re
import shutil
import wave

import pytest
from axes.models import AccessAttempt
from captcha.models import CaptchaStore
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from accounts.captcha import digits_challenge, new_challenge, spend_challenge, spoken_code
from accounts.forms import LoginForm
from core.tasks import clean_expired_captchas
from devtools.demo import APPLICANT

from ..conftest import login_data

pytestmark = pytest.mark.django_db


def real_challenge(client, path="/accounts/login/"):
    """The key of the challenge on the page and its answer, read from the database."""
    content = client.get(path).content.decode()
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', content).group(1)
    return key, CaptchaStore.objects.get(hashkey=key).response


def test_real_challenge_solved_from_the_database_logs_in(client, alice, password):
    key, answer = real_challenge(client)
    data = {"username": APPLICANT.national_id, "password": password, "captcha_0": key, "captcha_1": answer}
    response = client.post("/accounts/login/", data)
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == alice.pk


def test_a_challenge_cannot_be_used_twice(client, alice, password):
    key, answer = real_challenge(client)
    data = {"username": APPLICANT.national_id, "password": password, "captcha_0": key, "captcha_1": answer}
    client.post("/accounts/login/", data)
    client.post("/accounts/logout/")
    replay = client.post("/accounts/login/", data)
    assert replay.status_code == 200
    assert "captcha" in replay.context["form"].errors
    assert SESSION_KEY not in client.session


def test_an_expired_challenge_is_refused_even_with_its_answer(client, alice, password):
    key, answer = real_challenge(client)
    CaptchaStore.objects.filter(hashkey=key).update(expiration=timezone.now() - datetime.timedelta(seconds=1))
    data = {"username": APPLICANT.national_id, "password": password, "captcha_0": key, "captcha_1": answer}
    response = client.post("/accounts/login/", data)
    assert response.status_code == 200
    assert "captcha" in response.context["form"].errors
    assert SESSION_KEY not in client.session


def test_a_wrong_answer_uses_up_the_challenge(client, alice, password):
    key, _answer = real_challenge(client)
    # One digit: never the five-digit answer.
    data = {"username": APPLICANT.national_id, "password": password, "captcha_0": key, "captcha_1": "0"}
    assert "captcha" in client.post("/accounts/login/", data).context["form"].errors
    assert not CaptchaStore.objects.filter(hashkey=key).exists()


def test_a_log_in_leaves_others_expired_challenges_to_the_hourly_job(client, alice, password):
    """Deleting every expired challenge is no part of answering a log-in (issue 27)."""
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    CaptchaStore.objects.create(challenge="12345", response="12345", hashkey="expired-one", expiration=an_hour_ago)
    key, answer = real_challenge(client)
    data = {"username": APPLICANT.national_id, "password": password, "captcha_0": key, "captcha_1": answer}
    assert client.post("/accounts/login/", data).status_code == 302
    assert CaptchaStore.objects.filter(hashkey="expired-one").exists()
    clean_expired_captchas.call()
    assert not CaptchaStore.objects.filter(hashkey="expired-one").exists()


def test_wrong_captcha_never_checks_the_password(client, alice, password, monkeypatch):
    from accounts.backends import NationalIdOrEmailBackend

    def must_not_be_called(*args, **kwargs):
        raise AssertionError("the password was checked behind a wrong captcha")

    monkeypatch.setattr(NationalIdOrEmailBackend, "authenticate", must_not_be_called)
    key, _answer = real_challenge(client)
    response = client.post(
        "/accounts/login/",
        {"username": APPLICANT.national_id, "password": password, "captcha_0": key, "captcha_1": "WRONG"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["captcha"]
    assert not form.non_field_errors()
    assert SESSION_KEY not in client.session


def test_wrong_captcha_gets_the_same_answer_whether_the_password_is_right_or_not(client, alice, password):
    right = client.post("/accounts/login/", login_data(APPLICANT.national_id, password, captcha="WRONG"))
    wrong = client.post("/accounts/login/", login_data(APPLICANT.national_id, "bad-password", captcha="WRONG"))
    assert right.context["form"].errors == wrong.context["form"].errors


def test_wrong_captcha_counts_as_a_failure(client, alice, password):
    client.post("/accounts/login/", login_data(APPLICANT.national_id, password, captcha="WRONG"))
    assert AccessAttempt.objects.get(username=APPLICANT.national_id).failures_since_start == 1


def test_refresh_needs_the_ajax_header(client):
    assert client.get("/captcha/refresh/").status_code == 404
    response = client.get("/captcha/refresh/", headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 200
    assert set(response.json()) >= {"key", "image_url"}


def test_widget_has_arabic_text_alternative_and_ltr_answer(client):
    content = client.get("/accounts/login/").content.decode()
    image = re.search(r"<img [^>]*captcha[^>]*>", content).group(0)
    assert 'alt="' in image
    assert 'alt="captcha"' not in image
    answer = re.search(r'<input [^>]*name="captcha_1"[^>]*>', content).group(0)
    assert 'dir="ltr"' in answer
    assert "captcha-refresh" in content


def test_challenge_is_five_digits_and_its_own_answer():
    challenge, answer = digits_challenge()
    assert re.fullmatch(r"[0-9]{5}", challenge)
    assert answer == challenge


def test_answer_typed_in_arabic_indic_digits_logs_in(client, alice, password):
    key, answer = real_challenge(client)
    arabic_indic = answer.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    data = {"username": APPLICANT.national_id, "password": password, "captcha_0": key, "captcha_1": arabic_indic}
    assert client.post("/accounts/login/", data).status_code == 302
    assert int(client.session[SESSION_KEY]) == alice.pk


def test_answer_typed_in_persian_digits_with_spaces_logs_in(client, alice, password):
    key, answer = real_challenge(client)
    persian = answer.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    data = {"username": APPLICANT.national_id, "password": password, "captcha_0": key, "captcha_1": f" {persian} "}
    assert client.post("/accounts/login/", data).status_code == 302


def test_wrong_digits_in_arabic_indic_are_still_wrong(client, alice, password):
    key, answer = real_challenge(client)
    wrong = str((int(answer) + 1) % 100000).zfill(5).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    data = {"username": APPLICANT.national_id, "password": password, "captcha_0": key, "captcha_1": wrong}
    response = client.post("/accounts/login/", data)
    assert list(response.context["form"].errors) == ["captcha"]


def test_image_is_drawn_at_twice_the_size_the_page_shows(client):
    content = client.get("/accounts/login/").content.decode()
    image = re.search(r"<img [^>]*captcha[^>]*>", content).group(0)
    assert 'width="150"' in image
    assert 'height="50"' in image
    source = re.search(r'src="([^"]+)"', image).group(1)
    picture = Image.open(io.BytesIO(client.get(source).content))
    assert picture.size == (300, 100)
    assert picture.mode == "L"  # greyscale: half the weight of a colour PNG


def test_hidden_key_input_carries_no_attributes_the_validator_rejects(client):
    content = client.get("/accounts/signup/").content.decode()
    key = re.search(r'<input type="hidden" name="captcha_0"[^>]*>', content).group(0)
    assert re.fullmatch(r'<input type="hidden" name="captcha_0" value="[0-9a-f]+">', key)
    answer = re.search(r'<input [^>]*name="captcha_1"[^>]*>', content).group(0)
    assert "required" in answer
    assert 'aria-describedby="id_captcha_hint"' in answer
    assert 'inputmode="numeric"' in answer


def test_a_wrong_answer_marks_the_new_answer_input_invalid_and_ties_it_to_its_error(client):
    client.get("/accounts/login/")  # the widget without errors is kept; this one is not it
    content = client.post("/accounts/login/", {"captcha_0": "0" * 40, "captcha_1": "1"}).content.decode()
    answer = re.search(r'<input [^>]*name="captcha_1"[^>]*>', content).group(0)
    assert 'aria-describedby="id_captcha_hint id_captcha_error"' in answer
    assert 'aria-invalid="true"' in answer
    assert 'id="id_captcha_1"' in answer  # what the label's for= names
    assert 'autocomplete="off"' in answer
    assert 'value="' not in answer  # a spent challenge's answer is never shown again
    assert 'id="id_captcha_error"' in content


def test_another_code_is_a_plain_link_that_reloads_the_page_with_a_new_challenge(client):
    first = client.get("/accounts/login/?next=/services/").content.decode()
    assert re.search(r'<a class="captcha-refresh" href=""', first)  # this page again, as a GET
    again = client.get("/accounts/login/?next=/services/").content.decode()
    key = re.compile(r'name="captcha_0" value="([0-9a-f]+)"')
    assert key.search(first).group(1) != key.search(again).group(1)


def espeak_ng():
    path = shutil.which("espeak-ng")
    if path is None:
        pytest.fail("espeak-ng is needed to speak the captcha (Debian: espeak-ng)")
    return path


def audio_link(client, language):
    client.cookies["mumaris_language"] = language
    content = client.get("/accounts/login/").content.decode()
    return re.search(r'<a class="captcha-audio" href="(/captcha/audio/([0-9a-f]+)\.wav)"', content).groups()


@pytest.mark.parametrize("language", ["ar", "en"])
def test_audio_is_a_wave_file_speaking_the_code_in_the_page_language(client, settings, language):
    settings.CAPTCHA_SPEECH_PROGRAM = espeak_ng()
    url, key = audio_link(client, language)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert response.content[:4] == b"RIFF"
    assert response.content[8:12] == b"WAVE"
    with wave.open(io.BytesIO(response.content)) as sound:
        assert sound.getnframes() / sound.getframerate() > 1.5  # five digits, one by one
    code = CaptchaStore.objects.get(hashkey=key).challenge
    other = "en" if language == "ar" else "ar"
    assert response.content == spoken_code(code, language)
    assert response.content != spoken_code(code, other)


def test_audio_of_an_unknown_or_expired_code_is_gone(client, settings):
    settings.CAPTCHA_SPEECH_PROGRAM = espeak_ng()
    url, key = audio_link(client, "ar")
    CaptchaStore.objects.filter(hashkey=key).update(expiration="2000-01-01T00:00Z")
    assert client.get(url).status_code == 410
    assert client.get("/captcha/audio/0123456789abcdef.wav").status_code == 410


def test_audio_does_not_use_up_the_challenge(client, alice, password, settings):
    settings.CAPTCHA_SPEECH_PROGRAM = espeak_ng()
    url, key = audio_link(client, "ar")
    client.get(url)
    answer = CaptchaStore.objects.get(hashkey=key).response
    data = {"username": APPLICANT.national_id, "password": password, "captcha_0": key, "captcha_1": answer}
    assert client.post("/accounts/login/", data).status_code == 302


def test_without_a_speech_program_the_page_offers_no_audio(client, settings):
    settings.CAPTCHA_SPEECH_PROGRAM = ""
    content = client.get("/accounts/login/").content.decode()
    assert "captcha-audio" not in content
    key = re.search(r'name="captcha_0" value="([0-9a-f]+)"', content).group(1)
    assert client.get(f"/captcha/audio/{key}.wav").status_code == 503


def test_a_failing_speech_program_gives_the_unavailable_page(client, settings):
    settings.CAPTCHA_SPEECH_PROGRAM = "/bin/false"
    url, _key = audio_link(client, "en")
    response = client.get(url)
    assert response.status_code == 503
    assert "Service temporarily unavailable" in response.content.decode()


def test_audio_is_rate_limited_per_client(client, settings):
    settings.CAPTCHA_SPEECH_PROGRAM = espeak_ng()
    settings.CAPTCHA_AUDIO_RATE = "2/m"
    url, _key = audio_link(client, "en")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 429]


def test_the_code_is_played_in_place_with_the_file_as_the_fallback(client, settings):
    settings.CAPTCHA_SPEECH_PROGRAM = espeak_ng()
    content = client.get("/accounts/login/").content.decode()
    player = re.search(r"<audio ([^>]*)>(.*?)</audio>", content, re.DOTALL)
    assert player, "an <audio> player, not a link that leaves the form"
    assert "controls" in player.group(1)
    assert 'preload="none"' in player.group(1), "no speech is made unless someone presses play"
    assert 'aria-labelledby="captcha-listen-label"' in player.group(1)
    source = re.search(r'src="(/captcha/audio/[0-9a-f]+\.wav)"', player.group(1)).group(1)
    fallback = f'<a class="captcha-audio" href="{source}"'
    assert fallback in player.group(2), "the same file as a link, for a browser without <audio>"
    assert 'id="captcha-listen-label">استمع إلى الرمز<' in content


def test_the_content_security_policy_lets_the_page_play_its_own_audio_only(client):
    policy = client.get("/accounts/login/")["Content-Security-Policy"]
    assert "media-src 'self'" in policy


def test_a_new_challenge_is_stored_as_the_package_stores_one_in_one_statement(django_assert_num_queries):
    with django_assert_num_queries(1):
        key = new_challenge()
    store = CaptchaStore.objects.get(hashkey=key)
    assert re.fullmatch(r"[0-9a-f]{40}", key)
    assert re.fullmatch(r"\d{5}", store.challenge)
    assert store.response == store.challenge
    expected = timezone.now() + datetime.timedelta(minutes=settings.CAPTCHA_TIMEOUT)
    assert abs(store.expiration - expected) < datetime.timedelta(seconds=5)
    assert new_challenge() != key


def test_a_right_answer_spends_its_challenge_in_one_statement_a_wrong_one_in_two(django_assert_num_queries):
    right, wrong, expired = new_challenge(), new_challenge(), new_challenge()
    CaptchaStore.objects.filter(hashkey=expired).update(expiration=timezone.now() - datetime.timedelta(seconds=1))
    answers = dict(CaptchaStore.objects.values_list("hashkey", "response"))
    with django_assert_num_queries(1):
        assert spend_challenge(right, answers[right]) is True
    with django_assert_num_queries(2):
        assert spend_challenge(wrong, "00000" if answers[wrong] != "00000" else "11111") is False
    with django_assert_num_queries(2):
        assert spend_challenge(expired, answers[expired]) is False
    assert not CaptchaStore.objects.filter(hashkey__in=[right, wrong, expired]).exists()
    assert spend_challenge(right, answers[right]) is False, "spent: its answer no longer counts"


@pytest.mark.django_db(transaction=True)
def test_a_challenge_written_and_spent_without_waiting_for_the_disk_leaves_the_connection_as_it_was():
    """On PostgreSQL each write of a challenge commits asynchronously in its own implicit
    transaction; the next statement on the connection commits as every other does (SQLite: the
    plain statements)."""
    with CaptureQueriesContext(connection) as writes:
        key = new_challenge()
        assert CaptchaStore.objects.filter(hashkey=key).exists()
        assert spend_challenge(key, CaptchaStore.objects.get(hashkey=key).response)
    assert not CaptchaStore.objects.filter(hashkey=key).exists()
    written = [query["sql"] for query in writes.captured_queries if "SELECT" not in query["sql"]]
    prefix = "SET LOCAL synchronous_commit TO OFF; " if connection.vendor == "postgresql" else ""
    assert [sql.removeprefix(prefix).split(" ")[0] for sql in written] == ["INSERT", "DELETE"]
    assert all(sql.startswith(prefix) for sql in written)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db(transaction=True)
def test_inside_a_transaction_a_challenge_commits_with_the_rest_as_every_write_does():
    with CaptureQueriesContext(connection) as writes, transaction.atomic():
        key = new_challenge()
        assert spend_challenge(key, CaptchaStore.objects.get(hashkey=key).response)
    assert not any("synchronous_commit" in query["sql"] for query in writes.captured_queries)
    assert not CaptchaStore.objects.filter(hashkey=key).exists()


def test_each_form_gets_its_own_captcha_widget_attributes_and_messages():
    first, second = LoginForm(), LoginForm()
    first.fields["captcha"].widget.attrs["data-example"] = "1"
    first.fields["captcha"].error_messages["invalid"] = "changed"
    assert "data-example" not in second.fields["captcha"].widget.attrs
    assert "data-example" not in LoginForm.base_fields["captcha"].widget.attrs
    assert second.fields["captcha"].error_messages["invalid"] != "changed"
    assert first.fields["captcha"].widget is not LoginForm.base_fields["captcha"].widget
