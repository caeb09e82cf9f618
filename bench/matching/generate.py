"""Seeded cross-script benchmark lists with ground truth.

Writes host.csv (an Iraqi register: Arabic script, Iraqi name chains, ages as birth years),
home.csv (home-state lists in Cyrillic or Latin, with transliteration variants, typos,
swapped order, missing fields) and truth.csv (the true pairs), from
`homeward.matching.synthetic.linked_lists`, whose name pools share common names (Muhammad,
Fatima) so that names alone are not enough, and whose siblings share surname and parents.

    .venv/bin/python bench/matching/generate.py --persons 10000 --out /tmp/xs10k
"""

import argparse
import csv
import os
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20190710)
    parser.add_argument("--out", type=Path, required=True)
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.config.settings")
    import django

    django.setup()
    from homeward.matching.link import COLUMNS
    from homeward.matching.synthetic import linked_lists

    host, home, truth = linked_lists(options.persons, options.seed)
    options.out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("host.csv", host), ("home.csv", home)):
        with (options.out / name).open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=COLUMNS)
            writer.writeheader()
            writer.writerows(rows)
    with (options.out / "truth.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("left_id", "right_id"))
        writer.writerows(sorted(truth))


if __name__ == "__main__":
    main()
