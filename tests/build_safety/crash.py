#!/usr/bin/env python3
"""SIGKILL `chrononc build` at random moments while it rebuilds a generated repo.

    crash.py CHRONONC KIT WORK [--configs N] [--kills N] [--seed S]

A repo of N configs (bench/gen_repo.py, compiled once) has two versions of
its configs: A, as compiled, and B, where every other config is rewritten
with another indentation (other bytes, the same config, so `info` reads it).
One output folder is built from A in full, then production/ is switched to
B, A, B, ... (only the differing files rewritten, by rename, so their mtime
is now: what compile does) and each build is killed with SIGKILL after a
random delay in [0, a full build's time]. The build runs in a session of its
own; after the kill the rest of the session (compilers the build started
that outlive it: cc1, as, ld are not the build's children) is killed too, so
nothing writes into the output folder while it is checked. After every kill:

  * every config has its executable, <out>/<kind>/<team>/<name>, and no
    other visible file is there;
  * each executable is a complete program holding the config's A or B bytes
    (each distinct program file is read once; the configs' bytes are in it
    as they are), and for every distinct program file one of its
    executables runs `json` (printing exactly A's or B's bytes) and `info`;
  * the hidden files are the build's own: the programs .build/.multi.<k>, the
    runtime .lib/libchronon_exe.so.1, or leftovers of a killed build that no
    later build reads as a program or a config (.build/.multi.<k>.tmp.XXXXXX,
    .multi.<k>.c/.log, atomic_write's "..multi.<k>.c.tmp-*" and
    ".libchronon_exe.so.1.tmp-*", a team folder's .chrononc-link.tmp.<pid>).

At the end a build is let finish: it exits 0, every executable's `json` is
its production file's bytes, only the programs and the runtime are hidden
files (every leftover removed), each program has exactly its configs as
links, and one more build finds everything up to date. Exit status 1 on the
first violation.
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
import time

HERE = os.path.dirname(os.path.abspath(__file__))
GEN = os.path.join(HERE, "..", "..", "bench", "gen_repo.py")
KINDS = ("group_bys", "joins", "staging_queries")
LEFTOVER = [re.compile(p) for p in (
    r"^\.build/\.multi\.\d+\.tmp\.[A-Za-z0-9]{6}$",
    r"^\.build/\.multi\.\d+\.(c|log)$",
    r"^\.build/\.\.multi\.\d+\.c\.tmp-\d+-[0-9a-f]+-\d+$",
    r"^\.lib/\.libchronon_exe\.so\.1\.tmp-\d+-[0-9a-f]+-\d+$",
    r"^[a-z_]+/[^/]+/\.chrononc-link\.tmp\.\d+$",
)]
PROGRAM = re.compile(r"^\.build/\.multi\.\d+$")
RUNTIME = ".lib/libchronon_exe.so.1"


def fail(msg):
    sys.exit(f"crash: {msg}")


def configs(prod):
    out = {}
    for kind in KINDS:
        for d, _, names in os.walk(os.path.join(prod, kind)):
            for n in names:
                p = os.path.join(d, n)
                with open(p, "rb") as f:
                    out[os.path.relpath(p, prod)] = f.read()
    return out


def put(prod, rel, data):
    """Replace one config as compile does: a temporary file renamed over it."""
    p = os.path.join(prod, rel)
    tmp = os.path.join(os.path.dirname(p), "." + os.path.basename(p) + ".tmp-test")
    with open(tmp, "wb") as f:
        f.write(data)
    os.rename(tmp, p)


def walk(out):
    visible, hidden = [], []
    for d, dirs, names in os.walk(out):
        for n in names:
            rel = os.path.relpath(os.path.join(d, n), out)
            (hidden if any(part.startswith(".") for part in rel.split("/")) else visible).append(rel)
    return sorted(visible), sorted(hidden)


def session_alive(sid):
    """Whether a process of session sid runs (is not a zombie)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == sid and fields[0] != "Z":  # state, ppid, pgrp, session
            return True
    return False


