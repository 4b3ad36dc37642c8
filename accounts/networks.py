"""The network an address belongs to, kept instead of the address itself."""

from __future__ import annotations

import ipaddress


def network_of(address: str | None) -> str:
    """ "203.0.113.7" → "203.0.113.0/24", an IPv6 address → its /64; "" for anything else."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return ""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = 24 if ip.version == 4 else 64
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
