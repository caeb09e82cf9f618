"""The interactive matcher: compare two descriptions of a person and say how alike they are.

A description (`Record`) is what a register, a home-state list or a searcher knows: names in
any script, sex, a birth date with its uncertainty, and the parents' names. `compare`
gives, field by field, an agreement level and the values compared, so a reviewer can read
why two records were put side by side. `score` combines the levels Fellegi-Sunter style:
each level adds log2(m/u), where m is how often true pairs show that level and u how often
unrelated pairs do. m and u are estimated (`estimate_parameters`) from labelled pairs made
by the seeded generator in `matching.synthetic` (m) and from random pairs (u), never typed
in by hand; agreement on a given name is further adjusted by how common that name is in
the searcher's registry, so "Muhammad" = "محمد" counts for less than a rare name.

The registry side (`find_candidates`) blocks on the phonetic keys stored in NameKey, only
ever among people the user may see (`Person.objects.for_user`), then scores the block.
"""

from __future__ import annotations

import datetime
import functools
import math
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from homeward.matching.names import (
    ParsedName,
    forms_similarity,
    parse_name,
    token_form,
    tokens_similarity,
)

__all__ = [
    "FIELDS",
    "Candidate",
    "Comparison",
    "PairScorer",
    "Parameters",
    "Record",
    "birth_level",
    "compare",
    "compare_birth",
    "estimate_parameters",
    "find_candidates",
    "parameters",
    "parse_dob",
    "possible_duplicates",
    "record_for_query",
    "record_from_row",
    "score",
    "score_pair",
]

AGREE, PARTLY, NEAR, DISAGREE = "agree", "partly", "near", "disagree"
FIELDS = ("given", "family", "birth", "sex", "mother", "father")
LEVELS = {
    "given": (AGREE, PARTLY, DISAGREE),
    "family": (AGREE, PARTLY, DISAGREE),
    "birth": (AGREE, PARTLY, NEAR, DISAGREE),
    "sex": (AGREE, DISAGREE),
    "mother": (AGREE, PARTLY, DISAGREE),
    "father": (AGREE, PARTLY, DISAGREE),
}
FIELD_LABELS = {
    "given": _("Given name"),
    "family": _("Family or father's name"),
    "birth": _("Birth date or age"),
    "sex": _("Sex"),
    "mother": _("Mother's name"),
    "father": _("Father's name"),
}
LEVEL_LABELS = {
    AGREE: _("agrees"),
    PARTLY: _("partly agrees"),
    NEAR: _("close"),
    DISAGREE: _("disagrees"),
}

# A name similarity at or above this is "partly": one consonant apart in the skeleton of a
# name of five or more, or a close spelling (Jaro-Winkler) when both are vowelled.
PARTLY_SIMILARITY = 0.8
# Birth estimates this far apart are "near" rather than contradictory.
NEAR_DAYS = 366
# The duplicates job compares each child with at most this many sharing its keys
MAX_CANDIDATES = 150
# A search scores this many of the people its keys find, the best by `_pre_rank` (on the
# 100,000-person benchmark the true record's ranking stops changing at about 30)
SCORED_CANDIDATES = 60


# -- records --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """What one source says about a person, ready to compare."""

    names: tuple[ParsedName, ...]
    sex: str = ""
    born_earliest: datetime.date | None = None
    born_latest: datetime.date | None = None
    exact_birth: bool = False
    mother: tuple[ParsedName, ...] = ()
    father: tuple[ParsedName, ...] = ()
    ref: object = None


def _parsed(text: str) -> ParsedName | None:
    text = (text or "").strip()
    return parse_name(text) if text else None


def record_for_query(
    *,
    names: Iterable[str | dict] = (),
    sex: str = "",
    born_earliest: datetime.date | None = None,
    born_latest: datetime.date | None = None,
    exact_birth: bool = False,
    mother: Iterable[str] = (),
    father: Iterable[str] = (),
    ref: object = None,
) -> Record:
    """A Record from plain values: names as text or as PersonName-like dicts."""
    parsed = []
    for name in names:
        if isinstance(name, dict):
            item = parse_name(
                name.get("full_text", ""),
                script=name.get("script") or None,
                given=name.get("given", ""),
                father=name.get("father", ""),
                grandfather=name.get("grandfather", ""),
                family=name.get("family", ""),
                name_type=name.get("name_type", ""),
            )
        else:
            item = _parsed(name)
        if item is not None and item.tokens:
            parsed.append(item)
    return Record(
        names=tuple(parsed),
        sex=sex if sex in ("female", "male") else "",
        born_earliest=born_earliest,
        born_latest=born_latest,
        exact_birth=exact_birth,
        mother=tuple(item for item in map(_parsed, mother) if item is not None),
        father=tuple(item for item in map(_parsed, father) if item is not None),
        ref=ref,
    )


_DOB = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_SEX_WORDS = {
    "f": "female",
    "female": "female",
    "ж": "female",
    "жен": "female",
    "أنثى": "female",
    "انثى": "female",
    "m": "male",
    "male": "male",
    "м": "male",
    "муж": "male",
    "ذكر": "male",
}


