#!/usr/bin/env python3
"""Loopback servers for benchmarks/trust/measure.sh (nothing here listens beyond 127.0.0.1).

  servers.py container PORTFILE [TTL]  container credential endpoint: any GET answers valid credentials JSON
  servers.py sts PORTFILE [TTL]        STS Query API: AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity
  servers.py endless PORTFILE          STS that streams an endless <AccessKeyId>AAAA... body to every request

Each server binds an ephemeral port and writes "PORT STATSPORT" to PORTFILE. The stats listener (a separate port, so
reading the figures never counts as a connection) answers GET /stats with JSON {accepted, open, max_open, requests}
and GET /reset with the same after setting accepted, requests and max_open back to the connections open now.
"""
import json
import os
import socketserver
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

LOCK = threading.Lock()
STATS = {"accepted": 0, "open": 0, "max_open": 0, "requests": 0}
SERIAL = [0]


def next_serial():
    with LOCK:
        SERIAL[0] += 1
        STATS["requests"] += 1
        return SERIAL[0]


def access_key_id(serial):
    # ASIA + 16 upper-case alphanumerics, distinct per answer so a cache can tell answers apart.
    return "ASIA" + ("TRUST%011d" % serial)


def expiration(ttl):
    return (datetime.now(timezone.utc) + timedelta(seconds=ttl)).strftime("%Y-%m-%dT%H:%M:%SZ")


SECRET = "trustBenchSecretKey0123456789abcdefghijk"  # 40 characters, not a real key
TOKEN = "IQoJb3JpZ2luX2VjEBenchmarkSessionToken" + "x" * 300


class CountingServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def get_request(self):
        conn = super().get_request()
        with LOCK:
            STATS["accepted"] += 1
            STATS["open"] += 1
            STATS["max_open"] = max(STATS["max_open"], STATS["open"])
        return conn

    def handle_error(self, request, client_address):
        pass  # a client resetting a kept-alive connection is expected here

    def shutdown_request(self, request):
        super().shutdown_request(request)
        with LOCK:
            STATS["open"] -= 1


class Quiet(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle and the client's delayed ACK add 40 ms per answer.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def send_body(self, status, content_type, body):
        data = body.encode("ascii")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def read_form(self):
        length = int(self.headers.get("Content-Length") or 0)
        return parse_qs(self.rfile.read(length).decode("ascii", "replace"))


class Container(Quiet):
    ttl = 3600

    def do_GET(self):
        serial = next_serial()
        body = json.dumps({
            "AccessKeyId": access_key_id(serial), "SecretAccessKey": SECRET, "Token": TOKEN,
            "Expiration": expiration(self.ttl), "RoleArn": "arn:aws:iam::123456789012:role/task-role",
        })
        self.send_body(200, "application/json", body)


STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"


class Sts(Quiet):
    ttl = 3600

    def do_POST(self):
        form = self.read_form()
        action = (form.get("Action") or [""])[0]
        serial = next_serial()
        creds = ("<Credentials><AccessKeyId>%s</AccessKeyId><SecretAccessKey>%s</SecretAccessKey>"
                 "<SessionToken>%s</SessionToken><Expiration>%s</Expiration></Credentials>"
                 % (access_key_id(serial), SECRET, TOKEN, expiration(self.ttl)))
        user = ("<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/target-role/s</Arn>"
                "<AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId></AssumedRoleUser>")
        meta = "<ResponseMetadata><RequestId>00000000-0000-0000-0000-%012d</RequestId></ResponseMetadata>" % serial
        if action in ("AssumeRole", "AssumeRoleWithWebIdentity"):
            body = '<%sResponse xmlns="%s"><%sResult>%s%s</%sResult>%s</%sResponse>' % (
                action, STS_NS, action, user, creds, action, meta, action)
        elif action == "GetCallerIdentity":
            body = ('<GetCallerIdentityResponse xmlns="%s"><GetCallerIdentityResult>'
                    "<Arn>arn:aws:sts::123456789012:assumed-role/target-role/s</Arn><UserId>AROAEXAMPLE:s</UserId>"
                    "<Account>123456789012</Account></GetCallerIdentityResult>%s</GetCallerIdentityResponse>") % (STS_NS, meta)
        else:
            body = ('<ErrorResponse xmlns="%s"><Error><Type>Sender</Type><Code>InvalidAction</Code>'
                    "<Message>unknown action</Message></Error></ErrorResponse>") % STS_NS
            self.send_body(400, "text/xml", body)
            return
        self.send_body(200, "text/xml", body)


class Endless(Quiet):
    def do_POST(self):
        form = self.read_form()
        action = (form.get("Action") or ["GetCallerIdentity"])[0]
        next_serial()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Connection", "close")
        self.end_headers()
        head = '<%sResponse xmlns="%s"><%sResult><Credentials><AccessKeyId>' % (action, STS_NS, action)
        chunk = b"A" * (64 * 1024)
        try:
            self.wfile.write(head.encode("ascii"))
            while True:
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError, OSError):
            pass
        self.close_connection = True

    do_GET = do_POST


class StatsHandler(Quiet):
    def do_GET(self):
        with LOCK:
            if self.path.startswith("/reset"):
                STATS["accepted"] = 0
                STATS["requests"] = 0
                STATS["max_open"] = STATS["open"]
            body = json.dumps(STATS)
        self.send_body(200, "application/json", body)


def main():
    mode, port_file = sys.argv[1], sys.argv[2]
    ttl = int(sys.argv[3]) if len(sys.argv) > 3 else 3600
    handler = {"container": Container, "sts": Sts, "endless": Endless}[mode]
    handler.ttl = ttl
    server = CountingServer(("127.0.0.1", 0), handler)
    stats = ThreadingHTTPServer(("127.0.0.1", 0), StatsHandler)
    threading.Thread(target=stats.serve_forever, daemon=True).start()
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d %d\n" % (server.server_address[1], stats.server_address[1]))
    os.replace(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
