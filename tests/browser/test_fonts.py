"""Screenshots of the emoji and Korean test article show the characters, not boxes: Chromium finds a
font with Hangul and one with colour emoji (Debian's fonts-noto-cjk and fonts-noto-color-emoji, which
.ci/run installs when they are missing). Asked of Chromium itself, through the DevTools protocol: the
platform fonts it drew a node's text with."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _fonts_for(page, selector: str) -> dict[str, int]:
    session = page.context.new_cdp_session(page)
    session.send("DOM.enable")
    session.send("CSS.enable")
    root = session.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = session.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = session.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return {font["familyName"]: font["glyphCount"] for font in fonts}


def test_hangul_and_emoji_are_drawn_with_fonts_that_have_them(annotate_page, editor, article):
    page = annotate_page(editor, article)
    title = page.locator(".annotate-title")
    assert "🌊" in title.inner_text() and "네" in title.inner_text()
    fonts = _fonts_for(page, ".annotate-title")
    assert any("CJK" in family for family in fonts), f"no font with Hangul drew the title: {fonts}"
    assert any("Emoji" in family for family in fonts), f"no emoji font drew the title: {fonts}"
