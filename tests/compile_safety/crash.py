#!/usr/bin/env python3
"""SIGKILL `chrononc compile` at random moments while it rewrites a 1,000-config repo.

    crash.py CHRONONC WORK [--kills N] [--seed S]

Two versions of one generated repo (bench/gen_repo.py, 1,000 configs): B
swaps some aggregation operations in every other GroupBy file and edits
every other Join's description, so that about half the output files differ
from A's. Both are compiled once in full to know every file's two possible
contents. Then one output tree is compiled from A and B in turn, each run
killed with SIGKILL after a random delay drawn from [0, a full run's time]
(the median of three), until --kills runs were killed before they ended;
--workers loops (default 2) do that at once, each on its own output tree in
its own folder (a compile locks the folder holding its output root), so
that both cores work. After every kill:

  * every file under the output tree that is not hidden is a config: it is
    byte for byte A's or B's version of that path (so it parses: both are
    JSON), and no config file is missing;
  * everything else is a hidden temporary file of atomic_write
    (".<name>.tmp-<pid>-..."), which no reader lists (compile's and build's
    walks skip dot files).

At the end a run of B is let finish: it must exit 0, leave exactly B's tree
and remove every temporary file the killed runs left. Prints a summary; exit
status 1 on the first violation.
"""
import argparse
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "bench", "gen_repo.py")
TEMP = re.compile(r"^\..+\.tmp-\d+-[0-9a-f]+-\d+$")


def tree(root):
    """{relative path: bytes} of the non-hidden files, and the hidden ones' relative paths."""
    files, hidden = {}, []
    for d, dirs, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            rel = os.path.relpath(p, root)
            if n.startswith("."):
                hidden.append(rel)
            else:
                with open(p, "rb") as f:
                    files[rel] = f.read()
    return files, hidden


def make_b(a, b):
    shutil.copytree(a, b)
    changed = 0
    for folder in ("group_bys", "joins"):
        paths = sorted(os.path.join(d, n) for d, _, ns in os.walk(os.path.join(b, folder)) for n in ns if n.endswith(".py"))
        for i, p in enumerate(paths):
            if i % 2:
                continue
            with open(p) as f:
                s = f.read()
            t = s
            if folder == "group_bys":
                for x, y in (("Operation.MAX", "Operation.MIN"), ("Operation.LAST,", "Operation.FIRST,")):
                    t = t.replace(x, "@@").replace(y, x).replace("@@", y)
            else:
                t = t.replace('description="', 'description="(B) ')
            if t != s:
                changed += 1
                with open(p, "w") as f:
                    f.write(t)
    return changed


