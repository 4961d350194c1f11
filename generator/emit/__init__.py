"""Stage 4, emit: objects -> deterministic YAML -> the output tree, written atomically or checked (``tree``).

``fastyaml`` serializes; ``record`` remembers what the last render into a
directory was made from, so an unchanged tree need not be compiled again.
"""
