"""Stage 3, build: Releases -> plain-dict Kubernetes objects placed in output files (``files.build_fleet``).

One module per kind of output (``deployment``, ``kserve``, ``rollouts``, ``abtest``,
``monitoring``, ``extensions``; ``workloads`` picks them per release; ``argocd`` and
``flux`` deploy them); ``layout`` decides where each file goes; ``validation``
checks objects against the pinned upstream schemas in ``schemas/``.
"""
