"""Running commands in-process for tests: :class:`CliRunner` swaps the
standard streams and environment variables for one invocation and returns
a :class:`Result` with the output, exit code, exception and return value.
"""

from __future__ import annotations

import collections.abc as cabc
import contextlib
import importlib
import io
import os
import shlex
import sys
import typing as t

from ._argcli import Abort
from ._argcli import Command
from ._argcli import CommandError
from ._argcli import Exit
from ._argcli import echo
from ._argcli.foreign import loaded_click
from ._argcli.interop import as_command

__all__ = ["CliRunner", "Result"]


class Result:
    """What :meth:`CliRunner.invoke` observed."""

    def __init__(
        self,
        runner: CliRunner,
        stdout_bytes: bytes,
        stderr_bytes: bytes,
        output_bytes: bytes,
        return_value: t.Any,
        exit_code: int,
        exception: BaseException | None,
        exc_info: t.Any = None,
    ) -> None:
        self.runner = runner
        self.stdout_bytes = stdout_bytes
        self.stderr_bytes = stderr_bytes
        #: stdout and stderr interleaved, as a terminal shows them.
        self.output_bytes = output_bytes
        #: The command callback's return value.
        self.return_value = return_value
        #: The exit code the program would have had.
        self.exit_code = exit_code
        #: The exception that ended the command, if any (``SystemExit``
        #: for a non-zero exit).
        self.exception = exception
        self.exc_info = exc_info

    @property
    def output(self) -> str:
        """Everything printed, stdout and stderr together."""
        return self.output_bytes.decode(self.runner.charset, "replace").replace("\r\n", "\n")

    @property
    def stdout(self) -> str:
        return self.stdout_bytes.decode(self.runner.charset, "replace").replace("\r\n", "\n")

    @property
    def stderr(self) -> str:
        return self.stderr_bytes.decode(self.runner.charset, "replace").replace("\r\n", "\n")

    def __repr__(self) -> str:
        exc = repr(self.exception) if self.exception else "okay"
        return f"<{type(self).__name__} {exc}>"


class _KeptBytes(io.BytesIO):
    """A buffer that outlives the text wrapper around it: the wrapper
    closes its buffer when collected, and the result is read after that."""

    def close(self) -> None:
        pass


class _TeeBytes(_KeptBytes):
    """One stream's bytes, also copied into the shared ``output``."""

    def __init__(self, shared: io.BytesIO) -> None:
        super().__init__()
        self.shared = shared

    def write(self, data: t.Any) -> int:
        self.shared.write(data)
        return super().write(data)


class _Joined:
    """stdout then stderr, where click (before 8.2) keeps no interleaved copy."""

    def __init__(self, out: t.Any, err: t.Any) -> None:
        self.out = out
        self.err = err

    def getvalue(self) -> bytes:
        both: bytes = self.out.getvalue() + self.err.getvalue()
        return both


@contextlib.contextmanager
def _click_isolation(
    runner: CliRunner, input: t.Any, env: t.Any, color: bool
) -> t.Iterator[tuple[t.Any, t.Any, t.Any]]:
    """click's public test isolation (``click.testing.CliRunner.isolation``)
    with this runner's settings, yielding stdout, stderr and output."""
    # Interop only: click is already in use; its public test isolation.
    testing = importlib.import_module("click.testing")
    settings = {"charset": runner.charset, "env": runner.env, "echo_stdin": runner.echo_stdin}
    try:
        click_runner = testing.CliRunner(mix_stderr=False, **settings)  # click < 8.2
    except TypeError:
        click_runner = testing.CliRunner(**settings)
    with click_runner.isolation(input=input, env=env, color=color) as streams:
        if len(streams) == 2:
            out, err = streams
            streams = (out, err, _Joined(out, err))
        try:
            yield streams
        finally:
            # print() output still in the text wrappers' buffers.
            for stream in (sys.stdout, sys.stderr):
                stream.flush()


