"""`python -m studio` is the same as the `pinstudio` command."""

from studio.cli import main

raise SystemExit(main())
