#!/usr/bin/env python3
"""The chrononc vs compile.py benchmark. Run it through bench/run.sh.

For each size in BENCH_SIZES: generate a repo (bench/gen_repo.py), then
  1. verify (sizes in BENCH_VERIFY_SIZES): compile.py's tree, made by
     tests/conformance/oracle.sh (this run is also compile.py's first timed
     run), must equal chrononc's production/ tree byte for byte;
  2. time chrononc (best of N) and compile.py (best of fewer) with
     /usr/bin/time -v for peak RSS;
then print the results table, chrononc's warm-cache throughput on the largest
repo, and (BENCH_PROFILE=1) a callgrind / perf profile of chrononc on the
1,000-config repo. Exit status 1 if any verified tree differs.
"""
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CHRONONC = os.environ.get("CHRONONC", os.path.join(ROOT, "build", "chrononc"))
PYTHON = os.environ.get("PYTHON", sys.executable)
ORACLE = os.path.join(ROOT, "tests", "conformance", "oracle.sh")
GNU_TIME = "/usr/bin/time"


def env_list(name, default):
    return [int(x) for x in os.environ.get(name, default).replace(",", " ").split()]


def env_map(name, default, fallback):
    m = {}
    for item in os.environ.get(name, default).replace(",", " ").split():
        k, _, v = item.partition(":")
        m[int(k)] = int(v)
    return lambda size: m.get(size, fallback)


SIZES = env_list("BENCH_SIZES", "100 1000 10000")
VERIFY = set(env_list("BENCH_VERIFY_SIZES", "100 1000"))
PY_SIZES = set(env_list("BENCH_PY_SIZES", "100 1000 10000"))
PY_TIMEOUT = float(os.environ.get("BENCH_PY_TIMEOUT", "360")) or None
PY_RUNS = env_map("BENCH_PY_RUNS", "100:3,1000:1", 1)
C_RUNS = env_map("BENCH_C_RUNS", "100:7,1000:5,10000:3", 3)
PROFILE = os.environ.get("BENCH_PROFILE", "1") == "1"
SEED = os.environ.get("BENCH_SEED", "20240601")


def log(msg):
    print(f"bench: {msg}", file=sys.stderr, flush=True)


