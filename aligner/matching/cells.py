"""The similarity that marks a cell with no value (outside the lattice, the corridor or a top-k
list), apart from the kernels that use it: the nearest-neighbour search and the command line
read it without loading numba."""

from __future__ import annotations

import numpy as np

INVALID = np.float32(-2.0)  # below any cosine
