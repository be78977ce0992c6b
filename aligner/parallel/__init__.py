"""Parallel alignment (translations, in order): windows' similarities inside a corridor of the
lattice, bead costs (fixed or fitted to the document), and the bead DP."""
