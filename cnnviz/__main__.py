"""`python -m cnnviz` is the `cnnviz` command."""

from .app.cli import main

main()
