"""Loopback origin servers for the egress proxy tests.

Usage: origin.py BIND_ADDRESS CERT KEY
Serves plain HTTP, HTTPS (the given certificate) and a raw TCP echo on ephemeral ports of
BIND_ADDRESS, prints "READY <http> <https> <echo>" and runs until stdin closes.
"""
import http.server
import socket
import socketserver
import ssl
import sys
import threading


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send_text(self, text, status=200):
        body = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/chunked"):
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"first,", b"second,", b"third"):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
        elif self.path.startswith("/upgrade"):
            if self.headers.get("Upgrade", "").lower() != "echo":
                return self.send_text("upgrade required", 426)
            self.send_response(101)
            self.send_header("Upgrade", "echo")
            self.send_header("Connection", "Upgrade")
            self.end_headers()
            self.wfile.flush()
            while True:
                data = self.connection.recv(65536)
                if not data:
                    return
                self.connection.sendall(data)
        else:
            self.send_text("hello %s host=%s" % (self.path, self.headers.get("Host")))

    def do_POST(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().strip(), 16)
                if size == 0:
                    self.rfile.readline()
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        self.send_text("received %d bytes" % len(body))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True


def echo(listener):
    while True:
        conn, _ = listener.accept()

        def serve(c):
            with c:
                while True:
                    data = c.recv(65536)
                    if not data:
                        return
                    c.sendall(data)

        threading.Thread(target=serve, args=(conn,), daemon=True).start()


def main():
    address, cert, key = sys.argv[1:4]
    plain = Server((address, 0), Handler)
    secure = Server((address, 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    secure.socket = context.wrap_socket(secure.socket, server_side=True)
    raw = socket.socket()
    raw.bind((address, 0))
    raw.listen(64)
    for server in (plain, secure):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    threading.Thread(target=echo, args=(raw,), daemon=True).start()
    print("READY %d %d %d" % (plain.server_address[1], secure.server_address[1], raw.getsockname()[1]), flush=True)
    sys.stdin.read()


main()
