#!/usr/bin/env bash
# A real cluster: a Spark standalone master and one worker (pyspark 3.3.1's own
# Spark, on loopback, free ports chosen at run time), the quickstart's GroupBy
# and Join executables run on it with --master spark://..., and their rows
# compared with the same runs in local mode.
#
# What it proves: the runtime ships Chronon's jar to the executors by itself
# (spark.jars = the user's jars; without it the executors cannot load
# Chronon's classes and the first aggregation fails with
# "ArrayStoreException: java.lang.invoke.SerializedLambda"), the executors
# write into the driver's warehouse (the same machine, absolute paths), and a
# cluster gives the same rows as local[*].
#
# The daemons are stopped on every exit (their process groups, TERM then
# KILL), and the test checks that no java process of it remains and that
# every port its daemons listened on was a loopback one.
#
# One warehouse, one data load, 5 driver JVMs (load, 2 local runs, 2 cluster
# runs) plus the master, the worker and one executor per cluster run. Plain
# pass only; a missing Java, pyspark or Chronon jar fails.
set -uo pipefail
source tests/engine/lib.sh
engine_setup cluster

pyspark=$("$PYTHON" -c 'import os, pyspark; print(os.path.dirname(pyspark.__file__))')
[ -x "$pyspark/bin/spark-class" ] || { echo "FAIL: no $pyspark/bin/spark-class (pip install pyspark==3.3.1)"; exit 1; }

# ---- the daemons -------------------------------------------------------------------
# Each daemon runs in a process group of its own (setsid; spark-class execs
# java, so the pid is the group's id); the worker's executors join the
# worker's group. Their logs, configuration folder (empty: no user conf),
# scratch and work folders are in $work.
cluster_pgids=()
mkdir -p "$work/spark-conf" "$work/spark-local" "$work/spark-work"
start_daemon() { # NAME CLASS ARGS...
    local name=$1
    shift
    (
        export SPARK_HOME=$pyspark SPARK_CONF_DIR=$work/spark-conf SPARK_LOCAL_IP=127.0.0.1 \
            SPARK_LOCAL_DIRS=$work/spark-local SPARK_WORKER_DIR=$work/spark-work
        exec setsid "$pyspark/bin/spark-class" "$@" >"$work/$name.log" 2>&1 </dev/null
    ) &
    cluster_pgids+=("$!")
}
# The processes whose command line names this test's folder (every daemon and
# executor does: their classpath starts with $work/spark-conf/).
our_java() { pgrep -f -- "$work/spark-conf/" | tr '\n' ' '; }
stopped=0
stop_cluster() {
    [ "$stopped" = 0 ] || return 0
    stopped=1
    local g n
    for g in "${cluster_pgids[@]}"; do kill -TERM -- "-$g" 2>/dev/null; done
    for n in $(seq 1 150); do
        [ -z "$(our_java)" ] && break
        sleep 0.1
    done
    for g in "${cluster_pgids[@]}"; do kill -KILL -- "-$g" 2>/dev/null; done
    for g in "${cluster_pgids[@]}"; do wait "$g" 2>/dev/null; done
}
trap 'stop_cluster; rm -rf "$work"' EXIT
# A signal to the test ends it through the EXIT trap too.
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_for FILE REGEX SECONDS PID: the first match of REGEX in FILE, else fail
wait_for() {
    local file=$1 re=$2 secs=$3 pid=$4 line n
    for n in $(seq 1 $((secs * 5))); do
        line=$(grep -m1 -oE -- "$re" "$file" 2>/dev/null) && { echo "$line"; return 0; }
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.2
    done
    return 1
}
die_cluster() {
    bad cluster "$1"
    local f
    for f in master worker; do
        [ -f "$work/$f.log" ] && { echo "     --- $f.log"; sed 's/^/     | /' "$work/$f.log" | tail -n 30; }
    done
    exit 1
}

# Ports free now; Spark takes the next one up if one was taken meanwhile, so
# the addresses actually bound are read back from the master's log.
read -r port web_port worker_web_port < <("$PYTHON" -c '
import socket
socks = [socket.socket() for _ in range(3)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in socks])')
start_daemon master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" --webui-port "$web_port"
master_pid=${cluster_pgids[0]}

# The data load and the build overlap the master's start.
engine_build examples/quickstart
engine_sql load -f examples/quickstart/data/data.sql || exit 1

url=$(wait_for "$work/master.log" 'Starting Spark master at spark://127\.0\.0\.1:[0-9]+' 120 "$master_pid") ||
    die_cluster "the master did not start"
