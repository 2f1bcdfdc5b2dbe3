"""The rule map and the adapter that matches and builds URLs for one request.

A :class:`Map` holds the rules and settings; :meth:`Map.bind` or
:meth:`Map.bind_to_environ` gives a :class:`MapAdapter` that knows the
server name, script root, subdomain and scheme, and does the work:
:meth:`MapAdapter.match` (URL -> endpoint and values) and
:meth:`MapAdapter.build` (endpoint and values -> URL).
"""

from __future__ import annotations

import threading
import typing as t
import warnings
from urllib.parse import quote
from urllib.parse import urljoin

from ..datastructures.structures import ImmutableDict
from ..exceptions import BadHost
from ..exceptions import HTTPException
from ..exceptions import MethodNotAllowed
from ..exceptions import NotFound
from ..wsgi import get_host
from ..urls import _encode_idna
from .converters import DEFAULT_CONVERTERS
from .converters import PATH_SAFE
from .converters import ValidationError
from .converters import quote_path
from .exceptions import BuildError
from .exceptions import NoMatch
from .exceptions import RequestPath
from .exceptions import RequestRedirect
from .exceptions import WebsocketMismatch
from .matcher import StateMachineMatcher
from .rules import QUERY_SAFE
from .rules import Rule
from .rules import _query_items
from .rules import _tokenize

if t.TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment

    from .converters import BaseConverter
    from .rules import RuleFactory

#: Methods that are their own ``upper()``: the usual ones skip the call.
_UPPER_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"})
_new_object = object.__new__
_DEFAULT_PORTS = {"http": "80", "https": "443", "ws": "80", "wss": "443"}
#: Most distinct (host, script root...) combinations remembered by
#: :meth:`Map.bind_to_environ`.
_BIND_CACHE_SIZE = 64


