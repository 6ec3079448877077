#!/usr/bin/python3
"""corrupt.py LISTEN_PORT TARGET_PORT [OFFSET] -- TCP relay on 127.0.0.1 that flips one bit
of the server->client stream at byte OFFSET (default 3000, i.e. after the key exchange)."""
import socket, sys, threading

lport, tport = int(sys.argv[1]), int(sys.argv[2])
offset = int(sys.argv[3]) if len(sys.argv) > 3 else 3000


def pump(src, dst, flip):
    seen = 0
    try:
        while True:
            b = src.recv(65536)
            if not b:
                break
            if flip and seen <= offset < seen + len(b):
                b = bytearray(b)
                b[offset - seen] ^= 0x10
                b = bytes(b)
            seen += len(b)
            dst.sendall(b)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", lport))
ls.listen(16)
while True:
    c, _ = ls.accept()
    u = socket.create_connection(("127.0.0.1", tport))
    threading.Thread(target=pump, args=(c, u, False), daemon=True).start()
    threading.Thread(target=pump, args=(u, c, True), daemon=True).start()
