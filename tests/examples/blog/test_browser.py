"""The blog in a real browser: headless Chromium, driven through
chromedriver, registers, logs in, writes a post, edits it, deletes it and
logs out on the blog served by ``python -m microflask --app examples.blog
run``; each step checks what the page shows."""

from __future__ import annotations

import typing as t

import pytest

from tests._webdriver import WebDriver
from tests._webdriver import missing_browser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(missing_browser() is not None, reason=str(missing_browser())),
]


@pytest.fixture
def browser() -> t.Iterator[WebDriver]:
    with WebDriver() as driver:
        yield driver


def fill(browser: WebDriver, fields: dict[str, str]) -> None:
    """Type into the named fields of the page's main form and submit it."""
    for name, value in fields.items():
        element = browser.find(f"main form [name='{name}']")
        browser.execute("arguments[0].value = '';", element.as_arg())
        element.send_keys(value)
    browser.find("main form button[type='submit']").click()


def wait_for_text(browser: WebDriver, css: str, text: str) -> None:
    browser.wait_for(lambda: any(text in e.text for e in browser.find_all(css)), what=f"{text!r} in {css}")


def wait_for_path(browser: WebDriver, base: str, path: str) -> None:
    browser.wait_for(lambda: browser.execute("return location.href;") == base + path, what=f"the page {path}")


@pytest.mark.slow
def test_register_login_write_edit_delete_logout(served_blog: str, browser: WebDriver) -> None:
    base = served_blog
    browser.get(base + "/")
    assert browser.title == "Posts · Microblog"
    assert "No posts yet." in browser.find(".empty").text
    # The stylesheet loaded and applied: the header is dark, cards are white.
    header_color = "return getComputedStyle(document.querySelector('.site-header')).backgroundColor;"
    assert browser.execute(header_color) == "rgb(31, 41, 51)"

    # Register.
    browser.find(".nav-links a[href='/auth/register']").click()
    wait_for_path(browser, base, "/auth/register")
    fill(browser, {"username": "chromium", "password": "headless-secret"})
    wait_for_path(browser, base, "/auth/login")
    wait_for_text(browser, ".flash-success", "Your account is ready. Please log in.")

    # A wrong password shows the error in the form.
    fill(browser, {"username": "chromium", "password": "not-the-password"})
    wait_for_text(browser, ".form-errors", "Incorrect username or password.")

    # Log in.
    fill(browser, {"username": "chromium", "password": "headless-secret"})
    wait_for_path(browser, base, "/")
    wait_for_text(browser, ".nav-user", "Signed in as chromium")
    wait_for_text(browser, ".flash-success", "Welcome back, chromium!")

    # Write a post; HTML in it is shown as text.
    browser.find(".nav-links a[href='/create']").click()
    wait_for_path(browser, base, "/create")
    fill(browser, {"title": "Written by <Chromium>", "body": "First line.\nSecond line."})
    wait_for_path(browser, base, "/1")
    wait_for_text(browser, "article h1", "Written by <Chromium>")
    assert browser.find("article .body").text == "First line.\nSecond line."
    assert browser.execute("return document.querySelectorAll('article h1 *').length;") == 0
    wait_for_text(browser, ".flash-success", "Your post is published.")

    # A missing title is refused, and what was typed stays.
    browser.find("article a.edit-link").click()
    wait_for_path(browser, base, "/1/update")
    assert browser.find("#title").attribute("value") == "Written by <Chromium>"
    browser.execute("document.querySelector('#title').removeAttribute('required');")
    fill(browser, {"title": " ", "body": "Kept body."})
    wait_for_text(browser, ".form-errors", "Title is required.")
    assert browser.execute("return document.querySelector('#body').value;") == "Kept body."

    # Edit it properly.
    fill(browser, {"title": "Edited title", "body": "Edited body."})
    wait_for_path(browser, base, "/1")
    wait_for_text(browser, "article h1", "Edited title")
    wait_for_text(browser, ".flash-success", "Your changes are saved.")

    # The front page lists it with an edit link for its author.
    browser.get(base + "/")
    wait_for_text(browser, ".post h2", "Edited title")
    assert browser.find(".post .author").text == "chromium"
    assert browser.find(".post a.edit-link").text == "Edit"

    # Delete it (accepting the confirmation dialog).
    browser.get(base + "/1/update")
    browser.execute("window.confirm = () => true;")
    browser.find(".danger-zone button").click()
    wait_for_path(browser, base, "/")
    wait_for_text(browser, ".flash-success", "The post is deleted.")
    assert browser.find_all(".post") == []

    # Log out.
    browser.find(".nav-links .action-form button").click()
    wait_for_text(browser, ".flash-success", "You have been logged out.")
    assert browser.find_all(".nav-user") == []
    assert browser.find(".nav-links a[href='/auth/login']").text == "Log in"

    # Nothing was fetched from anywhere but the blog's own server.
    urls = browser.execute("return performance.getEntriesByType('resource').map(e => e.name);")
    assert urls == [base + "/static/style.css"]


@pytest.mark.slow
def test_forbidden_and_missing_pages_in_the_browser(served_blog: str, browser: WebDriver) -> None:
    browser.get(served_blog + "/12345")
    assert browser.title == "404 Not Found · Microblog"
    assert browser.find(".error-page h1").text == "Nothing here"
    assert "There is no post with id 12345." in browser.find(".error-description").text
