"""The Jinja2 sandbox of spec strings: no escapes, no files, bounded size and time, same output every time."""
from __future__ import annotations

import signal
import threading
import tracemalloc

import pytest

from generator.resolve import sandbox
from generator.resolve.templating import TemplateProblem, render_string
from tests.helpers import line_matches

CONTEXT = {"version": "1.2.0", "model": "iris", "environment": "prod", "cluster": "eu-1", "namespace": "ml"}
# Releases name their Kubernetes namespace `namespace`, which hides Jinja2's namespace() helper;
# the guards on namespace() matter where it is visible (templates with other names).
NO_NAMESPACE = {k: v for k, v in CONTEXT.items() if k != "namespace"}


def refusal(text: str, context: dict = CONTEXT) -> str:
    with pytest.raises(TemplateProblem) as info:
        render_string(text, context)
    return str(info.value)


@pytest.mark.parametrize("text", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ version.__class__ }}",
    "{{ version|attr('__class__') }}",
    "{{ '{0.__class__}'.format(version) }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__.os }}",
    "{{ namespace.__init__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ dict.mro() }}",
    "{{ (1).__class__.__base__ }}",
])
def test_attribute_escapes_are_refused(text):
    assert refusal(text).startswith("refused by the template sandbox: access to attribute ")


@pytest.mark.parametrize("text", ["{{ [].append(1) }}", "{{ {}.update(a=1) }}", "{{ dict(a=1).pop('a') }}"])
def test_values_cannot_be_changed(text):
    assert refusal(text).startswith("refused by the template sandbox: ")


@pytest.mark.parametrize("text", ["{% include '/etc/passwd' %}", "{% import 'x.j2' as x %}", "{% extends 'base' %}"])
def test_spec_strings_read_no_files(text):
    assert refusal(text).startswith("spec strings cannot include, import or extend templates")


# Each would take seconds to minutes and gigabytes if it ran.
SIZE_BOMBS = [
    "{{ 'a' * 10**9 }}",
    "{{ (range(100000)|list) * 100 }}",
    "{{ 10**(10**10) }}",
    "{{ 'x'|center(10**9) }}",
    "{{ 'x'.ljust(10**9) }}",
    "{{ '{:>999999999}'.format(1) }}",
    "{{ '%999999999s' % 1 }}",
    "{{ '%*s' % (999999999, 1) }}",
    "{{ '%999999999s'|format(1) }}",
    "{{ ('x' * 100000)|replace('x', 'y' * 1000) }}",
    "{{ range(100000)|list|tojson(indent=1000) }}",
    "{% set a = 'x' * 1000000 %}{{ a ~ a ~ a ~ a }}",
    "{% set a = 'x' * 1000000 %}{{ [a, a, a, a] }}",
    "{% set a = 'x' * 1000000 %}{{ [a, a, a, a]|join }}",
    # namespace() is the only value that survives loop turns: doubling it is stopped.
    "{% set ns = namespace(x='ab') %}{% for i in range(60) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}",
    "{% set ns = namespace(x=[1]) %}{% for i in range(60) %}{% set ns.x = [ns.x, ns.x] %}{% endfor %}{{ ns.x }}",
    "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}",
    "{% for i in range(10**9) %}x{% endfor %}",
]


@pytest.mark.parametrize("text", SIZE_BOMBS)
def test_size_bombs_are_refused_before_they_allocate(text):
    tracemalloc.start()
    try:
        message = refusal(text, NO_NAMESPACE)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert message.startswith("refused by the template sandbox: ")
    assert peak < 64 * 1024 * 1024  # the bomb itself would need gigabytes


def test_a_loop_that_runs_too_long_is_stopped_and_the_timer_is_cleared(monkeypatch):
    monkeypatch.setattr(sandbox, "TIME_LIMIT_SECONDS", 0.2)
    nested = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    assert refusal(nested) == "refused by the template sandbox: took longer than 0.2s (a loop too large?)"
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert render_string("{{ version }}", CONTEXT) == "1.2.0"  # the next render is not hit by a stray alarm


def test_renders_off_the_main_thread_keep_the_size_limits():
    results = []

    def work():
        results.append(render_string("{{ model|upper }}", CONTEXT))
        try:
            render_string("{{ 'a' * 10**9 }}", CONTEXT)
        except TemplateProblem as exc:
            results.append(str(exc))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert results[0] == "IRIS"
    assert results[1].startswith("refused by the template sandbox: repeating a value")


def test_nondeterministic_helpers_are_not_available():
    assert line_matches("template syntax error: …'random'…", refusal("{{ [1, 2]|random }}"))
    assert line_matches("…'lipsum'…", refusal("{{ lipsum() }}"))


@pytest.mark.parametrize("text, expected", [
    ("s3://models/{{ model }}/{{ version }}", "s3://models/iris/1.2.0"),
    ("{{ model ~ '-' ~ version|replace('.', '-') }}", "iris-1-2-0"),
    ("{{ '%s-%03d'|format(cluster, 7) }}", "eu-1-007"),
    ("{{ '{}:{}'.format(model, version) }}", "iris:1.2.0"),
    ("{{ [environment, cluster]|join('/') }}", "prod/eu-1"),
    ("{% if environment == 'prod' %}{{ 2 * 4 }}{% else %}1{% endif %}", "8"),
    ("{{ (range(3)|list) * 2 }}", "[0, 1, 2, 0, 1, 2]"),
    ("{{ 2 ** 64 }}", "18446744073709551616"),
])
def test_ordinary_expressions_still_work(text, expected):
    assert render_string(text, CONTEXT) == expected


def test_namespace_counters_still_work_where_the_helper_is_visible():
    text = "{% set ns = namespace(n=0) %}{% for c in cluster %}{% set ns.n = ns.n + 1 %}{% endfor %}{{ ns.n }}"
    assert render_string(text, NO_NAMESPACE) == "4"


def test_extent_counts_shared_values_each_time_without_walking_them_again():
    value = [1]
    for _ in range(60):
        value = [value, value]  # 2**60 items when printed; 60 distinct lists
    assert sandbox.extent(value) == sandbox.MAX_SIZE + 1
    assert sandbox.extent({"a": "bcd", "e": [1, "fg"]}) == 2 + 1 + 3 + 1 + 2 + 2


@pytest.mark.parametrize("text", ["{{ " + "(" * 10000 + "1" + ")" * 10000 + " }}",
                                  "{% if a %}" * 2000 + "{% endif %}" * 2000])
def test_deeply_nested_expressions_are_a_syntax_error_not_a_crash(text):
    assert refusal(text) == "template syntax error: expressions nested too deeply"
