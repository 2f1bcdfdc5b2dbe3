"""IO-free building blocks: plain values in, plain values out, no WSGI environ."""
