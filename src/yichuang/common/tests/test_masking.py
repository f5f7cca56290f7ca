"""Masking of ID and phone numbers (RULES.md §2)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from yichuang.common.masking import mask_id_number, mask_phone


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("15010219900307123X", "1501**********123X"),
        ("150102199003071234", "1501**********1234"),
        (" 150102199003071234 ", "1501**********1234"),
        ("91350100M000100Y43", "9135**********0Y43"),
        ("123456789", "1234*6789"),
        ("12345678", "********"),
        ("1234", "****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(number, masked):
    assert mask_id_number(number) == masked


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("13812345678", "138****5678"),
        (" 13812345678 ", "138****5678"),
        ("04761234567", "047****4567"),
        ("12345678", "123*5678"),
        ("1234567", "1******"),
        ("1", "1"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(number, masked):
    assert mask_phone(number) == masked


@given(st.text(alphabet="0123456789X", min_size=9, max_size=30))
def test_masked_id_keeps_length_and_hides_the_middle(number):
    masked = mask_id_number(number)

    assert len(masked) == len(number)
    assert masked[4:-4] == "*" * (len(number) - 8)
