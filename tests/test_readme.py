"""The README's code examples run as printed."""

import pathlib
import re

from wsgikit.test import Client

README = (pathlib.Path(__file__).resolve().parent.parent / "README.md").read_text()
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)


def run_block(index: int) -> dict:
    namespace: dict = {"__name__": "readme_example"}
    exec(compile(BLOCKS[index], f"README.md block {index}", "exec"), namespace)
    return namespace


def test_readme_has_one_example_per_layer():
    assert len(BLOCKS) == 2


def test_wsgikit_example():
    client = Client(run_block(0)["app"])
    assert client.get("/").text == "Hello, world!"
    assert client.get("/?name=Ada").text == "Hello, Ada!"
    assert client.get("/hello/Grace").text == "Hello, Grace!"
    assert client.get("/missing").status_code == 404


def test_microflask_example():
    app = run_block(1)["app"]
    client = app.test_client()
    assert client.get("/").text == "Hello, world!"
    response = client.post("/echo", json={"a": [1, 2]})
    assert response.status_code == 200
    assert response.json == {"a": [1, 2]}
    assert client.get("/echo").status_code == 405
