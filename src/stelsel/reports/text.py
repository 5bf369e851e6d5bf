"""The text people write in a report: a small Markdown (headings, lists, emphasis, links),
stored as typed and rendered safely.

Raw HTML is never passed through (it is shown as typed), images are not rendered (a report must
not load anything from elsewhere), and links go only to http, https and mailto addresses. The
same parse feeds the Word output, so a heading is a heading in every format.
"""

from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

# A section holds a few pages of text at most; a longer paste is refused with a message.
TEXT_LIMIT = 20_000
SAFE_SCHEMES = ("http://", "https://", "mailto:")


def _validate_link(url: str) -> bool:
    return url.strip().lower().startswith(SAFE_SCHEMES)


def parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    md.disable(["image", "html_inline", "html_block"])
    md.validateLink = _validate_link
    return md


_PARSER = parser()


def render(text: str) -> SafeString:
    """The section's text as HTML, with every character the author typed escaped."""
    if not text.strip():
        return mark_safe("")
    parsed = _PARSER.parse(text)
    for token in parsed:
        # The section's title is a level-2 heading: the author's headings sit below it.
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(6, int(token.tag[1]) + 2)}"
    html = _PARSER.renderer.render(parsed, _PARSER.options, {})
    # Links leave Stelsel in a new context and tell the other site nothing.
    html = html.replace("<a href=", '<a rel="noopener noreferrer nofollow" href=')
    return mark_safe(html)  # noqa: S308 - markdown-it escapes text; raw HTML is disabled


def tokens(text: str):
    """The parsed text, for outputs that build their own document (Word)."""
    return _PARSER.parse(text)


def plain(text: str) -> str:
    """The text without its markup, for comparing versions and for spreadsheets."""
    out = []
    for token in _PARSER.parse(text):
        if token.type == "inline":
            words = []
            for child in token.children or []:
                if child.type == "softbreak":
                    words.append(" ")
                elif child.type == "hardbreak":
                    words.append("\n")
                elif child.content:
                    words.append(child.content)
            out.append("".join(words))
    return "\n".join(line for line in out if line)
