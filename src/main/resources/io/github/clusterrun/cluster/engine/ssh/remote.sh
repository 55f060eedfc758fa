# cluster-remote: the host side of cluster-maven-plugin's nodes on other hosts. The plugin sends it
# inline with every SSH command: sh -c "$SCRIPT" cluster-remote <op> <args...>. POSIX sh (dash), on
# Linux: /proc, GNU grep (-z) and date (%N), coreutils.
#
# Every process of a node carries a mark in its environment, <variable>=<clusterId>/<nodeName>,
# inherited by every child and every daemon that detaches: a family is found by its mark in
# /proc/<pid>/environ, never by name, and a process without it is never signalled. A zombie counts
# as gone. A process inside execve shows an empty environ for a moment, so only three empty scans
# in a row prove a family gone.
#
# Output: one fact a line, space-separated. A usage error goes to stderr with exit status 2.
#   ports <count>                 ephemeral <lo> <hi>, then up to <count> lines <port>: not in LISTEN,
#                                 outside the ephemeral range, from a random start at or above 10000
#   inuse <port>...               inuse <port>, for each one in LISTEN
#   check <dir> <java:0|1|program> [sudo]  dir ok | dir fail <why...>; java <path> | java missing (unless 0);
#                                 user <name> <uid>; sudo yes|no (root, or with "sudo": sudo without a password)
#   scan <variable> <prefix>      proc <pid> <mark>
#   stop <variable> <graceSeconds> <mark>:<rootpid>...   (rootpid 0: unknown)
#                                 node <mark> <how> <tookMs> <familySize>, how one of EXITED_BEFORE
#                                 GRACEFUL KILLED SURVIVED; survivor <pid> <mark> <cmdline...>
#   kill <variable> <mark>...     the same, without the graceful phase
#   signal <STOP|CONT> <variable> <mark>...              signalled <mark> <count>
#   net <table> apply <spec>...   applied <table> <n> rules | refused <what> <why...> (then nothing
#                                 changed); each spec one of: drop <address> (both ways), loss
#                                 <percent> <address>, delay <ms> <jitterMs> <address> (outgoing);
#                                 the table's whole content replaced at once
#   net <table> heal              healed <table> (also when absent) | refused <what> <why...>
#   net <table> show              rule <spec>, for each spec in force | refused <what> <why...>
#   net <table> check [delay]     ok | refused <what> <why...>: whether apply could put rules in
#                                 force here (with "delay": delays too); changes nothing. The
#                                 refusals of apply, check and heal: privileges not-root-no-sudo
#                                 <user>; nft missing; delay tc-missing | ip-missing |
#                                 unshare-missing | netem-missing <tc's error> | tc-unsupported |
#                                 netem-unprobed <why> (and, for apply's addresses: no-route,
#                                 address-is-local, qdisc-in-use, too-many); nft <error>;
#                                 delay tc <error>; heal <error>
#   lifeline <variable> <prefix> <graceSeconds> <boundSeconds> [sudo]
#                                 lifeline <pid>, then nothing. Reads a heartbeat a line: the line
#                                 'confirmed' ends it; end of input, or no line for boundSeconds,
#                                 removes the cluster's firewall table (as root, or with "sudo":
#                                 through sudo -n where there is sudo, which never prompts), stops
#                                 every process whose mark starts with the prefix (and its
#                                 cgroups), then ends it
#   run <mark> <dir> <log|-> [NAME=value]... <program> [arg]...
#                                 runs it in <dir> (and the node's cgroup, where there is one); with a
#                                 log: prints its pid, then its output goes to the log
#   delete <root> <name>...       deleted <name> (also when absent) | failed <name> <why...> |
#                                 refused <name> <why...>; then deleted-root if the root was left empty
set -u
# A redirection that fails ends a non-interactive shell when on a special built-in such as ':', so
# files are written with 'true > file'.
var= p= c= ms= skip=$$ max=50 t= su= H=

