#!/bin/bash
# setup.sh -- one-time (idempotent) preparation of the sshgen trace generator.
#   bash setup.sh            # everything
#   bash setup.sh STEP...    # only some steps: packages chroots users keys configs gitolite chrootcfg client netns
# Needs root. State lives in /srv/sshgen ($G); client chroots in /srv/chroots/SUITE.
# Nothing here sends traffic anywhere but to the Debian archive (apt-get, debootstrap).
set -u
GEN=$(cd "$(dirname "$0")" && pwd)
G=/srv/sshgen
K=$G/keys          # client-side key material (regenerated here; test-only)
HK=$G/hostkeys     # server host keys (shared by every OpenSSH sshd)
CA=$G/ca
SUITES="bullseye trixie sid"
PY=/usr/bin/python3
mkdir -p $G/run $G/log $G/conf $K $HK $CA

step_packages() {
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
    openssh-server openssh-client dropbear-bin debootstrap iptables socat netcat-openbsd \
    gitolite3 git mariadb-server inetutils-telnetd sshpass rsync putty-tools iproute2 procps psmisc
  # never let a package start a daemon on the host
  systemctl disable --now ssh.service mariadb.service dropbear.service 2>/dev/null || true
  # sk-dummy.so (FIDO middleware for tests) ships in openssh-tests; extract without installing
  if [ ! -f $G/sk-dummy.so ]; then
    ( cd $G && apt-get download openssh-tests && dpkg-deb -x openssh-tests_*.deb $G/openssh-tests \
      && cp "$(find $G/openssh-tests -name sk-dummy.so | head -1)" $G/sk-dummy.so )
  fi
}

step_chroots() {
  for s in $SUITES; do "$GEN/mkchroot.sh" "$s" || echo "WARNING: chroot $s unavailable"; done
  # the trixie chroot also provides OpenSSH 10.0 sshd (ports 2240/2241)
  if [ -x /srv/chroots/trixie/usr/bin/ssh ] && [ ! -x /srv/chroots/trixie/usr/sbin/sshd ]; then
    cp /etc/resolv.conf /srv/chroots/trixie/etc/resolv.conf
    chroot /srv/chroots/trixie env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-server
  fi
}

mkuser() { # name uid shell [password]
  local n=$1 uid=$2 sh=$3 pw=${4:-}
  id "$n" >/dev/null 2>&1 || useradd -m -u "$uid" -U -s "$sh" "$n"
  usermod -s "$sh" "$n"
  if [ -n "$pw" ]; then echo "$n:$pw" | chpasswd; else usermod -p '*' "$n"; fi
}

step_users() {
  mkuser user  2000 /bin/bash             # the client identity (same uid in every chroot)
  mkuser alice 2001 /bin/bash alice-pw-1  # key authorized (+ password for 2nd factor)
  mkuser bob   2002 /bin/bash bob-pw-1    # password only, key NOT authorized
  mkuser carol 2003 /bin/bash             # certificates only (port 2206)
  mkuser dave  2004 /bin/bash             # authorized_keys with mode 0666 (StrictModes)
  mkuser erin  2005 /bin/false            # key authorized, shell /bin/false
  mkuser svc   2006 /usr/sbin/nologin     # key authorized, shell nologin
  mkuser git   2007 /bin/bash             # gitolite
  mkuser deploy 2008 /bin/bash            # pairs: only ~/.ssh/deploy_key (client side) is authorized
}

