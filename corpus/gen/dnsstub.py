#!/usr/bin/python3
"""dnsstub.py -- a tiny authoritative-for-everything DNS stub on 127.0.0.1:53 (inside the netns).

A  server1.example.test -> 192.0.2.10, slow.example.test -> 192.0.2.11
AAAA of those names     -> empty NOERROR
PTR queries             -> never answered (so a server with UseDNS yes waits for the resolver timeout)
AAAA slowdns.example.test -> never answered (A -> 192.0.2.10 is): a client-side resolver stall
anything else           -> NXDOMAIN
"""
import socket, struct

A = {"server1.example.test": "192.0.2.10", "slow.example.test": "192.0.2.11", "slowdns.example.test": "192.0.2.10"}
DROP_AAAA = {"slowdns.example.test"}


def qname(data, off):
    labels = []
    while data[off]:
        n = data[off]
        labels.append(data[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += n + 1
    return ".".join(labels).lower(), off + 1


s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 53))
while True:
    data, peer = s.recvfrom(2048)
    try:
        tid, flags, qd = struct.unpack("!HHH", data[:6])
        name, off = qname(data, 12)
        qtype, qclass = struct.unpack("!HH", data[off:off + 4])
        question = data[12:off + 4]
    except Exception:
        continue
    if qtype == 12:  # PTR: stay silent
        continue
    if qtype == 28 and name in DROP_AAAA:
        continue
    rd = flags & 0x0100
    if name in A:
        if qtype == 1:
            ans = b"\xc0\x0c" + struct.pack("!HHIH", 1, 1, 60, 4) + socket.inet_aton(A[name])
            hdr = struct.pack("!HHHHHH", tid, 0x8400 | rd | 0x0080, 1, 1, 0, 0)
            s.sendto(hdr + question + ans, peer)
        else:
            hdr = struct.pack("!HHHHHH", tid, 0x8400 | rd | 0x0080, 1, 0, 0, 0)
            s.sendto(hdr + question, peer)
    else:
        hdr = struct.pack("!HHHHHH", tid, 0x8403 | rd | 0x0080, 1, 0, 0, 0)
        s.sendto(hdr + question, peer)
