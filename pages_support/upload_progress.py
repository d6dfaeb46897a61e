"""Upload progress as a percentage beside each file an uploader is sending.

Streamlit's `st.file_uploader` shows a spinner while a file travels, with no figure: a 1.5 GB video looks
the same at 2 % as at 98 %. Its frontend sends each file with one XMLHttpRequest (a PUT to
`/_stcore/upload_file/…`), so a small script, added once per page, listens to that request's upload progress
and writes "Uploading 42 % (630 of 1,500 MB)" in the file's chip. The script is this module's own constant
text: nothing a person typed goes into it.
"""

from __future__ import annotations

import streamlit as st

# Idempotent: a page may draw it on every run; the first one patches XMLHttpRequest, later ones do nothing.
_SCRIPT = """
<script>
(() => {
  if (window.__pinstudioUploadProgress) return;
  window.__pinstudioUploadProgress = true;
  // in MB of 1,000,000 bytes, as the chip above it counts
  const megabytes = (n) => (n / 1e6).toLocaleString("en-US", {maximumFractionDigits: n < 1e7 ? 1 : 0});
  const label = (name) => {
    for (const el of document.querySelectorAll('[data-testid="stFileChipName"]')) {
      if (el.getAttribute("title") !== name) continue;
      let note = el.parentElement.querySelector('[data-testid="pinUploadPercent"]');
      if (!note) {
        note = document.createElement("div");
        note.setAttribute("data-testid", "pinUploadPercent");
        note.setAttribute("role", "status");
        note.style.cssText = "font-size:0.8rem;opacity:0.8;font-variant-numeric:tabular-nums";
        el.parentElement.appendChild(note);
      }
      return note;
    }
    return null;
  };
  const open = XMLHttpRequest.prototype.open;
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    this.__pinstudioUpload = String(url).includes("/_stcore/upload_file/");
    return open.call(this, method, url, ...rest);
  };
  XMLHttpRequest.prototype.send = function (body) {
    if (this.__pinstudioUpload && body instanceof FormData) {
      const file = [...body.values()].find((v) => v instanceof File);
      if (file) {
        const show = (text) => { const note = label(file.name); if (note) note.textContent = text; };
        this.upload.addEventListener("progress", (e) => {
          if (!e.lengthComputable || !e.total) return;
          const pct = Math.min(100, Math.floor((e.loaded * 100) / e.total));
          // the request carries a few hundred bytes of form fields besides the file: count in the file's
          // own size, so the figure agrees with the chip ("8.4 MB"), never "8.5 of 8.5 MB" beside it
          const sent = Math.min(file.size, Math.round((e.loaded / e.total) * file.size));
          show(`Uploading ${pct} % (${megabytes(sent)} of ${megabytes(file.size)} MB)`);
        });
        this.addEventListener("loadend", () => {
          show(this.status >= 200 && this.status < 300 ? "Uploaded 100 %" : "The upload stopped");
        });
      }
    }
    return send.call(this, body);
  };
})();
</script>
"""


def upload_progress() -> None:
    """Call before a page's uploaders: their files show a percentage while they upload."""
    st.html(_SCRIPT, unsafe_allow_javascript=True, width="content")