def session_peak_kib(sid, peak):
    """Largest VmHWM (peak RSS) among the live processes of session sid, at least peak."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            if os.getsid(int(pid)) != sid:
                continue
            with open(f"/proc/{pid}/status") as f:
                m = re.search(r"VmHWM:\s+(\d+) kB", f.read())
            if m:
                peak = max(peak, int(m.group(1)))
        except (OSError, ProcessLookupError):
            pass
    return peak


def timed(cmd, cwd=None, env=None, timeout=None, poll_rss=False):
    """Run cmd under GNU time -v, in a session of its own.

    Returns wall s, user s, sys s, peak RSS KiB (GNU time's, or the /proc
    VmHWM samples' if larger), exit status, stdout, stderr, and timed_out
    (the whole session is killed after timeout seconds)."""
    with tempfile.TemporaryDirectory() as td:
        tv_path, out_path, err_path = (os.path.join(td, n) for n in ("time", "out", "err"))
        with open(out_path, "w") as out, open(err_path, "w") as err:
            t0 = time.perf_counter()
            p = subprocess.Popen([GNU_TIME, "-v", "-o", tv_path] + cmd, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                                 stdout=out, stderr=err, start_new_session=True)
            peak = 0
            timed_out = False
            while True:
                try:
                    p.wait(timeout=0.5 if poll_rss else timeout)
                    break
                except subprocess.TimeoutExpired:
                    if poll_rss:
                        peak = session_peak_kib(p.pid, peak)
                    if timeout is not None and time.perf_counter() - t0 > timeout:
                        timed_out = True
                        os.killpg(p.pid, signal.SIGTERM)
                        try:
                            p.wait(timeout=10)
                        except subprocess.TimeoutExpired:
                            os.killpg(p.pid, signal.SIGKILL)
                            p.wait()
                        break
            wall = time.perf_counter() - t0
        with open(tv_path) as f:
            tv = f.read()
        with open(out_path) as f:
            stdout = f.read()
        with open(err_path) as f:
            stderr = f.read()

    def field(label):
        m = re.search(re.escape(label) + r":\s*([0-9.]+)", tv)
        return float(m.group(1)) if m else float("nan")

    rss = field("Maximum resident set size (kbytes)")
    return {
        "wall": wall,
        "user": field("User time (seconds)"),
        "sys": field("System time (seconds)"),
        "rss_kib": max(rss if rss == rss else 0, peak),
        "rc": p.returncode,
        "out": stdout,
        "err": stderr,
        "timed_out": timed_out,
    }


def fs_type(path):
    """The type of the file system holding path, from /proc/mounts."""
    best, kind = "", "?"
    try:
        with open("/proc/mounts") as f:
            for line in f:
                parts = line.split()
                mnt = parts[1]
                if (path == mnt or path.startswith(mnt.rstrip("/") + "/")) and len(mnt) > len(best):
                    best, kind = mnt, parts[2]
    except OSError:
        pass
    return kind


def default_work():
    """A RAM file system (/dev/shm) when there is one with 4 GiB free, else $TMPDIR."""
    shm = "/dev/shm"
    try:
        st = os.statvfs(shm)
        if fs_type(shm) == "tmpfs" and st.f_bavail * st.f_frsize >= 4 << 30 and os.access(shm, os.W_OK):
            return tempfile.mkdtemp(prefix="chronon-bench.", dir=shm)
    except OSError:
        pass
    return tempfile.mkdtemp(prefix="chronon-bench.")


WORK_FS = "?"


def settle():
    """On a disk file system, let it forget recent deletions before timing chrononc.

    ext4 without a journal (this VM's root file system) makes its inode
    allocator skip inodes deleted in the last 60 s (longer while their inode
    table block is dirty), looking each one up: right after oracle.sh deletes
    its copy of the repo, creating thousands of files costs chrononc seconds
    of kernel time. sync and a short wait help; a tmpfs work folder (the
    default) avoids it."""
    if WORK_FS != "tmpfs":
        os.sync()
        time.sleep(6)


def count_files(d):
    return sum(len(fs) for _, _, fs in os.walk(d)) if os.path.isdir(d) else 0


def tree_bytes(d, suffix=""):
    total = 0
    for dp, _, fs in os.walk(d):
        for f in fs:
            if f.endswith(suffix):
                total += os.path.getsize(os.path.join(dp, f))
    return total


def run_chrononc(repo, sub="compile", output_root="production"):
    """One chrononc run into a fresh <repo>/<output_root>."""
    shutil.rmtree(os.path.join(repo, output_root), ignore_errors=True)
    cmd = [CHRONONC, sub, "--chronon_root", repo]
    if sub == "compile":
        cmd += ["--output_root", output_root, "--force-overwrite", "-y"]
    r = timed(cmd)
    if r["rc"] != 0:
        log(f"chrononc {sub} failed on {repo} (exit {r['rc']}):\n{r['err'][-4000:]}")
        sys.exit(2)
    return r


def run_compile_py(repo, out, work):
    """compile.py on group_bys/, joins/, staging_queries/ via oracle.sh; time = sum of the passes.

    Stopped after PY_TIMEOUT seconds: then py_s is None and py_lb a lower bound
    (oracle.sh's wall time less a margin for its copy of the repo)."""
    tmp = os.path.join(work, "oracle-tmp")
    os.makedirs(tmp, exist_ok=True)
    env = dict(os.environ, PYTHON=PYTHON, TMPDIR=tmp)
    r = timed(["bash", ORACLE, out, repo], env=env, timeout=PY_TIMEOUT, poll_rss=True)
    shutil.rmtree(tmp, ignore_errors=True)  # what a stopped oracle.sh leaves
    passes = re.findall(r"oracle: (\S+)\s+(\d+)\.(\d+)s\s+exit", r["err"])
    r["passes"] = {p: int(s) + int(ms) / 1000 for p, s, ms in passes}
    if r["timed_out"]:
        r["py_s"] = None
        r["py_lb"] = max(sum(r["passes"].values()), r["wall"] - 5)
        return r
    if r["rc"] != 0:
        log(f"compile.py (oracle.sh) failed on {repo}:\n{r['err'][-6000:]}")
        sys.exit(2)
    r["py_s"] = sum(r["passes"].values())
    r["py_lb"] = r["py_s"]
    return r


def fmt_s(x):
    if x is None:
        return "—"
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def main():
    global CHRONONC, WORK_FS
    for tool in (CHRONONC, GNU_TIME):
        if not os.access(tool, os.X_OK):
            sys.exit(f"bench: {tool} not found (run bench/run.sh)")
    keep = os.environ.get("BENCH_KEEP") == "1"
    work = os.path.abspath(os.environ.get("BENCH_WORK") or default_work())
    os.makedirs(work, exist_ok=True)
    WORK_FS = fs_type(work)
    # A private copy of the binary: others may rebuild build/chrononc meanwhile.
    built_from = build_info()  # when the binary is copied, not when the bench ends
    snap = os.path.join(work, "chrononc")
    shutil.copy2(CHRONONC, snap)
    CHRONONC = snap
    log(f"work folder {work} ({WORK_FS}); chrononc {CHRONONC}; python {PYTHON}")
    t_start = time.perf_counter()
    rows = []
    mismatches = []
    for size in SIZES:
        repo = os.path.join(work, f"repo-{size}")
        subprocess.run([PYTHON, os.path.join(HERE, "gen_repo.py"), "--seed", SEED, "--force", str(size), repo],
                       check=True)
        expected = os.path.join(work, f"expected-{size}")
        n_py = PY_RUNS(size) if size in PY_SIZES else (1 if size in VERIFY else 0)
        py_runs = []
        verified = None
        for i in range(n_py):
            log(f"{size}: compile.py run {i + 1}/{n_py} (oracle.sh{f', stopped after {PY_TIMEOUT:.0f} s' if PY_TIMEOUT else ''}) ...")
            r = run_compile_py(repo, expected, work)
            py_runs.append(r)
            if r["timed_out"]:
                log(f"{size}: compile.py stopped after {r['wall']:.0f} s; passes finished: {r['passes'] or 'none'}")
                break
            log(f"{size}: compile.py {fmt_s(r['py_s'])} s {r['passes']}")
            # 1. verify, right after compile.py's first run: its tree vs chrononc's.
            if i == 0 and size in VERIFY:
                run_chrononc(repo)
                d = subprocess.run(["diff", "-rq", expected, os.path.join(repo, "production")],
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                verified = d.returncode == 0
                if verified:
                    log(f"{size}: verified: {count_files(expected)} files byte-identical to compile.py")
                else:
                    lines = d.stdout.splitlines()
                    mismatches.append((size, lines))
                    log(f"{size}: OUTPUT DIFFERS from compile.py ({len(lines)} entries):\n  " + "\n  ".join(lines[:20]))
        # 2. time chrononc. Each run writes a fresh output tree that is deleted
        # only after the last run: deleting thousands of files right before a
        # run makes ext4 scan for free inodes (recently_deleted()), a cost a
        # compile into a fresh checkout does not have.
        roots = [f"production.run{i}" for i in range(C_RUNS(size))]
        settle()
        c_runs = [run_chrononc(repo, output_root=root) for root in roots]
        c_best = min(c_runs, key=lambda r: r["wall"])
        files = count_files(os.path.join(repo, roots[-1]))
        if size in VERIFY and verified:
            d = subprocess.run(["diff", "-rq", expected, os.path.join(repo, roots[-1])], stdout=subprocess.DEVNULL)
            if d.returncode != 0:
                mismatches.append((size, [f"--output_root {roots[-1]} differs from compile.py's tree"]))
        m = re.search(r"(\d+) written, (\d+) unchanged", c_runs[-1]["err"])
        timed_py = [r for r in py_runs if size in PY_SIZES]
        done = [r for r in timed_py if r["py_s"] is not None]
        py_best = min(done, key=lambda r: r["py_s"]) if done else None
        row = {
            "size": size,
            "files": files,
            "writes": f"{m.group(1)}+{m.group(2)}" if m else "?",
            "py_s": py_best["py_s"] if py_best else None,
            "py_lb": None if py_best or not timed_py else max(r["py_lb"] for r in timed_py),
            "py_passes": (py_best or (timed_py[-1] if timed_py else {})).get("passes"),
            "py_n": len(timed_py),
            "py_cpu": (py_best["user"] + py_best["sys"]) if py_best else None,
            "py_mib": max(r["rss_kib"] for r in timed_py) / 1024 if timed_py else None,
            "c_s": c_best["wall"],
            "c_cpu": c_best["user"] + c_best["sys"],
            "c_user": c_best["user"],
            "c_sys": c_best["sys"],
            "c_all": [r["wall"] for r in c_runs],
            "c_mib": max(r["rss_kib"] for r in c_runs) / 1024,
            "verified": verified,
            "py_bytes": tree_bytes(repo, ".py"),
            "out_bytes": tree_bytes(os.path.join(repo, roots[-1])),
        }
        for root in roots:
            shutil.rmtree(os.path.join(repo, root), ignore_errors=True)
        rows.append(row)
        log(f"{size}: chrononc best {row['c_s']:.3f} s of {len(c_runs)} "
            f"({', '.join(f'{x:.3f}' for x in row['c_all'])}), cpu {row['c_cpu']:.3f} s, {row['c_mib']:.1f} MiB")

    # Warm-cache throughput on the largest repo: compile (writes) and check (no writes).
    big = rows[-1]
    big_repo = os.path.join(work, f"repo-{big['size']}")
    settle()
    checks = [run_chrononc(big_repo, "check") for _ in range(3)]
    check_best = min(checks, key=lambda r: r["wall"])

    out = []
    out.append("| configs | files written | compile.py s | chrononc s | speedup | compile.py peak MiB | chrononc peak MiB |")
    out.append("|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        if r["py_s"] is not None:
            runs = "1 run" if r["py_n"] == 1 else f"best of {r['py_n']}"
            pys = f"{fmt_s(r['py_s'])} ({runs})"
            speed = f"{r['py_s'] / r['c_s']:.0f}×"
            pym = f"{r['py_mib']:.0f}"
        elif r["py_lb"] is not None:
            pys = f"> {r['py_lb']:.0f} (stopped)"
            speed = f"> {r['py_lb'] / r['c_s']:.0f}×"
            pym = f"≥ {r['py_mib']:.0f}"
        else:
            pys, speed, pym = "not run", "—", "—"
        out.append(f"| {r['size']:,} | {r['files']:,} | {pys} | {r['c_s']:.3f} (best of {len(r['c_all'])}) | {speed} | "
                   f"{pym} | {r['c_mib']:.1f} |")
    out.append("")
    out.append("| configs | output identical | compile.py user+sys s | chrononc user+sys s | CPU-time ratio | chrononc user / sys s | chrononc wall s, every run | chrononc files written+unchanged | compile.py s per pass |")
    out.append("|---:|---|---:|---:|---:|---|---|---|---|")
    for r in rows:
        ident = {True: "yes", False: "**NO**", None: "not checked"}[r["verified"]]
        passes = ", ".join(f"{k} {v:.2f}" for k, v in r["py_passes"].items()) if r["py_passes"] else "—"
        pcpu = f"{r['py_cpu']:.2f}" if r["py_cpu"] else "—"
        ratio = f"{r['py_cpu'] / r['c_cpu']:.0f}×" if r["py_cpu"] else "—"
        out.append(f"| {r['size']:,} | {ident} | {pcpu} | {r['c_cpu']:.3f} | {ratio} | {r['c_user']:.2f} / {r['c_sys']:.2f} | "
                   f"{', '.join(f'{x:.3f}' for x in r['c_all'])} | {r['writes']} | {passes} |")
    out.append("")
    out.append(
        f"Warm-cache throughput, {big['size']:,}-config repo ({big['py_bytes'] / 1e6:.1f} MB of .py in, "
        f"{big['out_bytes'] / 1e6:.1f} MB of JSON out): compile {big['c_s']:.3f} s wall = "
        f"{big['size'] / big['c_s']:,.0f} configs/s ({big['c_cpu']:.3f} s CPU = {big['size'] / big['c_cpu']:,.0f} configs/CPU-s); "
        f"check (no writes) {check_best['wall']:.3f} s = {big['size'] / check_best['wall']:,.0f} configs/s, "
        f"{check_best['rss_kib'] / 1024:.1f} MiB."
    )
    report = "\n".join(out)

    if PROFILE:
        prof_size = 1000 if any(r["size"] == 1000 for r in rows) else rows[0]["size"]
        report += "\n\n" + profile(os.path.join(work, f"repo-{prof_size}"), prof_size, work, big_repo, big["size"])

    elapsed = time.perf_counter() - t_start
    report += f"\n\nBench took {elapsed / 60:.1f} min; work folder on {WORK_FS}; machine: {machine()}; chrononc: {built_from}."
    if mismatches:
        report += "\n\nOUTPUT DIFFERS from compile.py at: " + ", ".join(str(s) for s, _ in mismatches)
        for s, lines in mismatches:
            report += f"\n  {s}:\n    " + "\n    ".join(lines[:40])
    with open(os.path.join(work, "results.md"), "w") as f:
        f.write(report + "\n")
    print(report)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    else:
        log(f"kept {work}")
    sys.exit(1 if mismatches else 0)


def profile(repo, size, work, big_repo=None, big_size=None):
    """callgrind (instructions per function) on repo; perf (cpu-clock samples, kernel included) on repo and big_repo."""
    lines = [f"Profile of `chrononc compile` on the {size:,}-config repo:"]
    if shutil.which("valgrind") and shutil.which("callgrind_annotate"):
        cg = os.path.join(work, "callgrind.out")
        shutil.rmtree(os.path.join(repo, "production.cg"), ignore_errors=True)
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}", CHRONONC, "compile",
                        "--chronon_root", repo, "--output_root", "production.cg", "--force-overwrite", "-y", "-q"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        for incl in ("no", "yes"):
            a = subprocess.run(["callgrind_annotate", f"--inclusive={incl}", cg], stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True).stdout
            entries = re.findall(r"^\s*([\d,]+) \(\s*([\d.]+)%\)\s+(\S+?)(?: \[(\S+)\])?$", a, re.M)
            total = re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", a)
            if incl == "no" and total:
                lines.append(f"callgrind: {total.group(1)} instructions in all.")
            lines.append(f"callgrind, top functions by {'inclusive' if incl == 'yes' else 'self'} instructions:")
            shown = 0
            for ir, pct, fn, obj in entries:
                if incl == "yes" and ("chrononc" not in (obj or "") or "'" in fn or re.search(
                        r":(main|cmd_compile|run_compile|compile_kind[.\w]*|\(below main\))$", fn)):
                    continue  # only chrononc's own functions, no recursion duplicates or wrappers
                lines.append(f"  {pct:>6}%  {fn}  [{os.path.basename(obj or '?')}]")
                shown += 1
                if shown == 12:
                    break
    if shutil.which("perf"):
        settle()
        for prepo, psize in [(repo, size)] + ([(big_repo, big_size)] if big_repo and big_size != size else []):
            data = os.path.join(work, "perf.data")
            shutil.rmtree(os.path.join(prepo, "production.perf"), ignore_errors=True)
            p = subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", "999", "-o", data, CHRONONC,
                                "compile", "--chronon_root", prepo, "--output_root", "production.perf",
                                "--force-overwrite", "-y", "-q"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if p.returncode != 0:
                lines.append("perf record not permitted here; skipped.")
                break
            rep = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "dso", "--stdio"],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
            dsos = re.findall(r"^\s+([\d.]+)%\s+(\S+)", rep, re.M)
            lines.append(f"perf on the {psize:,}-config repo (cpu-clock samples, kernel included), share by object: "
                         + ", ".join(f"{d} {p}%" for p, d in dsos[:5]))
            rep = subprocess.run(["perf", "report", "-i", data, "--no-children", "--sort", "symbol", "--stdio"],
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
            syms = re.findall(r"^\s+([\d.]+)%\s+\[([.k])\]\s+(\S+)", rep, re.M)
            lines.append(f"perf on the {psize:,}-config repo, top symbols by self samples: "
                         + ", ".join(f"{s}{' (kernel)' if k == 'k' else ''} {p}%" for p, k, s in syms[:10]))
    # Output trees are deleted only now: creating files right after deleting
    # thousands on the same ext4 file system costs kernel time (the inode
    # allocator skips recently deleted inodes), which would show in the profile.
    for prepo in {repo, big_repo or repo}:
        for root in ("production.cg", "production.perf"):
            shutil.rmtree(os.path.join(prepo, root), ignore_errors=True)
    return "\n".join(lines)


def build_info():
    """The tree chrononc was built from: commit, and whether the work tree had local changes."""
    try:
        head = subprocess.run(["git", "-C", ROOT, "log", "-1", "--format=%h %cI"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout.strip()
    except OSError:
        return "?"
    return f"{head or '?'}{' + uncommitted changes' if dirty else ''}"


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            m = re.search(r"model name\s*:\s*(.*)", f.read())
            cpu = m.group(1).strip() if m else "?"
    except OSError:
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            mem = f"{int(f.readline().split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    load = os.getloadavg()
    return f"{os.cpu_count()} CPUs ({cpu}), {mem} RAM, load average at end {load[0]:.1f}"


if __name__ == "__main__":
    main()