usage() { echo "cluster-remote: $*" >&2; exit 2; }
num() { case $1 in '' | *[!0-9]*) usage "not a number: '$1'" ;; esac; }
variable() {
  case $1 in '' | [0-9]* | *[!A-Za-z0-9_]*) usage "not a variable name: '$1'" ;; esac
  var=$1
}
now() { ms=$(date +%s%N); ms=$((ms / 1000000)); }
oneline() { printf '%s' "$*" | tr '\n' ' '; }

# "pid state mark" of each live process, not a zombie nor one of $skip, whose $var starts with $1.
marked() {
  grep -Hsaoz "^$var=.*" /proc/[0-9]*/environ | tr '\0' '\n' | while IFS= read -r line; do
    pid=${line#/proc/} && pid=${pid%%/*} && val=${line#*/environ:$var=}
    case $val in "$1"*) ;; *) continue ;; esac
    case " $skip " in *" $pid "*) continue ;; esac
    { read -r st < "/proc/$pid/stat"; } 2>/dev/null || continue
    st=${st##*) } && st=${st%% *}
    case $st in Z | X | x) continue ;; esac
    echo "$pid $st $val"
  done
}

# The members of the family $1 in the snapshot S (lines of marked): their pids in p, how many in c,
# those not stopped in r.
of() {
  p= && r= && c=0
  while read -r pid st m; do
    [ "$m" = "$1" ] && p="$p $pid" && c=$((c + 1)) && { [ "$st" = T ] || r="$r $pid"; }
  done <<EOF
$S
EOF
}

# Whether a process whose mark starts with $1 is alive (no, only after three empty scans in a
# row); its pids in p.
alive() {
  for _ in 1 2 3; do
    p=$(marked "$1" | sed 's/ .*//')
    [ -n "$p" ] && return 0
    sleep 0.01
  done
  return 1
}

member() { for x in $2; do [ "$x" = "$1" ] && return 0; done; return 1; }

# cgroup v2, where this user may make groups at its root (root, usually): a node runs in
# <mount>/cluster-maven-plugin.<clusterId>/<node>, which the kernel kills at once (cgroup.kill) and
# says empty (populated 0). Elsewhere $cg is empty and families are found by their marks alone.
cg=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo 2>/dev/null)
{ [ -n "$cg" ] && [ -w "$cg/cgroup.procs" ] && [ -e "$cg/cgroup.controllers" ]; } || cg=
group() { g= && [ -n "$cg" ] && g="$cg/cluster-maven-plugin.${1%/*}/${1##*/}"; }
# Whether the group of mark $1 still holds a process.
populated() { group "$1" && [ -n "$g" ] && grep -qs '^populated 1' "$g/cgroup.events"; }
# Kills the group of mark $1 at once, if there is one.
killgroup() { group "$1" && [ -n "$g" ] && [ -e "$g/cgroup.kill" ] && echo 1 2>/dev/null > "$g/cgroup.kill"; }
# Removes the (empty) group of mark $1, and its cluster's once empty.
ungroup() { group "$1" && [ -n "$g" ] && { rmdir "$g" "${g%/*}" 2>/dev/null; true; }; }

# The ports in LISTEN on any address, in L as " p1 p2 ... ".
listening() {
  L=' '
  for h in $(sed -n 's/^ *[0-9]*: [0-9A-Fa-f]*:\([0-9A-Fa-f]*\) [0-9A-Fa-f:]* 0A .*/\1/p' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null); do
    L="$L$((0x$h)) "
  done
}

# Prints the ports of [$1, $2] not in LISTEN, from a random start, wrapping, until n reaches want.
walk() {
  size=$(($2 - $1 + 1)) && k=0 && start=$((seed % (size > 0 ? size : 1)))
  while [ $n -lt $want ] && [ $k -lt $size ]; do
    port=$(($1 + (start + k) % size)) && k=$((k + 1))
    case $L in *" $port "*) continue ;; esac
    echo "$port" && n=$((n + 1))
  done
}

