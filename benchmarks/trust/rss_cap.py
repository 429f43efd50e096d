#!/usr/bin/env python3
"""rss_cap.py BYTES MARKER -- COMMAND...: runs COMMAND in its own process group and kills the group (SIGKILL) as soon as the
resident memory of the process tree passes BYTES, then writes MARKER. Exits with the command's status (137 when killed).

An address-space limit (prlimit --as) is not used for the memory cap: the .NET GC reserves a large share of the address space
when the process starts, so under a 3 GiB limit a healthy process can fail to map an assembly, and a runaway one stops with
"Out of memory" at a few hundred MiB, which hides how far it would have grown. Resident memory is what a container limit counts.
"""
import os
import signal
import subprocess
import sys
import time


def tree_rss(root):
    # Resident bytes of root and its descendants (sampled from /proc).
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (OSError, ValueError, IndexError):
            pass
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open("/proc/%d/statm" % pid) as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            pass
    return total


def main():
    cap, marker = int(sys.argv[1]), sys.argv[2]
    command = sys.argv[sys.argv.index("--") + 1:]
    child = subprocess.Popen(command, start_new_session=True)
    while child.poll() is None:
        if tree_rss(child.pid) > cap:
            os.killpg(child.pid, signal.SIGKILL)
            with open(marker, "w") as f:
                f.write("killed\n")
            child.wait()
            return 137
        time.sleep(0.02)
    return child.returncode if child.returncode >= 0 else 128 - child.returncode


if __name__ == "__main__":
    sys.exit(main())
