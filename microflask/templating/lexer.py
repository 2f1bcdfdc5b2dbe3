"""Turn template source into a flat list of tokens.

Theory of operation: newlines are normalised to ``\\n`` and one trailing
newline is dropped (unless ``keep_trailing_newline``). A single regex of
literal alternatives finds the next tag opener (``{{``, ``{%``, ``{#`` or a
line-statement prefix at the start of a line); everything before it is data.
Comments are skipped with ``str.find``; ``raw`` blocks are copied as data up
to ``endraw``; other tags are split into expression tokens by anchored
``match`` calls until the closing delimiter is seen at bracket depth zero.
The first pass produces "chunks" (data strings and tags with their ``-``/``+``
modifiers); a second pass applies whitespace control (``-``, ``trim_blocks``,
``lstrip_blocks``) to the data next to each tag and emits the final tokens.
Every regex is a plain alternation or a single-quantifier class, so lexing is
linear in the source size. Token types are Jinja2's (``name``, ``comma``,
``block_begin``...: the ``TOKEN_*`` constants), so extensions that inspect
tokens work unchanged; :class:`TokenStream` is the cursor the parser and
extensions read.
"""

from __future__ import annotations

import re
import typing as t

from .exceptions import TemplateSyntaxError

if t.TYPE_CHECKING:
    from .environment import Environment

_WHITESPACE = re.compile(r"\s+")
_NAME = re.compile(r"[^\W\d]\w*")
# ``(?:_?\d)*`` consumes exactly one digit per step, so it cannot backtrack
# ambiguously; an underscore is only accepted between two digits.
_DIGITS = r"\d(?:_?\d)*"
_NUMBER = re.compile(
    r"0[bB](?:_?[01])+|0[oO](?:_?[0-7])+|0[xX](?:_?[0-9a-fA-F])+"
    rf"|{_DIGITS}(?:\.{_DIGITS})?(?:[eE][+\-]?{_DIGITS})?"
)
_INTEGER_ONLY = re.compile(_DIGITS)
# The classic "unrolled loop" string pattern: each branch consumes at least one
# character that the other cannot, so there is no catastrophic backtracking.
_STRING = re.compile(r"'[^'\\]*(?:\\.[^'\\]*)*'|\"[^\"\\]*(?:\\.[^\"\\]*)*\"", re.S)
_OPERATORS = (
    "//", "**", "==", "!=", "<=", ">=",
    "+", "-", "/", "*", "%", "~", "[", "]", "(", ")", "{", "}",
    "<", ">", "=", ".", ":", "|", ",", ";",
)  # fmt: skip
_OPERATOR_CHARS = frozenset(op[0] for op in _OPERATORS)
_DOUBLE_OPERATORS = frozenset(op for op in _OPERATORS if len(op) == 2)
_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = {")", "]", "}"}

# Token types (Jinja's names and values; extensions compare against these).
TOKEN_ADD = "add"
TOKEN_ASSIGN = "assign"
TOKEN_COLON = "colon"
TOKEN_COMMA = "comma"
TOKEN_DIV = "div"
TOKEN_DOT = "dot"
TOKEN_EQ = "eq"
TOKEN_FLOORDIV = "floordiv"
TOKEN_GT = "gt"
TOKEN_GTEQ = "gteq"
TOKEN_LBRACE = "lbrace"
TOKEN_LBRACKET = "lbracket"
TOKEN_LPAREN = "lparen"
TOKEN_LT = "lt"
TOKEN_LTEQ = "lteq"
TOKEN_MOD = "mod"
TOKEN_MUL = "mul"
TOKEN_NE = "ne"
TOKEN_PIPE = "pipe"
TOKEN_POW = "pow"
TOKEN_RBRACE = "rbrace"
TOKEN_RBRACKET = "rbracket"
TOKEN_RPAREN = "rparen"
TOKEN_SEMICOLON = "semicolon"
TOKEN_SUB = "sub"
TOKEN_TILDE = "tilde"
TOKEN_WHITESPACE = "whitespace"
TOKEN_FLOAT = "float"
TOKEN_INTEGER = "integer"
TOKEN_NAME = "name"
TOKEN_STRING = "string"
TOKEN_OPERATOR = "operator"
TOKEN_BLOCK_BEGIN = "block_begin"
TOKEN_BLOCK_END = "block_end"
TOKEN_VARIABLE_BEGIN = "variable_begin"
TOKEN_VARIABLE_END = "variable_end"
TOKEN_RAW_BEGIN = "raw_begin"
TOKEN_RAW_END = "raw_end"
TOKEN_COMMENT_BEGIN = "comment_begin"
TOKEN_COMMENT_END = "comment_end"
TOKEN_COMMENT = "comment"
TOKEN_LINESTATEMENT_BEGIN = "linestatement_begin"
TOKEN_LINESTATEMENT_END = "linestatement_end"
TOKEN_LINECOMMENT_BEGIN = "linecomment_begin"
TOKEN_LINECOMMENT_END = "linecomment_end"
TOKEN_LINECOMMENT = "linecomment"
TOKEN_DATA = "data"
TOKEN_INITIAL = "initial"
TOKEN_EOF = "eof"

