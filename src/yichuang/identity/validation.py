"""Validation of identity numbers (RULES.md §2): resident IDs (GB 11643) and USCCs (GB 32100).

A pure module: no database, no settings beyond the clock used when `today` is not given.

Two entry points per kind, one design:

- `check_resident_id` / `check_uscc` never raise; they return a `CheckResult`
  (`valid`, machine `code`, Chinese `message`, `normalized`). The public check API uses them.
- `validate_resident_id` / `validate_uscc` return the parsed, normalised number and raise
  `IdentityValidationError` (a `DomainError`) with the same code and message otherwise.
  Services use them.

Both are built on one private parser, so the two can never disagree. Whatever text is
passed in, the only exception that can leave this module is `IdentityValidationError`.

Normalisation: Unicode NFKC (full-width digits and letters typed with a Chinese input
method become ASCII), every whitespace character removed, letters upper-cased
(`x` → `X`).

python-stdnum is used for the checksums only (`ric.calc_check_digit`,
`uscc.calc_check_digit`), never for its region table or its `validate()`: the table is
stale (newer county codes such as 330113 make it raise `KeyError`) and `uscc.validate()`
rejects letter-prefixed codes that GB 32100 allows.
"""

from __future__ import annotations

import datetime as dt
import enum
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc

from yichuang.identity.errors import IdentityValidationError

DIGITS = frozenset("0123456789")
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_CHARS = frozenset(USCC_ALPHABET)

# First two digits of a GB/T 2260 address code: the provinces, plus 71 (Taiwan) and
# 81 / 82 / 83, used by the residence permits of Hong Kong, Macao and Taiwan residents.
PROVINCE_CODES = frozenset(
    [f"{n}" for n in range(11, 16)]
    + [f"{n}" for n in range(21, 24)]
    + [f"{n}" for n in range(31, 38)]
    + [f"{n}" for n in range(41, 47)]
    + [f"{n}" for n in range(50, 55)]
    + [f"{n}" for n in range(61, 66)]
    + ["71", "81", "82", "83"]
)

EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


class Kind(enum.StrEnum):
    RESIDENT_ID = "resident_id"
    USCC = "uscc"


class Sex(enum.StrEnum):
    MALE = "male"
    FEMALE = "female"


class Code(enum.StrEnum):
    """Machine codes of a check. `OK` for a valid number, one code for each failure."""

    OK = "ok"
    EMPTY = "empty"
    OLD_FORMAT = "old_format"
    WRONG_LENGTH = "wrong_length"
    BAD_CHARACTERS = "bad_characters"
    BAD_REGION = "bad_region"
    IMPOSSIBLE_BIRTH_DATE = "impossible_birth_date"
    BIRTH_DATE_TOO_EARLY = "birth_date_too_early"
    FUTURE_BIRTH_DATE = "future_birth_date"
    BAD_CHECK_DIGIT = "bad_check_digit"


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of a check. `normalized` is the canonical number when valid, else None."""

    valid: bool
    code: str
    message: str
    normalized: str | None


@dataclass(frozen=True, slots=True)
class ResidentId:
    """A valid resident ID and what it says about its holder."""

    number: str
    address_code: str
    birth_date: dt.date
    sex: Sex

    def age_on(self, day: dt.date) -> int:
        """Age in whole years on `day` (someone born on 29 February ages on 1 March)."""
        had_birthday = (day.month, day.day) >= (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_date.year - (0 if had_birthday else 1)


def normalize(number: object) -> str:
    """NFKC, no whitespace, upper case. Never raises; non-text becomes an empty string."""
    if not isinstance(number, str):
        return ""
    text = unicodedata.normalize("NFKC", number)
    return "".join(ch for ch in text if not ch.isspace()).upper()


def _fail(code: Code, message: str) -> IdentityValidationError:
    return IdentityValidationError(code=str(code), message=message, field="number")


# --- resident ID ------------------------------------------------------------------------


def resident_id_check_character(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits (already checked to be digits)."""
    # ric.calc_check_digit expects the whole number and ignores its last character.
    return _ric.calc_check_digit(first17 + "0")


