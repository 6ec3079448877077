#!/usr/bin/python3
"""listener.py MODE HOST PORT [HOST PORT...] -- a TCP service that misbehaves on purpose.

MODE
  reset   accept, wait for the client's banner, close with SO_LINGER 0 (RST), like tcp-wrappers
  close   accept, read the client's banner, close cleanly (FIN): a port forward with no backend
  silent  accept and say nothing (banner timeout)
  smtp    speak SMTP: 220 greeting, answer every line with 502, close after the second line
  hold    accept and keep the connection open, reading and discarding (a port that is "in use")
  ssh1    greet as an SSH-1-only server (`SSH-1.5-Cisco-1.25`, what Cisco IOS sends with `ip ssh version 1`),
          read the client's banner, close
"""
import socket, struct, sys, threading, time

mode = sys.argv[1]
addrs = [(sys.argv[i], int(sys.argv[i + 1])) for i in range(2, len(sys.argv), 2)]


def handle(c):
    try:
        if mode == "reset":
            c.settimeout(3)
            try:
                c.recv(1)  # the client's banner has arrived (left unread except 1 byte)
            except OSError:
                pass
            time.sleep(0.05)
            c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            c.close()
        elif mode == "close":
            c.settimeout(3)
            try:
                c.recv(4096)
            except OSError:
                pass
            c.close()
        elif mode == "silent":
            time.sleep(120)
            c.close()
        elif mode == "smtp":
            c.sendall(b"220 mail.example.test ESMTP Postfix (Debian/GNU)\r\n")
            f = c.makefile("rb")
            n = 0
            for line in f:
                n += 1
                c.sendall(b"502 5.5.2 Error: command not recognized\r\n")
                if n >= 2:
                    break
            c.sendall(b"221 2.7.0 Error: I can break rules, too. Goodbye.\r\n")
            c.close()
        elif mode == "ssh1":
            c.settimeout(3)
            c.sendall(b"SSH-1.5-Cisco-1.25\r\n")
            try:
                c.recv(4096)
            except OSError:
                pass
            c.close()
        elif mode == "hold":
            while c.recv(4096):
                pass
            c.close()
    except OSError:
        pass


def serve(host, port):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if fam == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((host, port))
    s.listen(16)
    while True:
        c, _ = s.accept()
        threading.Thread(target=handle, args=(c,), daemon=True).start()


for h, p in addrs:
    threading.Thread(target=serve, args=(h, p), daemon=True).start()
while True:
    time.sleep(3600)
