"""Public hypothesis strategies for the papers' objects (data sets, laws, widths), one module per paper."""
