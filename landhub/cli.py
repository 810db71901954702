"""The ``landhub`` console script: ``manage.py`` under a shorter name.

``landhub runserver``, ``landhub worker`` (the background-task worker), ``landhub seed-demo`` …
Dashed names are accepted for every management command (``seed-demo`` → ``seed_demo``).
"""

import os
import sys

ALIASES = {"worker": "db_worker"}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "landhub.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = ALIASES.get(argv[1], argv[1].replace("-", "_"))
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
