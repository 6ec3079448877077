# common.sh -- sourced by the start/cleanup scripts
G=/srv/sshgen
GEN=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
HK=$G/hostkeys
NS=sshgen
NSE="nsenter --net=/run/netns/$NS"   # in the netns, host /etc/resolv.conf (unreachable resolver)
NSX="ip netns exec $NS"              # in the netns, /etc/netns/sshgen/resolv.conf (the stub)
PY=/usr/bin/python3
mkdir -p $G/run $G/log
# launch NAME CMD... : start a daemon in its own session, record its PID in $G/run/NAME.pid
launch() {
  local name=$1; shift
  if [ -f $G/run/$name.pid ] && kill -0 "$(cat $G/run/$name.pid)" 2>/dev/null; then
    echo "  $name already running (pid $(cat $G/run/$name.pid))"; return 0
  fi
  setsid "$@" </dev/null >>$G/log/$name.out 2>&1 &
  echo $! > $G/run/$name.pid
  echo "  $name pid $!"
}
