"""A post's comments as a tree, read through the same CommentView listing the API uses."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from moot.actions.comments import MAX_DEPTH
from moot.context import Context
from moot.views.comments import CommentFilter, list_comments
from moot.views.people import Viewer

THREAD_LIMIT = 1000  # comments on one page; beyond that, a link to the rest of a subtree
COMMENT_SORTS = ("Hot", "Top", "New", "Old", "Controversial")


@dataclass
class Node:
    view: dict[str, Any]
    children: list[Node] = field(default_factory=list)


def parent_id(path: str) -> int | None:
    """"0.12.45" -> 12; a top-level comment ("0.45") has none."""
    labels = path.split(".")
    return int(labels[-2]) if len(labels) > 2 else None


def build_tree(views: list[dict[str, Any]]) -> list[Node]:
    """Nodes in the listing's order; a comment whose parent is not in the list is a root
    (the focused comment of /comment/{id}, or a reply whose parent fell past the limit)."""
    nodes = {v["comment"]["id"]: Node(v) for v in views}
    roots: list[Node] = []
    for view in views:
        node = nodes[view["comment"]["id"]]
        parent = nodes.get(parent_id(view["comment"]["path"]) or -1)
        (parent.children if parent is not None else roots).append(node)
    return roots


def thread(ctx: Context, viewer: Viewer | None, post_id: int, sort: str,
           focus: int | None = None) -> list[Node]:
    views = list_comments(ctx, viewer, CommentFilter(
        type_="All", sort=sort, post_id=post_id, parent_id=focus, max_depth=MAX_DEPTH,
        tree_limit=THREAD_LIMIT))
    return build_tree(views)
