"""National ID / iqama numbers: 10 digits, 1 or 2 first, Luhn check digit."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from accounts.national_id import luhn_check_digit, luhn_is_valid, validate_national_id
from devtools.demo import APPLICANT, PRACTITIONER

nine_digits = st.tuples(st.sampled_from("12"), st.text("0123456789", min_size=8, max_size=8)).map("".join)


def error_code(value):
    with pytest.raises(ValidationError) as caught:
        validate_national_id(value)
    return caught.value.code


@given(nine_digits)
def test_every_number_with_its_check_digit_is_valid(first_nine):
    validate_national_id(first_nine + luhn_check_digit(first_nine))


@given(nine_digits, st.integers(min_value=0, max_value=9), st.integers(min_value=1, max_value=9))
def test_any_single_digit_change_is_refused(first_nine, position, shift):
    number = first_nine + luhn_check_digit(first_nine)
    changed_digit = str((int(number[position]) + shift) % 10)
    changed = number[:position] + changed_digit + number[position + 1 :]
    assert not luhn_is_valid(changed)
    with pytest.raises(ValidationError):
        validate_national_id(changed)


@pytest.mark.parametrize("value", ["", "123456789", "10000000081", "1O00000008", "١٠٠٠٠٠٠٠٠٨"])
def test_wrong_length_or_non_digits_is_a_length_error(value):
    assert error_code(value) == "length"


def test_first_digit_other_than_1_or_2_is_a_prefix_error():
    assert error_code("3000000004") == "prefix"


def test_wrong_check_digit_is_a_checksum_error():
    assert error_code("1000000009") == "checksum"


def test_known_valid_numbers():
    validate_national_id(APPLICANT.national_id)
    validate_national_id(PRACTITIONER.national_id)