class CliRunner:
    """Runs commands in-process for tests, capturing their output.

    :param charset: the encoding of the captured streams.
    :param env: environment variables set during each run (``None``
        values unset them).
    :param catch_exceptions: turn unexpected exceptions into a result
        instead of raising them.
    """

    def __init__(
        self,
        charset: str = "utf-8",
        env: cabc.Mapping[str, str | None] | None = None,
        echo_stdin: bool = False,
        catch_exceptions: bool = True,
    ) -> None:
        self.charset = charset
        self.env = dict(env or {})
        self.echo_stdin = echo_stdin
        self.catch_exceptions = catch_exceptions

    def get_default_prog_name(self, cli: Command) -> str:
        return cli.name or "root"

    @contextlib.contextmanager
    def isolation(
        self,
        input: str | bytes | t.IO[t.Any] | None = None,
        env: cabc.Mapping[str, str | None] | None = None,
        color: bool = False,
    ) -> t.Iterator[tuple[t.Any, t.Any, t.Any]]:
        """Swap stdin/stdout/stderr and the environment for one run; yield
        the stdout, stderr and interleaved output buffers.

        When the process uses click, click's own test isolation is used, so
        click's prompts show what a terminal shows (the typed answer
        echoed, hidden input not) exactly as under Flask's runner.
        """
        if loaded_click() is not None:
            with _click_isolation(self, input, env, color) as streams:
                yield streams
            return
        with self._own_isolation(input, env) as streams:
            yield streams

    @contextlib.contextmanager
    def _own_isolation(
        self, input: str | bytes | t.IO[t.Any] | None, env: cabc.Mapping[str, str | None] | None
    ) -> t.Iterator[tuple[io.BytesIO, io.BytesIO, io.BytesIO]]:
        data: str | bytes | None = input.read() if input is not None and not isinstance(input, (str, bytes)) else input
        if isinstance(data, str):
            data = data.encode(self.charset)
        stdin_bytes = _KeptBytes(data or b"")
        shared = _KeptBytes()
        out_bytes, err_bytes = _TeeBytes(shared), _TeeBytes(shared)
        streams = (sys.stdin, sys.stdout, sys.stderr)
        sys.stdin = io.TextIOWrapper(stdin_bytes, encoding=self.charset)
        sys.stdout = io.TextIOWrapper(out_bytes, encoding=self.charset, write_through=True)
        sys.stderr = io.TextIOWrapper(err_bytes, encoding=self.charset, errors="backslashreplace", write_through=True)
        saved_env: dict[str, str | None] = {}
        try:
            for key, value in {**self.env, **(env or {})}.items():
                saved_env[key] = os.environ.get(key)
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            yield out_bytes, err_bytes, shared
        finally:
            for key, value in saved_env.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            sys.stdin, sys.stdout, sys.stderr = streams

    def invoke(
        self,
        cli: Command,
        args: str | cabc.Sequence[str] | None = None,
        input: str | bytes | t.IO[t.Any] | None = None,
        env: cabc.Mapping[str, str | None] | None = None,
        catch_exceptions: bool | None = None,
        color: bool = False,
        **extra: t.Any,
    ) -> Result:
        """Run ``cli`` with ``args`` (a list, or a string split like a
        shell would) and return a :class:`Result`. ``extra`` goes to the
        command's context (``obj=...``)."""
        if catch_exceptions is None:
            catch_exceptions = self.catch_exceptions
        if not isinstance(cli, Command):
            # A click command: its adapter loads only when one is run.

            cli = as_command(cli)
        if isinstance(args, str):
            args = shlex.split(args)
        prog_name = extra.pop("prog_name", None) or self.get_default_prog_name(cli)
        return_value = None
        exception: BaseException | None = None
        exc_info = None
        exit_code = 0
        with self.isolation(input=input, env=env, color=color) as (out, err, shared):
            try:
                return_value = cli._run(list(args or ()), prog_name, **extra)
            except CommandError as e:
                e.show()
                exit_code = e.exit_code
                exception = SystemExit(exit_code)
            except Exit as e:
                exit_code = e.exit_code
                exception = SystemExit(exit_code) if exit_code else None
            except (Abort, EOFError, KeyboardInterrupt):
                echo("Aborted!", err=True)
                exit_code = 1
                exception = SystemExit(1)
            except SystemExit as e:
                code = e.code
                exit_code = code if isinstance(code, int) else (0 if code is None else 1)
                if not isinstance(code, int) and code is not None:
                    echo(code, err=True)
                exception = e if exit_code else None
            except Exception as e:
                if not catch_exceptions:
                    raise
                exception = e
                exit_code = 1
                exc_info = sys.exc_info()
        return Result(
            self, out.getvalue(), err.getvalue(), shared.getvalue(), return_value, exit_code, exception, exc_info
        )

    @contextlib.contextmanager
    def isolated_filesystem(self, temp_dir: str | os.PathLike[str] | None = None) -> t.Iterator[str]:
        """Run the block in a new temporary directory (removed afterwards
        unless ``temp_dir`` was given)."""
        import tempfile

        cwd = os.getcwd()
        path = tempfile.mkdtemp(dir=temp_dir)
        os.chdir(path)
        try:
            yield path
        finally:
            os.chdir(cwd)
            if temp_dir is None:
                import shutil as _shutil

                _shutil.rmtree(path, ignore_errors=True)