#: Operator text -> token type.
operators = {
    "+": TOKEN_ADD, "-": TOKEN_SUB, "/": TOKEN_DIV, "//": TOKEN_FLOORDIV,
    "*": TOKEN_MUL, "%": TOKEN_MOD, "**": TOKEN_POW, "~": TOKEN_TILDE,
    "[": TOKEN_LBRACKET, "]": TOKEN_RBRACKET, "(": TOKEN_LPAREN, ")": TOKEN_RPAREN,
    "{": TOKEN_LBRACE, "}": TOKEN_RBRACE, "==": TOKEN_EQ, "!=": TOKEN_NE,
    ">": TOKEN_GT, ">=": TOKEN_GTEQ, "<": TOKEN_LT, "<=": TOKEN_LTEQ,
    "=": TOKEN_ASSIGN, ".": TOKEN_DOT, ":": TOKEN_COLON, "|": TOKEN_PIPE,
    ",": TOKEN_COMMA, ";": TOKEN_SEMICOLON,
}  # fmt: skip
#: Token type -> operator text.
reverse_operators = {v: k for k, v in operators.items()}

#: Human names of tokens, used in error messages (same wording as Jinja).
TOKEN_DESCRIPTIONS = {
    TOKEN_COMMENT_BEGIN: "begin of comment",
    TOKEN_COMMENT_END: "end of comment",
    TOKEN_COMMENT: "comment",
    TOKEN_LINECOMMENT: "comment",
    TOKEN_BLOCK_BEGIN: "begin of statement block",
    TOKEN_BLOCK_END: "end of statement block",
    TOKEN_VARIABLE_BEGIN: "begin of print statement",
    TOKEN_VARIABLE_END: "end of print statement",
    TOKEN_LINESTATEMENT_BEGIN: "begin of line statement",
    TOKEN_LINESTATEMENT_END: "end of line statement",
    TOKEN_DATA: "template data / text",
    TOKEN_EOF: "end of template",
}


def describe_token_type(token_type: str) -> str:
    """How an error message names a token type (``,`` for ``comma``)."""
    if token_type in reverse_operators:
        return reverse_operators[token_type]
    return TOKEN_DESCRIPTIONS.get(token_type, token_type)


def describe_token(token: Token) -> str:
    """How an error message names a token (a name by its value)."""
    if token.type == TOKEN_NAME:
        name: str = token.value
        return name
    return describe_token_type(token.type)


def describe_token_expr(expr: str) -> str:
    """Like :func:`describe_token` for a token expression (``"name:endfor"``)."""
    if ":" in expr:
        type, value = expr.split(":", 1)
        if type == TOKEN_NAME:
            return value
    else:
        type = expr
    return describe_token_type(type)


class Token:
    """One token: its line, its type and its value.

    Behaves like Jinja2's ``Token`` named tuple (unpacking, indexing,
    equality with tuples) but is a plain slotted class.
    """

    # PERF: a slotted class is created and read faster than a named tuple,
    # and the lexer makes one per token.
    __slots__ = ("lineno", "type", "value")

    def __init__(self, lineno: int, type: str, value: t.Any) -> None:
        self.lineno = lineno
        self.type = type
        self.value = value

    def _as_tuple(self) -> tuple[int, str, t.Any]:
        return (self.lineno, self.type, self.value)

    def __iter__(self) -> t.Iterator[t.Any]:
        return iter(self._as_tuple())

    def __getitem__(self, index: t.Any) -> t.Any:
        return self._as_tuple()[index]

    def __len__(self) -> int:
        return 3

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Token):
            return self._as_tuple() == other._as_tuple()
        if isinstance(other, tuple):
            return self._as_tuple() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._as_tuple())

    def __repr__(self) -> str:
        return f"Token(lineno={self.lineno!r}, type={self.type!r}, value={self.value!r})"

    def __str__(self) -> str:
        return describe_token(self)

    def describe(self) -> str:
        """Describe the token the way "got ..." in error messages shows it."""
        if self.type in (TOKEN_STRING, TOKEN_INTEGER, TOKEN_FLOAT):
            return str(self.value)
        return describe_token(self)

    def test(self, expr: str) -> bool:
        """Whether the token matches ``expr``: a type (``"comma"``) or ``"type:value"``."""
        if self.type == expr:
            return True
        if ":" in expr:
            return expr.split(":", 1) == [self.type, self.value]
        return False

    def test_any(self, *iterable: str) -> bool:
        """Whether the token matches any of the token expressions."""
        return any(self.test(expr) for expr in iterable)


