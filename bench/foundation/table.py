"""Print the README table of the foundation benchmark from its committed results files."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    blocks = []
    for path in sorted(HERE.glob("results-*.json")):
        results = json.loads(path.read_text())
        blocks.append(render(results))
    print("\n\n".join(blocks))
    return 0


def render(results: dict) -> str:
    engine = results["engine"]
    lines = [
        f"**Registry at demo scale, {engine}** (`bench/foundation/results-{engine}.json`; "
        f"{results['children']:,} children, {results['people']:,} people, "
        f"{results['audit_events']:,} audit events; {results['machine']}): "
        f"seeding through the services {results['seed_seconds']} s, "
        f"audit chain verified in {results['audit_verify_seconds']} s.",
        "",
        "| request | role | p50 ms | p95 ms | queries |",
        "|---|---|---:|---:|---:|",
    ]
    for username, requests in results["requests"].items():
        for name, figures in requests.items():
            lines.append(
                f"| {name} | {username} | {figures['p50_ms']} | {figures['p95_ms']} "
                f"| {figures['queries']} |"
            )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
