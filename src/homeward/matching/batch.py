"""The batch path on Splink (DuckDB): the same lists, the same normalisation, another engine.

Homeward's own matcher (`matching.link`) is the default. Splink is here because it is the
route beyond one machine (its Spark backend runs the same settings), and because the
benchmark must compare both on the same data. Homeward's normalisation feeds Splink: each
row is parsed by `engine.record_from_row`, and Splink compares the phonetic keys and
vowelled Latin forms that parsing gives, never the raw Arabic or Cyrillic text — unless
`normalise=False`, which is the "plain Splink" pipeline the benchmark measures against.

Splink is imported lazily: the web application never needs it.
"""

from __future__ import annotations

import logging
import math
import tempfile
from collections.abc import Callable, Sequence

from django.utils.translation import gettext as _

from homeward.matching.engine import Record, parameters, record_from_row

__all__ = ["BLOCKING", "features", "splink_link"]

SEED = 20190710
U_PAIRS = 1e6  # u-estimation cost scales with this, not with the data (reference/linkage.md)


def _first(tokens) -> tuple[str | None, str | None]:
    for item in tokens:
        if item.key:
            return item.key, item.latin or None
    return None, None


def _year(record: Record) -> int | None:
    earliest, latest = record.born_earliest, record.born_latest
    if earliest and latest and earliest.year == latest.year:
        return earliest.year
    return None


def features(row: dict[str, str], *, normalise: bool = True) -> dict:
    """One row as Splink's input: Homeward's keys and Latin forms, or the raw cells."""
    record = record_from_row(row, ref=row["record_id"])
    dob = record.born_earliest.isoformat() if record.exact_birth else None
    common = {
        "unique_id": row["record_id"],
        "sex": record.sex or None,
        "birth_year": _year(record),
        "dob": dob,
    }
    if not normalise:

        def raw(column: str) -> str | None:
            return (row.get(column) or "").strip().casefold() or None

        return {
            **common,
            "given": raw("given_name"),
            "family": raw("family_name"),
            "father": raw("father_name"),
            "mother": raw("mother_name"),
            "given_latin": raw("given_name"),
            "family_latin": raw("family_name"),
        }
    name = record.names[0] if record.names else None
    given_key, given_latin = _first(name.given) if name else (None, None)
    family_key, family_latin = _first(name.family or name.others) if name else (None, None)
    father_key = None
    for parsed in (*record.father, *(n for n in record.names if n.father)):
        father_key = _first(parsed.father or parsed.tokens)[0]
        if father_key:
            break
    mother_key = _first(record.mother[0].tokens)[0] if record.mother else None
    return {
        **common,
        "given": given_key,
        "family": family_key,
        "father": father_key,
        "mother": mother_key,
        "given_latin": given_latin,
        "family_latin": family_latin,
    }


# Splink's blocking rules for predictions: pairs agreeing on both columns of one rule
BLOCKING = (("given", "family"), ("given", "birth_year"), ("family", "birth_year"))


def _settings(link_type: str, prior: float, blocking: Sequence[Sequence[str]] = BLOCKING):
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def name(column: str) -> object:
        return cl.CustomComparison(
            output_column_name=column,
            comparison_levels=[
                cll.NullLevel(column),
                cll.ExactMatchLevel(column).configure(tf_adjustment_column=column),
                cll.JaroWinklerLevel(f"{column}_latin", 0.92),
                cll.JaroWinklerLevel(f"{column}_latin", 0.8),
                cll.ElseLevel(),
            ],
        )

    birth = cl.CustomComparison(
        output_column_name="birth",
        comparison_levels=[
            cll.CustomLevel("dob_l IS NULL AND birth_year_l IS NULL").configure(is_null_level=True),
            cll.CustomLevel("dob_r IS NULL AND birth_year_r IS NULL").configure(is_null_level=True),
            cll.ExactMatchLevel("dob"),
            cll.ExactMatchLevel("birth_year"),
            cll.CustomLevel("abs(birth_year_l - birth_year_r) <= 1"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type=link_type,
        probability_two_random_records_match=prior,
        comparisons=[
            name("given"),
            name("family"),
            birth,
            cl.ExactMatch("sex"),
            cl.ExactMatch("father"),
            cl.ExactMatch("mother"),
        ],
        blocking_rules_to_generate_predictions=[block_on(*columns) for columns in blocking],
        retain_intermediate_calculation_columns=False,
    )


def splink_link(
    left_rows: Sequence[dict],
    right_rows: Sequence[dict] | None = None,
    *,
    threshold: float | None = None,
    normalise: bool = True,
    progress: Callable[[str], None] | None = None,
    blocking: Sequence[Sequence[str]] = BLOCKING,
) -> list:
    """Splink's scored pairs (`link.Pair`) at or above `threshold`, best first.

    Trained unsupervised, as Splink is used: u from 1e6 seeded random pairs, m by EM on two
    blocking rules (name keys; exact birth date), the prior from the list sizes. Pairs are
    predicted among those agreeing on all the columns of one of the `blocking` rules.
    """
    import duckdb
    import pandas as pd
    from splink import DuckDBAPI, Linker, block_on

    from homeward.matching.link import Pair

    logging.getLogger("splink").setLevel(logging.ERROR)
    threshold = parameters().threshold if threshold is None else threshold
    left = pd.DataFrame([features(row, normalise=normalise) for row in left_rows])
    right = (
        pd.DataFrame([features(row, normalise=normalise) for row in right_rows])
        if right_rows is not None
        else None
    )
    dedup = right is None
    size = len(left) if dedup else len(right)
    prior = 1.0 / max(size, 2)
    with tempfile.TemporaryDirectory(prefix="homeward-splink-") as spill:
        connection = duckdb.connect()
        connection.execute(f"SET temp_directory = '{spill}'")
        db_api = DuckDBAPI(connection)
        tables = [db_api.register(left, table_name="homeward_left")]
        if not dedup:
            tables.append(db_api.register(right, table_name="homeward_right"))
        linker = Linker(
            tables if not dedup else tables[0],
            _settings("dedupe_only" if dedup else "link_only", prior, blocking),
            log_level=logging.ERROR,
        )
        if progress:
            progress(_("Splink: estimating u from random pairs."))
        linker.training.estimate_u_using_random_sampling(max_pairs=U_PAIRS, seed=SEED)
        for rule in (block_on("given", "family"), block_on("dob")):
            if progress:
                progress(_("Splink: estimating m by expectation maximisation."))
            try:
                linker.training.estimate_parameters_using_expectation_maximisation(rule)
            except Exception as error:  # noqa: BLE001 (a rule with no pairs: keep the others)
                if progress:
                    reason = str(error).splitlines()[0]
                    progress(_("Splink: one training pass skipped ({error}).").format(error=reason))
        if progress:
            progress(_("Splink: scoring pairs."))
        predicted = linker.inference.predict(threshold_match_probability=threshold)
        frame = predicted.as_pandas_dataframe()
        connection.close()
    pairs = []
    for row in frame.itertuples(index=False):
        a, b = str(row.unique_id_l), str(row.unique_id_r)
        if not dedup and getattr(row, "source_dataset_l", "") == "homeward_right":
            a, b = b, a
        value = float(row.match_probability)
        if math.isnan(value) or value < threshold:
            continue
        pairs.append(Pair(a, b, round(value, 4)))
    pairs.sort(key=lambda pair: (-pair.score, pair.left_id, pair.right_id))
    return pairs
