"""Reading failure text: why a pull or a build failed.

A pull that failed because no registry can be reached is the normal case on these
machines and leads to a stand-in; any other pull failure (a wrong tag, a refused
login) is reported. A build whose log shows Debian's archive could not be reached
is reported as such.
"""

from __future__ import annotations

import re

NETWORK = "network"          # no registry reachable: build a stand-in
NOT_FOUND = "not-found"      # the registry answered: no such repository or tag
DENIED = "denied"            # the registry answered: authentication or authorisation refused
OTHER = "other"

_NETWORK_PATTERNS = [
    r"no such host",
    r"dial tcp",
    r"connection refused",
    r"network is unreachable",
    r"no route to host",
    r"i/o timeout",
    r"TLS handshake timeout",
    r"Client\.Timeout exceeded",
    r"context deadline exceeded",
    r"temporary failure in name resolution",
    r"server misbehaving",
    r"connection reset by peer",
    r"proxyconnect",
    r"timed out after",
    # The registry is there but refuses to serve for now: treated like no network,
    # since the name itself is fine and a stand-in can take its place.
    r"toomanyrequests",
    r"pull rate limit",
    r"503 Service Unavailable",
]
_NOT_FOUND_PATTERNS = [
    r"manifest unknown",
    r"manifest for \S+ not found",
    r"not found: manifest",
    r"repository does not exist",
    r"name unknown",
    r"invalid reference format",
    r"no matching manifest",
    # the containerd image store (Docker 28 and later with containerd-snapshotter):
    # failed to resolve reference "host/name:tag": host/name:tag: not found
    r"failed to resolve reference \"[^\"]+\": \S+: not found",
]
_DENIED_PATTERNS = [
    r"pull access denied",
    r"unauthorized",
    r"denied: requested access",
    r"authentication required",
]


def _matches(patterns: list[str], text: str) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in patterns)


def classify_pull_error(text: str) -> str:
    """NETWORK, NOT_FOUND, DENIED or OTHER for the output of a failed `docker pull`."""
    # An answer from a registry wins over words like "dial" appearing elsewhere.
    if _matches(_NOT_FOUND_PATTERNS, text):
        return NOT_FOUND
    if _matches(_DENIED_PATTERNS, text):
        return DENIED
    if _matches(_NETWORK_PATTERNS, text):
        return NETWORK
    return OTHER


_ARCHIVE_PATTERNS = [
    r"Temporary failure resolving",
    r"Could not resolve",
    r"Failed to fetch",
    r"Failed getting release file",
    r"Unable to connect to",
    r"Could not connect to",
    r"Network is unreachable",
    r"No route to host",
    r"Connection timed out",
    r"Connection failed",
    r"Couldn't download",
    r"Some index files failed to download",
    r"Unable to fetch some archives",
]


def archive_unreachable(log_text: str) -> bool:
    """Whether a build log shows that Debian's package archive could not be reached."""
    return _matches(_ARCHIVE_PATTERNS, log_text)
