"""`python -m newscrawl ...` is the `newscrawl` command."""

from .cli import main

if __name__ == "__main__":  # not when a spawned parse worker imports it
    main()
