"""Side-by-side benchmarks of wsgikit/microflask against their peers.

Run ``python -m benchmarks`` (all scenarios) or ``python -m benchmarks NAME ...``.
"""