def run_exe(path, cmd):
    return subprocess.run([path, cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)


def check_state(out, versions, label, sample, rng, seen):
    """Every executable is A's or B's version; only our hidden files.

    seen: the (program file, config) pairs already checked by an earlier call,
    keyed by the file's identity (device, inode, size, mtime): a program is
    never rewritten in place (only renamed in), so a pair checked once holds."""
    names = set(versions["A"])
    visible, hidden = walk(out)
    if set(visible) != names:
        fail(f"{label}: missing {sorted(names - set(visible))[:5]}, extra {sorted(set(visible) - names)[:5]}")
    bad = [h for h in hidden if not (PROGRAM.match(h) or h == RUNTIME or any(p.match(h) for p in LEFTOVER))]
    if bad:
        fail(f"{label}: unexpected hidden files {bad[:5]}")
    by_inode = {}
    for rel in visible:
        st = os.lstat(os.path.join(out, rel))
        by_inode.setdefault((st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns), []).append(rel)
    for key, members in by_inode.items():
        members = [rel for rel in members if (key, rel) not in seen]
        if not members:
            continue
        with open(os.path.join(out, members[0]), "rb") as f:
            program = f.read()
        seen.update((key, rel) for rel in members)
        for rel in members:
            a, b = versions["A"][rel], versions["B"][rel]
            if (a in program) == (b in program) and a != b:
                fail(f"{label}: {rel} links to a program holding {'both' if a in program else 'neither'} of "
                     f"its versions ({len(program)} bytes)")
            if a not in program and b not in program:
                fail(f"{label}: {rel} links to a program without its bytes ({len(program)} bytes)")
        # one run per program file (plus a sample): the program is complete and runs
        for rel in [members[0]] + rng.sample(members, min(sample, len(members))):
            exe = os.path.join(out, rel)
            r = run_exe(exe, "json")
            if r.returncode != 0 or r.stdout not in (versions["A"][rel], versions["B"][rel]):
                fail(f"{label}: {rel} json: exit {r.returncode}, {len(r.stdout)} bytes, neither A's nor B's; "
                     f"{r.stderr.decode(errors='replace')[:300]}")
            r = run_exe(exe, "info")
            if r.returncode != 0 or not r.stdout.startswith(b"name: "):
                fail(f"{label}: {rel} info: exit {r.returncode}: {r.stderr.decode(errors='replace')[:300]}")
    return len(by_inode), [h for h in hidden if any(p.match(h) for p in LEFTOVER)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("chrononc")
    ap.add_argument("kit")
    ap.add_argument("work")
    ap.add_argument("--configs", type=int, default=400)
    ap.add_argument("--kills", type=int, default=200)
    ap.add_argument("--seed", type=int, default=int(os.environ.get("CRASH_SEED", "20261207")))
    args = ap.parse_args()
    rng = random.Random(args.seed)
    work = args.work
    # private copies: a rebuild of chrononc or the kit meanwhile must not fail a run
    shutil.copy2(args.chrononc, os.path.join(work, "chrononc"))
    shutil.copytree(args.kit, os.path.join(work, "exe-kit"), symlinks=True)
    chrononc = os.path.join(work, "chrononc")
    repo, out = os.path.join(work, "repo"), os.path.join(work, "out")
    subprocess.run([sys.executable, GEN, "--force", str(args.configs), repo], check=True, stdout=subprocess.DEVNULL)
    subprocess.run([chrononc, "compile", "--chronon_root", repo, "-q"], check=True)
    prod = os.path.join(repo, "production")
    versions = {"A": configs(prod)}
    versions["B"] = {rel: (json.dumps(json.loads(data), indent=3) + "\n").encode() if i % 2 == 0 else data
                     for i, (rel, data) in enumerate(sorted(versions["A"].items()))}
    differ = [rel for rel in versions["A"] if versions["A"][rel] != versions["B"][rel]]
    build = [chrononc, "build", "--chronon_root", repo, "--out", out, "--kit", os.path.join(work, "exe-kit"), "-j", "2"]

    def switch(to):
        for rel in differ:
            put(prod, rel, versions[to][rel])

    subprocess.run(build, check=True, stdout=subprocess.DEVNULL)
    times = []
    for to in "BAB":
        switch(to)
        t0 = time.perf_counter()
        subprocess.run(build, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - t0)
    full = statistics.median(times)
    nparts = len([n for n in os.listdir(os.path.join(out, ".build")) if PROGRAM.match(".build/" + n)])
    print(f"crash: {len(versions['A'])} configs in {nparts} programs, {len(differ)} differ between A and B; "
          f"a rebuild takes {full:.3f} s; {args.kills} kills in [0, {full:.3f}] s, seed {args.seed}")

    current = "B"
    finished = k = 0
    most_programs = most_leftovers = 0
    t_start = time.perf_counter()
    seen = set()
    spent = {"switch": 0.0, "build": 0.0, "reap": 0.0, "check": 0.0}
    while k - finished < args.kills and k < 3 * args.kills:
        k += 1
        current = "A" if current == "B" else "B"
        t0 = time.perf_counter()
        switch(current)
        delay = rng.uniform(0, full)
        t1 = time.perf_counter()
        p = subprocess.Popen(build, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
        time.sleep(delay)
        p.send_signal(signal.SIGKILL)
        _, err = p.communicate()
        t2 = time.perf_counter()
        try:  # what the build started and outlives it
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for _ in range(500):  # until nothing of the session runs (zombies may wait long for their reaper)
            if not session_alive(p.pid):
                break
            time.sleep(0.01)
        else:
            fail(f"kill {k}: the build's processes did not end")
        if p.returncode == 0:
            finished += 1
        elif p.returncode != -signal.SIGKILL:
            fail(f"kill {k}: build exited {p.returncode} before the kill:\n{err.decode()}")
        t3 = time.perf_counter()
        programs, leftovers = check_state(out, versions, f"kill {k} after {delay:.3f} s", 0, rng, seen)
        t4 = time.perf_counter()
        for key, t in (("switch", t1 - t0), ("build", t2 - t1), ("reap", t3 - t2), ("check", t4 - t3)):
            spent[key] += t
        most_programs = max(most_programs, programs)
        most_leftovers = max(most_leftovers, len(leftovers))
    took = time.perf_counter() - t_start
    print(f"crash: {k} kills in {took:.1f} s ({k - finished} mid-build, {finished} after the build ended); after "
          f"each every executable A's or B's and running; up to {most_programs} program files at once, "
          f"up to {most_leftovers} leftovers of a killed build; seconds spent: "
          + ", ".join(f"{key} {t:.1f}" for key, t in spent.items()))
    if k - finished < args.kills:
        fail(f"only {k - finished} of {k} kills came before the build ended")

    r = subprocess.run(build, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        fail(f"the build after the kills exited {r.returncode}:\n{r.stderr.decode()}")
    visible, hidden = walk(out)
    if set(visible) != set(versions[current]):
        fail("the build after the kills: executables differ from the configs")
    for rel in visible:
        got = run_exe(os.path.join(out, rel), "json").stdout
        if got != versions[current][rel]:
            fail(f"the build after the kills did not converge: {rel} json is not its production file")
    programs = [h for h in hidden if PROGRAM.match(h)]
    if sorted(set(hidden) - set(programs)) != [RUNTIME]:
        fail(f"leftovers after a complete build: {sorted(set(hidden) - set(programs) - {RUNTIME})[:5]}")
    links = sum(os.stat(os.path.join(out, p)).st_nlink - 1 for p in programs)
    if len(programs) != nparts or links != len(visible):
        fail(f"stale programs: {len(programs)} programs (want {nparts}) with {links} links (want {len(visible)})")
    r = subprocess.run(build, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=True)
    last = r.stdout.decode().strip().splitlines()[-1]
    if not last.startswith(f"chrononc build: 0 built, {len(visible)} up to date, 0 failed"):
        fail(f"a build after convergence is not a no-op: {last}")
    print(f"crash: the next build completed; every executable's json is its production file ({current}); "
          f"{nparts} programs with {links} links, nothing else left; then: {last}")


if __name__ == "__main__":
    main()
