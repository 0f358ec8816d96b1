"""The records of a team's self-construction, and loading them strictly: every problem at once."""
