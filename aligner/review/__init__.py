"""Looking at an alignment and correcting it: the HTML review page, the similarity matrix
behind its heatmap, matplotlib figures for notebooks, and the review editor (``edits``: pure
edit functions; ``history``: undo and redo; ``store``: the review file; ``session``: begin or
resume a review; ``server``: the local web application and its page in ``static/``)."""