op_ports() {
  [ $# = 1 ] || usage "ports <count>"
  num "$1" && want=$1 && n=0
  # Read whole: a sysctl file read a byte at a time (as dash's read does) ends after one.
  set -- $(cat /proc/sys/net/ipv4/ip_local_port_range) && lo=$1 && hi=$2
  echo "ephemeral $lo $hi"
  seed=$(od -An -N4 -tu4 /dev/urandom 2>/dev/null) || seed=0
  now && seed=$((${seed:-0} + $$ * 7919 + ms))
  listening
  walk 10000 $((lo - 1))
  walk $((hi + 1)) 65535
}

op_inuse() {
  for port; do num "$port"; done
  listening
  for port; do case $L in *" $port "*) echo "inuse $port" ;; esac; done
}

op_check() {
  [ $# = 2 ] || [ $# = 3 ] || usage "check <dir> <java:0|1|program> [sudo]"
  case $2 in '') usage "java must be 0, 1 or a program: '$2'" ;; esac
  probe=$1/.cluster-remote-probe.$$
  if ! err=$(mkdir -p -- "$1" 2>&1); then echo "dir fail $(oneline "$err")"
  elif [ ! -d "$1" ]; then echo "dir fail not a directory"
  elif true 2>/dev/null > "$probe" && rm -f -- "$probe"; then echo "dir ok"
  else echo "dir fail not writable by $(id -un)"
  fi
  java=$2 && [ "$java" = 1 ] && java=java
  [ "$java" = 0 ] || echo "java $(command -v "$java" || echo missing)"
  uid=$(id -u) && echo "user $(id -un 2>/dev/null || echo "$uid") $uid"
  sudo=no
  # sudo is asked only when wanted (the firewall's rules): on a host where the user may not, a try
  # is logged as an incident.
  if [ "$uid" = 0 ]; then sudo=yes
  elif [ "${3:-}" = sudo ] && privileged; then sudo=yes
  fi
  echo "sudo $sudo"
}

# Whether the user may change the firewall: root, or sudo without a password; the prefix in su.
privileged() {
  su= && [ "$(id -u)" = 0 ] && return 0
  { command -v sudo && sudo -n true; } >/dev/null 2>&1 </dev/null && su='sudo -n'
}

