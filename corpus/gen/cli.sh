#!/bin/bash
# cli.sh ROOT [VAR=val ...] -- ARGV...
# Run a client program as user "user" (uid 2000) inside the netns "sshgen" and the client root
# ROOT (/ for the bookworm host, /srv/chroots/SUITE otherwise), with a clean environment.
# No controlling terminal is provided by this script; callers start it in a new session.
ROOT=$1; shift
vars=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do vars+=("$1"); shift; done
[ "${1:-}" = "--" ] && shift
exec ip netns exec sshgen chroot --userspec=user:user "$ROOT" /usr/bin/env -i HOME=/home/user USER=user \
  LOGNAME=user PATH=/usr/bin:/bin SHELL=/bin/bash LANG=C.UTF-8 "${vars[@]}" "$@"