def parse_dob(text: str | None) -> tuple[datetime.date | None, datetime.date | None, bool]:
    """(earliest, latest, exact) of a date written YYYY, YYYY-MM or YYYY-MM-DD.

    Outside lists state a birth as precisely as they know it; a year alone is a range, not
    1 January, so two year-only estimates never count as the same exact date. An empty
    value is "not known"; anything else raises ValueError, so a caller can name the cell.
    """
    text = (text or "").strip()
    if not text:
        return None, None, False
    found = _DOB.match(text)
    if not found:
        raise ValueError(text)
    year, month, day = (int(part) if part else None for part in found.groups())
    if day is not None:
        return birth_range(datetime.date(year, month, day), "day")
    if month is not None:
        return birth_range(datetime.date(year, month, 1), "month")
    return birth_range(datetime.date(year, 1, 1), "year")


def record_from_row(
    row: Mapping[str, str | None], ref: object = None, *, memo: dict | None = None
) -> Record:
    """A Record from one row of an outside list (`homeward link`) or of the benchmark.

    Columns: given_name, family_name, father_name, mother_name, sex, dob (other keys are
    ignored). The same Record a registry person becomes, so a list and the registry are
    compared by one comparator with one set of weights. A full name typed into
    given_name alone is parsed as a whole (chains, patronymics, swapped order). Raises
    ValueError for a dob that is not YYYY, YYYY-MM or YYYY-MM-DD.

    `memo`, a dict kept across the rows of one list (`link.records_from_rows`), holds each
    distinct cell's parse: in a large list names, parents' names, dates and sexes repeat
    (a 1,000,000-person list has ~150,000 distinct given and family name pairs), and
    parsing is pure, so a repeated cell gets the same (shared, immutable) parts it got
    first.
    """

    def cell(column: str) -> str:
        return " ".join((row.get(column) or "").split())

    # looked up by the cells as written: equal cells read alike, so the spaces are tidied
    # and the cell parsed only when a value is first met
    memo = {} if memo is None else memo
    get = row.get
    key = ("names", get("given_name") or "", get("family_name") or "")
    names = memo.get(key)
    if names is None:
        names = memo[key] = _row_names(cell("given_name"), cell("family_name"))
    key = ("dob", get("dob") or "")
    birth = memo.get(key)
    if birth is None:
        birth = memo[key] = parse_dob(cell("dob"))
    earliest, latest, exact = birth
    parents = []
    for column in ("mother_name", "father_name"):
        key = (column, get(column) or "")
        found = memo.get(key)
        if found is None:
            text = cell(column)
            found = memo[key] = (_parsed(text),) if text else ()
        parents.append(found)
    mother, father = parents
    key = ("sex", get("sex") or "")
    sex = memo.get(key)
    if sex is None:
        sex = memo[key] = _SEX_WORDS.get(cell("sex").casefold(), "")
    return Record(
        names=names,
        sex=sex,
        born_earliest=earliest,
        born_latest=latest,
        exact_birth=exact,
        mother=mother,
        father=father,
        ref=ref,
    )


def _row_names(given: str, family: str) -> tuple[ParsedName, ...]:
    """A row's names as `record_for_query` parses them: given and family as the parts of
    one name when both are there, else the one that is there parsed as a whole."""
    if given and family:
        names: list = [{"full_text": f"{given} {family}", "given": given, "family": family}]
    else:
        names = [given or family] if (given or family) else []
    return record_for_query(names=names).names