op_scan() {
  [ $# = 2 ] || usage "scan <variable> <prefix>"
  variable "$1"
  marked "$2" | while read -r pid _ mark; do echo "proc $pid $mark"; done
}

# The confirmed stop of families <mark>:<rootpid>: mode stop (SIGTERM, then up to grace seconds
# for them to end) or kill; then SIGSTOP (a stopped process cannot fork) and SIGKILL every member
# found, until three snapshots in a row find none of the family, for at most $max sweeps.
families() {
  mode=$1 grace=$2 && shift 2
  now && t0=$ms && deadline=$((ms + grace * 1000)) && sweeps=0 && i=0
  for f; do i=$((i + 1)) && eval "size_$i=0 gone_$i=0 how_$i= took_$i=0 sig_$i="; done
  while :; do
    S=$(marked '') && now && left=0 && i=0
    if [ $mode = stop ] && [ $ms -ge $deadline ]; then mode=kill; fi
    [ $mode = kill ] && sweeps=$((sweeps + 1))
    for f; do
      i=$((i + 1)) && eval "how=\$how_$i size=\$size_$i gone=\$gone_$i"
      [ -n "$how" ] && continue
      of "${f%:*}"
      populated "${f%:*}" && [ $c = 0 ] && c=1 # in its group, not yet seen by its mark
      if [ $c = 0 ]; then
        gone=$((gone + 1))
        if [ $gone -ge 3 ]; then
          if [ $size = 0 ]; then how=EXITED_BEFORE took=0
          elif [ $mode = stop ]; then how=GRACEFUL took=$((ms - t0))
          else how=KILLED took=$((ms - t0))
          fi
          eval "how_$i=$how took_$i=$took"
        fi
      elif [ $mode = kill ]; then
        killgroup "${f%:*}"
        [ -n "$p" ] && kill -s STOP $p 2>/dev/null
        [ -n "$p" ] && kill -s KILL $p 2>/dev/null
      elif [ $size = 0 ]; then
        # The graceful request: to the root if it is a member (never to a pid reused since), else
        # to every member.
        root=${f##*:}
        if member "$root" "$p"; then sig=" $root " && kill -s TERM "$root"; else sig=" $p " && kill -s TERM $p; fi 2>/dev/null
        eval "sig_$i=\$sig"
      else
        # Then to every member seen after it, once (a daemon that detached, a child), as on the
        # build machine: each gets the same chance to end gracefully.
        eval "sig=\${sig_$i:-}"
        for pid in $p; do
          case $sig in *" $pid "*) ;; *) kill -s TERM "$pid" 2>/dev/null; sig="$sig$pid " ;; esac
        done
        eval "sig_$i=\$sig"
      fi
      [ $c = 0 ] || gone=0
      [ $size = 0 ] && size=$c
      eval "gone_$i=$gone size_$i=$size"
      [ -z "$how" ] && left=1
    done
    [ $left = 0 ] || [ $sweeps -ge $max ] && break
    sleep 0.02
  done
  i=0
  for f; do
    i=$((i + 1)) && eval "how=\${how_$i:-SURVIVED} took=\$took_$i size=\$size_$i"
    [ $how = SURVIVED ] && took=$((ms - t0))
    echo "node ${f%:*} $how $took $size"
    [ $how = SURVIVED ] || ungroup "${f%:*}"
    p= && [ $how = SURVIVED ] && of "${f%:*}"
    for pid in $p; do
      cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)
      echo "survivor $pid ${f%:*} ${cmd% }"
    done
  done
}

op_stop() {
  [ $# -ge 2 ] || usage "stop <variable> <graceSeconds> <mark>:<rootpid>..."
  variable "$1" && num "$2" && grace=$2 && shift 2
  for f; do
    case $f in ?*:*) num "${f##*:}" ;; *) usage "not <mark>:<rootpid>: '$f'" ;; esac
  done
  families stop "$grace" "$@"
}

op_kill() {
  [ $# -ge 1 ] || usage "kill <variable> <mark>..."
  variable "$1" && shift
  n=$#
  while [ $n -gt 0 ]; do set -- "$@" "$1:0" && shift && n=$((n - 1)); done
  families kill 0 "$@"
}

op_signal() {
  [ $# -ge 2 ] || usage "signal <STOP|CONT> <variable> <mark>..."
  case $1 in STOP | CONT) sig=$1 ;; *) usage "not STOP or CONT: '$1'" ;; esac
  variable "$2" && shift 2
  for mark; do
    # STOP again until every member shows it: one that forked meanwhile was not in the scan.
    pass=0
    while [ $pass -lt 20 ]; do
      pass=$((pass + 1)) && S=$(marked "$mark") && of "$mark"
      [ $sig = STOP ] && p=$r
      [ -n "$p" ] && kill -s $sig $p 2>/dev/null
      [ $sig = CONT ] || [ -z "$p" ] && break
      sleep 0.01
    done
    echo "signalled $mark $c"
  done
}

# The firewall of a cluster (issue 19). Every rule of cluster <id> on a host lives in the nftables
# table 'inet cmp_<id>' (NET, here alone; RemoteScript.table names it alike) and nothing else is
# ever touched. Its chains input and output hook at priority 0 with policy accept: they only drop.
# The table is also the record: the output rule of each spec carries the spec as its comment, read
# back by show. Delay is the one fault outside nftables: a prio queueing discipline at the root of
# the device that reaches the address, a netem band per delayed address, its handle H the table's;
# set only where that root was the kernel's default (handle 0:), removed with the table.
NET=cmp_

