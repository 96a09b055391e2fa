"""`svccat serve`: build, serve the site on 127.0.0.1, rebuild when a catalogue file changes.

Changes are found by polling modification times (no file-watching dependency). A rebuild
that fails keeps the last good site on screen and says why on the terminal.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, TextIO

from svccat.config import Config, ConfigError
from svccat.resources import templates_dir
from svccat.site import paths
from svccat.site.build import EXIT_BUILT, BuildOptions, run
from svccat.site.render import CSP

HOST = "127.0.0.1"  # a preview, never exposed to the network
Snapshot = tuple[tuple[str, int, int], ...]


def snapshot(*folders: Path) -> Snapshot:
    """Every file's path, modification time and size: any edit, addition or removal shows."""
    found = []
    for folder in folders:
        for base, dirnames, filenames in os.walk(folder):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                path = os.path.join(base, name)
                try:
                    stat = os.stat(path)
                except OSError:  # removed while we looked
                    continue
                found.append((path, stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class PreviewHandler(SimpleHTTPRequestHandler):
    """Static files with the site's security headers, 404.html for missing pages, no log."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")  # a rebuilt page shows on reload
        super().end_headers()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None
                   ) -> None:
        page = Path(self.directory) / paths.NOT_FOUND
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(config: Config, options: BuildOptions, *, port: int, stream: TextIO, out: TextIO,
          interval: float = 1.0, stop: Callable[[], bool] | None = None) -> int:
    """Serve until interrupted (or until `stop()` is true, for tests); the exit code."""
    code = run(config, options, stream=stream, out=out)
    if code != EXIT_BUILT:
        return code
    watched = (config.catalogue, templates_dir())
    seen = snapshot(*watched)
    handler = partial(PreviewHandler, directory=str(options.out.absolute()))
    try:
        server = ThreadingHTTPServer((HOST, port), handler)
    except OSError as e:
        raise ConfigError(f"无法在端口 {port} 上提供预览：{e.strerror or e}",
                          f"cannot serve on port {port}: {e.strerror or e}") from None
    en = config.lang == "en"
    address = f"http://{HOST}:{server.server_address[1]}/"
    out.write(f"svccat: serving {address} (Ctrl+C stops)\n" if en else
              f"svccat: 预览地址 {address}（按 Ctrl+C 停止）\n")
    out.flush()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        while not (stop and stop()):
            time.sleep(interval)
            now = snapshot(*watched)
            if now == seen:
                continue
            seen = now
            try:
                run(config, options, stream=stream, out=out)
            except ConfigError as e:
                stream.write(f"svccat: {e.text.get(config.lang)}\n")
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
    return EXIT_BUILT
