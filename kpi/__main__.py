"""Command line for the KPI engine: ``python -m kpi {evaluate,check,library,read}``.

Each sub-package registers its own sub-commands; a handler returns the exit code.
"""

from __future__ import annotations

import argparse
import sys

from kpi import _cli
from kpi.readers import _cli as readers_cli


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kpi", description="Lodestar KPI engine"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    _cli.register(commands)
    readers_cli.register(commands)
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
