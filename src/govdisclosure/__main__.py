"""``python -m govdisclosure``."""

from .cli import main

main()