def birth_range(dob, precision: str, earliest=None, latest=None) -> tuple:
    """(earliest, latest, exact) for a date of birth kept with its precision."""
    if precision == "range" and earliest and latest:
        return earliest, latest, False
    if dob is None or precision in ("unknown", ""):
        return None, None, False
    if precision == "year":
        return dob.replace(month=1, day=1), dob.replace(month=12, day=31), False
    if precision == "month":
        following = (dob.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return dob.replace(day=1), following - datetime.timedelta(days=1), False
    return dob, dob, True


def age_range(age: int, today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """Birth dates of someone "about `age`": the age itself, one year either side."""
    today = today or timezone.localdate()

    def years_before(years: int) -> datetime.date:
        try:
            return today.replace(year=today.year - years)
        except ValueError:  # 29 February
            return today.replace(year=today.year - years, day=28)

    return years_before(age + 2) + datetime.timedelta(days=1), years_before(max(age - 1, 0))


# -- comparison -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """One field of one pair: the level reached and the values that reached it."""

    field: str
    level: str | None  # None: one side does not say
    left: str = ""
    right: str = ""
    similarity: float | None = None
    weight: float = 0.0

    @property
    def label(self) -> str:
        return str(FIELD_LABELS[self.field])

    @property
    def level_label(self) -> str:
        return str(LEVEL_LABELS[self.level]) if self.level else str(_("not known on both sides"))


def _name_level(similarity: float) -> str:
    if similarity >= 0.999:
        return AGREE
    return PARTLY if similarity >= PARTLY_SIMILARITY else DISAGREE


def _best(pairs: Iterable[tuple[tuple, tuple]]) -> tuple[float, str, str]:
    best, left, right = -1.0, "", ""
    for left_tokens, right_tokens in pairs:
        if not left_tokens or not right_tokens:
            continue
        similarity, a, b = tokens_similarity(left_tokens, right_tokens)
        if similarity > best:
            best, left, right = similarity, str(a), str(b)
    return best, left, right


def _compare_names(
    field_name: str, pairs: list[tuple[tuple, tuple]], fallback: list[tuple[tuple, tuple]] = ()
) -> Comparison:
    similarity, left, right = _best(pairs)
    if similarity < 0:
        return Comparison(field_name, None)
    level = _name_level(similarity)
    if level == DISAGREE and fallback:
        # swapped order ("Huseinova Khadija"): a given name found elsewhere is only "partly"
        other, other_left, other_right = _best(fallback)
        if other >= PARTLY_SIMILARITY:
            return Comparison(field_name, PARTLY, other_left, other_right, round(other, 3))
    return Comparison(field_name, level, left, right, round(similarity, 3))


def _father_tokens(record: Record) -> list[tuple]:
    """The father's name wherever a record gives it: a parent's own name, the father part of
    a name chain or patronymic, or the second word of a two-word Arabic name, which Iraqi
    registers use for the father's name as often as for a surname."""
    found = [name.tokens for name in record.father]
    for name in record.names:
        if name.father:
            found.append(name.father)
        elif (
            name.script == "Arab"
            and len(name.tokens) == 2
            and name.family
            and name.family[0].feminine is None
        ):
            found.append(name.family)
    return found


def birth_level(a: Record, b: Record) -> str | None:
    """The birth agreement level of two records (None: one side does not say).

    Apart from `compare_birth` so that batch scoring (`PairScorer`) and its pre-test read the
    level without building the descriptions an explanation shows.
    """
    return _birth_level_of_days(_birth_days(a), _birth_days(b))


def _birth_days(record: Record) -> tuple[int, int, bool] | None:
    """(earliest, latest, exact) birth as day numbers (date.toordinal), or None."""
    if not (record.born_earliest and record.born_latest):
        return None
    return record.born_earliest.toordinal(), record.born_latest.toordinal(), record.exact_birth


def _birth_level_of_days(a: tuple[int, int, bool] | None, b: tuple[int, int, bool] | None):
    """`birth_level` on `_birth_days` values: integer day gaps, no date objects per pair."""
    if a is None or b is None:
        return None
    (a_earliest, a_latest, a_exact), (b_earliest, b_latest, b_exact) = a, b
    if a_exact and b_exact and a_earliest == b_earliest:
        return AGREE
    gap = max(b_earliest - a_latest, a_earliest - b_latest, 0)
    if gap == 0:
        return PARTLY
    return NEAR if gap <= NEAR_DAYS else DISAGREE


def compare_birth(a: Record, b: Record) -> Comparison:
    level = birth_level(a, b)
    if level is None:
        return Comparison("birth", None)
    return Comparison("birth", level, _describe_range(a), _describe_range(b))


def _describe_range(record: Record) -> str:
    if record.exact_birth or record.born_earliest == record.born_latest:
        return record.born_earliest.isoformat()
    return f"{record.born_earliest.isoformat()} / {record.born_latest.isoformat()}"


def compare(a: Record, b: Record) -> dict[str, Comparison]:
    """Field-by-field agreement of two records (no weights yet)."""
    given_pairs = [(x.given, y.given) for x in a.names for y in b.names]
    swapped = [(x.given, y.tokens) for x in a.names for y in b.names]
    family_pairs = [(x.family or x.others, y.others) for x in a.names for y in b.names]
    family_swapped = [(x.family or x.others, y.given) for x in a.names for y in b.names]
    comparisons = {
        "given": _compare_names("given", given_pairs, swapped),
        "family": _compare_names("family", family_pairs, family_swapped),
        "birth": compare_birth(a, b),
        "sex": (
            Comparison("sex", AGREE if a.sex == b.sex else DISAGREE, a.sex, b.sex)
            if a.sex and b.sex
            else Comparison("sex", None)
        ),
        "mother": _compare_names(
            "mother", [(x.tokens, y.tokens) for x in a.mother for y in b.mother]
        ),
        "father": _compare_names(
            "father", [(x, y) for x in _father_tokens(a) for y in _father_tokens(b)]
        ),
    }
    return comparisons


# -- parameters -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Parameters:
    """m and u per field and level, the threshold that best separated the labelled pairs,
    and where they came from (for the documentation and the explanation page)."""

    m: dict[str, dict[str, float]]
    u: dict[str, dict[str, float]]
    threshold: float
    source: str = ""
    pairs: int = 0

    def weight(self, field_name: str, level: str | None) -> float:
        if level is None:
            return 0.0
        return math.log2(self.m[field_name][level] / self.u[field_name][level])


def _frequencies(
    vectors: Sequence[dict[str, str | None]], smoothing: float = 0.5
) -> dict[str, dict[str, float]]:
    """Share of each level per field among the pairs that state the field (Laplace-smoothed)."""
    table = {}
    for field_name, levels in LEVELS.items():
        counts = Counter(vector[field_name] for vector in vectors if vector.get(field_name))
        total = sum(counts.values()) + smoothing * len(levels)
        table[field_name] = {level: (counts[level] + smoothing) / total for level in levels}
    return table


def estimate_parameters(
    matches: Sequence[dict[str, str | None]],
    non_matches: Sequence[dict[str, str | None]],
    *,
    source: str = "",
) -> Parameters:
    """m from labelled true pairs, u from unrelated pairs; threshold maximising F1 on them."""
    m, u = _frequencies(matches), _frequencies(non_matches)
    params = Parameters(
        m=m, u=u, threshold=0.5, source=source, pairs=len(matches) + len(non_matches)
    )
    # the labelled set's own prior: the share of true pairs among all pairs
    prior = math.log2(len(matches) / len(non_matches)) if matches and non_matches else 0.0
    scored = [(_probability(params, vector, prior), True) for vector in matches]
    scored += [(_probability(params, vector, prior), False) for vector in non_matches]
    threshold = _best_threshold(scored)
    return Parameters(m=m, u=u, threshold=threshold, source=source, pairs=params.pairs)


def _best_threshold(scored: list[tuple[float, bool]]) -> float:
    positives = sum(1 for _score, label in scored if label)
    best_f1, best = -1.0, 0.5
    true_pos = false_pos = 0
    ordered = sorted(scored, key=lambda item: -item[0])
    for index, (value, label) in enumerate(ordered):
        true_pos += label
        false_pos += not label
        if index + 1 < len(ordered) and ordered[index + 1][0] == value:
            continue
        f1 = 2 * true_pos / (positives + true_pos + false_pos) if positives else 0.0
        if f1 > best_f1:
            best_f1, best = f1, value
    return round(min(max(best, 0.5), 0.99), 3)


def _probability(params: Parameters, vector: dict[str, str | None], extra: float = 0.0) -> float:
    total = extra + sum(params.weight(field_name, vector.get(field_name)) for field_name in FIELDS)
    return 1.0 / (1.0 + 2.0 ** (-total))


@functools.cache
def parameters() -> Parameters:
    """The parameters estimated from the seeded synthetic set (computed once per process)."""
    from homeward.matching.synthetic import labelled_vectors

    matches, non_matches = labelled_vectors()
    return estimate_parameters(matches, non_matches, source="synthetic")


# -- scoring --------------------------------------------------------------------------------


@dataclass
class Candidate:
    """A registry person scored against the query, with the comparison that explains it."""

    person: object
    score: float
    comparisons: list[Comparison] = field(default_factory=list)

    @property
    def agreed(self) -> list[Comparison]:
        return [item for item in self.comparisons if item.level in (AGREE, PARTLY, NEAR)]


def score(
    a: Record,
    b: Record,
    params: Parameters | None = None,
    given_frequency: float | None = None,
    prior: float = 0.5,
    compared: dict[str, Comparison] | None = None,
) -> tuple[float, list[Comparison]]:
    """(probability in 0..1, comparisons with their weights) for one pair.

    `prior` is the chance, before comparing, that the two are the same person: 1/(N+1)
    when one record is sought among N. `given_frequency` is the share of the registry
    bearing the agreed given name; when it is larger than u (a common name), the agreement
    weighs log2(m/frequency) instead.
    """
    params = params or parameters()
    compared = compared or compare(a, b)
    weighted, total = [], 0.0
    for field_name in FIELDS:
        item = compared[field_name]
        weight = params.weight(field_name, item.level)
        if field_name == "given" and item.level == AGREE and given_frequency:
            u = max(params.u["given"][AGREE], given_frequency)
            weight = math.log2(params.m["given"][AGREE] / u)
        total += weight
        weighted.append(
            Comparison(
                item.field, item.level, item.left, item.right, item.similarity, round(weight, 2)
            )
        )
    total += math.log2(prior / (1.0 - prior))
    return 1.0 / (1.0 + 2.0 ** (-total)), weighted


def given_keys(record: Record) -> set[str]:
    """The phonetic keys of a record's given names (for the common-name adjustment)."""
    return {key for name in record.names for item in name.given for key in item.keys}


def score_pair(
    a: Record,
    b: Record,
    params: Parameters,
    *,
    frequencies: Mapping[str, float],
    prior: float,
) -> tuple[float, list[Comparison]]:
    """Score `a` sought among a population whose given-name key shares are `frequencies`.

    The one place where the comparison, the common-name adjustment and the prior meet: the
    search page, the registration check and `homeward link` all call it, so a pair scores
    the same wherever it is met.
    """
    compared = compare(a, b)
    frequency = None
    if compared["given"].level == AGREE:
        frequency = max((frequencies.get(key, 0.0) for key in given_keys(a)), default=None)
    return score(a, b, params, given_frequency=frequency, prior=prior, compared=compared)


class _Features:
    """One record's comparable parts, as `compare` pairs them, computed once per record.

    Each name part is a tuple of token tuples (one per name) of token forms (`token_form`):
    the same tokens `compare` reads, in the same groupings. Birth is kept as day numbers.
    """

    __slots__ = (
        "born",
        "family",
        "father",
        "given",
        "given_agree",
        "mother",
        "others",
        "sex",
        "tokens",
    )

    def __init__(self, record: Record, part, given_agree: float) -> None:
        self.born = _birth_days(record)
        self.sex = record.sex
        self.given = part(x.given for x in record.names)
        self.tokens = part(x.tokens for x in record.names)
        self.family = part(x.family or x.others for x in record.names)
        self.others = part(x.others for x in record.names)
        self.mother = part(x.tokens for x in record.mother)
        self.father = part(_father_tokens(record))
        self.given_agree = given_agree


def _best_similarity(left: tuple, right: tuple) -> float:
    """`_best`'s similarity alone: -1.0 when no pair of names has tokens on both sides."""
    best = -1.0
    for left_tokens in left:
        if not left_tokens:
            continue
        for right_tokens in right:
            if not right_tokens:
                continue
            for a in left_tokens:
                for b in right_tokens:
                    similarity = forms_similarity(a, b)
                    if similarity > best:
                        best = similarity
    return best


def _names_level(pairs: tuple[tuple, tuple], fallback: tuple[tuple, tuple] | None = None):
    """`_compare_names`'s level alone, by the same rules (the fallback lifts a disagreement
    to "partly" when a given name is found elsewhere)."""
    similarity = _best_similarity(*pairs)
    if similarity < 0:
        return None
    level = _name_level(similarity)
    if (
        level == DISAGREE
        and fallback is not None
        and _best_similarity(*fallback) >= PARTLY_SIMILARITY
    ):
        return PARTLY
    return level


class PairScorer:
    """`score_pair`'s probability for many pairs of one population, without explanations.

    Batch linking (`link.link_records`) scores millions of candidate pairs and keeps only the
    probability; building six Comparison objects, date descriptions and rounded weights per
    pair was most of its time. This reaches the same levels by the same rules, and adds the
    same weights in the same order (FIELDS, then the prior), so the value equals
    `score_pair`'s exactly (tests/matching/test_engine.py compares them). The parts of a
    record (`features`) are computed once per record, not once per pair; token similarity
    is memoised (`names.forms_similarity`).

    `probability(..., floor=...)` stops as soon as the fields still to compare could not
    lift the pair to `floor` even at their best weight, and returns None: an exact test,
    since only the pairs it drops could not have been kept.

    Batch linking uses the array path: `table` lays a list's parts out as arrays once, and
    `totals` scores a whole chunk of candidate pairs with the same rules, order of sums and
    floor tests (`matching.vectors`); `probabilities` gives the same floats as `probability`.
    """

    def __init__(self, params: Parameters, *, frequencies: Mapping[str, float], prior: float):
        self.params = params
        self.frequencies = frequencies
        self.weights = {
            (field_name, level): params.weight(field_name, level)
            for field_name, levels in LEVELS.items()
            for level in (*levels, None)
        }
        # the best weight each field can add (a field neither side states adds 0)
        self.best = {
            field_name: max(0.0, *(self.weights[field_name, level] for level in levels))
            for field_name, levels in LEVELS.items()
        }
        self.prior_weight = math.log2(prior / (1.0 - prior))
        self._forms: dict = {}
        # the array path (`table`, `totals`): weights by level code (vectors.CODES), and ids
        # for the distinct name tokens, keys and canonical Latin forms met
        self._weight_codes: dict = {}
        self._keys: dict[str, int] = {}
        self._latins: dict[str, int] = {}
        self._strings: dict[str, tuple[int, object]] = {}

    def _form(self, item) -> tuple:
        form = token_form(item)
        return self._forms.setdefault(form, form)  # one tuple per distinct form, not per token

    def _part(self, groups: Iterable[tuple]) -> tuple:
        return tuple(tuple(self._form(item) for item in group) for group in groups)

    def given_agree(self, record: Record) -> float:
        """The record's given-name agreement weight (common-name adjusted as `score` does it,
        with `score_pair`'s frequency)."""
        weight = self.weights["given", AGREE]
        frequency = max(
            (self.frequencies.get(key, 0.0) for key in given_keys(record)), default=None
        )
        if frequency:
            u = max(self.params.u["given"][AGREE], frequency)
            weight = math.log2(self.params.m["given"][AGREE] / u)
        return weight

    def features(self, record: Record) -> _Features:
        """The record's parts, and its given-name agreement weight."""
        return _Features(record, self._part, self.given_agree(record))

    def needed(self, floor: float | None) -> float:
        """The total field weight a pair needs to reach `floor` (-inf: no floor), less a
        margin far above rounding error."""
        if floor is None or not 0 < floor < 1:
            return -math.inf
        return math.log2(floor / (1 - floor)) - self.prior_weight - 1e-9

    def table(self, records: Sequence[Record]):
        """`records`' parts as arrays (`vectors.FeatureTable`), for `totals`."""
        from homeward.matching import vectors

        if not self._weight_codes:
            self._key_classes, self._latin_classes = vectors.similarity_classes()
            for field_name in FIELDS:
                values = [0.0] * len(vectors.CODES)
                for level, code in vectors.CODES.items():
                    if level is None or level in LEVELS[field_name]:
                        values[code] = self.weights[field_name, level]
                self._weight_codes[field_name] = vectors.float_array(values)
        return vectors.build_table(self, records)

    def totals(self, a, b, left, right, floor: float | None = None):
        """(positions, totals) of many pairs at once: the pairs (`a`'s row `left[k]`, `b`'s
        row `right[k]`) of two `table`s that can reach `floor` (all with no floor), by their
        positions k, and their total weights, prior included (`vectors.totals`)."""
        from homeward.matching import vectors

        return vectors.totals(self, a, b, left, right, floor)

    def probabilities(self, a, b, left, right) -> list[float]:
        """`probability` of every pair (`a`'s row `left[k]`, `b`'s row `right[k]`) of two
        `table`s: the same floats, from array scoring."""
        from homeward.matching import vectors

        _positions, weights = vectors.totals(self, a, b, left, right)
        return vectors.probabilities(weights)

    def _key_id(self, key: str) -> int:
        return self._keys.setdefault(key, len(self._keys))

    def _latin_id(self, latin: str) -> int:
        return self._latins.setdefault(latin, len(self._latins))

    def _array_of(self, name: str, ids: dict[str, int]):
        """The strings of `ids` as an array indexed by id (rebuilt when new ones came)."""
        from homeward.matching import vectors

        count, found = self._strings.get(name, (-1, None))
        if count != len(ids):
            found = vectors.object_array(list(ids))
            self._strings[name] = (len(ids), found)
        return found

    @property
    def _key_strings(self):
        return self._array_of("keys", self._keys)

    @property
    def _latin_strings(self):
        return self._array_of("latins", self._latins)

    def probability(self, a: _Features, b: _Features, floor: float | None = None) -> float | None:
        """The probability that `a` and `b` are the same person, as `score_pair` gives it;
        None when a `floor` is given and the pair cannot reach it."""
        weights, best = self.weights, self.best
        needed = self.needed(floor)
        birth = weights["birth", _birth_level_of_days(a.born, b.born)]
        sex = weights["sex", (AGREE if a.sex == b.sex else DISAGREE)] if a.sex and b.sex else 0.0
        known = birth + sex
        if known + best["given"] + best["family"] + best["father"] + best["mother"] < needed:
            return None
        level = _names_level((a.given, b.given), (a.given, b.tokens))
        given = a.given_agree if level == AGREE else weights["given", level]
        known += given
        if known + best["family"] + best["father"] + best["mother"] < needed:
            return None
        family = weights["family", _names_level((a.family, b.others), (a.family, b.given))]
        known += family
        if known + best["father"] + best["mother"] < needed:
            return None
        father = weights["father", _names_level((a.father, b.father))]
        known += father
        if known + best["mother"] < needed:
            return None
        mother = weights["mother", _names_level((a.mother, b.mother))]
        # summed in `score`'s order (FIELDS), so the float is the same to the last bit
        total = 0.0
        for weight in (given, family, birth, sex, mother, father):
            total += weight
        total += self.prior_weight
        return 1.0 / (1.0 + 2.0 ** (-total))


# -- the registry side ------------------------------------------------------------------------


def _names_by_person(person_ids) -> dict:
    """Parsed names per person id, read as plain values (no model instances: this is hot)."""
    from homeward.people.models import PersonName

    found: dict = {}
    rows = PersonName.objects.filter(person_id__in=list(person_ids)).values_list(
        "person_id", "full_text", "script", "given", "father", "grandfather", "family", "name_type"
    )
    for person_id, full_text, script, given, father, grandfather, family, name_type in rows:
        parsed = parse_name(
            full_text,
            script=script,
            given=given,
            father=father,
            grandfather=grandfather,
            family=family,
            name_type=name_type,
        )
        if parsed.tokens:
            found.setdefault(person_id, []).append(parsed)
    return found


def registry_records(user, person_ids) -> dict:
    """Records for registry people the caller already knows `user` may see.

    Parents' names come through Relationship rows visible to the same user, so a parent
    outside the user's scope never informs (or appears in) a comparison. `user=None` is the
    system's own view (the `find_duplicates` batch job run by an operator): every parent.
    """
    from homeward.people.models import Person, Relationship

    rows = Person.objects.filter(pk__in=list(person_ids)).values_list(
        "pk", "sex", "date_of_birth", "dob_precision", "dob_earliest", "dob_latest"
    )
    relationships = (
        Relationship.objects.all() if user is None else Relationship.objects.for_user(user, "view")
    )
    links = list(
        relationships.filter(
            person_id__in=list(person_ids), relationship_type__in=("mother", "father")
        ).values_list("person_id", "relationship_type", "relative_id")
    )
    names = _names_by_person([*person_ids, *(relative for _p, _t, relative in links)])
    parents: dict = {}
    for person_id, relationship_type, relative_id in links:
        parents.setdefault(person_id, {}).setdefault(relationship_type, []).extend(
            name for name in names.get(relative_id, ()) if not name.is_kunya
        )
    records = {}
    for pk, sex, dob, precision, earliest, latest in rows:
        born_earliest, born_latest, exact = birth_range(dob, precision, earliest, latest)
        own = parents.get(pk, {})
        records[pk] = Record(
            names=tuple(name for name in names.get(pk, ()) if not name.is_kunya),
            sex=sex if sex in ("female", "male") else "",
            born_earliest=born_earliest,
            born_latest=born_latest,
            exact_birth=exact,
            mother=tuple(own.get("mother", ())),
            father=tuple(own.get("father", ())),
            ref=pk,
        )
    return records


def _visible_key(visible) -> Exists:
    """The key row's person is in `visible`, tested per key row.

    A correlated EXISTS, not `person__in=visible`: SQLite materialises an IN subquery (every
    visible person, 100k rows in the benchmark) on each lookup before reading the few
    thousand key rows the blocking keys select; the per-row primary-key probe keeps a lookup
    proportional to those rows, whatever the registry's size.
    """
    return Exists(visible.filter(pk=OuterRef("person_id")))


def _key_counts(visible, keys) -> dict[tuple[str, str], int]:
    """How many people in `visible` carry each key, per name part: one grouped read of the
    covering index (key, part, person), each key row probed for visibility."""
    from homeward.matching.models import NameKey

    if not keys:
        return {}
    rows = (
        NameKey.objects.filter(_visible_key(visible), key__in=keys)
        .values_list("key", "part")
        .annotate(people=Count("person", distinct=True))
        .order_by()
    )
    return {(key, part): people for key, part, people in rows}


def _given_frequencies(
    record: Record, counts: Mapping[tuple[str, str], int], population: int
) -> dict[str, float]:
    """Share of visible people whose given name has each of the query's given-name keys."""
    from homeward.matching.models import NameKey

    total = population or 1
    return {
        key: people / total
        for (key, part), people in counts.items()
        if part == NameKey.GIVEN and key in given_keys(record)
    }


# Distances (days) from the sought birth range to a registry person's recorded date of birth,
# nearest first: the pre-rank's finer birth order. A year-only date is kept as mid-year, so
# the first half-year still "partly" agrees; past NEAR_DAYS beyond that it disagrees.
_BIRTH_BANDS = (0, 31, 92, 183, 366, 183 + NEAR_DAYS, 2 * 366, 3 * 366, 4 * 366)


def _birth_terms(record: Record, params: Parameters) -> tuple[object, object]:
    """(weight, band) SQL expressions for a key row's person's date of birth: the weight its
    birth level would add (PARTLY within half a year of the range, NEAR up to NEAR_DAYS
    further, AGREE for the same exact day) and the index of its distance band."""
    if not (record.born_earliest and record.born_latest):
        return Value(0.0), Value(0)
    dob = "person__date_of_birth"

    def within(days: int) -> Q:
        margin = datetime.timedelta(days=days)
        return Q(**{f"{dob}__range": (record.born_earliest - margin, record.born_latest + margin)})

    weights = []
    if record.exact_birth:
        weights.append(
            When(
                Q(**{dob: record.born_earliest}, person__dob_precision="day"),
                then=Value(params.weight("birth", AGREE)),
            )
        )
    weights += [
        When(within(183), then=Value(params.weight("birth", PARTLY))),
        When(within(183 + NEAR_DAYS), then=Value(params.weight("birth", NEAR))),
        When(**{f"{dob}__isnull": True}, then=Value(0.0)),
    ]
    weight = Case(
        *weights, default=Value(params.weight("birth", DISAGREE)), output_field=FloatField()
    )
    band = Case(
        *(When(within(days), then=Value(index)) for index, days in enumerate(_BIRTH_BANDS)),
        default=Value(len(_BIRTH_BANDS)),
        output_field=IntegerField(),
    )
    return weight, band


def _pre_rank(
    record: Record, keys, counts: Mapping[tuple[str, str], int], population: int, params
) -> tuple[object, object]:
    """(rank, band): a cheap estimate of the score, computed in SQL per blocked person.

    Each distinct query key the person carries adds its rarity, log2 of the population over
    the people carrying it (sharing a rare family name says more than sharing "Muhammad"),
    then the weight birth and sex would add. Blocking hits alone tie by the hundred in a large
    registry; among them this keeps the people born when the sought child was.
    """
    people: Counter = Counter()
    for (key, _part), count in counts.items():
        people[key] += count
    total = population + 1
    terms = [
        Max(
            Case(
                When(key=key, then=Value(math.log2(total / (people[key] + 1)))),
                default=Value(0.0),
                output_field=FloatField(),
            )
        )
        for key in sorted(keys)
        if people[key]
    ]
    birth_weight, band = _birth_terms(record, params)
    terms.append(Max(birth_weight))
    if record.sex:
        terms.append(
            Max(
                Case(
                    When(person__sex=record.sex, then=Value(params.weight("sex", AGREE))),
                    When(
                        person__sex__in=("female", "male"),
                        then=Value(params.weight("sex", DISAGREE)),
                    ),
                    default=Value(0.0),
                    output_field=FloatField(),
                )
            )
        )
    rank = terms[0]
    for term in terms[1:]:
        rank = rank + term
    return rank, Min(band)


def find_candidates(
    user,
    record: Record,
    *,
    kind: str | None = "child",
    limit: int = 20,
    min_score: float = 0.0,
    exclude=None,
    params: Parameters | None = None,
    among=None,
) -> list[Candidate]:
    """Registry people the user may see who may be the person described, best first.

    `among` replaces the user's scope by an explicit population: the system's own view
    (`user=None`) used when tracing requests are matched, whose stored results are then
    scoped on reading.

    Blocking finds everyone sharing a phonetic key; the SCORED_CANDIDATES of them scored in
    full are the best by `_pre_rank` (key rarity, birth, sex), then by birth distance, so
    which of many people tied on their keys are scored never depends on their ids.
    """
    from homeward.matching.models import NameKey
    from homeward.people.models import Person

    params = params or parameters()
    visible = among if among is not None else Person.objects.for_user(user, "view")
    if kind:
        visible = visible.filter(kind=kind)
    if exclude is not None:
        visible = visible.exclude(pk=exclude)
    keys = set()
    for name in record.names:
        keys |= name.keys
    if not keys:
        return []
    candidates = visible
    if record.born_earliest and record.born_latest:
        window = datetime.timedelta(days=5 * 366)
        candidates = candidates.filter(
            Q(date_of_birth__isnull=True)
            | Q(
                date_of_birth__range=(
                    record.born_earliest - window,
                    record.born_latest + window,
                )
            )
        )
    population = visible.count()
    counts = _key_counts(visible, keys)
    if not counts:
        return []
    rank, band = _pre_rank(record, keys, counts, population, params)
    # the birth window inside the per-row probe: one person lookup per key row, not two
    blocked = NameKey.objects.filter(_visible_key(candidates), key__in=keys)
    ranked = (
        blocked.values("person_id")
        .annotate(rank=rank, band=band)
        .order_by(F("rank").desc(), "band", "person_id")
    )
    ids = [row["person_id"] for row in ranked[:SCORED_CANDIDATES]]
    if not ids:
        return []
    order = {pk: position for position, pk in enumerate(ids)}
    frequencies = _given_frequencies(record, counts, population)
    prior = 1.0 / (population + 1)
    scored = []
    for pk, other in registry_records(user, ids).items():
        probability, comparisons = score_pair(
            record, other, params, frequencies=frequencies, prior=prior
        )
        if probability >= min_score:
            scored.append((probability, pk, comparisons))
    # equal scores keep the pre-rank's order (birth distance), never the ids' order
    scored.sort(key=lambda item: (-item[0], order[item[1]]))
    scored = scored[:limit]
    # by primary key, scope re-checked per row: `visible.filter(pk__in=...)` lets SQLite
    # walk every child of the scope's (merged_into, kind) index instead
    people = (
        Person.objects.filter(pk__in=[pk for _score, pk, _c in scored])
        .filter(Exists(visible.filter(pk=OuterRef("pk"))))
        .select_related("case", "case__home_state")
        .prefetch_related("names")
        .in_bulk()
    )
    return [
        Candidate(person=people[pk], score=round(value, 3), comparisons=comparisons)
        for value, pk, comparisons in scored
        if pk in people
    ]


def possible_duplicates(
    user, *, names: Iterable[dict], fields: dict, limit: int = 10
) -> list[Candidate]:
    """Children the user may see who look like the child about to be registered.

    Only candidates at or above the estimated threshold are returned: the registration page
    then asks the officer to confirm before anything is written.
    """
    params = parameters()
    earliest, latest, exact = birth_range(
        fields.get("date_of_birth"),
        fields.get("dob_precision") or "",
        fields.get("dob_earliest"),
        fields.get("dob_latest"),
    )
    record = record_for_query(
        names=list(names),
        sex=fields.get("sex") or "",
        born_earliest=earliest,
        born_latest=latest,
        exact_birth=exact,
    )
    return find_candidates(user, record, limit=limit, min_score=params.threshold, params=params)


def sample_pairs(items: Sequence, count: int, seed: int = 7) -> list[tuple]:
    """`count` random pairs of distinct items (seeded): the unrelated pairs for u."""
    rng = random.Random(seed)  # noqa: S311 (sampling for estimation, not security)
    if len(items) < 2:
        return []
    pairs = []
    for _index in range(count):
        left, right = rng.sample(range(len(items)), 2)
        pairs.append((items[left], items[right]))
    return pairs
