"""`python -m svccat` runs the command line."""

from svccat.cli import main

main()
