"""`python -m geo.site OUT/`: the static site's stable command (see geo/view/site.py)."""

import sys

from geo.view.site import main

if __name__ == "__main__":
    sys.exit(main())
