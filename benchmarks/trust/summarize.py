#!/usr/bin/env python3
"""Turns the socket driver's key=value line (benchmarks/WorkloadCredentials.Trust) into one sentence for the results table."""
import json
import re
import sys

line = sys.stdin.readline().strip()
fields = dict(re.findall(r"(\w+)=(\S+)", line))
servers = [json.loads(s) for s in fields["servers"].split("/")]
after_gc = [json.loads(s) for s in fields["servers_after_gc"].split("/")]
names = ["container", "STS"]
parts = []
for name, now, gc in zip(names, servers, after_gc):
    parts.append("%s: %d requests, %d connections accepted, at most %d open at once, %d open at the end, %d after a full GC"
                 % (name, now["requests"], now["accepted"], now["max_open"], now["open"], gc["open"]))
parts.append("sockets in the process: at most %s (%s after a full GC)" % (fields["own_max_open_sockets"], fields["own_open_after_gc"]))
print("%s fetches in %s s; %s" % (fields["fetched"], fields["seconds"], "; ".join(parts)))
