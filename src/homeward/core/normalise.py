"""Normalised forms of names for plain substring search in any script.

This is deliberately simple: it folds case, strips diacritics and harakat, and unifies the
Arabic letter variants that registers use interchangeably (أ/إ/آ/ا, ة/ه, ى/ي, ؤ/و, ئ/ي),
so "خديجة" finds "خديجه" and "Hüseyn" finds "Huseyn". Cross-script matching (Arabic ↔
Cyrillic ↔ Latin) is the matching app's job, not this module's.
"""

import functools
import re
import unicodedata

_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ـ": None,  # tatweel
        "ک": "ك",
        "ی": "ي",
        "ё": "е",
        "Ё": "Е",
    }
)
_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[\-‐‑'’`ʼʿʾ.,]")


def normalise_name(text: str) -> str:
    """Fold `text` to the form stored in PersonName.search_text and used for queries."""
    return _normalise_name(text or "")


# A pure function of its text, called several times per row of an import (the row's check,
# its facility and state, the model's clean): a register repeats facilities, states and
# mothers' names, so each distinct text is folded once.
@functools.lru_cache(maxsize=65_536)
def _normalise_name(text: str) -> str:
    if text.isascii():
        # nothing to fold or strip in ASCII: the same result as below, without the three
        # Unicode normalisations and the per-character scan for combining marks
        return _SPACES.sub(" ", _PUNCTUATION.sub(" ", text.lower())).strip()
    text = unicodedata.normalize("NFKC", text or "").translate(_ARABIC_FOLD)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    folded = unicodedata.normalize("NFC", stripped).casefold()
    folded = _PUNCTUATION.sub(" ", folded)
    return _SPACES.sub(" ", folded).strip()


def detect_script(text: str) -> str:
    """The ISO 15924 code of the dominant letter script in `text`: Arab, Cyrl, Latn or Zyyy."""
    counts = {"Arab": 0, "Cyrl": 0, "Latn": 0}
    for ch in text:
        script = _char_script(ch)
        if script is not None:
            counts[script] += 1
    script, count = max(counts.items(), key=lambda item: item[1])
    return script if count else "Zyyy"


@functools.lru_cache(maxsize=8192)
def _char_script(ch: str) -> str | None:
    """The script of one letter (None for anything else), looked up by its Unicode name once
    per distinct character: names are made of few letters, parsed by the thousand."""
    if not ch.isalpha():
        return None
    name = unicodedata.name(ch, "")
    for prefix, script in (("ARABIC", "Arab"), ("CYRILLIC", "Cyrl"), ("LATIN", "Latn")):
        if name.startswith(prefix):
            return script
    return None
