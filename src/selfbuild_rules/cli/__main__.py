"""``python -m selfbuild_rules.cli``: the command line, as the ``selfbuild-rules`` script."""

import sys

from selfbuild_rules.cli.main import main

if __name__ == "__main__":
    sys.exit(main())
