"""Reading pages: what the thread, community, person and listing pages show, and their headers."""

from __future__ import annotations

import re

from tests.helpers import ApiClient
from tests.web.conftest import WebClient
from tests.web.page import parse

AP_ID_PAGES = ("/post/{post}", "/comment/{comment}", "/c/{community}", "/u/{person}")


def _thread(api: ApiClient) -> dict[str, object]:
    alice = api.make_person("alice")
    bob = api.make_person("bob")
    community = api.make_community(alice.token, "cats", title="All about cats")
    body = ("Intro with a [link](https://example.com/a).\n\n> a quote\n\n- one\n- two\n\n"
            "```\ncode line\n```\n")
    post = api.make_post(alice.token, community["community"]["id"], "Cats are great",
                         url="https://example.com/cats", body=body)
    post_id = post["post"]["id"]
    top = api.make_comment(bob.token, post_id, "Bob's *top* comment")
    reply = api.make_comment(alice.token, post_id, "Alice replies", parent_id=top["comment"]["id"])
    deep = api.make_comment(bob.token, post_id, "Bob again", parent_id=reply["comment"]["id"])
    other = api.make_comment(alice.token, post_id, "Second top-level")
    return {"alice": alice, "bob": bob, "community": community, "post": post, "top": top,
            "reply": reply, "deep": deep, "other": other}


def _cid(view: object) -> int:
    return int(view["comment"]["id"])  # type: ignore[index]


def test_thread_page_shows_post_and_nested_comments(api: ApiClient, web: WebClient) -> None:
    t = _thread(api)
    post_id = t["post"]["post"]["id"]  # type: ignore[index]
    response = web.get(f"/post/{post_id}")
    assert response.headers["content-type"].startswith("text/html")
    doc = parse(response.text)
    article = doc.first("article", "post")
    assert doc.by_id("post-title").text() == "Cats are great"
    content = article.first("div", "content")
    assert content.first("blockquote").text().strip() == "a quote"
    assert [li.text() for li in content.all("li")] == ["one", "two"]
    assert content.first("code").text().strip() == "code line"
    assert content.first("a").attrs["href"] == "https://example.com/a"
    assert "example.com" in article.first("span", "domain").text()
    assert article.first("a", "person").text() == "alice"
    assert article.first("a", "community").text() == "cats"
    # Nesting: deep inside reply inside top; the second top-level comment is nobody's child.
    top, reply, deep, other = (doc.by_id(f"c{_cid(t[k])}") for k in ("top", "reply", "deep", "other"))
    assert top in reply.ancestors() and reply in deep.ancestors() and top in deep.ancestors()
    assert top not in other.ancestors() and doc.first("div", "tree") in other.ancestors()
    assert "<em>top</em>" in response.text
    # OP badge: alice wrote the post, so her reply has it and bob's comments do not.
    def badges(element: object) -> list[str]:
        summary = element.first("summary")  # type: ignore[attr-defined]
        return [b.text() for b in summary.all("span", "op")]
    assert badges(reply) == ["OP"] and badges(top) == [] and badges(deep) == []
    # Relative times with the exact time on hover.
    times = doc.all("time")
    assert times and all(tm.attrs["datetime"].endswith("Z") and tm.attrs.get("title")
                         for tm in times)
    assert all(tm.text() == "just now" for tm in times)
    assert "4 comments" in doc.by_id("comments-title").text()


def test_counts_own_vote_and_edited_mark(api: ApiClient, web: WebClient) -> None:
    t = _thread(api)
    post_id = t["post"]["post"]["id"]  # type: ignore[index]
    bob = t["bob"]
    api.post("/comment/like", {"comment_id": _cid(t["reply"]), "score": -1}, token=bob.token)
    api.post("/post/like", {"post_id": post_id, "score": 1}, token=bob.token)
    api.put("/comment", {"comment_id": _cid(t["top"]), "content": "Changed"}, token=bob.token)
    web.login("bob")
    doc = parse(web.get(f"/post/{post_id}").text)
    reply = doc.by_id(f"c{_cid(t['reply'])}")
    votes = reply.first("form", "votes")
    up, down = votes.first("button", "up"), votes.first("button", "down")
    assert up.first("span", "n").text() == "1" and down.first("span", "n").text() == "1"
    assert up.attrs["aria-pressed"] == "false" and down.attrs["aria-pressed"] == "true"
    post_votes = doc.first("article", "post").first("form", "votes")
    assert post_votes.first("button", "up").attrs["aria-pressed"] == "true"
    assert post_votes.first("button", "up").first("span", "n").text() == "2"
    top = doc.by_id(f"c{_cid(t['top'])}")
    assert top.first("summary").all("span", "edited")
    assert not reply.first("summary").all("span", "edited")


