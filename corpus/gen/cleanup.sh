#!/bin/bash
# cleanup.sh -- stop every daemon the generator started (by recorded PID, then whatever is still
# inside the netns), delete the netns, unmount the chroot binds. Users, keys, chroots stay.
set -u
. "$(dirname "$0")/common.sh"
for f in $G/run/*.pid; do
  [ -f "$f" ] || continue
  p=$(cat "$f"); [ -n "$p" ] && { kill -- "-$p" 2>/dev/null; kill "$p" 2>/dev/null; }  # each was started as its own session/group
  rm -f "$f"
done
sleep 1
if ip netns list | grep -qw $NS; then
  for p in $(ip netns pids $NS); do kill -9 "$p" 2>/dev/null; done
  sleep 0.5
  ip netns delete $NS
fi
rm -rf /etc/netns/$NS
for s in bullseye trixie sid; do
  R=/srv/chroots/$s
  for m in $R/srv/sshgen $R/home $R/dev/pts $R/dev $R/proc; do mountpoint -q $m && umount $m; done
done
rm -f $G/run/*.dpid $G/run/*.mpid
echo "cleanup done"
