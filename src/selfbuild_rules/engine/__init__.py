"""The engine: evaluates a base regulation with its modules over facts, result by result."""
