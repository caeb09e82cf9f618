"""Where webhooks may be sent: public https addresses only (no SSRF into our own network).

A subscriber chooses the URL, so without a check a webhook is a way to make the server POST
to itself, to the database or metadata service next to it, or to anything on the private
network. A target is refused when its scheme is not https (http only where
`HOMEWARD_WEBHOOK_ALLOW_HTTP`) or when its host resolves to any loopback, private, link-local,
multicast, reserved, unspecified or otherwise non-global address, IPv4 or IPv6 (IPv4 inside
IPv6 — mapped, NAT64, 6to4 — is judged as the IPv4 address it carries).

The check runs at subscription and again at each delivery, and the delivery connects to the
very address that was checked (`pinned_address`), so a name that resolves to a public address
when checked and to 127.0.0.1 a moment later (DNS rebinding) gets nothing. Tests and
development that deliver to a local server turn on `HOMEWARD_WEBHOOK_ALLOW_PRIVATE`.
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

__all__ = ["UnsafeTarget", "check_target_url", "pinned_address", "refusal_of", "resolve_host"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeTarget(OSError):
    """The target may not be contacted (an OSError: at delivery it is a failed attempt)."""

    def __init__(self, message: str, *, field_message: str = ""):
        super().__init__(message)
        self.field_message = field_message or message


def resolve_host(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (an IP literal is itself); replaced in tests."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4), else the address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if address.sixtofour is not None:
            return address.sixtofour
    return address


def refusal_of(address: str) -> str:
    """Why `address` may not receive webhooks (a translated sentence), or "" when it may."""
    ip = _embedded_ipv4(ipaddress.ip_address(address.split("%", 1)[0]))
    shown = {"address": address}
    if ip.is_unspecified:
        return _("The host resolves to an unspecified address (%(address)s).") % shown
    if ip.is_loopback:
        return _("The host resolves to a loopback address (%(address)s).") % shown
    if ip.is_link_local:
        return _("The host resolves to a link-local address (%(address)s).") % shown
    if ip.is_multicast:
        return _("The host resolves to a multicast address (%(address)s).") % shown
    if ip.is_reserved:
        return _("The host resolves to a reserved address (%(address)s).") % shown
    if ip.is_private or not ip.is_global or getattr(ip, "is_site_local", False):
        return _("The host resolves to a private network address (%(address)s).") % shown
    return ""


def _port_of(parts) -> int:
    try:
        port = parts.port
    except ValueError:
        raise UnsafeTarget(_("Give a valid port number.")) from None
    return port or (443 if parts.scheme == "https" else 80)


def pinned_address(url: str) -> str:
    """The checked address to connect to for `url`; UnsafeTarget when it may not be used.

    Every address the host resolves to must be public (an attacker's name may resolve to a
    public and a private address, and the client may pick either); the first is used.
    """
    parts = urlsplit(url)
    allowed = {"https"} | ({"http"} if settings.HOMEWARD_WEBHOOK_ALLOW_HTTP else set())
    if parts.scheme not in allowed or not parts.hostname:
        raise UnsafeTarget(_("Give an https:// address."))
    port = _port_of(parts)
    try:
        addresses = resolve_host(parts.hostname, port)
    except (OSError, UnicodeError):
        addresses = []
    if not addresses:
        raise UnsafeTarget(_("The host could not be found: check the address."))
    if not settings.HOMEWARD_WEBHOOK_ALLOW_PRIVATE:
        for address in addresses:
            reason = refusal_of(address)
            if reason:
                raise UnsafeTarget(
                    reason,
                    field_message=_("%(reason)s Webhooks are sent to public addresses only.")
                    % {"reason": reason},
                )
    return addresses[0]


def check_target_url(url: str) -> str:
    """The field error for a subscription's target URL ("" when it is acceptable)."""
    parts = urlsplit(url)
    if parts.username or parts.password:
        return _("The address may not contain credentials.")
    try:
        pinned_address(url)
    except UnsafeTarget as refused:
        return refused.field_message
    return ""
