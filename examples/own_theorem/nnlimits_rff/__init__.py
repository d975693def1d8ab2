"""A user's own theorem, checked by nnlimits: Rahimi–Recht random Fourier features (see ``claims``)."""
