"""Normalised forms of names for plain substring search in any script.

This is deliberately simple: it folds case, strips diacritics and harakat, and unifies the
Arabic letter variants that registers use interchangeably (أ/إ/آ/ا, ة/ه, ى/ي, ؤ/و, ئ/ي),
so "خديجة" finds "خديجه" and "Hüseyn" finds "Huseyn". Cross-script matching (Arabic ↔
Cyrillic ↔ Latin) is the matching app's job, not this module's.
"""

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
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("ARABIC"):
            counts["Arab"] += 1
        elif name.startswith("CYRILLIC"):
            counts["Cyrl"] += 1
        elif name.startswith("LATIN"):
            counts["Latn"] += 1
    script, count = max(counts.items(), key=lambda item: item[1])
    return script if count else "Zyyy"