# The probe of delay, in a network namespace made for it alone (unshare -n) and gone with it, never
# on a device of the host: prints what is missing (netem, or the prio queueing discipline and the
# u32 filter that aim it), or nothing.
PROBE='e=$(tc qdisc add dev lo root netem delay 1ms 2>&1) || { echo netem-missing $e; exit 0; }
exec 2>/dev/null
tc qdisc del dev lo root && tc qdisc add dev lo root handle 1: prio bands 16 &&
  tc qdisc add dev lo parent 1:4 netem delay 1ms &&
  tc filter add dev lo parent 1: protocol ip prio 1 u32 match ip dst 127.0.0.2/32 flowid 1:4 ||
  echo tc-unsupported'

# The table t, and the handle H of its queueing disciplines (hex, from its name).
nettable() {
  case ${1#"$NET"} in "$1" | '' | *[!A-Za-z0-9_]*) usage "not a table $NET<clusterId>: '$1'" ;; esac
  t=$1
  H=$(printf %s "$t" | cksum) && H=$(printf %x $((${H%% *} % 65533 + 2)))
}

# The nft family of the address $1 in fam, ip or ip6. Checked whole: nft would look up anything
# else as a host name.
address() {
  case $1 in
    *:*) ipv6 "$1" && fam=ip6 ;;
    *) ipv4 "$1" && fam=ip ;;
  esac || usage "not an IPv4 or IPv6 address: '$1'"
}

