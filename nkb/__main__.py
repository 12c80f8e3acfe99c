"""`python -m nkb` runs the command line."""

from nkb.cli import run

run()