class TokenStream:
    """Cursor over a token list with lookahead, as extensions see ``parser.stream``.

    ``current`` is the token under the cursor; ``next(stream)`` returns it and
    advances. Token expressions are a type (``"comma"``) or ``"type:value"``
    (``"name:endfor"``). Built from any iterable of :class:`~.lexer.Token`
    (what an extension's ``filter_stream`` returns); an ``eof`` token is added
    when missing.
    """

    __slots__ = ("tokens", "pos", "current", "name", "filename")

    def __init__(self, generator: t.Iterable[Token], name: str | None, filename: str | None) -> None:
        tokens = generator if type(generator) is list else list(generator)
        if not tokens or tokens[-1].type != TOKEN_EOF:
            tokens.append(Token(tokens[-1].lineno if tokens else 1, TOKEN_EOF, ""))
        self.tokens = tokens
        self.pos = 0
        #: The token under the cursor.
        self.current: Token = tokens[0]
        self.name = name
        self.filename = filename

    def __iter__(self) -> t.Iterator[Token]:
        """Yield the remaining tokens up to (not including) ``eof``."""
        while self.current.type != TOKEN_EOF:
            yield self.next()

    def __bool__(self) -> bool:
        return self.current.type != TOKEN_EOF

    @property
    def eos(self) -> bool:
        """Whether the stream is at its end."""
        return self.current.type == TOKEN_EOF

    def __next__(self) -> Token:
        """Return the current token and advance (staying on ``eof``)."""
        token = self.current
        if self.pos < len(self.tokens) - 1:
            self.pos += 1
            self.current = self.tokens[self.pos]
        return token

    next = __next__

    def push(self, token: Token) -> None:
        """Put ``token`` right after the current one (it is the next ``next()``)."""
        self.tokens.insert(self.pos + 1, token)

    def look(self) -> Token:
        """Return the token after the current one."""
        return self.tokens[min(self.pos + 1, len(self.tokens) - 1)]

    def skip(self, n: int = 1) -> None:
        """Advance ``n`` tokens."""
        for _ in range(n):
            self.next()

    def test(self, type: str, value: t.Any = None) -> bool:
        """Whether the current token has ``type`` (and ``value``, if given)."""
        token = self.current
        if token.type != type:
            return value is None and ":" in type and token.test(type)
        return value is None or token.value == value

    def next_if(self, expr: str, value: t.Any = None) -> Token | None:
        """Advance and return the current token if it matches ``expr``."""
        if self.test(expr, value):
            return self.next()
        return None

    def skip_if(self, expr: str, value: t.Any = None) -> bool:
        """Advance if the current token matches ``expr``; return whether it did."""
        if self.test(expr, value):
            self.next()
            return True
        return False

    def close(self) -> None:
        """Drop the remaining tokens."""
        self.current = Token(self.current.lineno, TOKEN_EOF, "")
        self.tokens[self.pos + 1 :] = []
        self.tokens[self.pos] = self.current

    def fail(self, message: str, lineno: int | None = None, cls: type = TemplateSyntaxError) -> t.NoReturn:
        raise cls(message, lineno or self.current.lineno, self.name, self.filename)

    def expect(self, expr: str, value: t.Any = None) -> Token:
        """Return the current token and advance, if it matches ``expr``; else fail.

        :raises TemplateSyntaxError: ``expected token 'x', got 'y'``.
        """
        if not self.test(expr, value):
            token = self.current
            if value is not None:
                expr = f"{expr}:{value}"
            wanted = describe_token_expr(expr)
            if token.type == TOKEN_EOF:
                self.fail(f"unexpected end of template, expected {wanted!r}.")
            self.fail(f"expected token {wanted!r}, got {describe_token(token)!r}")
        return self.next()


