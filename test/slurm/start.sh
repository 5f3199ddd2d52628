#!/usr/bin/env bash
# Start a single-node SLURM on this machine for the crop tests: munged, slurmctld and slurmd, with their
# configuration and state in one folder (FURROW_SLURM_DIR, default /tmp/furrow-slurm). Installs slurm-wlm and
# munge if they are missing (Debian, as root). Prints `export SLURM_CONF=...` for the shell that will use it.
# Stop it with test/slurm/stop.sh.
set -euo pipefail
dir=${FURROW_SLURM_DIR:-/tmp/furrow-slurm}
export DEBIAN_FRONTEND=noninteractive

if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null; then
  echo "slurm: installing slurm-wlm munge" >&2
  apt-get update -qq
  apt-get install -y -qq slurm-wlm munge >/dev/null
fi

mkdir -p "$dir/state" "$dir/spool"
mem_mb=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
cpus=${FURROW_SLURM_CPUS:-2}
cat >"$dir/slurm.conf" <<CONF
# Written by Furrow's test/slurm/start.sh: a one-node cluster on this machine, no accounting.
ClusterName=furrow
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
MinJobAge=3600
SchedulerParameters=sched_interval=1
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$dir/slurm.conf"

# munged runs as the munge user, with a key (the package makes one; make it if not).
mkdir -p /run/munge /var/log/munge /var/lib/munge
[ -s /etc/munge/munge.key ] || mungekey --create --keyfile /etc/munge/munge.key 2>/dev/null ||
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null
chown -R munge:munge /run/munge /var/log/munge /var/lib/munge /etc/munge
chmod 0700 /etc/munge /var/log/munge /var/lib/munge
chmod 0755 /run/munge
chmod 0400 /etc/munge/munge.key
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged --force
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.1; done
  # Ours to stop (stop.sh leaves a munged it did not start alone).
  pgrep -n -x munged >"$dir/munged.pid" || true
fi
munge -n | unmunge >/dev/null || { echo "slurm: munged does not answer" >&2; exit 1; }

# Leftovers of an earlier cluster in this folder are stopped first.
"$(dirname "$0")/stop.sh" --daemons-only >/dev/null 2>&1 || true
slurmctld -i -f "$SLURM_CONF"
slurmd -N localhost -f "$SLURM_CONF"

for _ in $(seq 100); do
  if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed|allocated)'; then
    echo "export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.2
done
echo "slurm: the node did not come up; see $dir/slurmctld.log and $dir/slurmd.log" >&2
sinfo >&2 || true
exit 1
