#!/usr/bin/env python3
"""Refresh server/data/prices.json from LiteLLM's public price map.

Usage:
    python3 scripts/refresh_prices.py [--source URL_OR_PATH] [--add provider/model ...]

For every model already in prices.json (plus any given with --add), the script looks the model
up in LiteLLM's model_prices_and_context_window.json (by `model`, `provider/model`, and the
undated name) and copies its per-token prices and context window. Models it cannot find keep
their current values and are listed on stderr. It needs network access for the default source;
pass a downloaded file with --source otherwise. Review the diff before committing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.request
from pathlib import Path

DEFAULT_SOURCE = (
    "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json"
)
PRICES = Path(__file__).resolve().parent.parent / "server" / "data" / "prices.json"
FIELDS = (
    "input_cost_per_token",
    "output_cost_per_token",
    "cache_read_input_token_cost",
    "cache_creation_input_token_cost",
    "max_input_tokens",
    "max_output_tokens",
    "mode",
)
DATED = re.compile(r"([-@]\d{8}|-\d{4}-\d{2}-\d{2})$")


def load_source(source: str) -> dict:
    if source.startswith(("http://", "https://")):
        with urllib.request.urlopen(source, timeout=60) as response:  # noqa: S310 (fixed URL)
            return json.load(response)
    return json.loads(Path(source).read_text())


def find(litellm: dict, key: str) -> dict | None:
    provider, _, model = key.partition("/")
    for candidate in (model, key, DATED.sub("", model), f"{provider}/{DATED.sub('', model)}"):
        entry = litellm.get(candidate)
        if entry and "input_cost_per_token" in entry:
            return entry
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", default=DEFAULT_SOURCE)
    parser.add_argument("--add", nargs="*", default=[], help="provider/model keys to add")
    args = parser.parse_args()

    litellm = load_source(args.source)
    current = json.loads(PRICES.read_text())
    models: dict = current["models"]
    missing = []
    for key in sorted(set(models) | set(args.add)):
        entry = find(litellm, key)
        if entry is None:
            missing.append(key)
            continue
        models[key] = {field: entry[field] for field in FIELDS if entry.get(field) is not None}
    current["models"] = dict(sorted(models.items()))
    PRICES.write_text(json.dumps(current, indent=1) + "\n")
    print(f"updated {len(models) - len(missing)} models in {PRICES}")
    if missing:
        print("not found (kept as they were): " + ", ".join(missing), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
