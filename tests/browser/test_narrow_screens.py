"""On a phone's width (390 px) no page is wider than the screen: a wide table scrolls sideways
in its own box, and the rest of the page (the navigation, the buttons) stays in view."""
import re

import pytest
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 800}


def first_link(page: Page, pattern: str) -> str:
    """The first address on the page that matches `pattern` (one plan, one template)."""
    addresses = page.eval_on_selector_all("a[href]", "links => links.map(link => link.getAttribute('href'))")
    return next(address for address in addresses if re.fullmatch(pattern, address))


def assert_fits(page: Page, address: str) -> None:
    response = page.goto(address)
    assert response.status == 200, address
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{address} is {width} px wide"


def test_a_communes_pages_fit_a_phone(person):
    page = person("binhluong.editor")
    page.set_viewport_size(PHONE)
    for address in ("/", "/plans", "/compare"):
        assert_fits(page, address)
    page.goto("/plans")
    plan = first_link(page, r"/plans/\d+")
    for address in (plan, f"{plan}/reports"):
        assert_fits(page, address)


def test_a_districts_pages_fit_a_phone(person):
    page = person("nhuxuan.officer")
    page.set_viewport_size(PHONE)
    for address in ("/", "/plans", "/templates", "/dispatches", "/compare"):
        assert_fits(page, address)
    page.goto("/templates")
    assert_fits(page, first_link(page, r"/templates/\d+"))
