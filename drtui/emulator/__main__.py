"""`python -m drtui.emulator`."""

import sys

from drtui.emulator.command import main

sys.exit(main())
