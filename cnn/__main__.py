"""`python -m cnn` is the `cnnviz` command."""

from .cli import main

main()
