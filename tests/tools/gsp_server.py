#!/usr/bin/env python3
"""A minimal SPARQL 1.1 Graph Store HTTP Protocol server for testing `kgx push`: PUT
/gsp?graph=IRI replaces that graph, GET /summary reports what it holds. Bodies are parsed
with rdflib and credentials are checked with an independent HTTP digest (RFC 7616, MD5,
qop=auth) or basic implementation.

Usage: gsp_server.py digest|basic USER PASSWORD
Prints the port it listens on (127.0.0.1, chosen by the OS), then serves until killed.
"""
import base64
import hashlib
import json
import secrets
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import rdflib

REALM = "kgx-test"
FORMATS = {"application/n-triples": "nt", "text/turtle": "turtle"}


class State:
    def __init__(self, mode, user, password):
        self.mode, self.user, self.password = mode, user, password
        self.lock = threading.Lock()
        self.graphs = {}
        self.puts = 0
        self.challenged = 0
        self.nonces = {}  # nonce -> last nc seen (replay protection)


def md5(s):
    return hashlib.md5(s.encode("utf-8")).hexdigest()


def parse_auth_params(value):
    """key=value, key="quoted" pairs of a Digest Authorization header."""
    params, i = {}, 0
    while i < len(value):
        while i < len(value) and value[i] in " ,":
            i += 1
        eq = value.find("=", i)
        if eq < 0:
            break
        key = value[i:eq].strip()
        i = eq + 1
        if i < len(value) and value[i] == '"':
            i += 1
            out = []
            while i < len(value) and value[i] != '"':
                if value[i] == "\\":
                    i += 1
                out.append(value[i])
                i += 1
            i += 1
            params[key] = "".join(out)
        else:
            end = value.find(",", i)
            end = len(value) if end < 0 else end
            params[key] = value[i:end].strip()
            i = end
    return params


class Handler(BaseHTTPRequestHandler):
    state = None

    def log_message(self, *args):
        pass

    def reply(self, code, body=b"", headers=()):
        self.send_response(code)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def authorized(self):
        st = self.state
        header = self.headers.get("Authorization", "")
        if st.mode == "basic":
            if header.startswith("Basic "):
                try:
                    user, _, pw = base64.b64decode(header[6:]).decode().partition(":")
                except ValueError:
                    return False
                return user == st.user and pw == st.password
            return False
        if not header.startswith("Digest "):
            return False
        p = parse_auth_params(header[7:])
        with st.lock:
            last = st.nonces.get(p.get("nonce"))
            try:
                nc = int(p.get("nc", ""), 16)
            except ValueError:
                return False
            if last is None or nc <= last:
                return False
            st.nonces[p["nonce"]] = nc
        if p.get("username") != st.user or p.get("realm") != REALM or p.get("qop") != "auth":
            return False
        if p.get("uri") != self.path:
            return False
        ha1 = md5(f"{st.user}:{REALM}:{st.password}")
        ha2 = md5(f"{self.command}:{p['uri']}")
        expected = md5(f"{ha1}:{p['nonce']}:{p['nc']}:{p.get('cnonce', '')}:auth:{ha2}")
        return secrets.compare_digest(expected, p.get("response", ""))

    def challenge(self):
        st = self.state
        with st.lock:
            st.challenged += 1
            nonce = secrets.token_hex(16)
            st.nonces[nonce] = 0
        if st.mode == "basic":
            value = f'Basic realm="{REALM}"'
        else:
            value = f'Digest realm="{REALM}", nonce="{nonce}", opaque="{secrets.token_hex(8)}", qop="auth", algorithm=MD5'
        self.reply(401, b"unauthorized", [("WWW-Authenticate", value)])

    def do_GET(self):
        if urlsplit(self.path).path != "/summary":
            return self.reply(404)
        st = self.state
        with st.lock:
            body = json.dumps({"graphs": st.graphs, "puts": st.puts, "challenged": st.challenged})
        self.reply(200, body.encode(), [("Content-Type", "application/json")])

    def do_PUT(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if not self.authorized():
            return self.challenge()
        url = urlsplit(self.path)
        graph = parse_qs(url.query).get("graph", [None])[0]
        if url.path != "/gsp" or not graph:
            return self.reply(400, b"PUT /gsp?graph=IRI")
        fmt = FORMATS.get(self.headers.get("Content-Type", "").split(";")[0].strip())
        if fmt is None:
            return self.reply(415)
        g = rdflib.Graph()
        try:
            g.parse(data=body.decode("utf-8"), format=fmt)
        except Exception as e:  # any parse failure is the client's fault
            return self.reply(400, str(e).encode())
        st = self.state
        with st.lock:
            existed = graph in st.graphs
            st.graphs[graph] = len(g)
            st.puts += 1
        self.reply(204 if existed else 201)


def main(mode, user, password):
    Handler.state = State(mode, user, password)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:])
