"""``mugs web``: serve the review pages, the alert feed and the number checker."""

from __future__ import annotations

import argparse

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add ``web``."""
    parser = subparsers.add_parser(
        "web",
        help="serve the web app (review, feed, checker) on 127.0.0.1:8000",
        description="Start the web app with uvicorn. It listens on loopback by default: put a TLS "
        "reverse proxy in front of it (and pass --secure-cookies) to serve it to others.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument(
        "--secure-cookies", action="store_true", help="mark cookies Secure (behind HTTPS)"
    )
    parser.set_defaults(func=run_web)


def run_web(args: argparse.Namespace) -> int:
    """Open the store and serve the app until interrupted."""
    import uvicorn

    from pipeline.settings import load_settings
    from pipeline.store import Store
    from web.app import create_app

    store = Store.open(load_settings())
    try:
        app = create_app(store, secure_cookies=args.secure_cookies)
        uvicorn.run(app, host=args.host, port=args.port, log_level="info", access_log=False)
    finally:
        store.close()
    return 0
