"""Entry point for `python -m intake`."""

import sys

from intake.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
