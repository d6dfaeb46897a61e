"""In Chromium, on an upload slowed to about 3 MB/s: Compose's uploader shows how far a big file has got, as a
percentage that climbs, and says when it is all there."""

import os

import pytest
from PIL import Image

from tests.support.browser import chromium_page, studio_server

pytestmark = pytest.mark.browser

# Every "Uploading N % (…)" the chip showed, in order, caught as it changes (a poll could miss them all).
RECORD = """() => {
  window.__percents = [];
  new MutationObserver(() => {
    for (const note of document.querySelectorAll('[data-testid="pinUploadPercent"]')) {
      const text = note.textContent;
      if (window.__percents[window.__percents.length - 1] !== text) window.__percents.push(text);
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def noisy_photo(path, size=(2400, 3000)):
    """A JPEG of about 10 MB: noise hardly compresses."""
    Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(path, quality=95)
    return path


def test_a_big_upload_shows_a_climbing_percentage_then_says_it_is_done(data_dir, tmp_path):
    photo = noisy_photo(tmp_path / "big-photo.jpg")
    megabytes = photo.stat().st_size / 1e6  # as the chip counts them
    assert megabytes > 5
    env = {"STUDIO_DATA_DIR": str(data_dir), "STUDIO_ENV_FILE": "", "STUDIO_PUBLISHER": "dry-run"}
    with studio_server(env) as base, chromium_page() as page:
        page.set_default_timeout(60_000)
        page.goto(f"{base}/compose")
        uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Upload an image or a video")
        uploader.wait_for()
        page.evaluate(RECORD)
        network = page.context.new_cdp_session(page)
        network.send("Network.enable")
        network.send(
            "Network.emulateNetworkConditions",
            {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 3 * 1048576},
        )
        uploader.locator('input[type="file"]').set_input_files(str(photo))
        page.wait_for_function(
            "() => (window.__percents || []).some(t => t.startsWith('Uploaded 100 %'))", timeout=90_000
        )
        seen = page.evaluate("window.__percents")

    climbing = [t for t in seen if t.startswith("Uploading ")]
    percents = [int(t.split()[1]) for t in climbing]
    assert len(percents) >= 3, seen  # several figures on the way, not a jump to the end
    assert percents == sorted(percents) and any(0 < p < 100 for p in percents), seen
    assert f"of {megabytes:.0f} MB)" in climbing[-1] or f"of {megabytes:.1f} MB)" in climbing[-1], climbing[-1]
    assert seen[-1] == "Uploaded 100 %"
