"""`python -m geo.build [--check] [--online]`: the data build's stable command (see geo/data/build.py)."""

import sys

from geo.data.build import main

if __name__ == "__main__":
    sys.exit(main())
