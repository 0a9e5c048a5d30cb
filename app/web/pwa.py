"""Serve the PWA in pwa/: its shell at /app/, every scanned /p/<token> and the public /s/ and /r/ pages; its worker."""

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

PWA_DIR = Path(__file__).resolve().parent.parent.parent / "pwa"

bp = Blueprint("pwa", __name__)


def shell():
    """The app shell; the router in pwa/js/main.js picks the screen from the address."""
    response = send_from_directory(PWA_DIR, "index.html", max_age=0)
    response.cache_control.no_cache = True
    return response


@bp.get("/")
@bp.get("/app/")
@bp.get("/app/<path:_rest>")
@bp.get("/s/<path:_rest>")  # a school's 随手拍 code, opened by anyone
@bp.get("/r/<path:_rest>")  # a 随手拍 report's progress, by the link on its sender's receipt
def app_shell(_rest: str = ""):
    return shell()


@bp.get("/pwa/<path:filename>")
def assets(filename: str):
    """Scripts, styles, catalogs and icons; revalidated, since the service worker versions them."""
    mimetype = "application/manifest+json" if filename.endswith(".webmanifest") else None
    response = send_from_directory(PWA_DIR, filename, max_age=0, mimetype=mimetype)
    response.cache_control.no_cache = True
    return response


#: browser-side libraries, installed by `make setup` with npm ci into pwa/node_modules
VENDOR = {
    "barcode-detector.js": ("barcode-detector/dist/iife/ponyfill.js", "text/javascript"),
    "zxing_reader.wasm": ("zxing-wasm/dist/reader/zxing_reader.wasm", "application/wasm"),
    # the report screens' charts (uPlot): loaded by those screens only
    "uPlot.iife.min.js": ("uplot/dist/uPlot.iife.min.js", "text/javascript"),
    "uPlot.min.css": ("uplot/dist/uPlot.min.css", "text/css"),
}


@bp.get("/pwa/vendor/<name>")
def vendor(name: str):
    """A browser-side library: the QR decoder (a polyfill over zxing-cpp in WebAssembly), the reports' charts."""
    if name not in VENDOR:
        abort(404)
    path, mimetype = VENDOR[name]
    return send_from_directory(PWA_DIR / "node_modules", path, max_age=86400, mimetype=mimetype)


@bp.get("/sw.js")
def service_worker():
    """At the root, so its scope covers /app/ and every /p/<token> a camera opens."""
    response = send_from_directory(PWA_DIR, "sw.js", max_age=0, mimetype="text/javascript")
    response.cache_control.no_cache = True
    response.headers["Service-Worker-Allowed"] = "/"
    return response