class Map:
    """The set of URL rules of an application, and the routing settings.

    :param rules: rules and rule factories to add.
    :param default_subdomain: the subdomain of rules that do not name one.
    :param strict_slashes: rules ending in ``/`` redirect requests without it.
    :param merge_slashes: requests with runs of slashes redirect to the
        merged path.
    :param redirect_defaults: a request for a rule whose values equal
        another rule's defaults redirects to that rule's URL.
    :param converters: extra converter classes by name.
    :param sort_parameters: sort the query string of built URLs.
    :param sort_key: the sort key for ``sort_parameters`` (on ``(key,
        value)`` pairs).
    :param host_matching: match the full host (``Rule(host=...)``) instead
        of the subdomain.
    """

    #: The converters every map starts with.
    default_converters: t.Mapping[str, type[BaseConverter]] = ImmutableDict(DEFAULT_CONVERTERS)
    #: The lock type protecting the lazy recompilation.
    lock_class = threading.Lock

    def __init__(
        self,
        rules: t.Iterable[RuleFactory] | None = None,
        default_subdomain: str = "",
        strict_slashes: bool = True,
        merge_slashes: bool = True,
        redirect_defaults: bool = True,
        converters: t.Mapping[str, type[BaseConverter]] | None = None,
        sort_parameters: bool = False,
        sort_key: t.Callable[[t.Any], t.Any] | None = None,
        host_matching: bool = False,
    ) -> None:
        self._matcher = StateMachineMatcher(merge_slashes)
        self._rules_by_endpoint: dict[t.Any, list[Rule]] = {}
        self._remap = True
        self._remap_lock = self.lock_class()
        self._count = 0
        #: Host-derived parts of bound adapters, see :meth:`bind_to_environ`.
        self._bind_cache: dict[tuple[t.Any, ...], tuple[str, str, str | None, str, bool]] = {}
        self.default_subdomain = default_subdomain
        self.strict_slashes = strict_slashes
        self.redirect_defaults = redirect_defaults
        self.host_matching = host_matching
        self.converters = dict(self.default_converters)
        if converters:
            self.converters.update(converters)
        self.sort_parameters = sort_parameters
        self.sort_key = sort_key
        for rulefactory in rules or ():
            self.add(rulefactory)

    @property
    def merge_slashes(self) -> bool:
        """Whether requests with runs of slashes redirect to merged paths."""
        return self._matcher.merge_slashes

    @merge_slashes.setter
    def merge_slashes(self, value: bool) -> None:
        self._matcher.merge_slashes = value

    @property
    def _rules(self) -> list[Rule]:
        return [rule for rules in self._rules_by_endpoint.values() for rule in rules]

    def is_endpoint_expecting(self, endpoint: t.Any, *arguments: str) -> bool:
        """Whether some rule of ``endpoint`` takes all of ``arguments``.

        :raises KeyError: when no rule has this endpoint.
        """
        self.update()
        wanted = set(arguments)
        return any(wanted <= rule.arguments for rule in self._rules_by_endpoint[endpoint])

    def iter_rules(self, endpoint: t.Any | None = None) -> t.Iterator[Rule]:
        """Iterate over all rules, or over the rules of one endpoint.

        :raises KeyError: for an endpoint without rules.
        """
        self.update()
        if endpoint is not None:
            return iter(self._rules_by_endpoint[endpoint])
        return iter(self._rules)

    def add(self, rulefactory: RuleFactory) -> None:
        """Add a rule or every rule of a rule factory.

        :raises ValueError: when a rule string cannot be parsed.
        """
        for rule in rulefactory.get_rules(self):
            rule.bind(self)
            self._count += 1
            rule._index = self._count
            if not rule.build_only:
                self._matcher.add(rule)
            self._rules_by_endpoint.setdefault(rule.endpoint, []).append(rule)
        self._remap = True

    def bind(
        self,
        server_name: str,
        script_name: str | None = None,
        subdomain: str | None = None,
        url_scheme: str = "http",
        default_method: str = "GET",
        path_info: str | None = None,
        query_args: t.Mapping[str, t.Any] | str | None = None,
    ) -> MapAdapter:
        """Make an adapter for requests to ``server_name``.

        :param server_name: the host (and port), e.g. ``example.com:8080``.
        :param script_name: where the application is mounted (default ``/``).
        :param subdomain: the request's subdomain (default: the map's).
        :param url_scheme: the scheme of built external URLs.
        :param default_method: the method when :meth:`MapAdapter.match` is
            not given one.
        :param path_info: the default path to match.
        :param query_args: the default query arguments kept on redirects.
        :raises RuntimeError: when a subdomain is given with host matching.
        :raises BadHost: when the host cannot be IDNA-encoded.
        """
        server_name = server_name.lower()
        if self.host_matching:
            if subdomain is not None:
                raise RuntimeError("host matching enabled and a subdomain was provided")
        elif subdomain is None:
            subdomain = self.default_subdomain
        return MapAdapter(
            self,
            _encode_host(server_name),
            script_name if script_name is not None else "/",
            subdomain,
            url_scheme,
            path_info if path_info is not None else "/",
            default_method,
            query_args,
        )

    def bind_to_environ(
        self,
        environ: WSGIEnvironment | t.Any,
        server_name: str | None = None,
        subdomain: str | None = None,
    ) -> MapAdapter:
        """Make an adapter for a WSGI request (an environ or a request object).

        The host, script root, path, method, query string and WebSocket
        upgrade come from the environ.  With ``server_name`` given and no
        ``subdomain``, the subdomain is what the host has in front of the
        server name (``<invalid>``, with a warning, when the host does not
        end with it).
        """
        env: WSGIEnvironment = environ if type(environ) is dict else getattr(environ, "environ", environ)
        # PERF: this runs for every request.  The host, subdomain, script
        # root and scheme depend only on the Host header, the scheme, the
        # script name, the arguments and two map settings, and are the same
        # for nearly every request of an application: they are cached per
        # distinct key (see _bind_parts); the key holds the raw values, so
        # two hosts never share an entry.  The usual environ has every key
        # read here: subscripts are cheaper than ``get`` calls, and a
        # missing key, an unhashable value or a new key takes the general
        # path (which fills the cache).
        try:
            bound = self._bind_cache[
                (
                    env["HTTP_HOST"],
                    env["wsgi.url_scheme"],
                    env["SCRIPT_NAME"],
                    server_name,
                    subdomain,
                    self.host_matching,
                    self.default_subdomain,
                )
            ]
            path_info = env["PATH_INFO"]
            query = env["QUERY_STRING"]
            method = env["REQUEST_METHOD"]
        except (KeyError, TypeError):
            return self._bind_to_environ(env, server_name, subdomain)
        scheme = bound[3]
        websocket = "HTTP_UPGRADE" in env and _is_websocket(env)
        if websocket:
            scheme = "wss" if scheme == "https" else "ws"
        if type(method) is bytes:
            # Python 2 era middleware wrote the method as bytes.
            method = method.decode("latin-1")
        # PERF: MapAdapter(...) with its __init__ costs about four times
        # these stores (a class call is not specialized); the attributes
        # are the same, in the same order (tested against MapAdapter()).
        adapter = _new_object(MapAdapter)
        adapter.map = self
        adapter.server_name = bound[0]
        adapter.script_name = bound[1]
        adapter.subdomain = bound[2]
        adapter.url_scheme = scheme
        adapter.path_info = path_info if path_info.isascii() else _wsgi_text(path_info)
        adapter.default_method = method
        adapter.query_args = query if query.isascii() else _wsgi_text(query)
        adapter.websocket = websocket
        return adapter

    def _bind_to_environ(self, env: WSGIEnvironment, server_name: str | None, subdomain: str | None) -> MapAdapter:
        """:meth:`bind_to_environ` for any environ (keys may be missing)."""
        get = env.get
        host = get("HTTP_HOST")
        scheme = get("wsgi.url_scheme", "http")
        script = get("SCRIPT_NAME", "")
        key: tuple[t.Any, ...]
        if host is not None:
            # The key of the fast path: with a Host header the server name
            # and port do not matter.
            key = (host, scheme, script, server_name, subdomain, self.host_matching, self.default_subdomain)
        else:
            key = (
                None,
                get("SERVER_NAME"),
                get("SERVER_PORT"),
                scheme,
                script,
                server_name,
                subdomain,
                self.host_matching,
                self.default_subdomain,
            )
        try:
            bound = self._bind_cache.get(key)
        except TypeError:  # an unhashable environ value: no caching
            key = ()
            bound = None
        if bound is None:
            bound = self._bind_parts(env, server_name, subdomain)
            if key and bound[4]:
                cache = self._bind_cache
                # Bounded: the Host header comes from the client.
                if len(cache) >= _BIND_CACHE_SIZE:
                    cache.clear()
                cache[key] = bound
        server_name, script_name, subdomain, scheme, _ = bound
        websocket = get("HTTP_UPGRADE") is not None and _is_websocket(env)
        if websocket:
            scheme = "wss" if scheme == "https" else "ws"
        path_info = get("PATH_INFO", "")
        query = get("QUERY_STRING", "")
        method = get("REQUEST_METHOD", "GET")
        if type(method) is bytes:
            # Python 2 era middleware wrote the method as bytes.
            method = method.decode("latin-1")
        adapter = MapAdapter(
            self,
            server_name,
            script_name,
            subdomain,
            scheme,
            path_info if path_info.isascii() else _wsgi_text(path_info),
            method,
            query if query.isascii() else _wsgi_text(query),
        )
        adapter.websocket = websocket
        return adapter

    def _bind_parts(
        self, env: WSGIEnvironment, server_name: str | None, subdomain: str | None
    ) -> tuple[str, str, str | None, str, bool]:
        """What :meth:`bind_to_environ` derives from the host and the
        script root: ``(server name, script name, subdomain, scheme,
        cacheable)``. Not cacheable when the host does not match
        ``server_name`` (the warning must be given for each request).

        :raises BadHost: when the host cannot be IDNA-encoded.
        """
        host = _environ_host(env)
        scheme = env.get("wsgi.url_scheme", "http")
        if server_name is None:
            server_name = host
        else:
            # The host has the scheme's default port removed; so must the
            # configured name (``SERVER_NAME = "localhost:80"``).
            server_name = server_name.lower()
            name, sep, port = server_name.rpartition(":")
            if sep and _DEFAULT_PORTS.get(scheme) == port:
                server_name = name
        cacheable = True
        if subdomain is None and not self.host_matching:
            subdomain = _subdomain_of(host, server_name)
            cacheable = subdomain != "<invalid>"
        elif self.host_matching and subdomain is not None:
            raise RuntimeError("host matching enabled and a subdomain was provided")
        script_name = _wsgi_text(env.get("SCRIPT_NAME", ""))
        if not script_name.endswith("/"):
            script_name += "/"
        return (
            _encode_host(server_name),
            script_name,
            subdomain,
            scheme,
            cacheable,
        )

    def update(self) -> None:
        """Finish adding rules: sort the matcher and the build order.

        Called automatically before matching and building.
        """
        if not self._remap:
            return
        with self._remap_lock:
            if not self._remap:
                return
            self._matcher.update()
            for rules in self._rules_by_endpoint.values():
                rules.sort(key=Rule.build_compare_key)
                for rule in rules:
                    rule._default_redirects = None
            self._remap = False

    def matcher_source(self) -> str:
        """The Python source of the function that matches requests.

        The rules are compiled into one function (generated when the map
        first matches after rules were added): nested ``if`` statements
        over the path's segments, one comment per rule.  Print it to see
        how a path is matched::

            print(url_map.matcher_source())
        """
        self.update()
        return self._matcher.source()

    def __repr__(self) -> str:
        import pprint

        return f"{type(self).__name__}({pprint.pformat(list(self.iter_rules()))})"


