"""``python -m coursegrade ...``: the same as the ``coursegrade`` console script."""

import sys

from coursegrade.cli import main

if __name__ == "__main__":
    sys.exit(main())
