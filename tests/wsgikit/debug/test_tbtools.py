"""DebugTraceback and DebugFrameSummary."""

from __future__ import annotations

import json
import sys
import traceback

import pytest

from wsgikit.debug.tbtools import DebugFrameSummary
from wsgikit.debug.tbtools import DebugTraceback
from wsgikit.debug.tbtools import render_console_html


def catch(func: object) -> BaseException:
    try:
        func()  # type: ignore[operator]
    except BaseException as e:  # noqa: B036
        return e
    raise AssertionError("did not raise")  # pragma: no cover


def inner() -> None:
    local_value = {"k": 1}  # noqa: F841
    raise KeyError("inner")


def outer() -> None:
    inner()


def test_text_matches_standard_formatting() -> None:
    exc = catch(outer)
    expected = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    assert DebugTraceback(exc).render_traceback_text() == expected


def test_skip_drops_leading_frames() -> None:
    exc = catch(outer)
    tb = DebugTraceback(exc, skip=1)
    assert [f.name for f in tb.all_frames] == ["outer", "inner"]
    assert "in catch" not in tb.render_traceback_text()
    assert "in outer" in tb.render_traceback_text()


def test_frames_keep_namespaces_and_evaluate() -> None:
    tb = DebugTraceback(catch(outer))
    frame = tb.all_frames[-1]
    assert isinstance(frame, DebugFrameSummary)
    assert frame.local_ns["local_value"] == {"k": 1}
    assert frame.global_ns is globals()
    assert frame.eval("local_value['k'] + 1").endswith('<span class="number">2</span>')
    frame.eval("new_name = 5")
    assert frame.eval("new_name").endswith('<span class="number">5</span>')
    assert frame.console is frame.console


def test_frame_ids_are_unique_and_in_html() -> None:
    tb = DebugTraceback(catch(outer))
    ids = [f.frame_id for f in tb.all_frames]
    assert len(set(ids)) == len(ids)
    html = tb.render_traceback_html()
    assert all(f'data-frame="{i}"' in html for i in ids)
    assert html.startswith('<div class="traceback"><h3>Traceback <em>(most recent call last)</em>:</h3>')


def test_traceback_info_is_shown_escaped() -> None:
    def func() -> None:
        __traceback_info__ = "<info>"  # noqa: F841
        raise ValueError

    html = DebugTraceback(catch(func)).render_traceback_html()
    assert '<pre class="info">&lt;info&gt;</pre>' in html


def test_library_frames_are_marked() -> None:
    exc = catch(lambda: json.loads("{"))
    tb = DebugTraceback(exc)
    library = [f for f in tb.all_frames if f.is_library]
    assert library and all("json" in f.filename for f in library)
    assert 'class="frame library"' in tb.render_traceback_html()
    assert not tb.all_frames[0].is_library


@pytest.mark.skipif(sys.version_info < (3, 11), reason="column positions are 3.11+")
def test_failing_expression_is_marked() -> None:
    def func() -> None:
        values = {"é": 1}
        print("x", values["missing"])

    html = DebugTraceback(catch(func)).render_traceback_html()
    assert "<mark>values[&#34;missing&#34;]</mark>" in html


def test_missing_source_renders_empty() -> None:
    exc = catch(lambda: exec("raise ValueError('no file')"))
    html = DebugTraceback(exc).render_traceback_html()
    assert '<div class="source empty"></div>' in html


def test_cycle_in_context_terminates() -> None:
    a = ValueError("a")
    b = KeyError("b")
    a.__context__ = b
    b.__context__ = a
    try:
        raise a
    except ValueError as e:
        tb = DebugTraceback(e)
    html = tb.render_traceback_html()
    assert "ValueError: a" in html and "KeyError: &#39;b&#39;" in html


def test_long_chain_is_linear() -> None:
    exc: BaseException | None = None
    for i in range(300):
        try:
            raise ValueError(f"level {i}") from exc
        except ValueError as e:
            exc = e
    assert exc is not None
    tb = DebugTraceback(exc)
    html = tb.render_traceback_html()
    assert html.count('<blockquote class="exception">') == 300
    assert len(tb.all_tracebacks) == 300
    assert tb.all_tracebacks[0][0] is None
    assert tb.all_tracebacks[1][0] is not None and "direct cause" in tb.all_tracebacks[1][0]


def test_debugger_page_flags_and_escaping() -> None:
    tb = DebugTraceback(catch(lambda: (_ for _ in ()).throw(ValueError("<v>"))))
    page = tb.render_debugger_html(evalex=True, secret="s3cr&t", evalex_trusted=False, request_line="GET /<x>")
    assert 'data-evalex="true"' in page and 'data-evalex-trusted="false"' in page
    assert 'data-secret="s3cr&amp;t"' in page
    assert "<code>GET /&lt;x&gt;</code>" in page
    assert "<title>ValueError: &lt;v&gt; // wsgikit Debugger</title>" in page


