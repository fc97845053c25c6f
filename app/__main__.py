"""`python -m app` is the `cnnviz` command."""

from .cli import main

main()
