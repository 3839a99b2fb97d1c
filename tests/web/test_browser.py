"""Chromium (Debian's, driven by Playwright) against a real ``moot serve``: sign up, create a
community, post, comment, reply, vote, edit, and read the thread as a person would see it.

Screenshots of the front page and a thread, at phone and desktop widths, go to
test-artifacts/screenshots/ (git-ignored). The browser is never downloaded: without a
``chromium`` on PATH these tests are skipped (CI installs it in .ci/run).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import PASSWORD

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
HOSTILE = ('<script>window.__pwned = 1</script>\n\n<img src=x onerror="window.__pwned=2">\n\n'
           '[click me](javascript:window.__pwned=3) <a href="javascript:alert(4)">raw</a>')


@pytest.fixture
def browser() -> Iterator[object]:
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("CI"):
            raise AssertionError("chromium is missing: .ci/run installs Debian's chromium")
        pytest.skip("no chromium on PATH (apt-get install chromium)")
    with playwright_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=executable, headless=True,
                                     args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield launched
        launched.close()


class Watch:
    """Fails the test on any dialog (alert) or Content-Security-Policy violation."""

    def __init__(self, page: object) -> None:
        self.problems: list[str] = []
        page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.on("console", lambda m: self.problems.append(m.text)
                if "Content Security Policy" in m.text or m.type == "error" else None)
        page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))


def _sign_up(page: object, base: str, name: str) -> None:
    page.goto(base + "/signup")
    page.fill("#username", name)
    page.fill("#password", PASSWORD)
    page.fill("#password_verify", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(base + "/")
    assert page.locator(f'header a[href="/u/{name}"]').count() == 1


def _comment(page: object, selector: str, text: str) -> None:
    before = page.locator("article.comment").count()
    page.fill(selector, text)
    page.locator(selector).locator("xpath=ancestor::form").locator("button[type=submit]").click()
    # Locator waits, not wait_for_function: the page's CSP (rightly) forbids eval.
    expect(page.locator("article.comment")).to_have_count(before + 1)


def _own_comment(page: object, text: str) -> object:
    """The comment whose own text (not a reply's) holds ``text``."""
    return page.locator(f"article.comment:has(> details > .content:has-text({text!r}))")


def _no_sideways_scroll(page: object) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a phone"


def test_a_thread_in_the_browser(browser: object, live_server: str) -> None:
    base = live_server
    SHOTS.mkdir(parents=True, exist_ok=True)
    alice_ctx = browser.new_context(viewport=DESKTOP)
    page = alice_ctx.new_page()
    watch = Watch(page)
    _sign_up(page, base, "alice")
    page.goto(base + "/create_community")
    page.fill("#name", "plants")
    page.fill("#title", "Plants and gardens")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(base + "/c/plants")
    page.click("a.button:has-text('New post')")
    page.fill("#name", "Tomatoes in November")
    page.fill("#body", "Still **ripening**:\n\n> a quote\n\n- one\n- two\n\n`code`")
    page.click("form.stack button:has-text('Preview')")
    assert page.locator("section.preview strong").inner_text() == "ripening"
    page.click("form.stack button:has-text('Post')")
    page.wait_for_url(re.compile(r".*/post/\d+$"))
    post_url = page.url
    assert page.locator("article.post blockquote").inner_text().strip() == "a quote"
    # Comment and reply through the script (no reload): the page keeps what was typed elsewhere.
    _comment(page, "#new-comment", "Mine are still green.")
    first = page.locator("article.comment").first
    first_id = first.get_attribute("data-id")
    first.locator("details.reply > summary").click()
    _comment(page, f"#reply-{first_id}", "Replying to myself")
    nested = page.locator(f"#c{first_id} .children article.comment")
    assert nested.count() == 1 and "Replying to myself" in nested.inner_text()
    assert nested.locator("summary .op").inner_text() == "OP"
    # Vote on the comment: the count and the highlight change in place, and stay after reload.
    up = first.locator("> details > .actions .votes button.up")
    expect(up).to_have_attribute("aria-pressed", "true")  # one's own comment starts upvoted
    up.click()
    expect(up).to_have_attribute("aria-pressed", "false")
    expect(up.locator(".n")).to_have_text("0")
    up.click()
    expect(up).to_have_attribute("aria-pressed", "true")
    page.reload()
    assert page.locator(f"#c{first_id} button.up").first.get_attribute("aria-pressed") == "true"
    assert page.locator(f"#c{first_id} button.up .n").first.inner_text() == "1"
    # Edit the comment: the edited mark appears.
    page.locator(f"#c{first_id} > details > .actions a:has-text('edit')").click()
    page.fill("#content", "Mine are still green (edited).")
    page.click("form.stack button:has-text('Save')")
    page.wait_for_url(re.compile(r".*/comment/\d+$"))
    page.goto(post_url)
    assert page.locator(f"#c{first_id} > details > summary .edited").count() == 1
    # A hostile comment is shown as text and does nothing.
    _comment(page, "#new-comment", HOSTILE)
    page.reload()
    assert page.evaluate("window.__pwned") is None
    hostile = _own_comment(page, "click me")
    assert hostile.locator("script, [onerror], a[href^='javascript']").count() == 0
    assert "<script>" in hostile.locator(".content").inner_text()
    # Someone else replies: no OP badge for them; times are relative with the exact one on hover.
    bob_ctx = browser.new_context(viewport=DESKTOP)
    bob = bob_ctx.new_page()
    bob_watch = Watch(bob)
    _sign_up(bob, base, "bob")
    bob.goto(post_url)
    bob.locator(f"#c{first_id} > details > .actions details.reply > summary").click()
    _comment(bob, f"#reply-{first_id}", "Bob was here")
    bob.reload()
    bob_comment = _own_comment(bob, "Bob was here")
    assert bob_comment.locator("> details > summary .op").count() == 0
    time = bob_comment.locator("time").first
    assert time.inner_text() in ("just now", "1 minute ago")
    assert time.get_attribute("title").endswith("UTC") and time.get_attribute("datetime")
    # Collapsing a comment hides its replies (a <details>, so it works without the script too).
    bob.locator(f"#c{first_id} > details > summary").click()
    expect(bob.locator(f"#c{first_id} > details > .children")).to_be_hidden()
    # Screenshots, and no sideways scrolling on a phone.
    page.goto(base + "/")
    page.screenshot(path=SHOTS / "front-desktop.png", full_page=True)
    page.goto(post_url)
    page.screenshot(path=SHOTS / "thread-desktop.png", full_page=True)
    page.set_viewport_size(PHONE)
    for url, name in ((base + "/", "front-phone.png"), (post_url, "thread-phone.png")):
        page.goto(url)
        _no_sideways_scroll(page)
        page.screenshot(path=SHOTS / name, full_page=True)
    assert watch.problems == [] and bob_watch.problems == []
    alice_ctx.close()
    bob_ctx.close()


def test_voting_and_commenting_work_without_javascript(browser: object, live_server: str) -> None:
    base = live_server
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    _sign_up(page, base, "carol")
    page.goto(base + "/create_community")
    page.fill("#name", "nojs")
    page.fill("#title", "No script")
    page.click("form.stack button[type=submit]")
    page.goto(base + "/create_post?community=nojs")
    page.fill("#name", "Plain forms")
    page.click("form.stack button:has-text('Post')")
    page.wait_for_url(re.compile(r".*/post/\d+$"))
    page.fill("#new-comment", "Works without scripts")
    page.click("form.comment-form button[type=submit]")
    page.wait_for_url(re.compile(r".*/post/\d+(#c\d+)?$"))
    comment = page.locator("article.comment").first
    comment.locator("button.down").click()
    page.wait_for_load_state()
    assert page.locator("article.comment button.down").first.get_attribute("aria-pressed") == "true"
    _no_sideways_scroll(page)
    context.close()


def test_a_moderator_removes_a_comment_and_bans_its_author(browser: object,
                                                           live_server: str) -> None:
    base = live_server
    mod_ctx, bob_ctx = browser.new_context(viewport=PHONE), browser.new_context(viewport=PHONE)
    page, bob = mod_ctx.new_page(), bob_ctx.new_page()
    watch = Watch(page)
    _sign_up(page, base, "mona")
    page.goto(base + "/create_community")
    page.fill("#name", "modded")
    page.fill("#title", "Moderated")
    page.click("form.stack button[type=submit]")
    page.goto(base + "/create_post?community=modded")
    page.fill("#name", "Rules")
    page.click("form.stack button:has-text('Post')")
    page.wait_for_url(re.compile(r".*/post/\d+$"))
    post_url = page.url
    _sign_up(bob, base, "rude")
    bob.goto(post_url)
    _comment(bob, "#new-comment", "something rude")
    assert bob.locator("a:has-text('moderate')").count() == 0
    # The moderator follows the comment's "moderate" link and removes it with a reason.
    page.goto(post_url)
    _own_comment(page, "something rude").locator("a:has-text('moderate')").first.click()
    page.wait_for_url(re.compile(r".*/comment/\d+/moderate$"))
    _no_sideways_scroll(page)
    page.locator("details.mod > summary:has-text('remove')").click()
    page.get_by_label("Reason").first.fill("be kind")
    page.click("details.mod button:has-text('Remove')")
    page.locator("details.mod > summary:has-text('ban from community')").click()
    page.get_by_label("Days (empty: permanent)").fill("2")
    page.click("details.mod button:has-text('Ban rude')")
    expect(page.locator("button:has-text('unban from community')")).to_have_count(1)
    bob.goto(post_url)
    expect(bob.locator("article.comment .notice")).to_have_text("Removed by a moderator")
    assert watch.problems == []
    mod_ctx.close()
    bob_ctx.close()
