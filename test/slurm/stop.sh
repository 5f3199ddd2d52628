#!/usr/bin/env bash
# Stop the single-node SLURM of test/slurm/start.sh: SIGTERM, then SIGKILL for what is still there after 5 s.
# --daemons-only leaves munged running; a munged that start.sh did not start is never stopped.
set -uo pipefail
dir=${FURROW_SLURM_DIR:-/tmp/furrow-slurm}
pids=()
for f in "$dir/slurmd.pid" "$dir/slurmctld.pid"; do
  [ -s "$f" ] && pids+=("$(cat "$f")")
done
# Daemons started from this folder whose pid file is gone.
while read -r pid; do pids+=("$pid"); done < <(pgrep -f "slurm(ctld|d) .*-f $dir/slurm.conf" || true)
if [ "${1:-}" != "--daemons-only" ] && [ -s "$dir/munged.pid" ]; then
  pids+=("$(cat "$dir/munged.pid")")
  rm -f "$dir/munged.pid"
fi
[ ${#pids[@]} -eq 0 ] && exit 0
kill -TERM "${pids[@]}" 2>/dev/null
for _ in $(seq 50); do
  alive=()
  for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=("$pid"); done
  [ ${#alive[@]} -eq 0 ] && exit 0
  sleep 0.1
done
kill -KILL "${alive[@]}" 2>/dev/null
exit 0