def _encode_host(server_name: str) -> str:
    """IDNA-encode the name part of ``host:port``.

    An ASCII name goes through the codec too: it refuses empty and
    over-long labels (``a..b``, 64 letters), which are a bad request
    (:exc:`~wsgikit.exceptions.BadHost`, 400), as in Werkzeug. Callers
    cache the result per host, so this runs once per distinct host.
    """
    name, sep, port = server_name.partition(":")
    try:
        # PERF: an ASCII name with good label lengths is checked without
        # loading the idna codec (the same answer, see urls._encode_idna).
        encoded = _encode_idna(name)
    except UnicodeError:
        raise BadHost() from None
    if not name.isascii():
        name = encoded
    return f"{name}{sep}{port}"


def _wsgi_text(value: str) -> str:
    """Decode a WSGI "bytes as latin-1" string as UTF-8 (bad bytes replaced)."""
    if value.isascii():
        return value
    return value.encode("latin-1", "replace").decode("utf-8", "replace")


def _environ_host(env: WSGIEnvironment) -> str:
    """The request's host, lower case, without the scheme's default port."""
    return get_host(env).lower()


def _subdomain_of(host: str, server_name: str) -> str:
    """What ``host`` has in front of ``server_name`` (dot-separated)."""
    host_labels = host.split(".")
    server_labels = server_name.split(".")
    if host_labels[-len(server_labels) :] != server_labels:
        warnings.warn(
            f"Current server name {host!r} doesn't match configured server name {server_name!r}",
            # The caller of Map.bind_to_environ (via _bind_to_environ and
            # _bind_parts).
            stacklevel=5,
        )
        return "<invalid>"
    return ".".join(label for label in host_labels[: -len(server_labels)] if label)


