"""HOSTILE: ends the process with success before any report is written."""

import sys

sys.exit(0)
