#!/bin/bash
# start-helpers.sh -- non-SSH services and misbehaving listeners inside the netns "sshgen".
set -u
. "$(dirname "$0")/common.sh"
launch dns        $NSE $PY $GEN/dnsstub.py
launch lst-reset  $NSE $PY $GEN/listener.py reset  127.0.0.1 2260
launch lst-close  $NSE $PY $GEN/listener.py close  127.0.0.1 2261
launch lst-silent $NSE $PY $GEN/listener.py silent 127.0.0.1 2262
mkdir -p $G/www
launch http       $NSE $PY -m http.server --bind 127.0.0.1 --directory /srv/sshgen/www 2263
launch lst-smtp   $NSE $PY $GEN/listener.py smtp   127.0.0.1 2264
launch lst-ssh1   $NSE $PY $GEN/listener.py ssh1   127.0.0.1 2265
launch hold5432   $NSE $PY $GEN/listener.py hold   127.0.0.1 5432 ::1 5432
launch telnetd    $NSE socat TCP-LISTEN:2266,bind=127.0.0.1,reuseaddr,fork EXEC:/usr/sbin/telnetd
launch corrupt    $NSE $PY $GEN/corrupt.py 2270 2201 3000
if [ -x /usr/sbin/mariadbd ]; then
  mkdir -p /run/mysqld; chown mysql:mysql /run/mysqld
  [ -d /var/lib/mysql/mysql ] || mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  launch mariadb $NSE /usr/sbin/mariadbd --user=mysql --datadir=/var/lib/mysql --bind-address=127.0.0.1 \
    --port=3306 --socket=/run/mysqld/sshgen.sock --pid-file=/run/mysqld/sshgen.pid --skip-grant-tables --skip-log-bin
fi
# slow.step server: UseDNS yes; started with "ip netns exec" so it uses the stub, which never answers PTR
launch sshd-usedns $NSX /usr/sbin/sshd -D -f $G/conf/sshd-usedns.conf -E $G/log/sshd-usedns.log
sleep 1
