"""Per-chunk cost of a children import commit: CPU, SQL CPU by statement shape, file I/O.

Issue 9's diagnostic. Seeds a fresh database as run.py does, dry-runs `--rows` rows, then
commits them, timing each COMMIT_CHUNK (this process's CPU; the SQL's thread CPU summed per
statement shape through connection.execute_wrapper; read/write syscalls and bytes from
/proc/self/io; the SQLite write-ahead log's size). A term that grows with the tables shows
as a column that rises chunk after chunk; the statements whose time grew most are listed.

    PYTHONPATH=src nice -n 5 .venv/bin/python bench/imports/chunks.py [--rows 20000]
        [--cache-mib N]   # the commit's SQLite page cache instead of COMMIT_PAGE_CACHE_MIB
"""

import argparse
import os
import re
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench


def _io() -> dict[str, int]:
    lines = Path("/proc/self/io").read_text().splitlines()
    return {key: int(value) for key, value in (line.split(": ") for line in lines)}


def _shape(sql: str) -> str:
    sql = re.sub(r"'[^']*'", "?", sql)
    sql = re.sub(r"%s|\b\d+\b", "?", sql)
    sql = re.sub(r"(\?\s*,\s*)+\?", "?..", sql)
    sql = re.sub(r"\(\s*(\?\.\.|\?)\s*\)(\s*,\s*\(\s*(\?\.\.|\?)\s*\))+", "(..)..", sql)
    return sql[:200]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--cache-mib", type=int, default=0)
    parser.add_argument("--top", type=int, default=10)
    args = parser.parse_args()
    os.environ.setdefault("HOMEWARD_DATA_DIR", tempfile.mkdtemp(prefix="homeward-chunks-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "homeward.config.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from homeward.imports import services

    call_command("migrate", verbosity=0)
    settings.HOMEWARD_IMPORT_MAX_ROWS = args.rows
    if args.cache_mib:
        services.COMMIT_PAGE_CACHE_MIB = args.cache_mib
    user = bench.registrar()
    data = bench.make_xlsx(args.rows)
    batch = services.create_batch(actor=user, kind="children", filename="b.xlsx", data=data)
    batch = services.analyse_batch(batch)
    assert batch.status == "ready", batch.file_errors

    current: dict[str, list] = defaultdict(lambda: [0.0, 0])

    def timed(execute, sql, params, many, context):
        started = time.thread_time()
        try:
            return execute(sql, params, many, context)
        finally:
            entry = current[_shape(sql)]
            entry[0] += time.thread_time() - started
            entry[1] += 1

    wal = Path(f"{settings.DATABASES['default']['NAME']}-wal")
    chunks = []
    plain = services._chunks

    def measured(items, size):
        for chunk in plain(items, size):
            current.clear()
            io, wall, cpu = _io(), time.perf_counter(), time.process_time()
            yield chunk
            after = _io()
            chunks.append({
                "wall": time.perf_counter() - wall, "cpu": time.process_time() - cpu,
                "sql": dict(current), **{key: after[key] - io[key] for key in after},
                "wal_mb": wal.stat().st_size >> 20 if wal.exists() else 0,
            })  # fmt: skip

    services._chunks = measured
    load = os.getloadavg()
    with connection.execute_wrapper(timed):
        cpu = time.process_time()
        batch = services.commit_batch(batch, actor=user)
        cpu = time.process_time() - cpu
    assert batch.status == "committed", batch.failure
    print(f"{connection.vendor}, {args.rows} rows, page cache {services.COMMIT_PAGE_CACHE_MIB} "
          f"MiB: commit CPU {cpu:.2f} s = {cpu / args.rows * 1000:.3f} ms/row; "
          f"load {load[0]:.2f} -> {os.getloadavg()[0]:.2f}")  # fmt: skip
    for n, chunk in enumerate(chunks):
        sql = sum(seconds for seconds, _count in chunk["sql"].values())
        print(f"chunk {n:3d} wall {chunk['wall']:6.2f} cpu {chunk['cpu']:6.2f} "
              f"sql {sql:5.2f} python {chunk['cpu'] - sql:5.2f} wal {chunk['wal_mb']:4d} MB "
              f"reads {chunk['syscr']:7d} ({chunk['rchar'] >> 20} MB) "
              f"writes {chunk['syscw']:7d} ({chunk['wchar'] >> 20} MB)")  # fmt: skip
    if len(chunks) > 3:
        first, last = chunks[1]["sql"], chunks[-2]["sql"]

        def grew(key):
            return last.get(key, [0])[0] - first.get(key, [0])[0]

        print("\nSQL CPU s / statements, chunk 1 -> chunk n-2, most grown first:")
        for key in sorted(set(first) | set(last), key=grew, reverse=True)[: args.top]:
            a, b = first.get(key, [0, 0]), last.get(key, [0, 0])
            print(f"{a[0]:6.3f}/{a[1]:4d} -> {b[0]:6.3f}/{b[1]:4d}  {key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