ipv4() {
  case $1 in *[!0-9.]* | .* | *. | *..* | 0[0-9]* | *.0[0-9]*) return 1 ;; esac
  (IFS=. && set -- $1 && [ $# = 4 ] && for o; do [ ${#o} -le 3 ] && [ "$o" -le 255 ] || exit 1; done)
}

# Eight groups of 1 to 4 hex digits, or at most seven and one '::'.
ipv6() {
  case $1 in *[!0-9A-Fa-f:]* | *:::* | *::*::* | :[!:]* | *[!:]:) return 1 ;; esac
  most=8 && case $1 in *::*) most=7 ;; esac
  (IFS=: && set -- $1 && n=0 && for g; do [ ${#g} -le 4 ] || exit 1; [ -z "$g" ] || n=$((n + 1)); done &&
    [ $n -le $most ] && { [ $most = 7 ] || [ $n = 8 ]; })
}

rule() { R="${R}add rule inet $t $1 $2
"; }

# The specs in force: the comments of the table's output chain.
specs() { $su nft list chain inet "$t" output 2>/dev/null | sed -n 's/.* comment "\(.*\)"$/\1/p'; }

op_net() {
  [ $# -ge 2 ] || usage "net <table> apply <spec>... | heal | show | check [delay]"
  nettable "$1" && what=$2 && shift 2
  PATH=$PATH:/usr/sbin:/sbin # nft, tc and ip: outside an ordinary user's PATH on Debian
  case $what in
    apply) net_apply "$@" ;;
    heal | show) [ $# = 0 ] || usage "net <table> $what"; "net_$what" ;;
    check) [ $# = 0 ] || { [ $# = 1 ] && [ "$1" = delay ]; } || usage "net <table> check [delay]"; net_check "$@" ;;
    *) usage "not apply, heal, show or check: '$what'" ;;
  esac
}

# Replaces the table's content with the specs' rules in one nft transaction, then sets the delays;
# or prints why not, having changed nothing.
net_apply() {
  [ $# -gt 0 ] || usage "net <table> apply <spec>..."
  R= D= Q= devs= n=0
  while [ $# -gt 0 ]; do
    case $1 in
      drop)
        [ $# -ge 2 ] || usage "drop <address>"
        address "$2" && rule input "$fam saddr $2 drop" && rule output "$fam daddr $2 drop comment \"drop $2\""
        shift 2 ;;
      loss)
        [ $# -ge 3 ] || usage "loss <percent> <address>"
        num "$2" && address "$3" && { [ "$2" -le 100 ] || usage "not a percent: '$2'"; }
        # numgen's values are 0 to 99: every packet is under 100 but nft refuses '< 100'.
        m="numgen random mod 100 < $2 " && [ "$2" = 100 ] && m=
        rule output "$fam daddr $3 ${m}drop comment \"loss $2 $3\""
        shift 3 ;;
      delay)
        [ $# -ge 4 ] || usage "delay <ms> <jitterMs> <address>"
        num "$2" && num "$3" && address "$4" && rule output "$fam daddr $4 counter comment \"delay $2 $3 $4\""
        D="$D$2 $3 $4 $fam
"
        shift 4 ;;
      *) usage "not a spec: '$1' (drop <address>, loss <percent> <address>, delay <ms> <jitterMs> <address>)" ;;
    esac
    n=$((n + 1))
  done
  privileged || { unprivileged; return 0; }
  command -v nft >/dev/null || { echo "refused nft missing"; return 0; }
  [ -z "$D" ] || delayable || return 0
  old=$(specs | grep '^delay ')
  err=$(printf '%s\n' "add table inet $t" "delete table inet $t" "table inet $t {" \
    "  chain input { type filter hook input priority 0; policy accept; }" \
    "  chain output { type filter hook output priority 0; policy accept; }" "}" "$R" | $su nft -f - 2>&1) ||
    { echo "refused nft $(oneline "$err")"; return 0; }
  if [ -n "$old$D" ] && ! err=$(qdiscs 2>&1); then
    unapply >/dev/null 2>&1
    echo "refused delay tc $(oneline "$err")" && return 0
  fi
  echo "applied $t $n rules"
}

# Whether the delays D can be set: then their devices in devs, and in Q a line "dev band ms jitter
# address family" each; else prints why not.
delayable() {
  for cmd in tc ip unshare; do command -v $cmd >/dev/null || { echo "refused delay $cmd-missing"; return 1; }; done
  why=$($su unshare -n sh -c "$PROBE" 2>&1) || { echo "refused delay netem-unprobed $(oneline "$why")"; return 1; }
  [ -z "$why" ] || { echo "refused delay $(oneline "$why")"; return 1; }
  while read -r ms jit a f; do
    [ -n "$a" ] || continue
    dev=$(ip route get "$a" 2>/dev/null | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -n 1)
    case $dev in
      '') echo "refused delay no-route $a"; return 1 ;;
      lo) echo "refused delay address-is-local $a"; return 1 ;;
    esac
    case $devs in *" $dev "*) ;; *)
      set -- $(tc qdisc show dev "$dev" root)
      case ${3:-} in 0: | "$H:") ;; *) echo "refused delay qdisc-in-use $dev ${2:-} ${3:-}"; return 1 ;; esac
      devs="${devs:- }$dev " ;;
    esac
    # Bands 1 to 3 take the traffic of every other address, as the kernel's default would.
    b=$(printf '%s' "$Q" | awk -v d="$dev" '$1 == d { n++ } END { print n + 4 }')
    [ "$b" -le 16 ] || { echo "refused delay too-many $dev"; return 1; }
    Q="$Q$dev $b $ms $jit $a $f
"
  done <<EOF
$D
EOF
}

# Sets the delays Q, after removing this table's queueing disciplines from every device.
qdiscs() {
  unqdisc || return 1
  for dev in $devs; do $su tc qdisc add dev "$dev" root handle "$H:" prio bands 16 || return 1; done
  while read -r dev b ms jit a f; do
    [ -n "$dev" ] || continue
    cls=$H:$(printf %x "$b") && j=
    [ "$jit" = 0 ] || j=${jit}ms
    $su tc qdisc add dev "$dev" parent "$cls" netem delay "${ms}ms" $j || return 1
    if [ "$f" = ip ]; then
      $su tc filter add dev "$dev" parent "$H:" protocol ip prio 1 u32 match ip dst "$a/32" flowid "$cls"
    else
      $su tc filter add dev "$dev" parent "$H:" protocol ipv6 prio 2 u32 match ip6 dst "$a/128" flowid "$cls"
    fi || return 1
  done <<EOF
$Q
EOF
}