url=${url#Starting Spark master at }
web=$(wait_for "$work/master.log" 'MasterWebUI: Bound MasterWebUI to 127\.0\.0\.1, and started at http://[^:]+:[0-9]+' 60 "$master_pid") ||
    die_cluster "the master's web UI did not start"
web_port=${web##*:}
start_daemon worker org.apache.spark.deploy.worker.Worker "$url" --host 127.0.0.1 --cores 1 --memory 1g \
    --webui-port "$worker_web_port" --work-dir "$work/spark-work"
worker_pid=${cluster_pgids[1]}

# master_json EXPR: a Python expression of the master's /json/ document d
master_json() {
    "$PYTHON" - "$web_port" "$1" <<'EOF'
import json, sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
d = json.load(opener.open("http://127.0.0.1:%s/json/" % sys.argv[1], timeout=5))
print(eval(sys.argv[2]))
EOF
}

# ---- local mode: the reference rows ----------------------------------------------------
dates=(--start-date 2023-11-29 --end-date 2023-12-01)
gb=group_bys/quickstart/purchases.v1
join=joins/quickstart/training_set.v1
engine_run gb-local "$gb" run "${dates[@]}" --name-prefix local --show 0 --output "$work/gb-local.csv"
engine_run join-local "$join" run "${dates[@]}" --name-prefix local --show 0 --output "$work/join-local.csv"

# ---- the cluster ----------------------------------------------------------------------
registered=
for _ in $(seq 1 600); do
    kill -0 "$worker_pid" 2>/dev/null || break
    [ "$(master_json 'd["aliveworkers"], d["cores"]' 2>/dev/null)" = "(1, 1)" ] && { registered=1; break; }
    sleep 0.2
done
[ -n "$registered" ] || die_cluster "the worker did not register with the master at $url"
ok "cluster: master at $url, one worker with 1 core registered"

# Loopback only: every listening socket of the daemons is on 127.0.0.1.
listening() {
    "$PYTHON" - $(our_java) <<'EOF'
import os, sys
inodes = set()
for pid in sys.argv[1:]:
    try:
        for fd in os.listdir("/proc/%s/fd" % pid):
            try:
                link = os.readlink("/proc/%s/fd/%s" % (pid, fd))
            except OSError:
                continue
            if link.startswith("socket:["):
                inodes.add(link[8:-1])
    except OSError:
        pass
for table in ("/proc/net/tcp", "/proc/net/tcp6"):
    with open(table) as f:
        next(f)
        for line in f:
            cols = line.split()
            if cols[3] == "0A" and cols[9] in inodes:  # LISTEN
                addr, port = cols[1].split(":")
                loop = addr in ("0100007F", "0000000000000000FFFF00000100007F", "00000000000000000000000001000000")
                print("%s %d" % ("loopback" if loop else "NOT-LOOPBACK:" + addr, int(port, 16)))
EOF
}
listening >"$work/listening"
if [ "$(grep -c '^loopback ' "$work/listening")" -ge 4 ] && ! grep -q NOT-LOOPBACK "$work/listening"; then
    ok "cluster: the daemons listen on loopback only ($(wc -l <"$work/listening") ports)"
else
    bad cluster "listening sockets: $(tr '\n' ';' <"$work/listening")"
fi

# The test gives no spark.jars: the runtime must ship Chronon's jar itself.
# The parallelism settings are the local defaults' (a 1-core executor and
# Chronon's 1,000-task aggregations would take minutes), and C1 only keeps the
# executor's per-task cost (Chronon writes with at least 200 tasks) low.
cluster=(--master "$url" --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1
    --conf spark.chronon.group_by.parallelism=2 --conf spark.default.parallelism=2
    --conf spark.sql.shuffle.partitions=2 --conf spark.executor.extraJavaOptions=-XX:TieredStopAtLevel=1)
engine_run gb-cluster "$gb" run "${dates[@]}" --name-prefix cluster --show 0 --output "$work/gb-cluster.csv" \
    "${cluster[@]}"
engine_run join-cluster "$join" run "${dates[@]}" --name-prefix cluster --show 0 --output "$work/join-cluster.csv" \
    "${cluster[@]}"

# ---- the same rows ----------------------------------------------------------------------
# (row order is Spark's, not part of the result: the rows are compared sorted)
sorted() { head -n 1 "$1"; tail -n +2 "$1" | LC_ALL=C sort; }
for name in gb join; do
    l=$work/$name-local.csv c=$work/$name-cluster.csv
    if [ ! -s "$l" ] || [ ! -s "$c" ]; then
        bad "$name" "no rows to compare ($(ls "$l" "$c" 2>&1 | tr '\n' ' '))"
        continue
    fi
    n=$(($(wc -l <"$l") - 1))
    if [ "$n" -gt 0 ] && cmp -s <(sorted "$l") <(sorted "$c"); then
        ok "$name: the cluster's $n rows are local mode's"
    else
        bad "$name" "the cluster's rows differ from local mode's (< local, > cluster)"
        diff <(sorted "$l") <(sorted "$c") | sed 's/^/     | /' | head -n 20
    fi
done
# The join has one row per checkout of the three days, with a purchase feature.
join_rows=$(tail -n +2 "$work/join-cluster.csv" 2>/dev/null | wc -l)
[ "$join_rows" = 7 ] && ok "join: 7 rows, one per checkout" || bad join "$join_rows rows, wanted 7 (one per checkout)"
grep -q '^user_id,ts,quickstart_purchases_v1_purchase_price_sum_3d,' "$work/join-cluster.csv" &&
    ok "join: the feature columns" || bad join "header: $(head -n 1 "$work/join-cluster.csv")"

# Both runs went through the cluster: two finished applications, each with an
# executor on the worker that fetched Chronon's jar from the driver.
apps=$(master_json '[a["state"] for a in d["completedapps"]]' 2>&1)
[ "$apps" = "['FINISHED', 'FINISHED']" ] && ok "cluster: two applications finished" ||
    bad cluster "completed applications: $apps"
jars=$(find "$work/spark-work" -path '*/app-*/0/chronon-spark_uber_*.jar' | wc -l)
[ "$jars" = 2 ] && ok "cluster: each run's executor received Chronon's jar (spark.jars from the runtime)" ||
    bad cluster "$jars executors received Chronon's jar, wanted 2: $(find "$work/spark-work" | tr '\n' ' ')"

# ---- the daemons stop, and nothing of ours is left running -------------------------------
stop_cluster
left=$(our_java)
[ -z "$left" ] && ok "cluster: master, worker and executors stopped" || bad cluster "java processes left: $left"
echo "     (cluster test: $((SECONDS - engine_start))s)"
exit $failed
