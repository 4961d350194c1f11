"""Stage 2, resolve: spec documents -> one immutable Release per environment x cluster x model (``fleet.resolve``).

``templating`` evaluates the Jinja2 expressions in spec strings and template
files, inside the bounded sandbox of ``sandbox``.
"""
