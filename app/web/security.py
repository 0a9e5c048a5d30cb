"""Security headers: a Content-Security-Policy with no inline script, on every page but Swagger UI."""

from flask import Flask, request

# 'wasm-unsafe-eval': the QR decoder for browsers without BarcodeDetector is WebAssembly.
CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
SWAGGER_UI = "/api/docs"  # its page is inline script by design; it shows no one's data


def add_security_headers(response):
    if not request.path.startswith(SWAGGER_UI):
        response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def init_security(app: Flask) -> None:
    app.after_request(add_security_headers)