# Removes the root queueing disciplines of this table (prio, handle H) from every device.
unqdisc() {
  command -v tc >/dev/null || return 0
  tc qdisc show | while read -r _ kind h _ dev root _; do
    if [ "$kind $h $root" = "prio $H: root" ]; then $su tc qdisc del dev "$dev" root || exit 1; fi
  done
}

# Removes the table (absent or not: add then delete, one transaction) and, where it records a
# delay, this table's queueing disciplines; fails if either stays.
unapply() {
  e=0
  if specs | grep -q '^delay '; then unqdisc || e=1; fi
  printf 'add table inet %s\ndelete table inet %s\n' "$t" "$t" | $su nft -f - || e=1
  return $e
}

# The refusal of a user who may not change the firewall.
unprivileged() { echo "refused privileges not-root-no-sudo $(id -un 2>/dev/null || id -u)"; }

# What apply would refuse before it reads its addresses (with "delay": delays too), or ok.
net_check() {
  privileged || { unprivileged; return 0; }
  command -v nft >/dev/null || { echo "refused nft missing"; return 0; }
  D= && [ $# = 0 ] || delayable || return 0
  echo ok
}

net_heal() {
  privileged || { unprivileged; return 0; }
  if command -v nft >/dev/null && ! err=$(unapply 2>&1); then echo "refused heal $(oneline "$err")"
  else echo "healed $t"
  fi
}

net_show() {
  privileged || { unprivileged; return 0; }
  command -v nft >/dev/null || return 0
  specs | sed 's/^/rule /'
}

# The lifeline's end: the cluster's firewall table removed first (a graceful stop still reaches the
# peers), then SIGTERM to every process under the prefix, up to grace seconds for them to end, then
# SIGSTOP and SIGKILL until none is left (at most 600 sweeps); exit 0 when none is.
reap() {
  trap '' USR1 HUP
  kill "$checker" 2>/dev/null
  [ -n "$t" ] && command -v nft >/dev/null && unapply >/dev/null 2>&1 </dev/null
  alive "$prefix" && kill -s TERM $p 2>/dev/null
  now && deadline=$((ms + grace * 1000)) && n=0
  groups=$( [ -n "$cg" ] && ls -d "$cg/cluster-maven-plugin.${prefix%/}"/*/ 2>/dev/null)
  while alive "$prefix" || { [ -n "$groups" ] && grep -qs '^populated 1' $(for d in $groups; do echo "$d"cgroup.events; done); }; do
    now
    if [ $ms -ge $deadline ]; then
      n=$((n + 1)) && [ $n -gt 600 ] && exit 1
      for d in $groups; do echo 1 2>/dev/null > "$d"cgroup.kill; done
      [ -n "$p" ] && kill -s STOP $p 2>/dev/null
      [ -n "$p" ] && kill -s KILL $p 2>/dev/null
    fi
    sleep 0.02
  done
  for d in $groups; do rmdir "$d" 2>/dev/null; done
  [ -n "$cg" ] && rmdir "$cg/cluster-maven-plugin.${prefix%/}" 2>/dev/null
  exit 0
}

op_lifeline() {
  [ $# = 4 ] || [ $# = 5 ] || usage "lifeline <variable> <prefix> <graceSeconds> <boundSeconds> [sudo]"
  variable "$1" && prefix=$2 && num "$3" && grace=$3 && num "$4" && bound=$4
  case ${5:-sudo} in sudo) ;; *) usage "not sudo: '$5'" ;; esac
  # The table of the cluster <id> of the prefix <id>/, removed at reap as root, or through sudo when
  # told that it needs no password (an ordinary user's try would be logged as an incident). Not at
  # 'confirmed': the build has healed before.
  PATH=$PATH:/usr/sbin:/sbin
  # sudo -n never prompts nor waits for a password: where one is needed, or sudo is missing, the
  # table stays (nothing could have put it there).
  if [ "$(id -u)" = 0 ] || { [ "${5:-}" = sudo ] && command -v sudo >/dev/null && su='sudo -n'; }; then
    case ${prefix%/} in '' | *[!A-Za-z0-9_]*) ;; *) nettable "$NET${prefix%/}" ;; esac
  fi
  tmp=$(mktemp -d) && beat=$tmp/beat && true > "$beat" || exit 1
  main=$$
  # The checker: once a second, whether a heartbeat came within the bound (dash's read has no
  # timeout). It ends with the lifeline, or when the beat file is gone.
  (
    while kill -0 "$main" 2>/dev/null; do
      sleep 1
      last=$(date -r "$beat" +%s%N 2>/dev/null) || exit 0
      now && [ $((ms - last / 1000000)) -ge $((bound * 1000)) ] && kill -s USR1 "$main" && exit 0
    done
  ) < /dev/null > /dev/null 2>&1 &
  checker=$! && skip="$$ $checker"
  trap 'kill "$checker" 2>/dev/null; rm -rf "$tmp"' EXIT
  trap reap USR1 HUP
  trap '' PIPE
  echo "lifeline $$"
  # Not IFS= read: bash runs a trap inside read with read's IFS, and reap needs its word splitting.
  while read -r line; do
    [ "$line" = confirmed ] && exit 0
    true 2>/dev/null > "$beat"
  done
  reap
}

# A node's program, or one of its commands, where it runs: in <dir>, in the node's cgroup where
# there is one (entered before the program executes, so that everything it starts is in it), with
# the environment given. With a log (not -): prints its pid first, then appends its output to the log.
op_run() {
  [ $# -ge 4 ] || usage "run <mark> <dir> <log|-> [NAME=value]... <program> [arg]..."
  mark=$1 dir=$2 log=$3 && shift 3
  mkdir -p "$dir" && cd "$dir" || exit 127
  if group "$mark" && [ -n "$g" ]; then
    { mkdir -p "$g" && echo $$ > "$g/cgroup.procs"; } 2>/dev/null || true # else found by its mark alone
  fi
  [ "$log" = - ] && exec env "$@"
  echo $$
  exec env "$@" >> "$log" 2>&1
}

op_delete() {
  [ $# -ge 1 ] || usage "delete <root> <name>..."
  root=$1 && shift
  case $root in /*[!/]*) ;; *) usage "root must be an absolute path, not /: '$root'" ;; esac
  case $root/ in */./* | */../*) usage "root must not hold . or ..: '$root'" ;; esac
  for name; do
    case $name in
      '' | . | ..) echo "refused $name not a name"; continue ;;
      */*) echo "refused $name holds a /"; continue ;;
      *[[:space:]]* | *[[:cntrl:]]*) echo "refused $name holds a blank"; continue ;;
    esac
    path=$root/$name && err=
    if [ -d "$path" ] && [ ! -L "$path" ]; then
      # Writable (and searchable) directories first: a read-only tree is deleted too. find does
      # not follow links, and runs chmod on a directory before it reads it.
      find "$path" -type d ! -perm -u=rwx -exec chmod u+rwx {} \; 2>/dev/null
      err=$(rm -rf -- "$path" 2>&1)
    elif [ -e "$path" ] || [ -L "$path" ]; then
      err=$(rm -f -- "$path" 2>&1)
    fi
    if [ -e "$path" ] || [ -L "$path" ]; then echo "failed $name $(oneline "${err:-still there}")"
    else echo "deleted $name"
    fi
  done
  [ -d "$root" ] && [ ! -L "$root" ] && rmdir -- "$root" 2>/dev/null && echo deleted-root
  return 0
}

op=${1:-} && [ $# -gt 0 ] && shift
case $op in
  ports | inuse | check | scan | stop | kill | signal | net | lifeline | run | delete) "op_$op" "$@" ;;
  *) usage "unknown op '$op' (ports inuse check scan stop kill signal net lifeline run delete)" ;;
esac
