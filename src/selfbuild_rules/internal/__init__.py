"""Machinery with no legal meaning: memory and the garbage collector, signals."""