def compile_args(chrononc, root, out):
    return [chrononc, "compile", "--chronon_root", root, "--output_root", out, "--force-overwrite", "-q"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("chrononc")
    ap.add_argument("work")
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2, help="kill loops at once, each on its own output tree")
    ap.add_argument("--seed", type=int, default=int(os.environ.get("CRASH_SEED", "20261207")))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = args.work
    # a private copy: a rebuild of the binary meanwhile must not fail a spawn
    shutil.copy2(args.chrononc, os.path.join(work, "chrononc"))
    args.chrononc = os.path.join(work, "chrononc")
    a, b = os.path.join(work, "A"), os.path.join(work, "B")
    subprocess.run([sys.executable, GEN, "--force", "1000", a], check=True, stdout=subprocess.DEVNULL)
    changed = make_b(a, b)

    refs = {}
    for name, root in (("A", a), ("B", b)):
        # compiled twice: a compile over an existing tree is compile.py's
        # fixed point (its validator reads what is materialized, e.g. the
        # production flag of Joins using a GroupBy), a fresh one is not yet
        out = os.path.join(work, "ref" + name)
        subprocess.run(compile_args(args.chrononc, root, out), check=True)
        subprocess.run(compile_args(args.chrononc, root, out), check=True)
        refs[name], hidden = tree(out)
        assert not hidden, hidden
    if set(refs["A"]) != set(refs["B"]):
        sys.exit(f"crash: A and B compile to different file sets: {sorted(set(refs['A']) ^ set(refs['B']))[:5]}")
    for files in refs.values():
        for rel, data in files.items():
            json.loads(data)  # both versions parse: a file equal to one of them parses
    differ = sum(refs["A"][p] != refs["B"][p] for p in refs["A"])
    print(f"crash: {len(refs['A'])} configs, {differ} differ between A and B ({changed} definition files edited)")

    # each worker kills runs over its own output tree, in its own folder (the
    # compile lock is on the folder holding the output root)
    outs = []
    for i in range(args.workers):
        os.makedirs(os.path.join(work, f"w{i}"))
        outs.append(os.path.join(work, f"w{i}", "out"))
        shutil.copytree(os.path.join(work, "refA"), outs[-1])
    out = outs[0]
    # a full run's time, for the kill delays
    times = []
    for root in (b, a, b):
        t0 = time.perf_counter()
        subprocess.run(compile_args(args.chrononc, root, out), check=True)
        times.append(time.perf_counter() - t0)
    full = statistics.median(times)
    print(f"crash: a full rewrite takes {full:.3f} s; {args.kills} kills in [0, {full:.3f}] s by {args.workers} "
          f"workers, seed {args.seed}")

    roots = [a, b]
    shared = {"k": 0, "finished": 0, "temps": 0, "error": None}
    guard = threading.Lock()

    def check(out, what):
        files, hidden = tree(out)
        missing = set(refs["A"]) - set(files)
        extra = set(files) - set(refs["A"])
        if missing or extra:
            return f"{what}: missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}"
        for rel, data in files.items():
            if data != refs["A"][rel] and data != refs["B"][rel]:
                return f"{what}: {rel} is neither A's nor B's version ({len(data)} bytes)"
        bad = [h for h in hidden if not TEMP.match(os.path.basename(h))]
        if bad:
            return f"{what}: unexpected hidden files {bad[:5]}"
        with guard:
            shared["temps"] = max(shared["temps"], len(hidden))
        return None

    seeds = [rng.random() for _ in range(args.workers)]

    def worker(i):
        wrng = random.Random(seeds[i])
        n = 0
        while True:
            with guard:
                if shared["error"] or shared["k"] - shared["finished"] >= args.kills or shared["k"] >= 3 * args.kills:
                    return
                shared["k"] += 1
                k = shared["k"]
            n += 1
            delay = wrng.uniform(0, full)
            p = subprocess.Popen(compile_args(args.chrononc, roots[n % 2], outs[i]), stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE)
            time.sleep(delay)
            p.send_signal(signal.SIGKILL)
            _, err = p.communicate()
            if p.returncode == 0:
                with guard:
                    shared["finished"] += 1
            elif p.returncode != -signal.SIGKILL:
                shared["error"] = f"kill {k}: compile exited {p.returncode} before the kill:\n{err.decode()}"
                return
            problem = check(outs[i], f"kill {k} (worker {i}) after {delay:.3f} s")
            if problem:
                shared["error"] = problem
                return

    t_start = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if shared["error"]:
        sys.exit("crash: " + shared["error"])
    took = time.perf_counter() - t_start
    k, finished = shared["k"], shared["finished"]
    print(f"crash: {k} kills in {took:.1f} s ({k - finished} mid-run, {finished} after the run ended); every "
          f"file A's or B's after each; at most {shared['temps']} temporary files left by one kill")
    if k - finished < args.kills:
        sys.exit(f"crash: only {k - finished} of {k} kills came before the run ended")

    out = outs[0]
    r = subprocess.run(compile_args(args.chrononc, b, out), stderr=subprocess.PIPE)
    if r.returncode != 0:
        sys.exit(f"crash: the run after the kills exited {r.returncode}:\n{r.stderr.decode()}")
    files, hidden = tree(out)
    if files != refs["B"]:
        diff = [p for p in refs["B"] if files.get(p) != refs["B"][p]]
        sys.exit(f"crash: the run after the kills did not converge to B: {diff[:5]}")
    if hidden:
        sys.exit(f"crash: temporary files left after a complete run: {hidden[:5]}")
    print("crash: the next run completed, converged to B and removed the temporary files")


if __name__ == "__main__":
    main()
