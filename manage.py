#!/usr/bin/env python
"""Django's command-line utility for LandHub (the ``landhub`` script does the same)."""

from landhub.cli import main

if __name__ == "__main__":
    main()
