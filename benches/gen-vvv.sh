#!/usr/bin/env bash
# Produces benches/data/scp-vvv.log: the real `-vvv` output of scp copying
# ~300 MB through a real sshd on a loopback port (not committed; the
# benchmark uses it when present). Needs openssh-server and openssh-client.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p data
tmp=$(mktemp -d)
trap 'kill "$(cat "$tmp/pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$tmp"' EXIT
[ "$(id -u)" = 0 ] && mkdir -p /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$tmp/host"
ssh-keygen -q -t ed25519 -N '' -f "$tmp/key"
cp "$tmp/key.pub" "$tmp/authorized_keys"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat > "$tmp/sshd_config" <<CONF
ListenAddress 127.0.0.1:$port
HostKey $tmp/host
AuthorizedKeysFile $tmp/authorized_keys
PidFile none
UsePAM no
StrictModes no
PermitRootLogin yes
Subsystem sftp internal-sftp
CONF
/usr/sbin/sshd -D -e -f "$tmp/sshd_config" 2>"$tmp/sshd.log" & echo $! > "$tmp/pid"
for _ in $(seq 50); do (echo > /dev/tcp/127.0.0.1/$port) 2>/dev/null && break; sleep 0.1; done
head -c "${SIZE_MB:-300}M" /dev/urandom > "$tmp/payload"
scp -vvv -F /dev/null -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -i "$tmp/key" -P "$port" "$tmp/payload" "$(id -un)@127.0.0.1:/dev/null" > data/scp-vvv.log 2>&1
ls -l data/scp-vvv.log
