"""A module that defines no CLAIMS."""
X = 1
