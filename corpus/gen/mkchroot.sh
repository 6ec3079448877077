#!/bin/bash
# mkchroot.sh SUITE [extra,packages] -- debootstrap a minimal client chroot (idempotent).
# Called by setup.sh; can be run alone to retry one suite.
set -u
SUITE=$1; EXTRA=${2:-}
ROOT=/srv/chroots/$SUITE
MIRROR=http://deb.debian.org/debian
INC=openssh-client,sshpass,git,rsync,netcat-openbsd,procps${EXTRA:+,$EXTRA}
if [ ! -x "$ROOT/usr/bin/ssh" ]; then
  mkdir -p "$ROOT"
  debootstrap --variant=minbase --include="$INC" "$SUITE" "$ROOT" "$MIRROR" \
    > /srv/sshgen/debootstrap-$SUITE.log 2>&1 || { echo "debootstrap $SUITE FAILED (see /srv/sshgen/debootstrap-$SUITE.log)"; exit 1; }
fi
# never start daemons inside the chroot
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"; chmod 755 "$ROOT/usr/sbin/policy-rc.d"
echo "$SUITE: $(chroot "$ROOT" ssh -V 2>&1)"