def _parse_resident_id(number: object, today: dt.date) -> ResidentId:
    value = normalize(number)
    if not value:
        raise _fail(Code.EMPTY, _("请输入身份证号码"))
    if len(value) == 15 and set(value) <= DIGITS:
        raise _fail(
            Code.OLD_FORMAT,
            _("这是15位旧身份证号码，已停止使用，请输入18位公民身份号码"),
        )
    if len(value) != 18:
        raise _fail(
            Code.WRONG_LENGTH,
            _("身份证号码应为18位，当前为%(n)d位") % {"n": len(value)},
        )
    if not set(value[:17]) <= DIGITS or value[17] not in DIGITS | {"X"}:
        raise _fail(
            Code.BAD_CHARACTERS,
            _("身份证号码前17位应为数字，最后一位为数字或字母X"),
        )
    address_code = value[:6]
    if address_code[:2] not in PROVINCE_CODES:
        raise _fail(
            Code.BAD_REGION,
            _("身份证号码前6位地址码无效（省级代码%(code)s不存在）") % {"code": address_code[:2]},
        )
    try:
        birth_date = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise _fail(
            Code.IMPOSSIBLE_BIRTH_DATE,
            _("身份证号码中的出生日期%(date)s不存在") % {"date": value[6:14]},
        ) from None
    if birth_date < EARLIEST_BIRTH_DATE:
        raise _fail(
            Code.BIRTH_DATE_TOO_EARLY,
            _("身份证号码中的出生日期%(date)s早于1900年，请核对") % {"date": value[6:14]},
        )
    if birth_date > today:
        raise _fail(
            Code.FUTURE_BIRTH_DATE,
            _("身份证号码中的出生日期%(date)s晚于今天，请核对") % {"date": value[6:14]},
        )
    if resident_id_check_character(value[:17]) != value[17]:
        raise _fail(Code.BAD_CHECK_DIGIT, _("身份证号码校验位不正确，请核对是否输错"))
    sex = Sex.MALE if int(value[16]) % 2 == 1 else Sex.FEMALE
    return ResidentId(number=value, address_code=address_code, birth_date=birth_date, sex=sex)


def _today(today: dt.date | None) -> dt.date:
    if today is not None:
        return today
    from yichuang.common import clock

    return clock.today()


def validate_resident_id(number: str, *, today: dt.date | None = None) -> ResidentId:
    """Parse a resident ID or raise `IdentityValidationError`. `today` defaults to the clock."""
    return _parse_resident_id(number, _today(today))


def check_resident_id(number: str, *, today: dt.date | None = None) -> CheckResult:
    """Check a resident ID; never raises."""
    try:
        parsed = validate_resident_id(number, today=today)
    except IdentityValidationError as error:
        return CheckResult(valid=False, code=error.code, message=error.message, normalized=None)
    return CheckResult(
        valid=True, code=str(Code.OK), message=_("身份证号码有效"), normalized=parsed.number
    )


# --- unified social credit code ---------------------------------------------------------


def uscc_check_character(first17: str) -> str:
    """The GB 32100 check character of the first 17 characters (alphabet already checked)."""
    return _uscc.calc_check_digit(first17)


def validate_uscc(number: str) -> str:
    """Return the normalised USCC or raise `IdentityValidationError`."""
    value = normalize(number)
    if not value:
        raise _fail(Code.EMPTY, _("请输入统一社会信用代码"))
    if len(value) != 18:
        raise _fail(
            Code.WRONG_LENGTH,
            _("统一社会信用代码应为18位，当前为%(n)d位") % {"n": len(value)},
        )
    if not set(value) <= _USCC_CHARS:
        raise _fail(
            Code.BAD_CHARACTERS,
            _("统一社会信用代码只能由数字和大写字母组成，且不含I、O、S、V、Z"),
        )
    if not set(value[2:8]) <= DIGITS:
        raise _fail(Code.BAD_REGION, _("统一社会信用代码第3至8位应为6位数字的行政区划码"))
    if uscc_check_character(value[:17]) != value[17]:
        raise _fail(Code.BAD_CHECK_DIGIT, _("统一社会信用代码校验位不正确，请核对是否输错"))
    return value


def check_uscc(number: str) -> CheckResult:
    """Check a USCC; never raises."""
    try:
        value = validate_uscc(number)
    except IdentityValidationError as error:
        return CheckResult(valid=False, code=error.code, message=error.message, normalized=None)
    return CheckResult(
        valid=True, code=str(Code.OK), message=_("统一社会信用代码有效"), normalized=value
    )


def check(*, kind: Kind | str, number: str, today: dt.date | None = None) -> CheckResult:
    """Check a number of the given kind (`resident_id` or `uscc`); never raises for the number."""
    if Kind(kind) is Kind.RESIDENT_ID:
        return check_resident_id(number, today=today)
    return check_uscc(number)
