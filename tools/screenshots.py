"""Screenshots of pages in Arabic and English with Debian's headless Chromium.

Usage: python tools/screenshots.py [BASE_URL] [OUT_DIR] [PATH ...]
Defaults: http://127.0.0.1:8000, docs/, and the home page (the README's pictures).
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]


def main():
    base_url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    out_dir = Path(sys.argv[2] if len(sys.argv) > 2 else "docs")
    paths = sys.argv[3:] or ["/"]
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for language in ("ar", "en"):
            for width, label in ((1280, "desktop"), (360, "phone")):
                context = browser.new_context(viewport={"width": width, "height": 900})
                context.add_cookies([{"name": "mumaris_language", "value": language, "url": base_url}])
                page = context.new_page()
                for path in paths:
                    page.goto(base_url + path)
                    name = path.strip("/").replace("/", "-") or "home"
                    target = out_dir / f"{name}-{language}-{label}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                context.close()
        browser.close()


if __name__ == "__main__":
    main()
