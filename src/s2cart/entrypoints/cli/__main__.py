"""``python -m s2cart.entrypoints.cli``: the console script without its installed wrapper (tests, a bare checkout)."""

from s2cart.entrypoints.cli.main import main

raise SystemExit(main())
