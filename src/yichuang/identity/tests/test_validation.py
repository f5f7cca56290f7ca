"""Identity number validation (RULES.md §2): table-driven, plus property tests."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from yichuang.identity.errors import IdentityValidationError
from yichuang.identity.validation import (
    USCC_ALPHABET,
    Sex,
    check_resident_id,
    check_uscc,
    validate_resident_id,
    validate_uscc,
)

TODAY = dt.date(2026, 6, 15)
FULL_WIDTH_ID = "１１０１０５１９４９１２３１００２Ｘ"
RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def ric(first17: str) -> str:
    """A resident ID with its check character computed here from GB 11643 (not from stdnum)."""
    total = sum(int(c) * w for c, w in zip(first17, RIC_WEIGHTS, strict=True))
    return first17 + "10X98765432"[total % 11]


def uscc(first17: str) -> str:
    """A USCC with its check character computed here from GB 32100 (not from stdnum)."""
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return first17 + USCC_ALPHABET[(31 - total % 31) % 31]


def wrong_check(number: str, alphabet: str) -> str:
    """The same number with a different (wrong) check character."""
    replacement = next(c for c in alphabet if c != number[-1])
    return number[:-1] + replacement


# --- resident ID ------------------------------------------------------------------------

VALID_RESIDENT_IDS = [
    # (input, normalized, birth date, sex)
    ("11010519491231002X", "11010519491231002X", dt.date(1949, 12, 31), Sex.FEMALE),
    ("11010519491231002x", "11010519491231002X", dt.date(1949, 12, 31), Sex.FEMALE),
    (" 1101 0519 4912 3100 2x ", "11010519491231002X", dt.date(1949, 12, 31), Sex.FEMALE),
    ("\u3000110105194912310\u3000 02X\n", "11010519491231002X", dt.date(1949, 12, 31), Sex.FEMALE),
    # full-width digits typed with a Chinese input method
    (FULL_WIDTH_ID, "11010519491231002X", dt.date(1949, 12, 31), Sex.FEMALE),
    # county codes newer than python-stdnum's table (its validate() raises KeyError on them)
    (ric("33011320000101001"), ric("33011320000101001"), dt.date(2000, 1, 1), Sex.MALE),
    (ric("33011419851120002"), ric("33011419851120002"), dt.date(1985, 11, 20), Sex.FEMALE),
    # the earliest accepted birth date
    (ric("15010219000101003"), ric("15010219000101003"), dt.date(1900, 1, 1), Sex.MALE),
    # born today is not in the future
    (ric("15010220260615005"), ric("15010220260615005"), TODAY, Sex.MALE),
    # 29 February in leap years
    (ric("15010220000229001"), ric("15010220000229001"), dt.date(2000, 2, 29), Sex.MALE),
    (ric("15010219960229002"), ric("15010219960229002"), dt.date(1996, 2, 29), Sex.FEMALE),
    # Hong Kong / Macao / Taiwan residence permits
    (ric("81000019900101001"), ric("81000019900101001"), dt.date(1990, 1, 1), Sex.MALE),
    (ric("83000019900101002"), ric("83000019900101002"), dt.date(1990, 1, 1), Sex.FEMALE),
]


@pytest.mark.parametrize(("raw", "normalized", "birth_date", "sex"), VALID_RESIDENT_IDS)
def test_valid_resident_id_is_parsed(raw, normalized, birth_date, sex):
    parsed = validate_resident_id(raw, today=TODAY)

    assert (parsed.number, parsed.birth_date, parsed.sex) == (normalized, birth_date, sex)


@pytest.mark.parametrize(("raw", "normalized", "_b", "_s"), VALID_RESIDENT_IDS)
def test_valid_resident_id_checks_ok(raw, normalized, _b, _s):
    result = check_resident_id(raw, today=TODAY)

    assert (result.valid, result.code, result.normalized) == (True, "ok", normalized)


INVALID_RESIDENT_IDS = [
    # (input, code)
    ("", "empty"),
    ("   ", "empty"),
    ("110105491231002", "old_format"),
    ("11010519491231002", "wrong_length"),
    ("11010519491231002X1", "wrong_length"),
    ("1101051949123100XX", "bad_characters"),
    ("11010519491231002Y", "bad_characters"),
    ("11010519491231OO2X", "bad_characters"),
    ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "bad_characters"),  # Arabic-Indic digits are not digits here
    (ric("00010519491231002"), "bad_region"),
    (ric("99010519491231002"), "bad_region"),
    (ric("16010519491231002"), "bad_region"),
    (ric("72010519491231002"), "bad_region"),
    (ric("11010519900230001"), "impossible_birth_date"),
    (ric("11010519901301001"), "impossible_birth_date"),
    (ric("11010519900100001"), "impossible_birth_date"),
    (ric("11010520230229001"), "impossible_birth_date"),  # 2023 is not a leap year
    (ric("11010519000229001"), "impossible_birth_date"),  # nor is 1900
    (ric("11010518991231001"), "birth_date_too_early"),
    (ric("11010520260616001"), "future_birth_date"),
    (ric("11010520990101001"), "future_birth_date"),
    (wrong_check("11010519491231002X", "0123456789X"), "bad_check_digit"),
    ("110105194912310021", "bad_check_digit"),
]


@pytest.mark.parametrize(("raw", "code"), INVALID_RESIDENT_IDS)
def test_invalid_resident_id_has_its_code(raw, code):
    result = check_resident_id(raw, today=TODAY)

    assert (result.valid, result.code, result.normalized) == (False, code, None)


@pytest.mark.parametrize(("raw", "code"), INVALID_RESIDENT_IDS)
def test_invalid_resident_id_raises_validation_error_with_chinese_message(raw, code):
    with pytest.raises(IdentityValidationError) as info:
        validate_resident_id(raw, today=TODAY)

    assert info.value.code == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message)


def test_old_15_digit_number_asks_for_the_18_digit_one():
    result = check_resident_id("110105491231002", today=TODAY)

    assert "18位" in result.message


def test_future_birth_date_is_relative_to_the_given_today():
    number = ric("11010520260616001")

    assert check_resident_id(number, today=dt.date(2026, 6, 15)).code == "future_birth_date"
    assert check_resident_id(number, today=dt.date(2026, 6, 16)).valid


def test_today_defaults_to_the_platform_clock():
    from django.utils import timezone

    from yichuang.common import clock

    number = ric("11010520300101001")
    at = dt.datetime(2030, 1, 1, 9, 0, tzinfo=timezone.get_current_timezone())

    with clock.frozen(at):
        assert check_resident_id(number).valid
    with clock.frozen(at - dt.timedelta(days=1)):
        assert check_resident_id(number).code == "future_birth_date"


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        ("19610615", dt.date(2026, 6, 15), 65),
        ("19610616", dt.date(2026, 6, 15), 64),
        ("20000229", dt.date(2065, 2, 28), 64),
        ("20000229", dt.date(2065, 3, 1), 65),
        ("20000229", dt.date(2064, 2, 29), 64),
    ],
)
def test_age_on_a_day(birth, day, age):
    parsed = validate_resident_id(ric(f"150102{birth}001"), today=day)

    assert parsed.age_on(day) == age


# --- USCC -------------------------------------------------------------------------------

VALID_USCCS = [
    ("91350100M000100Y43", "91350100M000100Y43"),
    ("91110000600037341L", "91110000600037341L"),
    ("91350100m000100y43", "91350100M000100Y43"),
    (" 9135 0100 M000 100Y 43 ", "91350100M000100Y43"),
    ("９１１１００００６０００３７３４１Ｌ", "91110000600037341L"),
    # letter-prefixed codes (registration authority / category letters, GB 32100)
    (uscc("A1110000600037341"), uscc("A1110000600037341")),
    (uscc("N2150422MA0N12345"), uscc("N2150422MA0N12345")),
    (uscc("Y1150422000000001"), uscc("Y1150422000000001")),
    (uscc("5A150422MJY000001"), uscc("5A150422MJY000001")),
    # check value 31 → 0 and 30 → Y occur
    *[(uscc(f"91150422MA0{n:06d}"),) * 2 for n in range(3)],
]


@pytest.mark.parametrize(("raw", "normalized"), VALID_USCCS)
def test_valid_uscc(raw, normalized):
    result = check_uscc(raw)

    assert (result.valid, result.code, result.normalized) == (True, "ok", normalized)
    assert validate_uscc(raw) == normalized


def test_check_character_zero_and_y_are_both_produced():
    checks = {uscc(f"91150422MA0{n:06d}")[-1] for n in range(2000)}

    assert {"0", "Y"} <= checks


INVALID_USCCS = [
    ("", "empty"),
    ("9135010", "wrong_length"),
    ("91350100M000100Y431", "wrong_length"),
    ("91350100I000100Y43", "bad_characters"),
    ("91350100O000100Y43", "bad_characters"),
    ("91350100S000100Y43", "bad_characters"),
    ("91350100V000100Y43", "bad_characters"),
    ("91350100Z000100Y43", "bad_characters"),
    ("9135010-M000100Y43", "bad_characters"),
    (uscc("91A50100M000100Y4"), "bad_region"),
    (uscc("9135010HM000100Y4"), "bad_region"),
    ("91350100M000100Y44", "bad_check_digit"),
    (wrong_check("91110000600037341L", USCC_ALPHABET), "bad_check_digit"),
]


@pytest.mark.parametrize(("raw", "code"), INVALID_USCCS)
def test_invalid_uscc_has_its_code(raw, code):
    result = check_uscc(raw)

    assert (result.valid, result.code, result.normalized) == (False, code, None)
    with pytest.raises(IdentityValidationError) as info:
        validate_uscc(raw)
    assert info.value.code == code


# --- properties -------------------------------------------------------------------------

ANY_TEXT = st.one_of(
    st.text(),
    st.text(alphabet="0123456789Xx \u3000", min_size=14, max_size=20),
    st.text(alphabet=USCC_ALPHABET + USCC_ALPHABET.lower() + "IOSVZ -", max_size=20),
)


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_arbitrary_text_never_raises_anything_but_a_validation_error(text):
    for validate in (lambda t: validate_resident_id(t, today=TODAY), validate_uscc):
        try:
            validate(text)
        except IdentityValidationError as error:
            assert error.code
            assert error.message


@settings(max_examples=400, deadline=None)
@given(ANY_TEXT)
def test_check_functions_never_raise(text):
    assert check_resident_id(text, today=TODAY).valid in (True, False)
    assert check_uscc(text).valid in (True, False)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["110105", "150102", "330113", "330114", "820000"]),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)
def test_every_well_formed_number_is_accepted_and_round_trips(region, birth, sequence):
    number = ric(f"{region}{birth:%Y%m%d}{sequence:03d}")

    parsed = validate_resident_id(number.lower(), today=TODAY)

    assert (parsed.number, parsed.birth_date) == (number, birth)
    assert parsed.sex == (Sex.MALE if sequence % 2 else Sex.FEMALE)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=USCC_ALPHABET, min_size=2, max_size=2),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.text(alphabet=USCC_ALPHABET, min_size=9, max_size=9),
)
def test_every_well_formed_uscc_is_accepted(prefix, region, organisation):
    number = uscc(prefix + region + organisation)

    assert validate_uscc(number.lower()) == number


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=USCC_ALPHABET, min_size=17, max_size=17).filter(lambda s: s[2:8].isdigit()))
def test_a_single_changed_character_is_detected(first17):
    number = uscc(first17)

    assert validate_uscc(number) == number
    assert check_uscc(wrong_check(number, USCC_ALPHABET)).code == "bad_check_digit"
