"""Stage 1, load: the spec files of a source tree -> typed, located spec documents (``source.load_tree``).

``yamlpos`` parses YAML keeping the line of every field, ``spec`` holds the
pydantic kinds (Project, Environment, Model) and their checks, ``runtimes``
what each serving runtime exports, ``spec_schema`` the JSON Schema derived
from ``spec`` for editors.
"""
