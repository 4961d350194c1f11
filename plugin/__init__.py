"""The Argo CD config-management-plugin side of gitops-gen (``gitops-gen-cmp``)."""
