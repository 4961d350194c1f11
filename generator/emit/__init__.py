"""Stage 4, emit: objects -> deterministic YAML -> the output tree, written atomically or checked.

``serialize`` (over ``fastyaml``) turns objects into bytes; ``tree`` writes or
checks the output tree; ``reader`` reads a tree on disk (in a forked process
while compiling); ``record`` remembers what the last render into a directory
was made from, so an unchanged tree need not be compiled again.
"""