def _identifier_end(source: str, end: int, size: int) -> int:
    """Extend a name over the characters Python allows inside identifiers
    but the regex's ``\\w`` does not (``·``, combining marks...)."""
    while end < size and ("a" + source[end]).isidentifier():
        end += 1
    return end


class _Tag:
    """A tag found by the first pass, before whitespace control is applied."""

    __slots__ = ("kind", "left", "right", "tokens", "raw_text")

    def __init__(self, kind: str, left: str, right: str) -> None:
        #: ``variable``, ``block``, ``comment``, ``raw`` or ``line``.
        self.kind = kind
        #: The modifier right after the opener (``-``, ``+`` or ``""``).
        self.left = left
        #: The modifier right before the closer.
        self.right = right
        self.tokens: list[Token] = []
        #: For ``raw``: the verbatim content (inner modifiers already applied).
        self.raw_text = ""


def _unescape_string(body: str) -> str:
    """Decode the backslash escapes of a string literal's body."""
    if "\\" not in body:
        return body
    try:
        return body.encode("ascii", "backslashreplace").decode("unicode-escape")
    except UnicodeDecodeError as exc:
        raise ValueError(str(exc)) from None


class _Chunks(list[t.Any]):
    """The first pass's output: data strings and tags, with their start lines."""

    def __init__(self, lexer: Lexer) -> None:
        super().__init__()
        self.lexer = lexer
        #: The line each chunk starts on, parallel to the list itself.
        self.lines: list[int] = []

    def add(self, chunk: t.Any, lineno: int) -> None:
        self.append(chunk)
        self.lines.append(lineno)


