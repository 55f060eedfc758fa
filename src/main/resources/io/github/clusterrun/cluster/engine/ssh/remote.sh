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
#   lifeline <variable> <prefix> <graceSeconds> <boundSeconds>
#                                 lifeline <pid>, then nothing. Reads a heartbeat a line: the line
#                                 'confirmed' ends it; end of input, or no line for boundSeconds,
#                                 stops every process whose mark starts with the prefix, then ends it
#   run <mark> <dir> <log|-> [NAME=value]... <program> [arg]...
#                                 runs it in <dir> (and the node's cgroup, where there is one); with a
#                                 log: prints its pid, then its output goes to the log
#   delete <root> <name>...       deleted <name> (also when absent) | failed <name> <why...> |
#                                 refused <name> <why...>; then deleted-root if the root was left empty
set -u
# A redirection that fails ends a non-interactive shell when on a special built-in such as ':', so
# files are written with 'true > file'.
var= p= c= ms= skip=$$ max=50

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
  elif [ "${3:-}" = sudo ]; then { command -v sudo && sudo -n true; } >/dev/null 2>&1 </dev/null && sudo=yes
  fi
  echo "sudo $sudo"
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

# The lifeline's end: SIGTERM to every process under the prefix, up to grace seconds for them to
# end, then SIGSTOP and SIGKILL until none is left (at most 600 sweeps); exit 0 when none is.
reap() {
  trap '' USR1 HUP
  kill "$checker" 2>/dev/null
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
  [ $# = 4 ] || usage "lifeline <variable> <prefix> <graceSeconds> <boundSeconds>"
  variable "$1" && prefix=$2 && num "$3" && grace=$3 && num "$4" && bound=$4
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
  ports | inuse | check | scan | stop | kill | signal | lifeline | run | delete) "op_$op" "$@" ;;
  *) usage "unknown op '$op' (ports inuse check scan stop kill signal lifeline delete)" ;;
esac