def test_console_page() -> None:
    page = render_console_html("abc", True)
    assert 'data-console-mode="true"' in page and 'data-evalex-trusted="true"' in page
    assert '<div class="frame console-frame" data-frame="0"></div>' in page


# -- the compact page ------------------------------------------------------------


def test_source_lines_are_single_block_elements_with_folded_context() -> None:
    html = DebugTraceback(catch(outer)).render_traceback_html()
    source = html.split('<div class="source"><pre>', 1)[1].split("</pre>", 1)[0]
    # Nothing between the line elements: no newline doubles the spacing.
    assert "\n" not in source
    assert source.count('<span class="line current">') == 1
    # One line each side of the failing one is shown, the rest folded.
    assert source.count('<span class="line">') == 2
    assert '<span class="line extra">' in source


def test_library_frames_fold_into_runs_but_the_innermost_shows() -> None:
    tb = DebugTraceback(catch(lambda: json.loads("{")))
    frames = tb.all_frames
    assert [f.is_library for f in frames] == [False, False, True, True, True]
    html = tb.render_traceback_html()
    items = html.split('<ul class="frames">', 1)[1]
    run = items.split('<li class="library-run"><details><summary>2 library frames</summary>', 1)[1]
    run = run.split("</details></li>", 1)[0]
    assert f'data-frame="{frames[2].frame_id}"' in run and f'data-frame="{frames[3].frame_id}"' in run
    # The innermost frame is where it failed: never folded away.
    assert f'data-frame="{frames[4].frame_id}"' not in run
    assert html.count("<details>") == 1


def test_wsgikit_and_microflask_frames_are_library_frames() -> None:
    from wsgikit.wsgi import get_current_url

    frames = DebugTraceback(catch(lambda: get_current_url({}))).all_frames
    assert frames[-1].filename.endswith("wsgi.py") and frames[-1].is_library
    assert not frames[0].is_library
    import microflask.helpers

    summary = traceback.FrameSummary(microflask.helpers.__file__, 1, "f")
    fake = DebugFrameSummary(locals={}, globals={}, filename=summary.filename, lineno=1, name="f")
    assert fake.is_library


class _MultiLine(Exception):
    pass


@pytest.mark.parametrize(
    ("exc", "summary"),
    [
        (ValueError("first line\nsecond line"), "ValueError: first line"),
        (_MultiLine("\n  starts later\n"), "_MultiLine: starts later"),
        (KeyError("k"), "KeyError: 'k'"),
        (RuntimeError(), "RuntimeError"),
        (SyntaxError("bad token", ("f.py", 3, 1, "x = (", 3, 2)), "SyntaxError: bad token"),
    ],
)
def test_summary_names_the_exception_not_a_source_line(exc: BaseException, summary: str) -> None:
    def boom() -> None:
        raise exc

    tb = DebugTraceback(catch(boom))
    assert tb.exception_summary == summary
    if sys.version_info >= (3, 11):
        exc.add_note("a note")
        assert DebugTraceback(catch(boom)).exception_summary == summary


def test_template_like_file_source_is_read(tmp_path: object) -> None:
    from pathlib import Path

    template = Path(str(tmp_path)) / "page.html"
    template.write_text("<h1>x</h1>\n<p>{{ 1 // 0 }}</p>\n<p>end</p>\n")
    code = compile("\n" + "raise ZeroDivisionError('in template')", str(template), "exec")
    exc = catch(lambda: exec(code, {"__name__": str(template)}))
    html = DebugTraceback(exc).render_traceback_html()
    assert '<span class="line current"><span class="lineno">2</span> &lt;p&gt;{{ 1 // 0 }}&lt;/p&gt;</span>' in html


def test_source_linecache_refuses_is_read_with_replacement(tmp_path: object) -> None:
    from pathlib import Path

    template = Path(str(tmp_path)) / "latin1.html"
    template.write_bytes("<p>caf\u00e9</p>\n<p>{{ boom }}</p>\n".encode("latin-1"))
    code = compile("\n" + "raise ValueError('in template')", str(template), "exec")
    exc = catch(lambda: exec(code, {"__name__": str(template)}))
    html = DebugTraceback(exc).render_traceback_html()
    assert '<span class="line current"><span class="lineno">2</span> &lt;p&gt;{{ boom }}&lt;/p&gt;</span>' in html
    assert "caf\ufffd" in html