class Lexer:
    """A lexer for one environment's delimiter configuration (cached on it)."""

    def __init__(self, environment: Environment) -> None:
        env = environment
        self.block_start = env.block_start_string
        self.block_end = env.block_end_string
        self.variable_start = env.variable_start_string
        self.variable_end = env.variable_end_string
        self.comment_start = env.comment_start_string
        self.comment_end = env.comment_end_string
        self.line_statement_prefix = env.line_statement_prefix
        self.trim_blocks = env.trim_blocks
        self.lstrip_blocks = env.lstrip_blocks
        self.keep_trailing_newline = env.keep_trailing_newline
        self.newline_sequence = env.newline_sequence
        openers = sorted(
            [self.block_start, self.variable_start, self.comment_start], key=len, reverse=True
        )
        pattern = "|".join(re.escape(o) for o in openers)
        if self.line_statement_prefix:
            prefix = re.escape(self.line_statement_prefix)
            pattern = rf"(?P<line>^[ \t\v]*{prefix})|" + pattern
        self.line_comment_prefix = env.line_comment_prefix
        if self.line_comment_prefix:
            # First, so a comment wins over a line statement at the same spot.
            # It only starts after a non-space (or at a line start) so a long
            # run of spaces is not rescanned from every position: linear time.
            comment = re.escape(self.line_comment_prefix)
            pattern = rf"(?P<linecomment>(?:^|(?<=\S))[^\S\n]*{comment}[^\n]*)|" + pattern
        self._opener = re.compile(pattern, re.M)
        self._endraw = re.compile(
            re.escape(self.block_start) + r"([-+]?)\s*endraw\s*([-+]?)" + re.escape(self.block_end)
        )
        self._raw_start = re.compile(r"\s*raw\s*([-+]?)" + re.escape(self.block_end))

    # -- public --------------------------------------------------------------

    def tokenize(self, source: str, name: str | None = None, filename: str | None = None, open_ended: bool = False) -> list[Token]:
        """Return the token list for ``source`` (ending with an ``eof`` token).

        With ``open_ended`` a tag left open at the end of the source ends
        there instead of being an error (for lexing a lone expression).
        """
        self._open_ended = open_ended
        self._name = name
        self._filename = filename
        source = source.replace("\r\n", "\n").replace("\r", "\n")
        if not self.keep_trailing_newline and source.endswith("\n"):
            source = source[:-1]
        self._source = source
        self._line_pos = 0
        self._line_no = 1
        chunks = self._scan(source)
        return self._emit(chunks)

    def tokeniter(
        self, source: str, name: str | None = None, filename: str | None = None, state: str | None = None
    ) -> t.Iterator[tuple[int, str, t.Any]]:
        """Yield ``(lineno, type, value)`` for ``source`` (values already
        converted; no whitespace or comment tokens, unlike Jinja2's). With
        ``state="variable"`` the source is one expression."""
        if state == "variable":
            tokens = self.tokenize(self.variable_start + source, name, filename, open_ended=True)[1:]
            if len(tokens) > 1 and tokens[-2].type == TOKEN_VARIABLE_END and not source.rstrip().endswith(self.variable_end):
                del tokens[-2]
        else:
            tokens = self.tokenize(source, name, filename)
        for token in tokens:
            if token.type == TOKEN_EOF:
                break
            yield token.lineno, token.type, token.value

    def wrap(
        self, stream: t.Iterable[tuple[int, str, t.Any]], name: str | None = None, filename: str | None = None
    ) -> t.Iterator[Token]:
        """Turn ``(lineno, type, value)`` tuples (from :meth:`tokeniter`) into
        :class:`Token` objects, dropping the types a parser ignores."""
        for lineno, token_type, value in stream:
            if token_type in ignored_tokens:
                continue
            yield Token(lineno, token_type, value)

    def comments(self, source: str) -> list[tuple[int, str]]:
        """``(lineno, text)`` of every comment in ``source``, in order (for message extraction)."""
        self._name = self._filename = None
        source = source.replace("\r\n", "\n").replace("\r", "\n")
        self._source = source
        self._line_pos = 0
        self._line_no = 1
        chunks = self._scan(source)
        found = [
            (lineno, chunk.raw_text)
            for chunk, lineno in zip(chunks, chunks.lines)
            if isinstance(chunk, _Tag) and chunk.kind == "comment"
        ]
        return sorted(found + self._line_comments, key=lambda item: item[0])

    # -- helpers -------------------------------------------------------------

    def _lineno(self, pos: int) -> int:
        # PERF: positions only move forward, so counting incrementally keeps
        # line tracking linear instead of recounting from the start.
        if pos > self._line_pos:
            self._line_no += self._source.count("\n", self._line_pos, pos)
            self._line_pos = pos
        elif pos < self._line_pos:
            return self._source.count("\n", 0, pos) + 1
        return self._line_no

    def _fail(self, message: str, pos: int) -> t.NoReturn:
        raise TemplateSyntaxError(message, self._lineno(pos), self._name, self._filename)

    # -- first pass: chunks ----------------------------------------------------

    def _scan(self, source: str) -> _Chunks:
        chunks = _Chunks(self)
        self._line_comments: list[tuple[int, str]] = []
        pos = 0
        size = len(source)
        while pos < size:
            m = self._opener.search(source, pos)
            if m is None:
                chunks.add(source[pos:], self._lineno(pos))
                break
            start = m.start()
            if m.lastgroup == "linecomment":
                chunks.add(source[pos:start], self._lineno(pos))
                text = m.group()
                prefix = self.line_comment_prefix or ""  # set: this group exists only then
                self._line_comments.append((self._lineno(start), text[text.index(prefix) + len(prefix) :]))
                pos = m.end()
                continue
            if m.lastgroup == "line":
                # the prefix is set: this group exists only then
                if self._stripped_into(chunks, source, pos, m.end() - len(self.line_statement_prefix or "")):
                    # Jinja2 quirk kept for identical output: a ``-`` that
                    # strips the whitespace up to a line statement prefix
                    # leaves it mid-line, so it is plain text.
                    chunks.add(source[pos : m.end()], self._lineno(pos))
                    pos = m.end()
                    continue
                chunks.add(source[pos:start], self._lineno(pos))
                self._tag_line = self._lineno(start)
                pos = self._scan_line_statement(source, m.end(), chunks)
                continue
            opener = m.group()
            chunks.add(source[pos:start], self._lineno(pos))
            self._tag_line = self._lineno(start)
            pos = m.end()
            left = ""
            if pos < size and source[pos] in "-+":
                left = source[pos]
                pos += 1
            if opener == self.comment_start:
                pos = self._scan_comment(source, pos, left, chunks, start)
            elif opener == self.block_start:
                raw = self._raw_start.match(source, pos)
                if raw is not None:
                    pos = self._scan_raw(source, raw, left, chunks, start)
                else:
                    pos = self._scan_tag(source, pos, "block", left, chunks)
            else:
                pos = self._scan_tag(source, pos, "variable", left, chunks)
        return chunks

    @staticmethod
    def _stripped_into(chunks: _Chunks, source: str, pos: int, prefix_start: int) -> bool:
        """Whether a ``-`` modifier's strip reaches from the last tag to ``prefix_start``."""
        if not chunks or not isinstance(chunks[-1], _Tag) or chunks[-1].right != "-":
            return False
        gap = source[pos:prefix_start]
        return not gap or gap.isspace()

    def _scan_comment(self, source: str, pos: int, left: str, chunks: _Chunks, start: int) -> int:
        end = source.find(self.comment_end, pos)
        if end == -1:
            self._fail("Missing end of comment tag", start)
        right = ""
        if end > pos and source[end - 1] in "-+":
            right = source[end - 1]
        tag = _Tag("comment", left, right)
        tag.raw_text = source[pos : end - len(right)]
        chunks.add(tag, self._tag_line)
        return end + len(self.comment_end)

    def _scan_raw(self, source: str, raw: re.Match[str], left: str, chunks: _Chunks, start: int) -> int:
        inner_start = raw.end()
        end = self._endraw.search(source, inner_start)
        if end is None:
            self._fail("Missing end of raw directive", start)
        text = source[inner_start : end.start()]
        if raw.group(1) == "-":
            text = text.lstrip()
        if end.group(1) == "-":
            text = text.rstrip()
        elif self.lstrip_blocks and end.group(1) != "+":
            # ``{% endraw %}`` is a block tag too: strip its indentation
            text = self._lstrip_line(text, False)
        tag = _Tag("raw", left, end.group(2))
        tag.raw_text = text
        chunks.add(tag, self._tag_line)
        return end.end()

    def _scan_line_statement(self, source: str, pos: int, chunks: _Chunks) -> int:
        tag = _Tag("line", "", "")
        pos = self._tokenize_expression(source, pos, tag, "\n")
        # the statement swallows its newline and any blank lines after it
        # (as Jinja2 does: whitespace up to the last newline of the run)
        blank = _WHITESPACE.match(source, pos)
        if blank is not None:
            newline = source.rfind("\n", pos, blank.end())
            if blank.end() == len(source):
                pos = blank.end()
            elif newline != -1:
                pos = newline + 1
        if tag.tokens and tag.tokens[-1].type == TOKEN_COLON:
            tag.tokens.pop()
        chunks.add(tag, self._tag_line)
        return pos

    def _scan_tag(self, source: str, pos: int, kind: str, left: str, chunks: _Chunks) -> int:
        tag = _Tag(kind, left, "")
        closer = self.block_end if kind == "block" else self.variable_end
        pos = self._tokenize_expression(source, pos, tag, closer)
        chunks.add(tag, self._tag_line)
        return pos

    def _tokenize_expression(self, source: str, pos: int, tag: _Tag, closer: str) -> int:
        """Lex expression tokens into ``tag.tokens``; return the position after the closer.

        Deliberately one long loop: it is the lexer's hot path.
        """
        tokens = tag.tokens
        stack: list[str] = []
        size = len(source)
        is_line = tag.kind == "line"
        right_mods = "-+" if tag.kind == "block" else "-"
        while True:
            if pos >= size:
                if is_line or self._open_ended:
                    return pos
                what = "end of statement block" if tag.kind == "block" else "end of print statement"
                self._fail(f"unexpected end of template, expected {what!r}.", pos)
            ch = source[pos]
            if not stack:
                if is_line:
                    if ch == "\n":
                        return pos
                elif source.startswith(closer, pos):
                    return pos + len(closer)
                elif ch in right_mods and source.startswith(closer, pos + 1):
                    tag.right = ch
                    return pos + 1 + len(closer)
            if ch.isspace():
                if is_line and ch == "\n" and not stack:
                    return pos
                m = _WHITESPACE.match(source, pos)
                assert m is not None
                end = m.end()
                if is_line and not stack:
                    newline = source.find("\n", pos, end)
                    if newline != -1:
                        end = newline
                pos = end
                continue
            lineno = self._lineno(pos)
            if ch == "'" or ch == '"':
                m = _STRING.match(source, pos)
                if m is None:
                    self._fail("unexpected char {!r} at {}".format(ch, pos), pos)
                try:
                    value = _unescape_string(m.group()[1:-1])
                except ValueError as exc:
                    self._fail(str(exc), pos)
                tokens.append(Token(lineno, "string", value))
                pos = m.end()
                continue
            if ch.isdigit():
                after_dot = bool(tokens) and tokens[-1].type == TOKEN_DOT
                m = (_INTEGER_ONLY if after_dot else _NUMBER).match(source, pos)
                assert m is not None
                text = m.group()
                pos += len(text)
                tokens.append(self._number_token(lineno, text, pos))
                continue
            if ch in _OPERATOR_CHARS:
                op = source[pos : pos + 2]
                if op not in _DOUBLE_OPERATORS:
                    op = ch
                    if op == "!":
                        self._fail(f"unexpected char {ch!r} at {pos}", pos)
            else:
                m = _NAME.match(source, pos)
                if m is not None:
                    end = m.end()
                elif ch.isidentifier():
                    end = pos + 1
                else:
                    self._fail(f"unexpected char {ch!r} at {pos}", pos)
                if end < size and source[end] > "\x7f":
                    end = _identifier_end(source, end, size)
                tokens.append(Token(lineno, "name", source[pos:end]))
                pos = end
                continue
            if op in _OPEN:
                stack.append(_OPEN[op])
            elif op in _CLOSE:
                if not stack:
                    self._fail(f"unexpected {op!r}", pos)
                expected = stack.pop()
                if expected != op:
                    self._fail(f"unexpected {op!r}, expected {expected!r}", pos)
            tokens.append(Token(lineno, operators[op], op))
            pos += len(op)

    def _number_token(self, lineno: int, text: str, pos: int) -> Token:
        try:
            if text[:2].lower() in ("0b", "0o", "0x"):
                return Token(lineno, "integer", int(text, 0))
            if "." in text or "e" in text or "E" in text:
                return Token(lineno, "float", float(text))
            return Token(lineno, "integer", int(text))
        except ValueError:
            self._fail(f"invalid number literal {text!r}", pos)

    # -- second pass: whitespace control and final tokens ------------------------

    def _emit(self, chunks: _Chunks) -> list[Token]:
        # Apply whitespace control to the data chunks around each tag.
        count = len(chunks)
        # indexes of data chunks that begin a line (their newline was trimmed,
        # or a line statement swallowed it): lstrip_blocks may empty them
        line_starts = {0}
        for i, chunk in enumerate(chunks):
            if isinstance(chunk, str):
                continue
            prev_is_data = i > 0 and isinstance(chunks[i - 1], str)
            next_is_data = i + 1 < count and isinstance(chunks[i + 1], str)
            blockish = chunk.kind in ("block", "comment", "raw")
            if prev_is_data:
                data = chunks[i - 1]
                if chunk.left == "-":
                    chunks[i - 1] = data.rstrip()
                elif blockish and self.lstrip_blocks and chunk.left != "+":
                    chunks[i - 1] = self._lstrip_line(data, i - 1 in line_starts)
            if chunk.kind == "line":
                line_starts.add(i + 1)
            if next_is_data:
                data = chunks[i + 1]
                if chunk.right == "-":
                    stripped = data.lstrip()
                    chunks[i + 1] = stripped
                    # the data now starts on a later line
                    chunks.lines[i + 1] += data.count("\n", 0, len(data) - len(stripped))
                elif blockish and self.trim_blocks and chunk.right != "+" and data[:1] == "\n":
                    chunks[i + 1] = data[1:]
                    chunks.lines[i + 1] += 1
                    line_starts.add(i + 1)
        return self._tokens_from_chunks(chunks)

    @staticmethod
    def _lstrip_line(data: str, at_line_start: bool) -> str:
        """Remove spaces/tabs before a block tag if they start their line."""
        stripped = data.rstrip(" \t\v\f")
        if stripped == data:
            return data
        if stripped.endswith("\n") or (not stripped and at_line_start):
            return stripped
        return data

    def _tokens_from_chunks(self, chunks: _Chunks) -> list[Token]:
        tokens: list[Token] = []
        newline = self.newline_sequence
        for chunk, lineno in zip(chunks, chunks.lines):
            if isinstance(chunk, str):
                if chunk:
                    text = chunk if newline == "\n" else chunk.replace("\n", newline)
                    tokens.append(Token(lineno, "data", text))
                continue
            if chunk.kind == "comment":
                continue
            if chunk.kind == "raw":
                if chunk.raw_text:
                    text = chunk.raw_text
                    if newline != "\n":
                        text = text.replace("\n", newline)
                    tokens.append(Token(lineno, "data", text))
                continue
            inner = chunk.tokens
            first_line = inner[0].lineno if inner else lineno
            last_line = inner[-1].lineno if inner else lineno
            if chunk.kind == "variable":
                tokens.append(Token(first_line, TOKEN_VARIABLE_BEGIN, self.variable_start + chunk.left))
                tokens.extend(inner)
                tokens.append(Token(last_line, TOKEN_VARIABLE_END, chunk.right + self.variable_end))
            else:
                opener = self.block_start + chunk.left if chunk.kind == "block" else ""
                closer = chunk.right + self.block_end if chunk.kind == "block" else "\n"
                tokens.append(Token(first_line, TOKEN_BLOCK_BEGIN, opener))
                tokens.extend(inner)
                tokens.append(Token(last_line, TOKEN_BLOCK_END, closer))
        tokens.append(Token(self._lineno(len(self._source)), TOKEN_EOF, ""))
        return tokens


