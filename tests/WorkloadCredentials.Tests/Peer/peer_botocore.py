"""Resolves credentials with botocore's default chain for many environments, for the peer-comparison suite.

Reads {"parallelism": n, "environments": [{"name", "variables", "profile"}]} from standard input and writes
{"botocore": version, "results": {name: {"access_key", "secret_key", "token", "method"} or {"error", "message"}, plus "seconds"}}
to standard output. Each environment is resolved in a forked child whose os.environ is exactly the environment's
variables (botocore reads os.environ directly), so environments never leak into each other. Every socket connection
to a non-loopback address is refused and reported: the suite's fake is the only endpoint botocore may reach.
"""

import gc
import ipaddress
import json
import os
import select
import socket
import sys
import time

try:
    import botocore
    import botocore.session
except ImportError:
    sys.stderr.write("botocore is not installed: pip install botocore (or apt-get install awscli)\n")
    sys.exit(3)

_NON_LOOPBACK = []
_original_connect = socket.socket.connect


def _is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _guarded_connect(sock, address):
    host = address[0] if isinstance(address, tuple) else str(address)
    if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(host):
        _NON_LOOPBACK.append(host)
        raise ConnectionRefusedError("peer suite: connection to non-loopback host %s refused" % host)
    return _original_connect(sock, address)


_LOADER = None


def _warm_loader():
    """Loads botocore's data files (endpoints, the STS model and rules) once, before forking: every child shares the parsed
    data instead of parsing it again (a tenth of the time). Only data is shared, never configuration or credentials."""
    global _LOADER
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update({"AWS_EC2_METADATA_DISABLED": "true", "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull})
    try:
        session = botocore.session.Session()
        session.create_client("sts", region_name="us-east-1", aws_access_key_id="warm", aws_secret_access_key="warm")
        _LOADER = session.get_component("data_loader")
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _point_sso_cache_at_home():
    """botocore fixes the SSO token cache directory (~/.aws/sso/cache) when it is imported; a fresh botocore process started
    with this environment's HOME would read the cache under it, so the child does the same."""
    import botocore.credentials
    import botocore.tokens

    cache = os.path.expanduser(os.path.join("~", ".aws", "sso", "cache"))
    botocore.credentials.SSOProvider._SSO_TOKEN_CACHE_DIR = cache
    botocore.tokens.SSOTokenProvider._SSO_TOKEN_CACHE_DIR = cache


def resolve(environment):
    started = time.monotonic()
    os.environ.clear()
    os.environ.update(environment["variables"])
    _point_sso_cache_at_home()
    socket.socket.connect = _guarded_connect
    try:
        session = botocore.session.Session(profile=environment.get("profile"))
        if _LOADER is not None:
            session.register_component("data_loader", _LOADER)
        credentials = session.get_credentials()
        if credentials is None:
            result = {"error": "NoCredentials", "message": "botocore found no credentials"}
        else:
            frozen = credentials.get_frozen_credentials()
            result = {
                "access_key": frozen.access_key,
                "secret_key": frozen.secret_key,
                "token": frozen.token,
                "method": credentials.method,
            }
    except Exception as error:  # every failure is a result to compare, named by its type
        result = {"error": type(error).__name__, "message": str(error)[:400]}
    if _NON_LOOPBACK:
        result = {"error": "NonLoopbackConnection", "message": ", ".join(sorted(set(_NON_LOOPBACK)))}
    result["seconds"] = round(time.monotonic() - started, 3)
    return environment["name"], result


def _resolve_forked(environments, parallelism):
    """Resolves each environment in its own forked child, at most `parallelism` at a time; a child sends its result on a pipe."""
    gc.freeze()  # the children do not touch (and so do not copy) everything the parent allocated
    results = {}
    pending = list(environments)
    running = {}
    while pending or running:
        while pending and len(running) < parallelism:
            environment = pending.pop(0)
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                code = 0
                try:
                    name, result = resolve(environment)
                    data = json.dumps([name, result]).encode()
                    while data:
                        data = data[os.write(write_end, data):]
                except BaseException:
                    code = 1
                os._exit(code)
            os.close(write_end)
            running[read_end] = (pid, environment["name"], bytearray())
        ready, _, _ = select.select(list(running), [], [])
        for read_end in ready:
            chunk = os.read(read_end, 65536)
            if chunk:
                running[read_end][2].extend(chunk)
                continue
            pid, name, data = running.pop(read_end)
            os.close(read_end)
            os.waitpid(pid, 0)
            if data:
                results[name] = json.loads(data)[1]
            else:
                results[name] = {"error": "ChildFailed", "message": "the child resolving this environment died", "seconds": 0}
    return results


def main():
    request = json.load(sys.stdin)
    environments = request["environments"]
    parallelism = max(1, int(request.get("parallelism", 4)))
    _warm_loader()
    if hasattr(os, "fork"):
        # One child per environment: nothing botocore caches in a process carries over.
        results = _resolve_forked(environments, parallelism)
    else:
        saved = dict(os.environ)
        results = dict(resolve(environment) for environment in environments)
        os.environ.clear()
        os.environ.update(saved)
    json.dump({"botocore": botocore.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
