"""The interactive console."""

from __future__ import annotations

import sys
import threading

import pytest

from wsgikit.debug.console import Console
from wsgikit.debug.console import HTMLStringO


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["1 + 1"], '>>> 1 + 1\n<span class="number">2</span>'),
        (["x = 5"], ">>> x = 5\n"),
        (["None"], ">>> None\n"),
        (["print('<b>&')"], ">>> print(&#39;&lt;b&gt;&amp;&#39;)\n&lt;b&gt;&amp;\n"),
        (["if True:", "  7", ""], '... \n<span class="number">7</span>'),
        (["x ="], None),
        (["def f(:"], None),
    ],
)
def test_console_eval_table(lines: list[str], expected: str | None) -> None:
    console = Console()
    for line in lines:
        result = console.eval(line)
    if expected is None:
        assert '<pre class="traceback">' in result
        assert "SyntaxError" in result
        assert console.buffer == []
    else:
        assert result == expected


def test_namespace_and_underscore() -> None:
    console = Console({"g": 1}, {"l": 2})
    assert console.eval("g + l").endswith('<span class="number">3</span>')
    assert console.eval("_ * 2").endswith('<span class="number">6</span>')
    assert "dump" in console.locals and "help" in console.locals


def test_exception_is_rendered_with_console_source() -> None:
    console = Console()
    result = console.eval("raise ValueError('<x>')")
    assert result.startswith(">>> raise ValueError(&#39;&lt;x&gt;&#39;)\n<div class=\"traceback\">")
    assert '<blockquote class="exception">ValueError: &lt;x&gt;\n</blockquote>' in result
    # The console's own machinery is not in the traceback.
    assert "_run" not in result
    # The input line is shown as the frame's source.
    assert "raise ValueError(&#39;&lt;x&gt;&#39;)</span>" in result


@pytest.mark.parametrize("code", ["exit()", "raise SystemExit(3)", "raise KeyboardInterrupt"])
def test_base_exceptions_stay_in_console(code: str) -> None:
    result = Console().eval(code)
    assert '<div class="traceback">' in result


def test_streams_restored_after_eval() -> None:
    stdout, hook = sys.stdout, sys.displayhook
    console = Console()
    console.eval("1")
    console.eval("1/0")
    assert sys.stdout is stdout and sys.displayhook is hook


def test_other_threads_output_is_not_captured(capsys: pytest.CaptureFixture[str]) -> None:
    started = threading.Event()
    release = threading.Event()

    def other() -> None:
        started.wait(5)
        print("from another thread")
        release.set()

    thread = threading.Thread(target=other)
    thread.start()
    console = Console({"started": started, "release": release})
    result = console.eval("started.set() or release.wait(5) or print('mine')")
    thread.join()
    assert "mine" in result
    assert "another thread" not in result
    assert "from another thread" in capsys.readouterr().out


def test_display_hook_is_reachable_as_in_werkzeug() -> None:
    from wsgikit.debug import console as console_module
    from wsgikit.debug.console import ThreadedStream

    console = Console()
    console.locals["ThreadedStream"] = ThreadedStream
    out = console.eval("import sys; sys.displayhook is ThreadedStream.displayhook")
    assert out.endswith('<span class="number">True</span>')
    assert sys.displayhook is not ThreadedStream.displayhook  # only while console code runs
    ThreadedStream.push()
    ThreadedStream.displayhook([1, "<a>"])
    ThreadedStream.displayhook(None)
    assert ThreadedStream.fetch() == '[<span class="number">1</span>, <span class="string">&#39;&lt;a&gt;&#39;</span>]'
    assert ThreadedStream.fetch() == ""
    console_module._capture.stream = None  # stop this thread's capture again


def test_help_in_the_console() -> None:
    out = Console().eval("help(len)")
    assert out.startswith(">>> help(len)\n<div class=\"box\"><h3>Help on built-in function len in module builtins:</h3>")


def test_html_string_o() -> None:
    out = HTMLStringO()
    out.write("<a>")
    out.write(b"\xff<")  # type: ignore[arg-type]
    out._write("<b>")
    out.writelines(["&", "x"])
    assert out.reset() == "&lt;a&gt;\ufffd&lt;<b>&amp;x"
    assert out.reset() == ""
    assert out.isatty() is False and out.readline() == ""
