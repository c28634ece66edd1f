#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine (this host is controller and only compute
# node) for SlurmLauncherIT: munged, slurmctld and slurmd as root, no cgroups, no accounting
# database. Needs Debian's slurm-wlm and munge (apt-get install -y slurm-wlm munge) and root.
# Idempotent: a cluster that already answers is left alone; daemons already running stay.
# Exits non-zero, saying why, when the cluster cannot be brought up.
set -uo pipefail

die() { echo "start-slurm: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (it starts munged, slurmctld and slurmd)"
for b in munged slurmctld slurmd sinfo scontrol; do
  command -v "$b" >/dev/null 2>&1 || PATH="$PATH:/usr/sbin:/sbin"
  command -v "$b" >/dev/null 2>&1 || die "'$b' not found: apt-get install -y slurm-wlm munge"
done

CONF=/etc/slurm/slurm.conf
MARK="# sieve single-node test cluster (train-launcher/src/test/slurm/start-slurm.sh)"
NODE=$(hostname -s)
CPUS=$(nproc)
MEM_MB=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)

node_ready() {
  local s
  s=$(sinfo -h -n "$NODE" -o %T 2>/dev/null | head -1)
  case "$s" in idle*|mix*|alloc*|completing*) return 0 ;; *) return 1 ;; esac
}

if [ -f "$CONF" ] && grep -qF "$MARK" "$CONF" && node_ready; then
  echo "start-slurm: cluster already up (node $NODE $(sinfo -h -n "$NODE" -o %T))"
  exit 0
fi

if [ -f "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
  die "$CONF exists and was not written by this script; refusing to replace it"
fi

mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge /var/lib/munge /var/log/munge
cat > "$CONF.new" <<EOF
$MARK
ClusterName=sieve
SlurmctldHost=$NODE(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
MpiDefault=none
SwitchType=switch/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/backfill
MinJobAge=600
KillWait=10
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS RealMemory=$MEM_MB State=UNKNOWN
PartitionName=debug Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
if [ -f "$CONF" ] && cmp -s "$CONF" "$CONF.new"; then rm -f "$CONF.new"; else mv "$CONF.new" "$CONF"; fi

# munge: the package made a key; make one if it did not.
if [ ! -s /etc/munge/munge.key ]; then
  mungekey --create --force >/dev/null 2>&1 || dd if=/dev/urandom of=/etc/munge/munge.key bs=1 count=1024 2>/dev/null
fi
chown -R munge:munge /etc/munge /run/munge /var/lib/munge /var/log/munge
chmod 0700 /etc/munge; chmod 0400 /etc/munge/munge.key; chmod 0755 /run/munge

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

if ! munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- munged || die "munged did not start (see /var/log/munge/munged.log)"
  for _ in $(seq 1 20); do munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.5; done
  munge -n </dev/null | unmunge >/dev/null 2>&1 || die "munged does not answer (see /var/log/munge/munged.log)"
fi

if ! alive /run/slurmctld.pid; then
  slurmctld || die "slurmctld did not start (see /var/log/slurm/slurmctld.log)"
fi
for _ in $(seq 1 30); do scontrol ping 2>/dev/null | grep -q UP && break; sleep 1; done
scontrol ping 2>/dev/null | grep -q UP || die "slurmctld does not answer 'scontrol ping' (see /var/log/slurm/slurmctld.log)"

if ! alive /run/slurmd.pid; then
  slurmd || die "slurmd did not start (see /var/log/slurm/slurmd.log)"
fi
# A node left down/drained by an earlier session comes back.
for i in $(seq 1 60); do
  node_ready && break
  if [ "$i" = 10 ] || [ "$i" = 30 ]; then scontrol update NodeName="$NODE" State=RESUME >/dev/null 2>&1; fi
  sleep 1
done
node_ready || die "node $NODE is not up: $(sinfo -h -N -o '%N %T %E' 2>&1) (see /var/log/slurm/slurmd.log)"
echo "start-slurm: cluster up (node $NODE, $CPUS CPUs, ${MEM_MB} MB, partition debug)"
