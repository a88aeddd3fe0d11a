"""Data shipped with plandoc: the settlements list and the script that builds it."""
