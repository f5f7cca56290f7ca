"""Search text of a service item: Chinese, pinyin in full and pinyin initials.

`search_text_for` is what `ServiceItemVersion.search_text` holds. The catalogue services
write it whenever a version's name, keywords or codes may have changed, so that
`catalog.selectors.item_search` finds "营业执照" by "营业执照", "yingyezhizhao" and "yyzz".
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pypinyin import lazy_pinyin

# Lines of the search text are separated by a newline, which a query never contains, so a
# query term cannot match across two lines.
_SEPARATOR = "\n"
_KEYWORD_SPLIT = re.compile(r"[\s,，、;；/|]+")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def strip_controls(text: str) -> str:
    """`text` without control characters and surrounding blanks (for codes from a URL)."""
    return _CONTROL.sub("", text or "").strip()


def normalize(text: str) -> str:
    """NFKC (full-width letters and digits become ASCII), lower case, control characters
    (a NUL, which PostgreSQL refuses in a query) removed."""
    return _CONTROL.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def _pinyin_forms(text: str) -> list[str]:
    """The full pinyin and the initials of `text`, punctuation removed."""
    if not _HAN.search(text):
        return []
    full = _NOT_ALNUM.sub("", "".join(lazy_pinyin(text)).lower())
    initials = _NOT_ALNUM.sub("", _initials(text).lower())
    return [full, initials]


def _initials(text: str) -> str:
    """First letter of each Chinese character's pinyin; other runs (letters, digits) kept."""
    parts = []
    for chunk in re.split(r"([\u3400-\u9fff]+)", text):
        if not chunk:
            continue
        if _HAN.match(chunk):
            parts.extend(s[:1] for s in lazy_pinyin(chunk))
        else:
            parts.append(chunk)
    return "".join(parts)


def _forms(text: str) -> list[str]:
    text = normalize(text).strip()
    if not text:
        return []
    return [text, *_pinyin_forms(text)]


def keywords_of(keywords: str) -> list[str]:
    return [k for k in _KEYWORD_SPLIT.split(normalize(keywords)) if k]


def search_text_for(*, name: str, keywords: str = "", codes: Iterable[str] = ()) -> str:
    """Name, keywords and codes, each as written, in full pinyin and in pinyin initials.

    Lower-cased and NFKC-normalised, one form per line; blank and duplicate lines dropped.
    """
    lines: list[str] = []
    lines.extend(_forms(name))
    for keyword in keywords_of(keywords):
        lines.extend(_forms(keyword))
    lines.extend(normalize(c).strip() for c in codes)
    seen: set[str] = set()
    unique = []
    for line in lines:
        if line and line not in seen:
            seen.add(line)
            unique.append(line)
    return _SEPARATOR.join(unique)


def query_terms(q: str, *, limit: int = 8) -> list[str]:
    """The terms of a search box entry: normalised, split on blanks, at most `limit`."""
    return [t for t in re.split(r"\s+", normalize(q).strip()) if t][:limit]
