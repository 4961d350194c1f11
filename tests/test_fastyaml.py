"""The fast emitter must write exactly what PyYAML's C dumper writes, and load back equal."""
from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.emit import fastyaml

NASTY = ["yes", "no", "on", "off", "y", "N", "true", "False", "null", "~", "", " ", "0x1F", "0o17", "017", "1e3",
         "1.10", "1_000", ".5", "-", "- a", "a: b", "a:b", "#x", "a #b", "x#y", ":", "?", "*a", "&a", "!t", "%x",
         "@x", "`x", "'", '"', "{", "[a]", "a,b", " lead", "trail ", "multi\nline", "tab\there", "ünïcödé", "日本",
         "emoji 🙂", "\u2028", "\x85", "2024-01-01", "12:30", "<<", "=", "---", "...", "a" * 200, "\x00", "\ud7ff",
         "=x", "null\n"]

keys = st.one_of(st.sampled_from(NASTY), st.text(max_size=12))
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.sampled_from(NASTY), st.text(max_size=30))
trees = st.recursive(scalars, lambda children: st.one_of(
    st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)), max_leaves=25)


def reference(obj) -> str:
    return yaml.dump(obj, Dumper=yaml.CSafeDumper, **fastyaml.DUMP_OPTIONS)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(keys, trees, min_size=1, max_size=6))
def test_byte_identical_to_pyyaml_and_loads_back_equal(obj):
    text = fastyaml.dump(obj)
    assert text == reference(obj)
    assert yaml.load(text, Loader=yaml.CSafeLoader) == obj


def test_kubernetes_shapes_take_the_fast_path_and_match():
    obj = {"apiVersion": "apps/v1", "kind": "Deployment",
           "metadata": {"name": "x", "labels": {"app.kubernetes.io/version": "1.10", "on": "yes"}},
           "spec": {"template": {"spec": {"containers": [
               {"name": "m", "ports": [{"containerPort": 80}], "args": ["--a", "- b", ""],
                "env": [], "resources": {}, "x": [[1, [2, {}]], {"a": [{"b": None}]}]}]}}}}
    fastyaml._values.clear()
    fastyaml._keys.clear()
    assert fastyaml.dump(obj) == reference(obj)
    assert fastyaml._keys  # the fast path ran (and cached)


def test_multiline_strings_fall_back_to_pyyaml():
    obj = {"data": {"dashboard.json": "{\n  \"a\": 1\n}\n"}, "list": ["a\nb"]}
    assert fastyaml.dump(obj) == reference(obj)


def test_an_object_shared_in_a_tree_is_written_out_each_time_on_both_paths():
    # An LLM's template and worker pods share one nodeSelector; a multi-line string sends the object to PyYAML,
    # which would write an anchor and an alias (&id001 / *id001) that the fast path never writes.
    selector = {"gpu": "a100"}
    shared = {"template": {"nodeSelector": selector}, "worker": {"nodeSelector": selector}}
    fast = fastyaml.dump(shared)
    fallback = fastyaml.dump({**shared, "note": "line 1\nline 2"})
    assert "&" not in fallback and "*" not in fallback
    assert fallback.startswith(fast)
    assert yaml.safe_load(fallback)["worker"] == {"nodeSelector": {"gpu": "a100"}}


# Names, paths and URLs take a shortcut past PyYAML's emitter (only its resolver
# decides): it must choose exactly as PyYAML does, at every edge of that shortcut.
_SHORTCUT_EDGES = ["a", "A", "0", "1.0", "1.0.0", "1e3", "1_0", "0x1F", "0o7", ".5", ".inf", ".NaN", "...", "..a",
                   "./a", "/a", "a:", "a:b", "s3://b/k", "a,b", ",a", "-a", "a-", "y", "n", "Yes", "OFF", "null",
                   "Null", "2024-01-01", "2024-1-1", "12:30", "1:2:3", "a/b.yaml", "v1.2.3-rc.1", "true", "on"]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.sampled_from(_SHORTCUT_EDGES),
                 st.text(alphabet="aeoyYnNtTfF0189._/,:-xXbBe+", min_size=1, max_size=12)))
def test_shortcut_strings_are_written_as_pyyaml_writes_them(value):
    fastyaml._values.clear()
    assert fastyaml.dump({"k": value, "l": [value]}) == reference({"k": value, "l": [value]})
