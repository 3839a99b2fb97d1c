from html.parser import HTMLParser

from moot.text.markdown import clean, render


class _Tags(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _attributes(html: str) -> list[tuple[str, str, str]]:
    return [(tag, k, v or "") for tag, attrs in _Tags(html).tags for k, v in attrs.items()]


def test_renders_common_markdown() -> None:
    html = render("**bold** and *em*\n\n> quoted\n\n- one\n- two\n\n`code` [link](https://a.example/x)")
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<blockquote>" in html and "<li>one</li>" in html and "<code>code</code>" in html
    assert 'href="https://a.example/x"' in html and 'rel="nofollow noopener noreferrer ugc"' in html


def test_raw_html_and_scripts_are_inert() -> None:
    html = render('<script>alert(1)</script> <img src=x onerror="alert(1)">')
    tags = [tag for tag, _ in _Tags(html).tags]
    assert tags == ["p"]  # shown as text, not markup
    assert "&lt;script&gt;" in html


def test_javascript_links_are_dropped() -> None:
    html = render("[click](javascript:alert(1)) ![p](javascript:alert(2)) [ok](https://ok.example)")
    urls = [v for _, k, v in _attributes(html) if k in ("href", "src")]
    assert urls == ["https://ok.example"]


def test_clean_remote_html() -> None:
    html = clean('<p onclick="x()">hi <a href="javascript:x()">a</a><iframe src="//e"></iframe>'
                 '<a href="https://ok.example">ok</a><img src="https://i.example/a.png" '
                 'onerror="x()"></p>')
    attrs = _attributes(html)
    assert not [a for a in attrs if a[1].startswith("on")]
    assert not [a for a in attrs if "javascript" in a[2]]
    assert "iframe" not in [tag for tag, _ in _Tags(html).tags]
    assert ("a", "href", "https://ok.example") in attrs


def test_long_texts_are_rendered_alike_but_not_remembered() -> None:
    from moot.text import markdown

    markdown._render_cached.cache_clear()
    short = "**bold** and <script>x</script>"
    long = "word " * (markdown.CACHED_LENGTH // 5 + 1) + "**end**"
    assert render(short) == render(short)
    assert render(long) == render(long)
    assert render(long).endswith("<strong>end</strong></p>\n")
    assert "<script>" not in render(short)
    assert markdown._render_cached.cache_info().currsize == 1  # only the short one is kept
