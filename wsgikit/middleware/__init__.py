"""WSGI middleware: applications that wrap another application to add a
behaviour without touching it.

- :mod:`~wsgikit.middleware.shared_data`: serve static files.
- :mod:`~wsgikit.middleware.dispatcher`: mount applications under prefixes.
- :mod:`~wsgikit.middleware.proxy_fix`: trust ``X-Forwarded-*`` headers set
  by a known number of proxies.
- :mod:`~wsgikit.middleware.profiler`: profile each request with cProfile.
- :mod:`~wsgikit.middleware.lint`: check an application against PEP 3333.
- :mod:`~wsgikit.middleware.http_proxy`: forward paths to other servers.

Each middleware is itself a WSGI application, so they nest::

    app = ProxyFix(SharedDataMiddleware(app, {"/static": "static"}))
"""