step_keys() {
  cd $K
  [ -f id_ed25519 ] || ssh-keygen -q -t ed25519 -N '' -C user@client -f id_ed25519
  [ -f id_ed25519_other ] || ssh-keygen -q -t ed25519 -N '' -C user@oldlaptop -f id_ed25519_other
  [ -f id_ed25519_pass ] || ssh-keygen -q -t ed25519 -N 'correct horse' -C user@client-pass -f id_ed25519_pass
  [ -f id_rsa ] || ssh-keygen -q -t rsa -b 3072 -N '' -C user@client-rsa -f id_rsa
  [ -f deploy_key ] || ssh-keygen -q -t ed25519 -N '' -C deploy@ci -f deploy_key
  [ -f carol_key ] || ssh-keygen -q -t ed25519 -N '' -C carol@laptop -f carol_key
  for i in 1 2 3 4 5 6 7 8; do [ -f agent$i ] || ssh-keygen -q -t ed25519 -N '' -C agentkey$i -f agent$i; done
  [ -f id_ed25519.ppk ] || puttygen id_ed25519 -O private -o id_ed25519.ppk
  if [ ! -f id_ed25519_sk ] && [ -f $G/sk-dummy.so ]; then
    SSH_SK_PROVIDER=$G/sk-dummy.so ssh-keygen -q -t ed25519-sk -w $G/sk-dummy.so -N '' -C user@client-sk -f id_ed25519_sk </dev/null || true
  fi
  # CAs and user certificates
  cd $CA
  [ -f user_ca ] || ssh-keygen -q -t ed25519 -N '' -C user_ca -f user_ca
  [ -f other_ca ] || ssh-keygen -q -t ed25519 -N '' -C other_ca -f other_ca
  [ -f host_ca ] || ssh-keygen -q -t ed25519 -N '' -C host_ca -f host_ca
  cp $K/id_ed25519.pub $CA/c.pub
  ssh-keygen -q -s user_ca -I carol-valid -n carol -V -1d:+3650d c.pub && mv c-cert.pub $K/id_ed25519-cert-valid.pub
  ssh-keygen -q -s user_ca -I carol-expired -n carol -V 20200101:20200201 c.pub && mv c-cert.pub $K/id_ed25519-cert-expired.pub
  ssh-keygen -q -s user_ca -I carol-wrongprincipal -n root,admin -V -1d:+3650d c.pub && mv c-cert.pub $K/id_ed25519-cert-wrongprincipal.pub
  ssh-keygen -q -s other_ca -I carol-otherca -n carol -V -1d:+3650d c.pub && mv c-cert.pub $K/id_ed25519-cert-untrustedca.pub
  rm -f c.pub
  # host keys (one set for every OpenSSH sshd) + a foreign "other" key
  cd $HK
  for t in ed25519 ecdsa rsa dsa; do [ -f ssh_host_${t}_key ] || ssh-keygen -q -t $t -N '' -C host -f ssh_host_${t}_key; done
  [ -f other_ed25519_key ] || ssh-keygen -q -t ed25519 -N '' -C otherhost -f other_ed25519_key
  [ -f other_ecdsa_key ] || ssh-keygen -q -t ecdsa -N '' -C otherhost -f other_ecdsa_key
  cp ssh_host_ed25519_key.pub cert_host.pub; cp ssh_host_ed25519_key cert_host
  ssh-keygen -q -s $CA/host_ca -h -I host-expired -n '127.0.0.1,[127.0.0.1]:2242' -V 20200101:20200201 cert_host.pub
  # dropbear host keys
  for t in ed25519 rsa ecdsa; do [ -f dropbear_${t}_key ] || dropbearkey -t $t -f dropbear_${t}_key >/dev/null 2>&1; done
  for t in ed25519 rsa ecdsa; do dropbearkey -y -f dropbear_${t}_key | grep -E '^(ssh-|ecdsa-)' > dropbear_${t}_key.pub; done
  chmod 600 $HK/*_key $HK/cert_host
}

authkeys() { # user file-mode keyfile...
  local u=$1 m=$2; shift 2
  local d=/home/$u/.ssh
  mkdir -p $d; cat "$@" > $d/authorized_keys
  chown -R $u:$u $d; chmod 700 $d; chmod "$m" $d/authorized_keys
}

step_configs() {
  authkeys alice 600 $K/id_ed25519.pub $K/id_rsa.pub $K/id_ed25519_pass.pub $([ -f $K/id_ed25519_sk.pub ] && echo $K/id_ed25519_sk.pub)
  authkeys svc 600 $K/id_ed25519.pub
  authkeys erin 600 $K/id_ed25519.pub
  authkeys dave 666 $K/id_ed25519.pub
  authkeys deploy 600 $K/deploy_key.pub
  rm -f /home/bob/.ssh/authorized_keys /home/carol/.ssh/authorized_keys
  # a listening port on the *server* side for forward-remote-failed is provided by the 5432 holder
  # plain git repository for alice
  if [ ! -d /home/alice/repos/project.git ]; then
    su - alice -c 'mkdir -p repos && git init -q --bare repos/project.git'
  fi
  cp $CA/user_ca.pub $G/conf/user_ca.pub
  local C=$G/conf
  common() { # port
    cat <<EOF
ListenAddress 127.0.0.1:$1
PidFile none
UsePAM yes
KbdInteractiveAuthentication no
PrintMotd no
AcceptEnv LANG LC_*
LogLevel DEBUG1
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
  }
  hk() { for t in ed25519 ecdsa rsa; do echo "HostKey $HK/ssh_host_${t}_key"; done; }
  { common 2201; hk; echo "PasswordAuthentication yes"; } > $C/sshd-2201.conf
  { common 2202; hk; echo "PasswordAuthentication no"; } > $C/sshd-2202.conf
  { common 2203; hk; echo "PasswordAuthentication no"; echo "MaxAuthTries 3"; } > $C/sshd-2203.conf
  { common 2205; hk; echo "PasswordAuthentication yes"; echo "AuthenticationMethods publickey,password"; } > $C/sshd-2205.conf
  { common 2206; hk; echo "PasswordAuthentication no"; echo "TrustedUserCAKeys $C/user_ca.pub"; echo "AuthorizedKeysFile none"; } > $C/sshd-2206.conf
  { common 2207; hk; echo "KexAlgorithms diffie-hellman-group1-sha1"; } > $C/sshd-2207.conf
  { common 2208; echo "HostKey $HK/ssh_host_dsa_key"; echo "HostKeyAlgorithms ssh-dss"; } > $C/sshd-2208.conf
  { common 2209; hk; echo "Ciphers aes128-cbc,3des-cbc"; } > $C/sshd-2209.conf
  { common 2210; hk; echo "Ciphers aes128-ctr,aes256-ctr"; echo "MACs hmac-md5,hmac-sha1-96"; } > $C/sshd-2210.conf
  { common 2211; hk; echo "MaxStartups 1"; } > $C/sshd-2211.conf
  { common 2212; hk; echo "PermitTTY no"; } > $C/sshd-2212.conf
  { common 2213; hk; echo "AllowTcpForwarding no"; echo "X11Forwarding no"; } > $C/sshd-2213.conf
  { common 2214; hk; echo "KexAlgorithms curve25519-sha256,curve25519-sha256@libssh.org"; } > $C/sshd-2214.conf
  { common 2215; hk; echo "AuthenticationMethods keyboard-interactive"; } > $C/sshd-2215.conf
  sed -i 's/^KbdInteractiveAuthentication no/KbdInteractiveAuthentication yes/' $C/sshd-2215.conf
  { common 2216; hk; echo "MaxSessions 0"; } > $C/sshd-2216.conf
  { common 2217; hk; echo "ClientAliveInterval 1"; echo "ClientAliveCountMax 2"; } > $C/sshd-2217.conf
  { common 2218; echo "HostKey $HK/ssh_host_rsa_key"; echo "HostKeyAlgorithms ssh-rsa"; } > $C/sshd-2218.conf
  { common 2219; hk; echo "ForceCommand /bin/echo 'This service allows sftp connections only.'"; } > $C/sshd-2219.conf
  { common 2220; hk; echo "PasswordAuthentication yes"; } > $C/sshd-2220.conf
  { common 2242; echo "HostKey $HK/cert_host"; echo "HostCertificate $HK/cert_host-cert.pub"; } > $C/sshd-2242.conf
  { common 22 | sed 's/^ListenAddress .*/ListenAddress 192.0.2.10:22/'; hk; } > $C/sshd-192.0.2.10.conf
  # slow.step: UseDNS yes, its resolver (the in-namespace stub) never answers PTR queries
  { common 22 | sed 's/^ListenAddress .*/ListenAddress 192.0.2.11:22/'; hk; echo "UseDNS yes"; } > $C/sshd-usedns.conf
  # OpenSSH 10.0 sshd configs (run inside the trixie chroot; same paths are bind-mounted there)
  { common 2240; hk; echo "PasswordAuthentication no"; echo "PubkeyAcceptedAlgorithms ssh-rsa"; } | grep -v '^Subsystem' > $C/sshd10-2240.conf
  { common 2241; hk; echo "PasswordAuthentication no"; echo "KexAlgorithms mlkem768x25519-sha256"; } | grep -v '^Subsystem' > $C/sshd10-2241.conf
  chmod 644 $C/*.conf
  mkdir -p /run/sshd; chmod 755 /run/sshd
}

step_gitolite() {
  [ -x /usr/bin/gitolite ] || return 0
  cp $K/id_ed25519.pub /tmp/alice.pub; cp $K/carol_key.pub /tmp/carol.pub; chmod 644 /tmp/alice.pub /tmp/carol.pub
  if [ ! -d /home/git/.gitolite ]; then
    su - git -c 'gitolite setup -pk /tmp/alice.pub' >/dev/null
  fi
  cp /tmp/carol.pub /home/git/.gitolite/keydir/carol.pub; chown git:git /home/git/.gitolite/keydir/carol.pub
  cat > /home/git/.gitolite/conf/gitolite.conf <<'EOF'
repo gitolite-admin
    RW+     =   alice
repo testing
    RW+     =   @all
repo payroll
    RW+     =   carol
repo website
    R       =   alice
    RW+     =   carol
EOF
  chown git:git /home/git/.gitolite/conf/gitolite.conf
  su - git -c 'gitolite compile && gitolite trigger POST_COMPILE' >/dev/null
  rm -f /tmp/alice.pub /tmp/carol.pub
}

step_chrootcfg() {
  for s in $SUITES; do
    R=/srv/chroots/$s; [ -x $R/usr/bin/ssh ] || continue
    for u in user alice bob carol dave erin svc git deploy; do
      grep -q "^$u:" $R/etc/passwd || getent passwd $u >> $R/etc/passwd
      grep -q "^$u:" $R/etc/group || getent group $u >> $R/etc/group
      grep -q "^$u:" $R/etc/shadow || getent shadow $u >> $R/etc/shadow
    done
    [ -f $R/etc/resolv.conf.orig ] || cp -L $R/etc/resolv.conf $R/etc/resolv.conf.orig 2>/dev/null || cp /etc/resolv.conf $R/etc/resolv.conf.orig
    rm -f $R/etc/resolv.conf; echo 'nameserver 127.0.0.1' > $R/etc/resolv.conf
    mkdir -p $R/home $R/srv/sshgen $R/run/sshd
  done
}

step_client() {
  # client-base: what ~user/.ssh is reset to before every run
  local B=$G/client-base
  rm -rf $B; mkdir -p $B/.ssh $B/bin
  cp $K/id_ed25519 $K/id_ed25519.pub $B/.ssh/
  local kh=$B/.ssh/known_hosts; : > $kh
  for p in 2201 2202 2203 2205 2206 2207 2209 2210 2211 2212 2213 2214 2215 2216 2217 2219 2220 2240 2241 2270 2260 2261 2262 2263 2264 2266 3306; do
    for t in ed25519 ecdsa rsa; do echo "[127.0.0.1]:$p $(cut -d' ' -f1,2 $HK/ssh_host_${t}_key.pub)" >> $kh; done
  done
  echo "[127.0.0.1]:2208 $(cut -d' ' -f1,2 $HK/ssh_host_dsa_key.pub)" >> $kh
  for p in 2230 2231; do
    for t in ed25519 ecdsa rsa; do echo "[127.0.0.1]:$p $(cut -d' ' -f1,2 $HK/dropbear_${t}_key.pub)" >> $kh; done
  done
  echo "[127.0.0.1]:2218 $(cut -d' ' -f1,2 $HK/ssh_host_rsa_key.pub)" >> $kh
  # known_hosts of 2201 alone, used by hostkey-changed-dropbear
  grep '^\[127.0.0.1\]:2201 ' $kh > $G/kh-2201
  chmod 700 $B/.ssh; chmod 600 $B/.ssh/id_ed25519
  chown -R 2000:2000 $B
  mkdir -p /home/user; chown user:user /home/user
}

step_netns() {
  ip netns list | grep -qw sshgen || ip netns add sshgen
  ip -n sshgen link set lo up
  ip -n sshgen addr show dev lo | grep -q 192.0.2.10 || ip -n sshgen addr add 192.0.2.10/32 dev lo
  ip -n sshgen addr show dev lo | grep -q 192.0.2.11 || ip -n sshgen addr add 192.0.2.11/32 dev lo
  NSX="ip netns exec sshgen"
  $NSX iptables -C INPUT -p tcp --dport 2251 -j DROP 2>/dev/null || $NSX iptables -A INPUT -p tcp --dport 2251 -j DROP
  $NSX iptables -C INPUT -p tcp --dport 2252 -j REJECT --reject-with icmp-host-unreachable 2>/dev/null || $NSX iptables -A INPUT -p tcp --dport 2252 -j REJECT --reject-with icmp-host-unreachable
  $NSX iptables -C INPUT -p tcp --dport 2253 -j REJECT --reject-with icmp-net-unreachable 2>/dev/null || $NSX iptables -A INPUT -p tcp --dport 2253 -j REJECT --reject-with icmp-net-unreachable
  mkdir -p /etc/netns/sshgen; echo 'nameserver 127.0.0.1' > /etc/netns/sshgen/resolv.conf
  # chroot binds
  for s in $SUITES; do
    R=/srv/chroots/$s; [ -x $R/usr/bin/ssh ] || continue
    mountpoint -q $R/proc || mount -t proc proc $R/proc
    mountpoint -q $R/dev || mount --bind /dev $R/dev
    mountpoint -q $R/dev/pts || mount --bind /dev/pts $R/dev/pts
    mountpoint -q $R/home || mount --bind /home $R/home
    mountpoint -q $R/srv/sshgen || mount --bind $G $R/srv/sshgen
  done
}

steps=${*:-packages chroots users keys configs gitolite chrootcfg client netns}
for s in $steps; do echo "== setup: $s"; step_$s; done
