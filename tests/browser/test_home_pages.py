"""The home pages in a real browser: sign-in with CSRF on, a commune editor who sees only their
commune, the language switch, the 404 for a sibling commune, and the district officer's
sortable table of communes in Vietnamese order. No request may leave the app's own server and
the Content-Security-Policy must not block anything."""
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VI_CATALOGUE = PROJECT_ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.mo"

# The 16 communes of Như Xuân, in Vietnamese dictionary order (written out by hand, not computed
# with the app's sort key): ă/â come right after a, so "Tân" sorts before "Thanh" (a plain
# code-point sort puts "Thanh" first), and "Thị trấn" before "Xã".
COMMUNES_IN_VIETNAMESE_ORDER = [
    "Thị trấn Yên Cát",
    "Xã Bãi Trành",
    "Xã Bình Lương",
    "Xã Cát Tân",
    "Xã Cát Vân",
    "Xã Hóa Quỳ",
    "Xã Tân Bình",
    "Xã Thanh Hòa",
    "Xã Thanh Lâm",
    "Xã Thanh Phong",
    "Xã Thanh Quân",
    "Xã Thanh Sơn",
    "Xã Thanh Xuân",
    "Xã Thượng Ninh",
    "Xã Xuân Bình",
    "Xã Xuân Hòa",
]
BAI_TRANH_CODE = "16177"  # Xã Bãi Trành, Bình Lương's neighbour in the same district
BOOTSTRAP_PRIMARY = "rgb(13, 110, 253)"


def vietnamese_catalogue_compiled() -> bool:
    return VI_CATALOGUE.exists()


def assert_styled(page: Page) -> None:
    """Bootstrap and app.css were served and applied: the navbar is Bootstrap's blue bar."""
    navbar = page.locator("nav.navbar")
    expect(navbar).to_be_visible()
    expect(navbar).to_have_css("background-color", BOOTSTRAP_PRIMARY)
    expect(navbar).to_have_css("display", "flex")


def sign_in(page: Page, username: str) -> None:
    """Through the real login form (its CSRF token included), in the default language."""
    response = page.goto("/login")
    assert response.status == 200
    # The policy the browser enforces (and must report no violation of) is really sent.
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    heading = page.locator("h1.card-title")
    expect(heading).to_be_visible()
    if vietnamese_catalogue_compiled():
        expect(heading).to_have_text("Đăng nhập")
        expect(page.locator("#submit")).to_have_value("Đăng nhập")
    # The switch always names each language in that language, and marks the current one.
    expect(page.get_by_role("button", name="Tiếng Việt")).to_have_class(re.compile(r"\bbtn-light\b"))
    expect(page.get_by_role("button", name="English")).to_have_class(re.compile(r"\bbtn-outline-light\b"))
    assert page.locator("form input[name=csrf_token]").first.get_attribute("value")
    expect(page.locator(".login-card")).to_have_css("max-width", "416px")  # app.css is applied
    page.fill("#username", username)
    page.fill("#password", DEMO_PASSWORD)
    page.click("#submit")
    page.wait_for_url(re.compile(r"/$"))
    expect(page.locator("[data-testid=signed-in-as]")).to_contain_text(username)


def test_commune_editor_sees_only_their_commune_in_both_languages(watched_page, live_server,
                                                                   shots_dir):
    page, watch = watched_page
    sign_in(page, "binhluong.editor")

    # Vietnamese home page of the commune.
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("[data-testid=home-unit]")).to_have_text("Xã Bình Lương")
    assert_styled(page)
    body = page.locator("body").inner_text()
    for other in COMMUNES_IN_VIETNAMESE_ORDER:
        if other != "Xã Bình Lương":
            assert other not in body, f"{other} shown to Bình Lương's editor"
    if vietnamese_catalogue_compiled():
        expect(page.get_by_role("button", name="Đăng xuất")).to_be_visible()
    page.screenshot(path=str(shots_dir / "commune-home-vi.png"), full_page=True)

    # CSRF is on: the language form posted without its token is refused and changes nothing.
    forged = page.request.post("/language", form={"locale": "en", "next": "/"}, max_redirects=0)
    assert forged.status == 400
    page.reload()
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    # Switch to English: same page, English text, the choice sticks.
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url == f"{live_server}/"
    expect(page.get_by_role("button", name="English")).to_have_class(re.compile(r"\bbtn-light\b"))
    expect(page.locator("[data-testid=home-unit]")).to_have_text("Xã Bình Lương")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator("a.navbar-brand")).to_have_text("Gender equality plans")
    expect(page.get_by_text("GSO code 16204")).to_be_visible()
    expect(page.get_by_role("heading", name="Plans")).to_be_visible()
    assert_styled(page)
    page.screenshot(path=str(shots_dir / "commune-home-en.png"), full_page=True)

    # Their own unit opens; a neighbouring commune does not exist for them.
    own = page.goto("/units/16204")
    assert own.status == 200
    expect(page.locator("html")).to_have_attribute("lang", "en")
    other = page.goto(f"/units/{BAI_TRANH_CODE}")
    assert other.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("alert")).to_contain_text("404")
    expect(page.get_by_role("alert")).to_contain_text(
        "This page does not exist, or you may not see it."
    )
    assert "Bãi Trành" not in page.locator("body").inner_text()
    assert_styled(page)
    page.screenshot(path=str(shots_dir / "not-found-en.png"), full_page=True)

    watch.assert_clean()


def commune_names(page: Page) -> list[str]:
    return [name.strip() for name in
            page.locator("[data-testid=units-table] tbody tr td:nth-child(2)").all_inner_texts()]


def test_district_officer_sorts_the_communes_in_vietnamese_order(watched_page, shots_dir):
    page, watch = watched_page
    sign_in(page, "nhuxuan.officer")

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("[data-testid=home-unit]")).to_have_text("Huyện Như Xuân")
    assert_styled(page)
    table = page.locator("[data-testid=units-table]")
    expect(table.locator("tbody tr")).to_have_count(16)
    expect(page.locator("main p.text-muted").first).to_contain_text("16")

    # By name, ascending, by default.
    name_header = table.locator("thead th").filter(has=page.locator("a[href*='sort=name']"))
    expect(name_header).to_have_attribute("aria-sort", "ascending")
    expect(name_header).to_have_text(re.compile(r"^\s*(Name|Tên)"))
    names = commune_names(page)
    assert names == COMMUNES_IN_VIETNAMESE_ORDER
    assert names.index("Thị trấn Yên Cát") < names.index("Xã Bãi Trành")
    assert names.index("Xã Tân Bình") < names.index("Xã Thanh Hòa")
    page.screenshot(path=str(shots_dir / "district-home-vi.png"), full_page=True)

    # One click on the header reverses the order, a second one restores it.
    name_header.locator("a").click()
    page.wait_for_url(re.compile(r"[?&]order=desc"))
    expect(name_header).to_have_attribute("aria-sort", "descending")
    expect(table.locator("tbody tr")).to_have_count(16)
    assert commune_names(page) == COMMUNES_IN_VIETNAMESE_ORDER[::-1]
    page.screenshot(path=str(shots_dir / "district-home-vi-name-desc.png"), full_page=True)

    name_header.locator("a").click()
    page.wait_for_url(re.compile(r"[?&]order=asc"))
    expect(name_header).to_have_attribute("aria-sort", "ascending")
    assert commune_names(page) == COMMUNES_IN_VIETNAMESE_ORDER

    watch.assert_clean()
