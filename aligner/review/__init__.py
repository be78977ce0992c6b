"""Looking at an alignment: the HTML review page, the similarity matrix behind its heatmap,
and matplotlib figures for notebooks."""
