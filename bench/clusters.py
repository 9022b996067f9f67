"""Only the clustering part of the benchmark: ``find_clusters`` against the bare ``ST_ClusterDBSCAN``.

    .venv/bin/python bench/clusters.py [--n 100000] [--keep-data]

The same as ``bench/run.py --skip`` everything else (see there); kept for its short name.
"""
from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import run  # noqa: E402

OTHERS = ",".join(part for part in run.PARTS if part != "clusters")


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not any(a == "--n" or a.startswith("--n=") for a in argv):
        argv = ["--n", "100000", *argv]
    return run.main([*argv, "--skip", OTHERS])


if __name__ == "__main__":
    sys.exit(main())
