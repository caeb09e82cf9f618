"""`homeward link`: outside lists linked across scripts, deduplicated, or against the registry."""

import csv
import dataclasses
import datetime

import pytest
from django.core.management import CommandError, call_command

from homeward.audit.models import AuditEvent
from homeward.matching import events, link
from homeward.matching.engine import (
    PairScorer,
    parameters,
    parse_dob,
    record_from_row,
    score_pair,
)
from homeward.matching.link import COLUMNS, block_pairs, records_from_rows
from homeward.matching.synthetic import linked_lists

HEADER = ",".join(COLUMNS)


def _write(path, lines, header=HEADER, encoding="utf-8"):
    path.write_bytes(("\n".join([header, *lines]) + "\n").encode(encoding))
    return path


def _pairs(path):
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def lists(tmp_path):
    home = _write(
        tmp_path / "home.csv",
        [
            "RU-1,Хадижат,Гусейнова,,Зульфия Гусейнова,f,2016-03-01,RU",
            "RU-2,Адам,Гусейнов,,,m,2014,RU",
            "TJ-1,Фотима,Раҳимова,,,f,2017-09,TJ",
        ],
    )
    host = _write(
        tmp_path / "host.csv",
        [
            "H-1,خديجة,حسينوفا,,زلفية حسينوفا,female,2016,",
            "H-2,محمد,كريموف,,,male,2012,",
            "H-3,فاطمة,رحيموفا,,,female,2017,",
        ],
    )
    return home, host


