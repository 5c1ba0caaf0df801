"""The address a request came from, behind reverse proxies the operator trusts (PEERCHAT_TRUSTED_PROXIES).

Per-address limits (new peer sessions, sign-in attempts) must count people, not the proxy: behind nginx
every request arrives from nginx's address. X-Forwarded-For is read only when the connection itself comes
from a trusted proxy, and right to left, skipping trusted hops: the first hop that is not one of ours is
the client. Entries further left are whatever the client sent, and may be forged.
"""
from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network, IPv6Network, ip_address

Network = IPv4Network | IPv6Network


def _trusted(address: str, proxies: Sequence[Network]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in proxies)


def client_address(remote: str | None, forwarded_for: str | None, proxies: Sequence[Network]) -> str:
    if not remote:
        return "unknown"
    if not forwarded_for or not _trusted(remote, proxies):
        return remote
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop
    return hops[0] if hops else remote
