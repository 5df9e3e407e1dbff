"""`python -m newscrawl ...` is the `newscrawl` command."""

from .cli import main

main()
