"""Run a command and, when it ends, write its peak resident memory to a file.

    python bench/maxrss.py OUT.json COMMAND [ARG...]

OUT.json gets {"maxrss_mib": ..., "returncode": ...}: `ru_maxrss` of the waited-for children
(`getrusage(RUSAGE_CHILDREN)`, KiB on Linux), i.e. the command's own peak, not this wrapper's.
The command inherits this terminal; a hang-up reaching the wrapper is ignored so it still
reports once the command ends (the command itself gets the default handlers back on exec).
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys


def main(argv: list[str]) -> int:
    out, command = argv[0], argv[1:]
    signal.signal(signal.SIGHUP, lambda *_: None)
    signal.signal(signal.SIGINT, lambda *_: None)
    code = subprocess.call(command)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    with open(out, "w", encoding="utf-8") as handle:
        json.dump({"maxrss_mib": peak / 1024, "returncode": code}, handle)
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
