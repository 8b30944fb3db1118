"""`python -m regen_compare` runs the same entry point as the `regen-compare` script."""

from regen_compare.cli.main import main

raise SystemExit(main())