def test_deleted_and_removed_comments_keep_their_replies(api: ApiClient, web: WebClient,
                                                         admin: str) -> None:
    t = _thread(api)
    api.post("/comment/delete", {"comment_id": _cid(t["top"]), "deleted": True},
             token=t["bob"].token)  # type: ignore[attr-defined]
    api.post("/comment/remove", {"comment_id": _cid(t["other"]), "removed": True}, token=admin)
    post_id = t["post"]["post"]["id"]  # type: ignore[index]
    doc = parse(web.get(f"/post/{post_id}").text)
    top = doc.by_id(f"c{_cid(t['top'])}")
    assert "Deleted by its author" in top.first("div", "content").text()
    assert "Bob's" not in top.first("div", "content").text()
    assert top in doc.by_id(f"c{_cid(t['reply'])}").ancestors()
    assert "Removed by a moderator" in doc.by_id(f"c{_cid(t['other'])}").text()


def test_comment_page_focuses_on_the_comment(api: ApiClient, web: WebClient) -> None:
    t = _thread(api)
    html = web.get(f"/comment/{_cid(t['reply'])}").text
    doc = parse(html)
    assert doc.by_id(f"c{_cid(t['deep'])}")
    assert f'id="c{_cid(t["top"])}"' not in html and f'id="c{_cid(t["other"])}"' not in html
    assert "Show the whole thread" in html


def test_listing_community_person_and_search_pages(api: ApiClient, web: WebClient) -> None:
    _thread(api)
    front = parse(web.get("/").text)
    card = front.first("article", "post-card")
    assert card.first("h2").first("a").text() == "Cats are great"
    assert "(example.com)" in card.first("a", "domain").text()
    assert "4 comments" in card.text()
    assert [a.text() for a in front.first("nav", "tabs").all("a")] == ["Local", "All"]
    sorts = [o.attrs["value"] for o in front.by_id("sort").all("option")]
    assert "Hot" in sorts and "TopAll" in sorts and "Controversial" in sorts and len(sorts) == 19
    community = web.get("/c/cats").text
    assert "All about cats" in community and "Cats are great" in community
    person = web.get("/u/bob").text
    assert "Bob again" in person and "@bob" in person
    listing = web.get("/communities").text
    assert "All about cats" in listing
    found = web.get("/search", params={"q": "cats"}).text
    assert "Cats are great" in found
    assert "Nothing found" in web.get("/search", params={"q": "zebras"}).text


def test_pages_that_are_activitypub_ids_vary_on_accept(api: ApiClient, web: WebClient) -> None:
    t = _thread(api)
    values = {"post": t["post"]["post"]["id"], "comment": _cid(t["top"]),  # type: ignore[index]
              "community": "cats", "person": "alice"}
    for pattern in AP_ID_PAGES:
        response = web.get(pattern.format(**values))
        assert "accept" in response.headers["vary"].lower()
    assert "accept" not in web.get("/communities").headers.get("vary", "").lower()


def test_every_page_has_the_strict_policy_and_no_inline_code(api: ApiClient,
                                                             web: WebClient) -> None:
    t = _thread(api)
    web.login("alice")
    pages = ["/", f"/post/{t['post']['post']['id']}", "/c/cats", "/u/alice",  # type: ignore[index]
             "/communities", "/search?q=cats", "/create_post", "/create_community",
             f"/comment/{_cid(t['reply'])}/edit", "/post/999999"]
    for path in pages:
        response = web.client.get(path)
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'self'" in policy
        assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        doc = parse(response.text)
        assert all(s.attrs.get("src") and not s.text().strip() for s in doc.all("script")), path
        assert not doc.all("style") and not any("style" in e.attrs for e in doc.iter()), path
        assert not re.search(r"\son[a-z]+=", response.text), path


def test_not_found_pages(api: ApiClient, web: WebClient) -> None:
    for path in ("/post/999999", "/comment/999999", "/c/nothing", "/u/nobody", "/post/abc",
                 "/c/nothing@elsewhere.example"):
        response = web.get(path, expect=404)
        assert response.headers["content-type"].startswith("text/html")
        assert "Not found" in response.text


def test_static_files(web: WebClient) -> None:
    assert "prefers-color-scheme: dark" in web.get("/static/style.css").text
    assert "X-Requested-With" in web.get("/static/app.js").text
