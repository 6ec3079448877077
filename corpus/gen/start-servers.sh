#!/bin/bash
# start-servers.sh -- the OpenSSH 9.2p1 sshd fleet, the OpenSSH 10.0p2 sshds (trixie chroot)
# and two Dropbear servers, all inside the network namespace "sshgen" on loopback.
set -u
. "$(dirname "$0")/common.sh"
ip netns list | grep -qw $NS || { echo "run setup.sh first (no netns $NS)"; exit 1; }
mkdir -p /run/sshd
for c in $G/conf/sshd-2*.conf $G/conf/sshd-192.0.2.10.conf; do
  n=$(basename $c .conf)
  launch $n $NSE /usr/sbin/sshd -D -f $c -E $G/log/$n.log
done
T=/srv/chroots/trixie
if [ -x $T/usr/sbin/sshd ]; then
  mkdir -p $T/run/sshd
  for c in $G/conf/sshd10-*.conf; do
    n=$(basename $c .conf)
    launch $n $NSE chroot $T /usr/sbin/sshd -D -f $c -E $G/log/$n.log
  done
fi
DK="-r $HK/dropbear_ed25519_key -r $HK/dropbear_rsa_key -r $HK/dropbear_ecdsa_key"
launch dropbear-2230 $NSE /usr/sbin/dropbear -F -E -p 127.0.0.1:2230 -P $G/run/dropbear-2230.dpid $DK
launch dropbear-2231 $NSE /usr/sbin/dropbear -F -E -s -p 127.0.0.1:2231 -P $G/run/dropbear-2231.dpid $DK
sleep 1
