"""A module that fails to import."""
import numpy as np

VALUE = np.this_does_not_exist
