"""Reports about a fleet rather than manifests for it: the status matrix, its table and HTML page, the history
of versions in Git, and the clusters' live view of each release."""
