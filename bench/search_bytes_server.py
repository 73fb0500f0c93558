#!/usr/bin/env python3
"""A static file server on 127.0.0.1 that logs, per request, the path and the bytes it sent
(status line, headers and body), so that both tools' downloads are counted the same way,
including what Pagefind's web worker fetches (the page's own Resource Timing does not see it).

usage: search_bytes_server.py DIR PORT LOG   (appends "PATH<TAB>BYTES" lines to LOG)
"""
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    log_path = None

    def setup(self):
        super().setup()
        raw = self.wfile
        handler = self

        class Counting:
            def write(self, data):
                handler.sent += len(data)
                return raw.write(data)

            def __getattr__(self, name):
                return getattr(raw, name)

        self.wfile = Counting()

    def handle_one_request(self):
        self.sent = 0
        super().handle_one_request()
        if self.sent and getattr(self, "path", None):
            with open(self.log_path, "a") as log:
                log.write(f"{self.path}\t{self.sent}\n")

    def log_message(self, *args):
        pass


def main():
    root, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    Handler.log_path = log
    handler = functools.partial(Handler, directory=root)
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
        server.serve_forever()


if __name__ == "__main__":
    main()
