import sys

from drtui.cli import main

sys.exit(main())
