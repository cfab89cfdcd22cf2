"""The log-in page, with everything the browser fetches for it, stays under 100 KB compressed.

The browser decides what it fetches (fonts by unicode-range, the captcha image); each body is
counted as it travels: text gzip-compressed (as WhiteNoise serves it), fonts and images as is.
"""

import gzip

import pytest

from .conftest import use_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BUDGET_BYTES = 100 * 1024
COMPRESSED_TYPES = ("text/", "application/javascript", "application/json", "image/svg")


def transferred_bytes(response):
    body = response.body()
    content_type = response.headers.get("content-type", "")
    if content_type.startswith(COMPRESSED_TYPES):
        return len(gzip.compress(body, compresslevel=9))
    return len(body)


@pytest.mark.parametrize("language", ["ar", "en"])
def test_log_in_page_weighs_less_than_100_kb(page, live_server, language):
    use_language(page, language)
    responses = []
    # A Python function, not the bound method: Playwright cannot take a builtin as handler.
    page.on("response", lambda response: responses.append(response))  # noqa: PLW0108
    page.goto("/accounts/login/", wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    sizes = {response.url.replace(live_server.url, ""): transferred_bytes(response) for response in responses}
    total = sum(sizes.values())
    assert all(url.startswith("/") for url in sizes), sizes
    print(f"log-in page in {language}: {total} bytes", sizes)  # noqa: T201  (the figure, with -s)
    assert total <= BUDGET_BYTES, f"{total} bytes: {sizes}"
