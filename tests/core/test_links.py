"""Addresses reversed once a process (core/links.py) are Django's `reverse`."""

import pytest
from django.urls import NoReverseMatch, reverse
from django.urls.base import clear_script_prefix, set_script_prefix

from core.links import CHROME, chrome_paths, path_of, path_with


@pytest.fixture
def under_a_prefix():
    set_script_prefix("/portal/")
    yield
    clear_script_prefix()


def test_the_chrome_and_an_address_without_arguments_are_reversed_as_django_does():
    assert chrome_paths() == {name: reverse(viewname) for name, viewname in CHROME.items()}
    assert path_of("captcha-refresh") == reverse("captcha-refresh")


@pytest.mark.parametrize("key", ["0123456789abcdef0123456789abcdef01234567", "x", "ArgumentMark"])
def test_a_plain_value_is_put_in_the_address_reverse_makes(key):
    assert path_with("captcha-image", "key", key) == reverse("captcha-image", kwargs={"key": key})
    assert path_with("captcha-audio", "key", key) == reverse("captcha-audio", kwargs={"key": key})


@pytest.mark.parametrize("value", ["a b", "ü", "a%2F", "a?b"])
def test_any_other_value_is_reversed_and_quoted_as_usual(value):
    assert path_with("captcha-image", "key", value) == reverse("captcha-image", kwargs={"key": value})


def test_the_script_prefix_is_part_of_the_address(under_a_prefix):
    assert path_with("captcha-image", "key", "abc") == reverse("captcha-image", kwargs={"key": "abc"})
    assert path_with("captcha-image", "key", "abc").startswith("/portal/")
    assert path_of("captcha-refresh") == "/portal/captcha/refresh/"


def test_an_empty_value_fails_as_reverse_fails():
    with pytest.raises(NoReverseMatch):
        path_with("captcha-image", "key", "")
