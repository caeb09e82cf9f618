"""Names made comparable across Arabic, Cyrillic and Latin script (pure: no database).

The same child is "خديجة حسينوفا" in an Iraqi prison register, "Хадижат Гусейнова" in a
Russian list and "Khadija Huseinova" or "Hedija Husenova" on television. Generic
transliteration alone never brings these together: Arabic omits short vowels, so محمد
becomes `mhmd`, which never equals `mohammed` (reference/linkage.md). This module therefore
gives every name token two forms:

- `latin`: a vowelled ASCII romanisation for similarity (Jaro-Winkler). Cyrillic goes through
  ICU's BGN/PCGN transform (after Tajik and Caucasian letters), Latin through ICU Latin-ASCII
  (with Turkish/Azerbaijani c = j), Arabic through ICU rules written here, plus a small table
  of vowelled forms for common Arabic names (محمد → muhammad) that no rule can recover;
- `key`: a consonant skeleton for blocking and for the "same sound" comparison level: drop
  vowels and w/y, merge kh/gh/h/g/x, t/d, s/z/th/dh/ts, b/p, f/v, k/q/c, j/zh/dzh/dj,
  collapse doubles, drop a final -h, unify abd-al-. Then محمد, Мухаммад, Магомед, Mohammed
  and Mehmet all give `MHMT`; خديجة, Хадиджа, Khadija and Hedija give `HTJ`.

A token may carry alternative keys (`keys`): a Dagestani feminine -at (Хадижат) also
gives the key without it, an Arabic article (المورزاييف) gives keys with and without it.

Parsing (`parse_name`) splits a name into given / father / grandfather / family parts:
Arabic chains (X bin Y bin Z, nasab without "bin"), Slavic patronymics (-ovich/-ovna, whose
stem is the father's given name), gendered surname endings (-ov/-ova, -ev/-eva, -in/-ina:
the same family, with a sex hint), Tajik -zoda and Turkic -ev/-yev forms. A kunya ("Abu/Umm"
+ a name + an origin label such as al-Shishani) is an alias: it is flagged, never read as a
surname. docs/matching.md describes the rules with examples.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

import icu
from rapidfuzz.distance import JaroWinkler, Levenshtein

from homeward.core.normalise import detect_script

__all__ = [
    "NameToken",
    "ParsedName",
    "canonical_latin",
    "parse_name",
    "romanise",
    "skeleton",
    "token",
    "token_similarity",
    "tokens_similarity",
]

# -- transliteration ------------------------------------------------------------------------

# Arabic letters after the register variants are folded (أ/إ/آ → ا, ى → ي, ؤ → و, ئ → ي).
# ة is kept apart: it reads "a" at the end of a word. ع and ء carry no Latin letter in the
# spellings registers meet. ض is "d" (Ramadan); the Russian/Turkish "z" (Ramazan) meets it
# through the d/z skeleton level, not here.
_ARABIC_RULES = r"""
:: NFKC ;
[\u064B-\u065F\u0670] > ;
ـ > ;
[أإآٱ] > ا ;
ى > ي ;
ؤ > و ;
ئ > ي ;
ک > ك ;
ی > ي ;
ة > a ;
تش > ch ;
ا > a ;
ب > b ;
ت > t ;
ث > th ;
ج > j ;
ح > h ;
خ > kh ;
د > d ;
ذ > dh ;
ر > r ;
ز > z ;
س > s ;
ش > sh ;
ص > s ;
ض > d ;
ط > t ;
ظ > z ;
ع > ;
غ > gh ;
ف > f ;
ق > q ;
ك > k ;
ل > l ;
م > m ;
ن > n ;
ه > h ;
و > w ;
ي > y ;
ء > ;
پ > p ;
چ > ch ;
ژ > zh ;
گ > g ;
"""

# Letters of Tajik, Kazakh, Kyrgyz, Uzbek and Ukrainian Cyrillic that BGN's Russian table
# does not know, and дж (a Caucasian "j"). The rest goes through ICU's Russian-Latin/BGN.
_CYRILLIC_RULES = r"""
:: NFKC ;
:: Lower ;
ё > е ;
дж > j ;
ҳ > h ;
һ > h ;
ғ > gh ;
қ > q ;
ҷ > j ;
ӣ > i ;
ӯ > u ;
ә > a ;
ө > o ;
ү > u ;
ұ > u ;
ң > n ;
і > i ;
ї > i ;
є > ye ;
ґ > g ;
ў > u ;
ъ > ;
ь > ;
"""

_TURKIC_LETTERS = set("əƏğĞışŞİçÇ")
_TURKIC_RULES = r"""
:: NFKC ;
:: Lower ;
ə > a ;
ı > i ;
ç > ch ;
ş > sh ;
ğ > gh ;
c > j ;
x > kh ;
"""


@functools.cache
def _transliterator(kind: str) -> icu.Transliterator:
    """ICU transliterators are expensive to build and safe to reuse: one per kind."""
    if kind == "Arab":
        return icu.Transliterator.createFromRules(
            "hw-arabic", _ARABIC_RULES, icu.UTransDirection.FORWARD
        )
    if kind == "Cyrl-pre":
        return icu.Transliterator.createFromRules(
            "hw-cyrillic", _CYRILLIC_RULES, icu.UTransDirection.FORWARD
        )
    if kind == "Turkic-pre":
        return icu.Transliterator.createFromRules(
            "hw-turkic", _TURKIC_RULES, icu.UTransDirection.FORWARD
        )
    if kind == "Cyrl":
        return icu.Transliterator.createInstance("Russian-Latin/BGN; Latin-ASCII; Lower")
    if kind == "Latn":
        return icu.Transliterator.createInstance("NFKC; Latin-ASCII; Lower")
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")


_NON_LETTERS = re.compile(r"[^a-z]+")


def romanise(text: str, script: str | None = None) -> str:
    """`text` in lower-case ASCII letters and spaces, by the rules of its script.

    Arabic keeps only what is written (consonants and long vowels): محمد → "mhmd".
    """
    script = script or detect_script(text)
    if script == "Arab":
        latin = _transliterator("Arab").transliterate(text)
        latin = _transliterator("Other").transliterate(latin)  # stray Persian/Urdu letters
    elif script == "Cyrl":
        latin = _transliterator("Cyrl").transliterate(
            _transliterator("Cyrl-pre").transliterate(text)
        )
    elif script == "Latn":
        if _TURKIC_LETTERS & set(text):
            text = _transliterator("Turkic-pre").transliterate(text)
        latin = _transliterator("Latn").transliterate(text)
    else:
        latin = _transliterator("Other").transliterate(text)
    return " ".join(_NON_LETTERS.sub(" ", latin.lower()).split())


# -- variants no rule bridges ---------------------------------------------------------------

# Vowelled forms of common Arabic-script names (folded spelling → Latin), so that an Arabic
# name can be compared by Jaro-Winkler too, and shown readably in an explanation.
_ARABIC_VOWELLED = {
    "محمد": "muhammad",
    "احمد": "ahmad",
    "محمود": "mahmud",
    "مصطفى": "mustafa",
    "عمر": "umar",
    "علي": "ali",
    "حسن": "hasan",
    "حسين": "husayn",
    "ابراهيم": "ibrahim",
    "اسماعيل": "ismail",
    "يوسف": "yusuf",
    "موسى": "musa",
    "عيسى": "isa",
    "ادم": "adam",
    "حمزه": "hamza",
    "خالد": "khalid",
    "سعيد": "said",
    "بلال": "bilal",
    "سليمان": "sulayman",
    "يونس": "yunus",
    "منصور": "mansur",
    "اسلام": "islam",
    "ادريس": "idris",
    "رمضان": "ramadan",
    "شامل": "shamil",
    "سلمان": "salman",
    "مراد": "murad",
    "رحيم": "rahim",
    "كريم": "karim",
    "عبد الله": "abdullah",
    "عبدالله": "abdullah",
    "عبد الرحمن": "abdurrahman",
    "ابو بكر": "abubakr",
    "خديجه": "khadija",
    "فاطمه": "fatima",
    "عايشه": "aisha",
    "عائشه": "aisha",
    "مريم": "maryam",
    "زينب": "zaynab",
    "امنه": "amina",
    "اسيا": "asiya",
    "صفيه": "safiya",
    "سميه": "sumayya",
    "اسماء": "asma",
    "حفصه": "hafsa",
    "مدينه": "madina",
    "حليمه": "halima",
    "جميله": "jamila",
    "رقيه": "ruqayya",
    "حواء": "hawa",
    "زهراء": "zahra",
    "ليلى": "layla",
    "ليلي": "layla",
}
_ARABIC_FOLD = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي"}
)

# Regional forms that sound alike to a clerk but share no skeleton: Dagestani П for Ф,
# Turkish and Caucasian feminine forms. Keyed by the romanised token.
_LATIN_VARIANTS = {
    "patimat": "fatima",
    "patima": "fatima",
    "fotima": "fatima",
    "aishat": "aisha",
    "aysha": "aisha",
    "ayse": "aisha",
    "oysha": "aisha",
    "ayshat": "aisha",
    "hatice": "khadija",
    "gamzat": "hamza",
    "magomed": "muhammad",
    "mehmet": "muhammad",
    "magomet": "muhammad",
    "mokhmad": "muhammad",
    "mohmad": "muhammad",
}

# -- the skeleton ---------------------------------------------------------------------------

_SKELETON_STEPS = (
    ("shch", "X"),
    ("dsch", "J"),
    ("tsch", "C"),
    ("dzh", "J"),
    ("sch", "X"),
    ("tch", "C"),
    ("sh", "X"),
    ("ch", "C"),
    ("zh", "J"),
    ("dj", "J"),
    ("kh", "H"),
    ("gh", "H"),
    ("th", "S"),
    ("dh", "S"),
    ("ph", "F"),
    ("ts", "S"),
    ("ck", "K"),
    ("j", "J"),
)
_SKELETON_CLASSES = str.maketrans(
    {
        "h": "H",
        "g": "H",
        "x": "H",
        "k": "K",
        "q": "K",
        "c": "K",
        "t": "T",
        "d": "T",
        "s": "S",
        "z": "S",
        "b": "B",
        "p": "B",
        "f": "F",
        "v": "F",
        "m": "M",
        "n": "N",
        "l": "L",
        "r": "R",
        "a": None,
        "e": None,
        "i": None,
        "o": None,
        "u": None,
        "y": None,
        "w": None,
    }
)
_SUN_CLASSES = set("TSXRNL")
_SOFT_C = re.compile(r"c(?=[eiy])")
_DOUBLES = re.compile(r"(.)\1+")


def skeleton(latin: str) -> str:
    """The consonant key of one romanised token (lower-case ASCII): "muhammad" → "MHMT"."""
    word = _SOFT_C.sub("s", latin.replace(" ", ""))  # French/Algerian Youcef, Yacine
    if len(word) > 2 and word.endswith("h") and word[-2] not in "cdgkpst":
        word = word[:-1]  # a final -h: ة/ه written out, "Abdullah"
    for source, target in _SKELETON_STEPS:
        word = word.replace(source, target)
    key = _DOUBLES.sub(r"\1", word.translate(_SKELETON_CLASSES))
    if key.startswith("BTL") and len(key) > 3 and key[3] in _SUN_CLASSES:
        key = "BT" + key[3:]  # "Abdul Rahman" / "Abd al-Rahman" = Abdurrahman
    return key


@functools.lru_cache(maxsize=50_000)
def canonical_latin(latin: str) -> str:
    """Fold the romanisation variants registers use before measuring similarity."""
    word = latin.replace(" ", "")
    for source, target in (
        ("dzh", "j"),
        ("dj", "j"),
        ("zh", "j"),
        ("kh", "h"),
        ("ou", "u"),
        ("w", "v"),
    ):
        word = word.replace(source, target)
    word = word.replace("y", "i")
    word = _DOUBLES.sub(r"\1", word)
    word = re.sub(r"ei|ie", "e", word)
    return word


# -- tokens ---------------------------------------------------------------------------------

# An article written with a hyphen: "al-Shishani", "аль-Шишани" (joined by `_join_compounds`).
_ARTICLE_PREFIX = re.compile(r"^(?:al|el|ul|as|ash|ad|ar|аль|эль|аш|ал)-", re.IGNORECASE)
_FEMININE_ENDINGS = ("ova", "eva", "yeva", "iyeva", "ina", "skaya", "aya")
_MASCULINE_ENDINGS = ("ov", "ev", "yev", "in", "sky", "skiy", "iy")
_PATRONYMIC = re.compile(
    r"^(?P<stem>[a-z]+?)(?:ovich|evich|ovna|evna|ichna|ivna|yevich|yevna|ich)$"
)
_PATRONYMIC_WORDS = {"ogly", "oglu", "ogli", "kizi", "qizi", "kyzy", "uulu", "gyzy"}
_FAMILY_SUFFIX_WORDS = {"zoda", "zade", "zadeh", "zada", "zad"}
_ARABIC_FAMILY_SUFFIX_WORDS = {"زاده", "زادة", "زاد"}


@dataclass(frozen=True)
class NameToken:
    """One word of a name in comparable forms.

    `latin` is the vowelled romanisation (or, for Arabic script, the consonantal one when no
    vowelled form is known: `vowelled` says which); `key` is the consonant skeleton and
    `keys` the key with its alternatives, used for blocking. `feminine` is True for a
    feminine surname or patronymic ending, False for a masculine one, None otherwise.
    """

    text: str
    latin: str
    key: str
    keys: frozenset[str]
    vowelled: bool
    feminine: bool | None = None

    def __str__(self) -> str:
        return self.text


def _gender_of(latin: str) -> bool | None:
    if latin.endswith(_FEMININE_ENDINGS) and len(latin) > 4:
        return True
    if latin.endswith(_MASCULINE_ENDINGS) and len(latin) > 3:
        return False
    return None


@functools.lru_cache(maxsize=50_000)
def token(text: str, script: str | None = None) -> NameToken:
    """The comparable forms of one word (or joined compound) of a name."""
    # Each word is read by its own script: a list may write "Марьям Aliyeva" or mix Georgian
    # and Latin; the script recorded for the whole name is only a fallback.
    found = detect_script(text)
    script = found if found != "Zyyy" or not script else "Zyyy"
    article = _ARTICLE_PREFIX.match(text)
    bare = text[article.end() :] if article else text
    folded = unicodedata.normalize("NFKC", bare).translate(_ARABIC_FOLD).replace("ـ", "")
    vowelled = script != "Arab"
    keys: set[str] = set()
    if script == "Arab" and folded.replace(" ", "").startswith("ال") and len(folded) > 4:
        keys.add(skeleton(romanise(folded, "Arab").replace(" ", "")))  # المورزاييف = Elmurzaev
        article, folded = True, folded.replace(" ", "")[2:]
    if script == "Arab" and folded.endswith("ه") and len(folded) > 2 and not folded.endswith("لله"):
        # ة (folded to ه) and a final ه read "-a": زاده = zoda, خديجة = khadija; ة may also
        # be heard as "-at" (Хадижат), which an alternative key keeps.
        latin = romanise(folded[:-1], "Arab").replace(" ", "") + "a"
        keys.add(skeleton(latin + "t"))
    else:
        latin = romanise(folded, script).replace(" ", "")
    if article:
        keys.add(skeleton("al" + latin))
    if script == "Arab" and "ض" in folded:
        keys.add(skeleton(romanise(folded.replace("ض", "ز"), "Arab")))  # Ramadan / Ramazan
    if script == "Arab":
        known = _ARABIC_VOWELLED.get(folded) or _ARABIC_VOWELLED.get(folded.replace(" ", ""))
        if known:
            latin, vowelled = known, True
    latin = _LATIN_VARIANTS.get(latin, latin)
    key = skeleton(latin) or latin.upper()  # a name of vowels only ("Aya") keys on itself
    keys.add(key)
    if vowelled and latin.endswith("at") and len(latin) > 4:
        keys.add(skeleton(latin[:-1]))  # Хадижат, Патимат: the feminine -at of Dagestan
    return NameToken(
        text=text,
        latin=latin,
        key=key,
        keys=frozenset(k for k in keys if k),
        vowelled=vowelled,
        feminine=_gender_of(latin) if vowelled else _arabic_gender(folded),
    )


def _arabic_gender(folded: str) -> bool | None:
    """Slavic surnames in Arabic script: حسينوفا (-ova) is feminine, حسينوف masculine."""
    if folded.endswith(("وفا", "يفا", "ينا", "وفه", "يفه")):
        return True
    if folded.endswith(("وف", "يف")):
        return False
    return None


def token_similarity(a: NameToken, b: NameToken) -> float:
    """1.0 when the skeletons agree, otherwise the better of skeleton and spelling similarity.

    Spelling (Jaro-Winkler on the canonical Latin form) is used only when both tokens are
    vowelled: a consonantal Arabic romanisation against a vowelled Latin one says nothing.
    """
    return forms_similarity(token_form(a), token_form(b))


def token_form(item: NameToken) -> tuple[frozenset[str], str | None]:
    """What `token_similarity` reads of a token: its keys, and its Latin form when vowelled."""
    return item.keys, item.latin if item.vowelled else None


@functools.lru_cache(maxsize=200_000)
def forms_similarity(
    a: tuple[frozenset[str], str | None], b: tuple[frozenset[str], str | None]
) -> float:
    """`token_similarity` of two token forms (`token_form`), memoised.

    Pure (the result depends on the two forms alone), so the cache can never change a
    score, only skip recomputing one. Batch linking meets the same few thousand spellings
    (Muhammad against Magomed, Fatima against Patimat) millions of times; the bound keeps
    the cache to some tens of MB however many names a run sees.
    """
    (a_keys, a_latin), (b_keys, b_latin) = a, b
    if a_keys & b_keys:
        return 1.0
    best = max(
        (Levenshtein.normalized_similarity(ka, kb) for ka in a_keys for kb in b_keys),
        default=0.0,
    )
    if a_latin is not None and b_latin is not None:
        best = max(
            best,
            JaroWinkler.normalized_similarity(canonical_latin(a_latin), canonical_latin(b_latin)),
        )
    return best


def tokens_similarity(
    left: tuple[NameToken, ...], right: tuple[NameToken, ...]
) -> tuple[float, NameToken | None, NameToken | None]:
    """The best similarity between any token on the left and any on the right, with the pair."""
    best, pair = 0.0, (None, None)
    for a in left:
        for b in right:
            score = token_similarity(a, b)
            if score > best:
                best, pair = score, (a, b)
    return best, pair[0], pair[1]


# -- parsing --------------------------------------------------------------------------------

_KUNYA_WORDS = {
    "ابو": False,
    "ام": True,
    "abu": False,
    "umm": True,
    "um": True,
    "абу": False,
    "умм": True,
}
_CHAIN_WORDS = {
    "بن": "bin",
    "ابن": "bin",
    "بنت": "bint",
    "bin": "bin",
    "ibn": "bin",
    "bint": "bint",
    "бин": "bin",
    "ибн": "bin",
    "бинт": "bint",
}
_ARTICLES = {"al", "el", "ul", "as", "ash", "ad", "ar", "аль", "эль", "аш", "ал"}
_ABD_WORDS = {"عبد", "abd", "abdul", "abdel", "abdal", "abdu", "абд", "абдул", "абдуль"}


@dataclass(frozen=True)
class ParsedName:
    """A name split into parts. Every part is a tuple of tokens (possibly empty).

    `is_kunya` marks "Abu/Umm X (al-Origin)": `kunya` holds X, `origin` the label; a kunya
    has no given name and no family name of its own.
    """

    full_text: str
    script: str
    given: tuple[NameToken, ...] = ()
    father: tuple[NameToken, ...] = ()
    grandfather: tuple[NameToken, ...] = ()
    family: tuple[NameToken, ...] = ()
    is_kunya: bool = False
    kunya: tuple[NameToken, ...] = ()
    origin: tuple[NameToken, ...] = ()
    sex_hint: str = ""
    tokens: tuple[NameToken, ...] = field(default=())

    @property
    def others(self) -> tuple[NameToken, ...]:
        """Every token that is not the given name: family, father's and grandfather's names."""
        return (*self.family, *self.father, *self.grandfather)

    @property
    def keys(self) -> frozenset[str]:
        found: set[str] = set()
        for item in (*self.given, *self.others, *self.kunya):
            found |= item.keys
        return frozenset(found)

    @property
    def latin(self) -> str:
        """A readable Latin rendering, for explanations."""
        return " ".join(item.latin for item in self.tokens)


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text or "")
    text = re.sub(r"[\-‐‑'’`ʼʿʾ.,()\"/]", " ", text)
    return [word for word in text.split() if any(ch.isalpha() for ch in word)]


def _plain(word: str) -> str:
    """A word folded for recognising particles (bin, Abu, al-) in any script."""
    return unicodedata.normalize("NFKC", word).translate(_ARABIC_FOLD).casefold()


def _join_compounds(words: list[str]) -> list[str]:
    """Join "عبد الله", "Abd al Rahman", "رحيم زاده", "Rahim zoda" and Latin "al Shishani"."""
    joined: list[str] = []
    index = 0
    while index < len(words):
        word, plain = words[index], _plain(words[index])
        if plain in _ABD_WORDS and index + 1 < len(words):
            rest = [words[index + 1]]
            if _plain(words[index + 1]) in _ARTICLES and index + 2 < len(words):
                rest, index = [words[index + 2]], index + 1
            joined.append(word + rest[0] if detect_script(word) != "Arab" else f"{word} {rest[0]}")
            index += 2
            continue
        if plain in _ARTICLES and index + 1 < len(words):
            joined.append(
                f"{word}-{words[index + 1]}"
                if detect_script(word) != "Arab"
                else word + words[index + 1]
            )
            index += 2
            continue
        if joined and (
            plain in _FAMILY_SUFFIX_WORDS
            or plain in _ARABIC_FAMILY_SUFFIX_WORDS
            or plain in {"зода", "заде"}
        ):
            joined[-1] = (
                f"{joined[-1]} {word}" if detect_script(word) == "Arab" else joined[-1] + word
            )
            index += 1
            continue
        joined.append(word)
        index += 1
    return joined


@functools.lru_cache(maxsize=50_000)
def _tokens(text: str, script: str) -> tuple[NameToken, ...]:
    # memoised: a list's names are made of far fewer distinct parts than names (a 1,000,000
    # person list has ~150,000 distinct given and family name pairs, ~25,000 distinct parts)
    return tuple(token(word, script) for word in _join_compounds(_words(text)))


def _is_family_like(item: NameToken) -> bool:
    """A surname by its ending (-ov/-ova, -ev, -in/-ina, -zoda, -sky, -shvili, -enko)."""
    latin = item.latin
    if item.feminine is not None:
        return True
    return latin.endswith(("zoda", "zade", "zadeh", "shvili", "enko", "dze", "uk", "yan", "ian"))


def _is_nisba(word: str) -> bool:
    plain = _plain(word).replace(" ", "")
    if plain.startswith("ال"):
        return plain.endswith(("ي", "يه"))
    return bool(_ARTICLE_PREFIX.match(plain)) and plain.endswith(("i", "iya", "iyya", "и", "ия"))


def _parse_kunya(words: list[str], script: str, full_text: str) -> ParsedName:
    female = _KUNYA_WORDS[_plain(words[0])]
    rest = words[1:]
    origin = [word for word in rest if _is_nisba(word)]
    named = [word for word in rest if word not in origin]
    kunya = tuple(token(word, script) for word in named)
    origin_tokens = tuple(token(word, script) for word in origin)
    return ParsedName(
        full_text=full_text,
        script=script,
        is_kunya=True,
        kunya=kunya,
        origin=origin_tokens,
        sex_hint="female" if female else "male",
        tokens=(*kunya, *origin_tokens),
    )


def _looks_like_kunya(words: list[str], name_type: str) -> bool:
    if len(words) < 2 or _plain(words[0]) not in _KUNYA_WORDS:
        return False
    if name_type == "kunya":
        return True
    after = words[2:]
    # "Abu Bakr" alone is a given name; "Abu Bakr al-Baghdadi" and "Abu Muhammad" are kunyas.
    if _plain(words[1]) in _BAKR and not after:
        return False
    return all(_is_nisba(word) for word in after)


_BAKR = {"بكر", "bakr", "bakar", "бакр", "бакар"}


def _join_abu_bakr(words: list[str]) -> list[str]:
    """ "أبو بكر" / "Abu Bakr" inside a name (not a kunya) is one given name: Abubakr."""
    joined: list[str] = []
    for word in words:
        if joined and _plain(word) in _BAKR and _plain(joined[-1]) in _KUNYA_WORDS:
            joined[-1] = (
                f"{joined[-1]} {word}" if detect_script(word) == "Arab" else joined[-1] + word
            )
        else:
            joined.append(word)
    return joined


def _parse_chain(words: list[str], script: str) -> dict:
    """Arabic nasab: given [bin] father [bin] grandfather ... [family]."""
    parts: dict[str, list[NameToken]] = {"given": [], "father": [], "grandfather": [], "family": []}
    chain: list[NameToken] = []
    sex_hint = ""
    for word in words:
        marker = _CHAIN_WORDS.get(_plain(word))
        if marker:
            sex_hint = sex_hint or ("female" if marker == "bint" and not chain else "")
            continue
        chain.append(token(word, script))
    if not chain:
        return parts | {"sex_hint": sex_hint}
    if len(chain) == 1 and _is_family_like(chain[0]):
        return parts | {"family": chain, "sex_hint": sex_hint}
    parts["given"] = [chain[0]]
    rest = chain[1:]
    if rest and (
        _is_family_like(rest[-1]) or len(rest) >= 3 or rest[-1].text.startswith(("ال", "al", "Al"))
    ):
        parts["family"] = [rest[-1]]
        rest = rest[:-1]
    if len(rest) == 1 and not parts["family"]:
        # "خديجة حسينوفا" or "Ahmad Hasan": the second word is a surname or the father's
        # name; registers do both, so it is compared as either (ParsedName.others).
        parts["family"] = rest
        rest = []
    parts["father"] = rest[:1]
    parts["grandfather"] = rest[1:]
    return parts | {"sex_hint": sex_hint}


def _parse_western(words: list[str], script: str) -> dict:
    """Given [patronymic] family, in either order; the family is found by its ending."""
    items = [token(word, script) for word in words]
    parts: dict[str, list[NameToken]] = {"given": [], "father": [], "grandfather": [], "family": []}
    sex_hint = ""
    rest: list[NameToken] = []
    for index, item in enumerate(items):
        match = _PATRONYMIC.match(item.latin)
        if match and index > 0:
            stem = match.group("stem")
            parts["father"].append(token(stem, "Latn"))
            sex_hint = "female" if item.latin.endswith("na") else "male"
        elif item.latin in _PATRONYMIC_WORDS and rest:
            parts["father"].append(rest.pop())
            sex_hint = "female" if item.latin in {"kizi", "qizi", "kyzy", "gyzy"} else "male"
        else:
            rest.append(item)
    if len(rest) >= 2 and _is_family_like(rest[0]) and not _is_family_like(rest[-1]):
        rest = [*rest[1:], rest[0]]  # "Иванова Мария": family name first, as in Russian lists
    if len(rest) == 1 and _is_family_like(rest[0]):
        parts["family"] = rest  # "Иванов" alone is a surname
    elif rest:
        parts["given"] = [rest[0]]
    if len(rest) >= 2:
        parts["family"] = [rest[-1]]
        parts["father"].extend(rest[1:-1])
    return parts | {"sex_hint": sex_hint}


@functools.lru_cache(maxsize=20_000)
def parse_name(
    full_text: str,
    *,
    script: str | None = None,
    given: str = "",
    father: str = "",
    grandfather: str = "",
    family: str = "",
    name_type: str = "",
) -> ParsedName:
    """Parse one name as written, using its recorded parts when the register gave them."""
    script = (
        script
        if script in ("Arab", "Cyrl", "Latn")
        else detect_script(full_text or given or family)
    )
    words = _words(full_text)
    merged = _join_compounds(words)
    if _looks_like_kunya(merged, name_type):
        return _parse_kunya(merged, script, full_text)
    if any((given, father, grandfather, family)):
        parts = {
            "given": list(_tokens(given, script)),
            "father": list(_tokens(father, script)),
            "grandfather": list(_tokens(grandfather, script)),
            "family": list(_tokens(family, script)),
            "sex_hint": "",
        }
    elif script == "Arab":
        parts = _parse_chain(_join_abu_bakr(merged), script)
    else:
        parts = _parse_western(_join_abu_bakr(merged), script)
    family_tokens = tuple(parts["family"])
    sex_hint = parts["sex_hint"]
    genders = {item.feminine for item in family_tokens if item.feminine is not None}
    if not sex_hint and len(genders) == 1:
        sex_hint = "female" if genders.pop() else "male"
    return ParsedName(
        full_text=full_text,
        script=script,
        given=tuple(parts["given"]),
        father=tuple(parts["father"]),
        grandfather=tuple(parts["grandfather"]),
        family=family_tokens,
        sex_hint=sex_hint,
        tokens=(*parts["given"], *parts["father"], *parts["grandfather"], *family_tokens),
    )
