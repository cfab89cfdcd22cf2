"""The OpenAPI description and the documentation page, in Arabic and English."""

import pytest

from api.errors import ERROR_KINDS

pytestmark = pytest.mark.django_db

OPERATIONS = {"/api/v1/registrations/{number}", "/api/v1/registrations", "/api/v1/watchlist"}


def test_the_openapi_description_is_served_as_json_without_a_token(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    description = response.json()
    assert description["openapi"].startswith("3.")
    assert set(description["paths"]) == OPERATIONS
    assert all(set(operations) == {"get"} for operations in description["paths"].values())
    assert description["components"]["securitySchemes"]["BearerToken"] == {"type": "http", "scheme": "bearer"}
    single = description["paths"]["/api/v1/registrations/{number}"]["get"]
    assert {"200", "400", "401", "403", "404", "429"} <= set(single["responses"])
    assert "Registration" in description["components"]["schemas"]


@pytest.mark.parametrize(
    ("language", "heading", "direction"),
    [("ar", "الواجهة البرمجية لجهات العمل", "rtl"), ("en", "Employers' API", "ltr")],
)
def test_the_documentation_page_in_both_languages(client, language, heading, direction):
    client.cookies["mumaris_language"] = language
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert heading in page
    for path in OPERATIONS:
        assert path.replace("{number}", "") in page.replace("{number}", "")
    for code in ERROR_KINDS:
        assert f'<bdi dir="ltr">{code}</bdi>' in page
    assert 'href="/api/v1/openapi.json"' in page
    assert "<script" not in page.replace('<script src="/static/', "")


def test_the_documentation_page_gives_the_messages_in_its_language(client):
    client.cookies["mumaris_language"] = "en"
    page = client.get("/api/v1/docs/").content.decode()
    assert "Give at most 100 membership numbers in one request." in page
    assert "Try again in 30 seconds." in page
