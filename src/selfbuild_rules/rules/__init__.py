"""Rules: the three-valued condition algebra, what a rule sees, and rule sets."""