# -- jinja2.lexer's other public names -----------------------------------------------------
from .utils import LRUCache as LRUCache  # noqa: E402

whitespace_re = _WHITESPACE
name_re = _NAME
string_re = _STRING
integer_re = re.compile(rf"({_DIGITS})")
float_re = re.compile(rf"(?<!\.)({_DIGITS})?\.{_DIGITS}(?:[eE][+\-]?{_DIGITS})?|(?<!\.){_DIGITS}[eE][+\-]?{_DIGITS}")
operator_re = re.compile("(" + "|".join(re.escape(op) for op in sorted(_OPERATORS, key=len, reverse=True)) + ")")
newline_re = re.compile(r"(\r\n|\r|\n)")
#: Token types a parser never sees.
ignored_tokens = frozenset(
    ["comment_begin", "comment", "comment_end", "whitespace", "linecomment_begin", "linecomment_end", "linecomment"]
)
#: Token types dropped when their value is empty.
ignore_if_empty = frozenset(["whitespace", "data", "comment", "linecomment"])


def count_newlines(value: str) -> int:
    """The number of line breaks (``\\r\\n``, ``\\r`` or ``\\n``) in ``value``."""
    return len(newline_re.findall(value))


def get_lexer(environment: Environment) -> Lexer:
    """The (cached) lexer for ``environment``'s delimiters and options."""
    return environment._get_lexer()


