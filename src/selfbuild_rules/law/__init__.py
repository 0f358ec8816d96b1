"""The law as data: periods, a regulation's text, its parameters, and values over time."""