def _is_websocket(env: WSGIEnvironment) -> bool:
    upgrade = env.get("HTTP_UPGRADE")
    if upgrade is None or upgrade.lower() != "websocket":
        return False
    return "upgrade" in (x.strip() for x in env.get("HTTP_CONNECTION", "").lower().split(","))


class MapAdapter:
    """Matches and builds URLs for one request; made by :meth:`Map.bind`."""

    def __init__(
        self,
        map: Map,
        server_name: str,
        script_name: str,
        subdomain: str | None,
        url_scheme: str,
        path_info: str,
        default_method: str,
        query_args: t.Mapping[str, t.Any] | str | None = None,
    ) -> None:
        self.map = map
        self.server_name = server_name
        if not script_name.endswith("/"):
            script_name += "/"
        self.script_name = script_name
        self.subdomain = subdomain
        self.url_scheme = url_scheme
        self.path_info = path_info
        self.default_method = default_method
        self.query_args = query_args
        self.websocket = url_scheme in {"ws", "wss"}

    def dispatch(
        self,
        view_func: t.Callable[[str, t.Mapping[str, t.Any]], WSGIApplication],
        path_info: str | None = None,
        method: str | None = None,
        catch_http_exceptions: bool = False,
    ) -> WSGIApplication:
        """Match and call ``view_func(endpoint, values)``.

        A :class:`RequestRedirect` is returned (it is a WSGI application);
        with ``catch_http_exceptions`` every HTTP error is returned too.
        """
        try:
            try:
                endpoint, values = self.match(path_info, method)
            except RequestRedirect as redirect:
                return redirect
            return view_func(endpoint, values)
        except HTTPException as error:
            if catch_http_exceptions:
                return error
            raise

    @t.overload
    def match(
        self,
        path_info: str | None = None,
        method: str | None = None,
        return_rule: t.Literal[False] = False,
        query_args: t.Mapping[str, t.Any] | str | None = None,
        websocket: bool | None = None,
    ) -> tuple[t.Any, t.Mapping[str, t.Any]]: ...

    @t.overload
    def match(
        self,
        path_info: str | None = None,
        method: str | None = None,
        return_rule: t.Literal[True] = True,
        query_args: t.Mapping[str, t.Any] | str | None = None,
        websocket: bool | None = None,
    ) -> tuple[Rule, t.Mapping[str, t.Any]]: ...

    def match(
        self,
        path_info: str | None = None,
        method: str | None = None,
        return_rule: bool = False,
        query_args: t.Mapping[str, t.Any] | str | None = None,
        websocket: bool | None = None,
    ) -> tuple[t.Any | Rule, t.Mapping[str, t.Any]]:
        """Match a path to ``(endpoint, values)`` (or ``(rule, values)``).

        :param path_info: the path (default: the bound one).
        :param method: the HTTP method (default: the bound one).
        :param return_rule: return the :class:`Rule` instead of its endpoint.
        :param query_args: query arguments to keep on redirects.
        :param websocket: match WebSocket rules (default: the bound flag).
        :raises NotFound: no rule matches.
        :raises MethodNotAllowed: rules match with other methods only.
        :raises WebsocketMismatch: rules match with the other WebSocket flag.
        :raises RequestRedirect: the canonical URL is another one.
        """
        map = self.map
        if map._remap:
            map.update()
        if path_info is None:
            path_info = self.path_info
        if not method:
            method = self.default_method
        # PERF: the usual methods are upper case already.
        if method not in _UPPER_METHODS:
            method = method.upper()
        if websocket is None:
            websocket = self.websocket
        # The compiled matcher answers without raising (see ._compiler); it
        # also gives the path exactly one leading slash.  PERF: ``find`` is
        # read as an attribute (a method call on an instance attribute is
        # not specialized), and its ``(rule, values)`` tuple is returned as
        # it is.
        find = map._matcher.find
        found = find(
            self.server_name if map.host_matching else self.subdomain,  # type: ignore[arg-type]  # the subdomain is a str without host matching (bind sets it)
            path_info,
            method,
            websocket,
        )
        rule = found[0]
        if rule is None:
            raise self._no_match(found[1], query_args) from None
        if rule.redirect_to is not None or rule.alias or rule._default_redirects is not False:
            if path_info[:1] != "/" or path_info[1:2] == "/":
                path_info = f"/{path_info.lstrip('/')}" if path_info else ""
            self._check_redirects(rule, found[1], method, path_info, query_args)
        if return_rule:
            return found
        return rule.endpoint, found[1]

    def _no_match(self, outcome: t.Any, query_args: t.Mapping[str, t.Any] | str | None) -> Exception:
        """The exception for the compiled matcher's ``outcome`` of a failed
        match: a path to redirect to, the methods for a 405, ``True`` for a
        WebSocket mismatch, else nothing matched."""
        if type(outcome) is str:
            if query_args is None:
                query_args = self.query_args or {}
            return RequestRedirect(self.make_redirect_url(quote(outcome, safe=PATH_SAFE), query_args))
        if outcome is True:
            return WebsocketMismatch()
        if outcome:
            return MethodNotAllowed(valid_methods=sorted(outcome))
        return NotFound()

    def _check_redirects(
        self,
        rule: Rule,
        values: t.MutableMapping[str, t.Any],
        method: str,
        path_info: str,
        query_args: t.Mapping[str, t.Any] | str | None,
    ) -> None:
        """Raise :class:`RequestRedirect` when ``rule`` is not canonical."""
        if query_args is None:
            query_args = self.query_args or {}
        if self.map.redirect_defaults and rule._default_redirects is not False:
            url = self.get_default_redirect(rule, method, values, query_args)
            if url is not None:
                raise RequestRedirect(url)
        if rule.redirect_to is not None:
            raise RequestRedirect(self._redirect_to_url(rule.redirect_to, rule, values))
        if rule.alias and self.map.redirect_defaults:
            url = self.make_alias_redirect_url(path_info, rule.endpoint, values, method, query_args)
            raise RequestRedirect(url)

    def _redirect_to_url(
        self, target: str | t.Callable[..., str], rule: Rule, values: t.Mapping[str, t.Any]
    ) -> str:
        """The URL of ``rule.redirect_to`` (``target``) for the matched values."""
        if isinstance(target, str):
            pieces = []
            for piece in _tokenize(target, target):
                if piece.text is not None:
                    pieces.append(piece.text)
                    continue
                value = values[piece.name]
                converter = rule._converters.get(piece.name)
                pieces.append(converter.to_url(value) if converter else quote_path(str(value)))
            target = "".join(pieces)
        else:
            target = target(self, **values)
        base = f"{self.url_scheme}://{self.get_host(None)}{self.script_name}"
        return str(urljoin(base, target))

    def test(self, path_info: str | None = None, method: str | None = None) -> bool:
        """Whether the path matches (a redirect counts as a match)."""
        try:
            self.match(path_info, method)
        except RequestRedirect:
            pass
        except HTTPException:
            return False
        return True

    def allowed_methods(self, path_info: str | None = None) -> t.Iterable[str]:
        """The methods the path accepts (empty when any method is fine)."""

        try:
            self.match(path_info, method="--")
        except MethodNotAllowed as error:
            return error.valid_methods or []
        except HTTPException:
            pass
        return []

    def get_host(self, domain_part: str | None) -> str:
        """The host for a built URL of a rule with ``domain_part``."""
        if self.map.host_matching:
            if domain_part is None:
                return self.server_name
            return domain_part
        subdomain = self.subdomain if domain_part is None else domain_part
        if subdomain:
            return f"{subdomain}.{self.server_name}"
        return self.server_name

    def get_default_redirect(
        self,
        rule: Rule,
        method: str,
        values: t.MutableMapping[str, t.Any],
        query_args: t.Mapping[str, t.Any] | str,
    ) -> str | None:
        """The URL of a higher-priority rule of the endpoint whose defaults
        equal the matched values, or ``None``."""
        candidates = rule._default_redirects
        if candidates is None:
            candidates = []
            for other in self.map._rules_by_endpoint[rule.endpoint]:
                if other is rule:
                    break
                if other.provides_defaults_for(rule):
                    candidates.append(other)
            rule._default_redirects = candidates or False
        for other in candidates or ():
            if other.suitable_for(values, method):
                values.update(other.defaults or {})
                built = other.build(values)
                if built is not None:
                    domain_part, path = built
                    return self.make_redirect_url(path, query_args, domain_part=domain_part)
        return None

    def encode_query_args(self, query_args: t.Mapping[str, t.Any] | str) -> str:
        """Encode query arguments (a string is returned as it is)."""
        if not isinstance(query_args, str):
            return _urlencode(query_args)
        return query_args

    def make_redirect_url(
        self,
        path_info: str,
        query_args: t.Mapping[str, t.Any] | str | None = None,
        domain_part: str | None = None,
    ) -> str:
        """An absolute URL on this server for ``path_info`` (already quoted).

        The path always follows the host and script root, so it can never
        name another host (``//evil.example`` stays a path here).
        """
        suffix = ""
        if query_args:
            suffix = self.encode_query_args(query_args)
            if suffix:
                suffix = f"?{suffix}"
        path = f"{self.script_name.rstrip('/')}/{path_info.lstrip('/')}"
        return f"{self.url_scheme or 'http'}://{self.get_host(domain_part)}{path}{suffix}"

    def make_alias_redirect_url(
        self,
        path: str,
        endpoint: t.Any,
        values: t.Mapping[str, t.Any],
        method: str,
        query_args: t.Mapping[str, t.Any] | str,
    ) -> str:
        """The URL an alias rule redirects to (the endpoint's main URL)."""
        url = self.build(endpoint, values, method, append_unknown=False, force_external=True)
        if query_args:
            url += f"?{self.encode_query_args(query_args)}"
        assert url != path, "detected invalid alias setting. No canonical URL found"
        return url

    def _partial_build(
        self,
        endpoint: t.Any,
        values: t.Mapping[str, t.Any],
        method: str | None,
        append_unknown: bool,
    ) -> tuple[str, str, bool] | None:
        """Build with the first suitable rule: ``(domain, url, websocket)``.

        Without a method the default method is tried first, then any.
        """
        if method is None:
            found = self._partial_build(endpoint, values, self.default_method, append_unknown)
            if found is not None:
                return found
        first = None
        for rule in self.map._rules_by_endpoint.get(endpoint, ()):
            if rule.suitable_for(values, method):
                built = rule.build(values, append_unknown)
                if built is None:
                    continue
                result = (built[0], built[1], rule.websocket)
                if not self.map.host_matching or built[0] == self.server_name:
                    return result
                if first is None:
                    first = result
        return first

    def build(
        self,
        endpoint: t.Any,
        values: t.Mapping[str, t.Any] | None = None,
        method: str | None = None,
        force_external: bool = False,
        append_unknown: bool = True,
        url_scheme: str | None = None,
    ) -> str:
        """Build the URL of ``endpoint`` with ``values``.

        Values that are not rule variables go to the query string (unless
        ``append_unknown`` is false); ``None`` values are left out; a
        :class:`~wsgikit.datastructures.MultiDict` gives repeated keys.
        Without ``method`` the rules accepting the default method are
        preferred.  The URL is relative to the host unless the rule is on
        another (sub)domain, is a WebSocket rule, or ``force_external`` is
        set.

        :raises BuildError: when no rule can build the URL.
        """
        map = self.map
        if map._remap:
            map.update()
        # PERF: a plain dict without None values (the usual case) is used
        # as it is; builders never modify it.
        if not values:
            values = {}
        elif type(values) is dict:
            for value in values.values():
                if value is None:
                    values = _clean_values(values)
                    break
        else:
            values = _clean_values(values)
        if map.host_matching:
            found = self._partial_build(endpoint, values, method, append_unknown)
        else:
            found = self._first_build(endpoint, values, method, append_unknown)
        if found is None:
            # A copy: the fast path above may still hold the caller's dict,
            # and the error (its message, ``values``) must not change when
            # the caller mutates that dict afterwards.
            raise BuildError(endpoint, dict(values), method, self)
        domain_part, path, websocket = found
        if not force_external and not websocket:
            if map.host_matching:
                force_external = domain_part != self.server_name
            else:
                force_external = domain_part != self.subdomain
            if not force_external:
                # Leading slashes of the path are dropped so the URL can
                # never start with "//" (another host).
                return f"{self.script_name.rstrip('/')}/{path.lstrip('/')}"
        if url_scheme is None:
            url_scheme = self.url_scheme
        # The scheme follows the rule, its security the scheme asked for: an
        # HTTP rule built on a WebSocket-bound adapter gets http(s), as in
        # Werkzeug; an empty scheme gives a scheme-relative URL.
        secure = url_scheme in ("https", "wss")
        if websocket:
            url_scheme = "wss" if secure else "ws"
        elif url_scheme:
            url_scheme = "https" if secure else "http"
        scheme = f"{url_scheme}:" if url_scheme else ""
        return f"{scheme}//{self.get_host(domain_part)}{self.script_name[:-1]}/{path.lstrip('/')}"

    def _first_build(
        self,
        endpoint: t.Any,
        values: t.Mapping[str, t.Any],
        method: str | None,
        append_unknown: bool,
    ) -> tuple[str, str, bool] | None:
        """:meth:`_partial_build` in one pass (without host matching).

        PERF: the rules accepting the wanted method are tried in order;
        those that do not are kept aside and only tried (in order) when no
        rule accepts the default method, as the two-pass definition says.
        """
        wanted = self.default_method if method is None else method
        others = None
        for rule in self.map._rules_by_endpoint.get(endpoint, ()):
            methods = rule.methods
            if methods is not None and wanted not in methods:
                if method is None:
                    others = [rule] if others is None else [*others, rule]
                continue
            builder = rule._build_unknown if append_unknown else rule._build
            if builder is None:
                builder = rule._builder(append_unknown)
            try:
                built = builder(values)
            except ValidationError:
                continue
            if built is not None:
                return built[0], built[1], rule.websocket
        for rule in others or ():
            built = rule.build(values, append_unknown)
            if built is not None:
                return built[0], built[1], rule.websocket
        return None


def _clean_values(values: t.Mapping[str, t.Any]) -> t.Mapping[str, t.Any]:
    """Drop ``None`` values; a multi-value mapping gives lists for repeats."""
    getlist = getattr(values, "getlist", None)
    if getlist is None:
        return {key: value for key, value in values.items() if value is not None}
    cleaned = {}
    for key in values:
        items = getlist(key)
        if items:
            cleaned[key] = items[0] if len(items) == 1 else items
    return cleaned


def _urlencode(query: t.Mapping[str, t.Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(_query_items(query), safe=QUERY_SAFE)
