"""``python -m drillsim``: the same as the ``drillsim`` script."""

import sys

from drillsim.cli import main

sys.exit(main())