def test_links_two_lists_across_scripts(lists, tmp_path):
    # given a Russian list in Cyrillic and an Iraqi register in Arabic script
    home, host = lists
    out = tmp_path / "pairs.csv"
    # when linked
    call_command("link", str(home), str(host), "--out", str(out))
    # then the same children are paired, best first, and the stranger is not
    rows = _pairs(out)
    assert [(row["left_id"], row["right_id"]) for row in rows] == [("RU-1", "H-1"), ("TJ-1", "H-3")]
    scores = [float(row["score"]) for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert all(0.5 <= value <= 1.0 for value in scores)


def test_threshold_keeps_weaker_pairs_out(lists, tmp_path):
    home, host = lists
    out = tmp_path / "pairs.csv"
    call_command("link", str(home), str(host), "--out", str(out), "--threshold", "0.999999")
    assert _pairs(out) == []


def test_one_file_is_deduplicated(tmp_path):
    # given one list naming Khadija three times in three scripts, and her brother
    path = _write(
        tmp_path / "list.csv",
        [
            "1,Khadija,Huseinova,,,f,2016-03-01,RU",
            "2,Хадижат,Гусейнова,,,f,2016-03-01,RU",
            "3,Adam,Huseinov,,,m,2014-05-02,RU",
            "4,خديجة,حسينوفا,,,f,2016,",
        ],
    )
    out = tmp_path / "pairs.csv"
    # when deduplicated
    call_command("link", str(path), "--out", str(out))
    # then her three records pair up, each pair once, and her brother stays alone
    pairs = {(row["left_id"], row["right_id"]) for row in _pairs(out)}
    assert pairs == {("1", "2"), ("1", "4"), ("2", "4")}


def test_registry_link_stays_in_scope(registry, users, tmp_path):
    # given a list naming the Russian child and the Tajik child
    path = _write(
        tmp_path / "list.csv",
        [
            "A,Хадижат,Гусейнова,,Зульфия Гусейнова,f,2016-03-01,RU",
            "B,Фотима,Раҳимова,,,f,2017-09-09,TJ",
        ],
    )
    out = tmp_path / "pairs.csv"
    # when the Russian consul links it against the registry
    call_command("link", str(path), "--out", str(out), "--against-registry", "--user", "consul.ru")
    # then only the Russian child is found, and the link is audited
    rows = _pairs(out)
    assert [(row["left_id"], row["right_id"]) for row in rows] == [
        ("A", str(registry["ru_child"].pk))
    ]
    event = AuditEvent.objects.filter(event_type=events.REGISTRY_LINKED).get()
    assert event.data["ids"] == [str(registry["ru_child"].pk)]
    # and the ministry officer, who sees both states, finds both
    call_command(
        "link", str(path), "--out", str(out), "--against-registry", "--user", "mfa.officer"
    )
    found = {row["left_id"]: row["right_id"] for row in _pairs(out)}
    assert found == {"A": str(registry["ru_child"].pk), "B": str(registry["tj_child"].pk)}


@pytest.mark.parametrize(
    ("header", "line", "message"),
    [
        (
            "record_id,given_name,family_name,sex,dob",
            "1,A,B,f,2016",
            "missing column(s) father_name",
        ),
        (HEADER, "1,Адам,Гусейнов,,,m,2014-13-01,RU", "row 2, column dob"),
        (HEADER, "1,Адам,Гусейнов,,,m,about 2014,RU", "row 2, column dob"),
        (HEADER, ",Адам,Гусейнов,,,m,2014,RU", "row 2, column record_id"),
    ],
)
def test_bad_input_names_row_and_column(tmp_path, header, line, message):
    path = _write(tmp_path / "bad.csv", [line], header=header)
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        call_command("link", str(path), "--out", str(tmp_path / "out.csv"))


def test_bad_encoding_is_reported(tmp_path):
    path = _write(tmp_path / "cp1251.csv", ["1,Адам,Гусейнов,,,m,2014,RU"], encoding="cp1251")
    with pytest.raises(CommandError, match="not UTF-8"):
        call_command("link", str(path), "--out", str(tmp_path / "out.csv"))


def test_missing_file_and_bad_options(tmp_path):
    with pytest.raises(CommandError, match="cannot be read"):
        call_command("link", str(tmp_path / "none.csv"), "--out", str(tmp_path / "out.csv"))
    path = _write(tmp_path / "list.csv", ["1,Адам,Гусейнов,,,m,2014,RU"])
    with pytest.raises(CommandError, match="--user"):
        call_command("link", str(path), "--out", str(tmp_path / "o.csv"), "--against-registry")
    with pytest.raises(CommandError, match="between 0 and 1"):
        call_command("link", str(path), "--out", str(tmp_path / "o.csv"), "--threshold", "2")


def test_dates_keep_their_precision():
    assert parse_dob("2016") == (datetime.date(2016, 1, 1), datetime.date(2016, 12, 31), False)
    assert parse_dob("2016-02") == (datetime.date(2016, 2, 1), datetime.date(2016, 2, 29), False)
    assert parse_dob("2016-02-03")[2] is True
    assert parse_dob("") == (None, None, False)
    with pytest.raises(ValueError):
        parse_dob("03/02/2016")


def test_row_and_registry_records_compare_alike():
    # given the same child as a list row and as a free-text query
    from homeward.matching.engine import compare, record_for_query

    row = record_from_row({"given_name": "Хадижат", "family_name": "Гусейнова", "sex": "ж"})
    query = record_for_query(names=["خديجة حسينوفا"], sex="female")
    levels = {field: item.level for field, item in compare(row, query).items()}
    assert levels["given"] == levels["family"] == levels["sex"] == "agree"


def test_blocking_is_not_quadratic():
    # given 400 children written by a host register and a home state
    host, home, truth = linked_lists(400, seed=3)
    left, right = records_from_rows(host), records_from_rows(home)
    pairs = {(left[i].ref, right[j].ref) for i, j in block_pairs(left, right)}
    # then far fewer than all pairs are compared, yet most true pairs are among them
    assert len(pairs) < 400 * 400 / 10
    assert len(pairs & truth) / len(truth) > 0.85


def _crowd(size):
    """`size` boys called Muhammad Hasan, born over ten years, fathers from a short list."""
    fathers = ["Ali", "Umar", "Yusuf", "Ibrahim", "Khalid", "Salim", "Idris"]
    return [
        {
            "record_id": f"C{index:04d}",
            "given_name": "Muhammad",
            "family_name": "Hasan",
            "father_name": fathers[index % len(fathers)],
            "mother_name": "",
            "sex": "m",
            "dob": str(2008 + index % 10),
            "nationality": "",
        }
        for index in range(size)
    ]


def test_an_over_large_block_meets_only_its_neighbours(monkeypatch):
    # given 300 boys sharing given name and family name, and one more written in Arabic
    # script who is the same boy as C0000 (father Ali, born 2008)
    monkeypatch.setattr(link, "MAX_BLOCK", 20)
    monkeypatch.setattr(link, "WINDOW", 3)
    rows = _crowd(300)
    rows.append(
        {
            **rows[0],
            "record_id": "A",
            "given_name": "محمد",
            "family_name": "حسن",
            "father_name": "علي",
            "sex": "ذكر",
        }
    )
    records = records_from_rows(rows)
    pairs = list(block_pairs(records))
    # then every pair comes once, lower index first: about a dozen per boy (each of his
    # eleven block keys, windows of 7), not the 45,150 pairs of the whole crowd
    assert len(pairs) == len(set(pairs))
    assert all(i < j for i, j in pairs)
    assert len(pairs) < 301 * 12
    # and the Arabic writing meets its Latin twin, which sorts next to it in the block
    assert (0, 300) in pairs


def test_a_small_block_is_compared_in_full():
    # given 30 boys of the same name (under MAX_BLOCK): every pair of them is a candidate
    records = records_from_rows(_crowd(30))
    assert len(set(block_pairs(records))) == 30 * 29 // 2


def test_cheap_test_skips_no_pair_the_scorer_keeps():
    # given a seeded cross-script list of 300 children deduplicated with and without the
    # birth/sex pre-test
    host, home, _truth = linked_lists(300, seed=5)
    records = records_from_rows(host + home)
    params = parameters()
    with_test = link.link_records(records, params=params)
    untested = []
    frequencies, size = link._frequencies(records)
    for i, j in block_pairs(records):
        value, _c = score_pair(
            records[i], records[j], params, frequencies=frequencies, prior=1.0 / (size - 1)
        )
        if value >= params.threshold:
            untested.append((records[i].ref, records[j].ref, round(value, 4)))
    # then the same pairs with the same scores come out
    assert sorted((p.left_id, p.right_id, p.score) for p in with_test) == sorted(untested)
    assert len(with_test) > 200


def test_splink_engine_writes_the_same_format(tmp_path):
    pytest.importorskip("splink")
    host, home, truth = linked_lists(150, seed=4)
    paths = []
    for name, rows in (("host.csv", host), ("home.csv", home)):
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
        paths.append(str(path))
    out = tmp_path / "pairs.csv"
    call_command("link", *paths, "--out", str(out), "--engine", "splink")
    rows = _pairs(out)
    assert rows and set(rows[0]) == {"left_id", "right_id", "score"}
    assert all(row["left_id"].startswith("H") and row["right_id"].startswith("S") for row in rows)
    found = {(row["left_id"], row["right_id"]) for row in rows}
    assert len(found & truth) > 50


def test_a_run_does_not_depend_on_what_an_earlier_run_cached():
    # given two different seeded lists, the second deduplicated from cold caches
    from homeward.matching.names import forms_similarity

    def one_list(seed):
        host, home, _truth = linked_lists(150, seed=seed)
        return records_from_rows(host + home)

    first, second = one_list(8), one_list(9)
    params = parameters()
    forms_similarity.cache_clear()
    cold = link.link_records(second, params=params)
    # when the second is deduplicated again after the first warmed the caches
    link.link_records(first, params=params)
    warm = link.link_records(second, params=params)
    # then the same pairs with the same scores come out
    assert cold == warm
    assert len(cold) > 50


def _reference_pairs(left, right=None):
    """Blocking written out record by record, as `block_pairs` did before it moved to
    arrays: index the right side under its own years, look each left record up under its
    years ± YEAR_TOLERANCE, meet a small block in full and a large one's WINDOW members
    either side of where the record sorts, keeping those met in MIN_HITS windows; an
    over-large name-pair block also split into sub-blocks by birth year and sex."""
    import bisect
    from collections import Counter, defaultdict

    dedup = right is None
    right = left if dedup else right
    orders = [link._order(record) for record in right]
    grouped = defaultdict(list)
    for position, record in enumerate(right):
        for key in link._block_keys(record, 0):
            grouped[key].append(position)
    # an over-large name-pair block is also split by birth year and sex
    split = {key for key, members in grouped.items() if key.startswith("n:")}
    split = {key for key in split if len(grouped[key]) > link.MAX_BLOCK}

    def sub_blocks(record, keys, tolerance):
        sexes = [record.sex] if record.sex else ["female", "male"]
        return {
            f"{key}/{year}/{sex}"
            for key in keys & split
            for year in link._years(record, tolerance)
            for sex in sexes
        }

    for position, record in enumerate(right):
        for key in sub_blocks(record, link._block_keys(record, 0), 0):
            grouped[key].append(position)
    pairs = set()
    for position, record in enumerate(left):
        order, met, windows = link._order(record), set(), Counter()
        keys = link._block_keys(record, link.YEAR_TOLERANCE)
        for key in keys | sub_blocks(record, keys, link.YEAR_TOLERANCE):
            members = grouped.get(key, [])
            if len(members) <= link.MAX_BLOCK:
                met.update(members)
                continue
            members = sorted(members, key=orders.__getitem__)
            at = bisect.bisect_left([orders[member] for member in members], order)
            windows.update(members[max(at - link.WINDOW, 0) : at + link.WINDOW + 1])
        met.update(other for other, count in windows.items() if count >= link.MIN_HITS)
        for other in met:
            if not dedup:
                pairs.add((position, other))
            elif other != position:
                pairs.add((min(position, other), max(position, other)))
    return sorted(pairs)


@pytest.mark.parametrize(
    ("max_block", "window", "chunk", "merge"),
    [(100, 5, 4_000_000, 150_000_000), (20, 3, 4_000_000, 150_000_000), (8, 2, 50, 300)],
)
def test_array_blocking_gives_the_record_by_record_pairs(
    monkeypatch, max_block, window, chunk, merge
):
    # given a seeded cross-script list and the crowd of one common name, with blocks
    # small enough that many are over-large (windows), birth years a year apart, and
    # (last case) records looked up a few at a time, their pairs merged as they come
    monkeypatch.setattr(link, "MAX_BLOCK", max_block)
    monkeypatch.setattr(link, "WINDOW", window)
    monkeypatch.setattr(link, "CHUNK_PAIRS", chunk)
    monkeypatch.setattr(link, "MERGE_CODES", merge)
    host, home, _truth = linked_lists(300, seed=11)
    records = records_from_rows(host + home + _crowd(150))
    left, right = records_from_rows(host), records_from_rows(home + _crowd(150))
    # then the array blocking finds exactly the pairs of the record-by-record one, in
    # ascending order, deduplicating and linking
    assert list(block_pairs(records)) == _reference_pairs(records)
    assert list(block_pairs(left, right)) == _reference_pairs(left, right)


def _reference_record(row, ref):
    """A row's Record as `record_from_row` built it before its memo: every cell parsed for
    every row, through `record_for_query`."""
    from homeward.matching.engine import _SEX_WORDS, record_for_query

    def cell(column):
        return " ".join((row.get(column) or "").split())

    given, family = cell("given_name"), cell("family_name")
    if given and family:
        names = [{"full_text": f"{given} {family}", "given": given, "family": family}]
    else:
        names = [given or family] if (given or family) else []
    earliest, latest, exact = parse_dob(cell("dob"))
    return record_for_query(
        names=names,
        sex=_SEX_WORDS.get(cell("sex").casefold(), ""),
        born_earliest=earliest,
        born_latest=latest,
        exact_birth=exact,
        mother=[cell("mother_name")] if cell("mother_name") else [],
        father=[cell("father_name")] if cell("father_name") else [],
        ref=ref,
    )


def test_memoised_rows_give_the_row_by_row_records():
    # given a seeded cross-script list whose names, parents and dates repeat, a crowd of one
    # name, and rows with missing, spaced, particle-only and one-part cells
    host, home, _truth = linked_lists(400, seed=12)
    odd = [
        {"given_name": "", "family_name": "Гусейнова", "sex": "Ж", "dob": "2016-03"},
        {"given_name": " Хадижат  ", "family_name": "", "mother_name": "- -", "dob": ""},
        {"given_name": "أبو بكر البغدادي", "family_name": "", "father_name": "Ali", "sex": "M"},
        {"given_name": "", "family_name": "", "mother_name": "Зульфия", "dob": "2016"},
        {"given_name": "Adam", "family_name": "al Shishani", "sex": "x", "dob": "2014-02"},
        {"given_name": "Adam ", "family_name": "al  Shishani", "sex": " M", "dob": " 2014-02"},
        {"given_name": "Adam", "family_name": "al Shishani", "sex": None, "father_name": None},
    ]
    rows = [*host, *home, *_crowd(50), *host[:40]]
    rows = [{**row, "record_id": f"R{index}"} for index, row in enumerate(rows + odd)]
    # then each distinct cell parsed once gives exactly the records of parsing every row
    records = records_from_rows(rows)
    assert records == [_reference_record(row, row["record_id"]) for row in rows]
    # and repeated cells share their parts
    assert records[len(host) + len(home) + 50].names is records[0].names


def _reference_ranks(*sides):
    """`_order` tuples as dense ranks over all sides, as blocking ranked them record by
    record: the tuple's place among the distinct tuples, sorted."""
    distinct = sorted(set().union(*(set(side) for side in sides)))
    rank = {order: number for number, order in enumerate(distinct)}
    return [[rank[order] for order in side] for side in sides]


def test_order_ranks_are_the_tuples_ranks():
    # given two seeded lists with a crowd of one name, and records with no name, no year,
    # no parents and an unexpected sex value
    host, home, _truth = linked_lists(300, seed=13)
    odd = [
        {"record_id": "X1", "given_name": "", "family_name": "", "dob": ""},
        {"record_id": "X2", "given_name": "Adam", "family_name": "", "mother_name": "Aya"},
    ]
    left = records_from_rows(host + odd)
    right = records_from_rows(home + _crowd(60))
    right.append(dataclasses.replace(right[0], sex="unknown"))
    # then the array ranks order the records exactly as their `_order` tuples do
    for sides in ((left,), (right, left)):
        vocabulary = {}
        found = link._order_ranks(vocabulary, *(link._side(side, vocabulary) for side in sides))
        expected = _reference_ranks(*([link._order(record) for record in side] for side in sides))
        assert [ranks.tolist() for ranks in found] == expected


def test_blocking_does_not_depend_on_shared_parses(monkeypatch):
    # given the same rows as records that share their parsed names (`records_from_rows`)
    # and as records built one by one, with nothing shared between them
    monkeypatch.setattr(link, "MAX_BLOCK", 20)
    host, home, _truth = linked_lists(200, seed=14)
    rows = host + home + _crowd(80)
    shared = records_from_rows(rows)
    single = [record_from_row(row, ref=row["record_id"]) for row in rows]
    assert shared == single
    assert len({id(record.names) for record in single}) == len(rows)
    # then blocking finds the same pairs, those of the record-by-record reference
    assert list(block_pairs(single)) == list(block_pairs(shared)) == _reference_pairs(shared)
    assert list(block_pairs(single[:200], single[200:])) == _reference_pairs(
        shared[:200], shared[200:]
    )


def _table_arrays(scorer, records):
    table = scorer.table(records)
    found = {name: getattr(table, name) for name in ("born", "earliest", "exact", "latest", "sex")}
    found["given_agree"] = table.given_agree
    for part, part_table in table.parts.items():
        found[f"{part} tokens"] = table.tokens[part]
        for name in part_table.__slots__:
            found[f"{part} {name}"] = getattr(part_table, name)
    return found, dict(scorer._keys), dict(scorer._latins)


def test_array_table_does_not_depend_on_shared_parses():
    # given a seeded list with repeats and a crowd, as records that share their parsed
    # names (`records_from_rows`) and as records built one by one
    host, home, _truth = linked_lists(200, seed=15)
    rows = host + home + _crowd(40) + host[:30]
    rows = [{**row, "record_id": f"R{index}"} for index, row in enumerate(rows)]
    shared = records_from_rows(rows)
    single = [record_from_row(row, ref=row["record_id"]) for row in rows]
    frequencies, size = link._frequencies(shared)
    tables = [
        _table_arrays(PairScorer(parameters(), frequencies=frequencies, prior=1 / size), records)
        for records in (shared, single)
    ]
    # then the array tables are the same, keys and Latin forms numbered alike
    (shared_arrays, *shared_ids), (single_arrays, *single_ids) = tables
    assert shared_ids == single_ids
    assert shared_arrays.keys() == single_arrays.keys()
    for name, values in shared_arrays.items():
        assert values.dtype == single_arrays[name].dtype, name
        assert values.tolist() == single_arrays[name].tolist(), name


@pytest.fixture(scope="module")
def scored_list():
    """A seeded cross-script list and the exact `score_pair` value of each candidate pair."""
    host, home, _truth = linked_lists(200, seed=16)
    records = records_from_rows(host + home)
    params = parameters()
    frequencies, size = link._frequencies(records)
    values = {}
    for i, j in block_pairs(records):
        value, _c = score_pair(
            records[i], records[j], params, frequencies=frequencies, prior=1.0 / (size - 1)
        )
        values[records[i].ref, records[j].ref] = value
    return records, params, values


@pytest.mark.parametrize("threshold", [0.05, 0.5, 0.9, 0.99, 0.0])
def test_any_threshold_keeps_exactly_the_pairs_at_or_above_it(scored_list, threshold):
    # given a seeded list deduplicated at a threshold (0: none)
    records, params, values = scored_list
    found = link.link_records(records, params=params, threshold=threshold)
    # then the pairs kept are exactly those whose probability is at or above it
    expected = {pair: round(value, 4) for pair, value in values.items() if value >= threshold}
    assert {(p.left_id, p.right_id): p.score for p in found} == expected
    assert found


@pytest.mark.parametrize(("max_block", "window"), [(20, 3), (6, 2)])
def test_dedup_blocking_of_a_crowd_with_unknown_sexes_and_births(monkeypatch, max_block, window):
    # given a crowd of one name pair in which some sexes and birth dates are unknown and
    # some dates are exact, so that sub-blocks hold records under both sexes and records
    # look up years they are not in
    monkeypatch.setattr(link, "MAX_BLOCK", max_block)
    monkeypatch.setattr(link, "WINDOW", window)
    rows = _crowd(160)
    for index, row in enumerate(rows):
        if index % 3 == 0:
            row["sex"] = ""
        if index % 5 == 0:
            row["dob"] = ""
        elif index % 7 == 0:
            row["dob"] = f"{row['dob']}-0{1 + index % 9}-1{index % 10}"
    records = records_from_rows(rows)
    # then blocking finds exactly the pairs of the record-by-record blocking
    assert list(block_pairs(records)) == _reference_pairs(records)
    assert list(block_pairs(records[:60], records[60:])) == _reference_pairs(
        records[:60], records[60:]
    )


def test_a_small_year_block_next_to_a_large_one_is_met_from_its_outside(monkeypatch):
    # given one boy born in 2010 and ten born in 2011, all called Muhammad with different
    # family names: the 2010 block of the name is small, the 2011 one over-large
    monkeypatch.setattr(link, "MAX_BLOCK", 5)
    monkeypatch.setattr(link, "WINDOW", 1)
    families = ["Petrov", "Karimov", "Salih", "Nouri", "Bakr", "Daud", "Faris", "Jabir"]
    families += ["Latif", "Qasim", "Tahir"]
    rows = [
        {
            "record_id": f"M{index}",
            "given_name": "Muhammad",
            "family_name": family,
            "sex": "m",
            "dob": "2010" if index == 0 else "2011",
        }
        for index, family in enumerate(families)
    ]
    records = records_from_rows(rows)
    # then a boy of 2011, looking up the 2010 block (he is not in it), meets the boy of
    # 2010, though the boy of 2010 does not meet him in the over-large 2011 block
    pairs = list(block_pairs(records))
    assert pairs == _reference_pairs(records)
    assert (0, 1) in pairs


def test_a_small_sub_block_next_to_a_large_one_is_met_from_its_outside(monkeypatch):
    # given Muhammad Hasan born in 2010, another born in 2011 whose father is Zayd, nine
    # more of 2011 whose father is Ali and six girls of 2010 of the same name: the name
    # pair's block is split by year and sex, and the boys' 2010 sub-block is small while
    # the name's and family's 2010 year blocks and the boys' 2011 sub-block are over-large
    monkeypatch.setattr(link, "MAX_BLOCK", 5)
    monkeypatch.setattr(link, "WINDOW", 1)
    rows = [{"sex": "m", "dob": "2010", "father_name": ""}, {"dob": "2011", "father_name": "Zayd"}]
    rows += [{"dob": "2011"}] * 9 + [{"sex": "f", "dob": "2010"}] * 6
    rows = [
        {
            "record_id": f"M{index}",
            "given_name": "Muhammad",
            "family_name": "Hasan",
            "sex": "m",
            "father_name": "Ali",
            **row,
        }
        for index, row in enumerate(rows)
    ]
    records = records_from_rows(rows)
    # then the boy of 2011 whose father is Zayd, looking up the boys' 2010 sub-block (he is
    # not in it), meets the boy of 2010, who does not meet him in any over-large block
    pairs = list(block_pairs(records))
    assert pairs == _reference_pairs(records)
    assert (0, 1) in pairs