def compile_rules(environment: Environment) -> list[tuple[str, str]]:
    """The tag openers of ``environment`` as ``(token type, escaped regex)``,
    longest first (the order they are tried in)."""
    rules = [
        (len(environment.comment_start_string), TOKEN_COMMENT_BEGIN, re.escape(environment.comment_start_string)),
        (len(environment.block_start_string), TOKEN_BLOCK_BEGIN, re.escape(environment.block_start_string)),
        (len(environment.variable_start_string), TOKEN_VARIABLE_BEGIN, re.escape(environment.variable_start_string)),
    ]
    if environment.line_statement_prefix is not None:
        rules.append((len(environment.line_statement_prefix), TOKEN_LINESTATEMENT_BEGIN, r"^[ \t\v]*" + re.escape(environment.line_statement_prefix)))
    if environment.line_comment_prefix is not None:
        rules.append((len(environment.line_comment_prefix), TOKEN_LINECOMMENT_BEGIN, r"(?:^|(?<=\S))[^\S\r\n]*" + re.escape(environment.line_comment_prefix)))
    return [rule[1:] for rule in sorted(rules, reverse=True)]


class Failure:
    """A lexer rule that fails: calling it raises ``cls(message, lineno, filename)``."""

    def __init__(self, message: str, cls: type[TemplateSyntaxError] = TemplateSyntaxError) -> None:
        self.message = message
        self.error_class = cls

    def __call__(self, lineno: int, filename: str | None) -> t.NoReturn:
        raise self.error_class(self.message, lineno, None, filename)


class OptionalLStrip(tuple[t.Any, ...]):
    """A tuple of rule parts marking that ``lstrip_blocks`` may strip before it."""

    __slots__ = ()

    def __new__(cls, *members: t.Any, **kwargs: t.Any) -> OptionalLStrip:
        return super().__new__(cls, members)


class TokenStreamIterator:
    """Iterate a :class:`TokenStream` up to its end, then close it."""

    def __init__(self, stream: TokenStream) -> None:
        self.stream = stream

    def __iter__(self) -> TokenStreamIterator:
        return self

    def __next__(self) -> Token:
        token = self.stream.current
        if token.type == TOKEN_EOF:
            self.stream.close()
            raise StopIteration
        next(self.stream)
        return token
