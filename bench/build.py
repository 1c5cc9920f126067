#!/usr/bin/env python3
"""chrononc build at repo scale (issue 10): bench/README.md, "chrononc build".

    make bench-build                                   # 100, 1,000, 10,000 configs, 3 rounds
    python3 bench/build.py --sizes 100 1000 --rounds 5
    python3 bench/build.py --static-sizes 100 1000     # also the --static layout

For each size a repo is generated (bench/gen_repo.py, fixed seed) and
compiled once (chrononc compile). Then, in rounds that interleave the sizes
(so a change in the machine's load hits every size alike), each round times:

  full      `chrononc build` into an empty output folder
  no-op     the same again: nothing to rebuild
  one       one GroupBy changed (a byte appended): its folder's part rebuilt
  c+a+r     one changed, one added, one removed, in one build

and checks what it must: the summary line's counts, the `built`/`removed`
lines, the removed config's executable gone, and `json` of the changed and
added configs equal to their files. Wall time is the median over rounds; CPU
is user+sys of chrononc and every compiler it ran (wait4's rusage), median.
Bytes on disk are counted once per inode (hard links are one file), as
st_blocks (what `du` says) and as sizes; the budget is 2x the configs' JSON
(sizes) plus one copy of the runtime (libchronon_exe.so.1).

Environment: CHRONONC (default build/chrononc), BENCH_WORK (a work folder;
default a new one under /tmp, removed at the end unless --keep).
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CHRONONC = os.environ.get("CHRONONC", os.path.join(ROOT, "build", "chrononc"))
SEED = "20240601"


def log(msg):
    print(f"bench-build: {msg}", file=sys.stderr, flush=True)


def run(cmd, check=True):
    """Run cmd; (wall s, user+sys s of it and its waited-for children, stdout)."""
    t0 = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = p.communicate()
    wall = time.monotonic() - t0
    if check and p.returncode != 0:
        sys.exit(f"bench-build: {' '.join(cmd)}: exit {p.returncode}\n{err.decode(errors='replace')}")
    return wall, out.decode(errors="replace")


def timed(cmd):
    """run(), and the CPU of cmd and the compilers it waited for: the growth
    of our RUSAGE_CHILDREN across the call (nothing else runs meanwhile)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, out = run(cmd)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, out


def disk_bytes(path):
    """(st_blocks bytes, sizes) of every file under path, each inode once."""
    seen = set()
    blocks = size = 0
    for dirpath, dirnames, filenames in os.walk(path):
        for name in dirnames + filenames:
            st = os.lstat(os.path.join(dirpath, name))
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            blocks += st.st_blocks * 512
            size += st.st_size
    return blocks, size


def json_bytes(production):
    total = count = 0
    for dirpath, _, filenames in os.walk(production):
        for name in filenames:
            if not name.startswith("."):
                total += os.path.getsize(os.path.join(dirpath, name))
                count += 1
    return total, count


def summary(out):
    lines = [l for l in out.splitlines() if l.startswith("chrononc build: ")]
    return lines[-1] if lines else "(no summary)"


def expect(cond, what):
    if not cond:
        sys.exit(f"bench-build: check failed: {what}")


def json_equal(exe, conf):
    got = subprocess.run([exe, "json"], stdout=subprocess.PIPE, check=True).stdout
    with open(conf, "rb") as f:
        return got == f.read()


def pick_group_by(repo):
    """A GroupBy config (team, name) to change, the first in sorted order."""
    gb = os.path.join(repo, "production", "group_bys")
    team = sorted(os.listdir(gb))[0]
    names = sorted(n for n in os.listdir(os.path.join(gb, team)) if not n.startswith("."))
    return team, names


def one_round(repo, n, static, rnd):
    out = os.path.join(repo, "build-static" if static else "build")
    base = [CHRONONC, "build", "--chronon_root", repo, "--out", out] + (["--static"] if static else [])
    shutil.rmtree(out, ignore_errors=True)
    res = {}
    wall, cpu, o = timed(base)
    expect(summary(o) == f"chrononc build: {n} built, 0 up to date, 0 failed ({out})", f"full build: {summary(o)}")
    res["full"] = (wall, cpu)
    res["disk"] = disk_bytes(out)
    wall, cpu, o = timed(base)
    expect(summary(o) == f"chrononc build: 0 built, {n} up to date, 0 failed ({out})", f"no-op: {summary(o)}")
    res["noop"] = (wall, cpu)
    team, names = pick_group_by(repo)
    prod = os.path.join(repo, "production", "group_bys", team)
    changed = os.path.join(prod, names[0])
    with open(changed, "ab") as f:
        f.write(b" ")
    wall, cpu, o = timed(base)
    expect(o.splitlines() == [f"built group_bys/{team}/{names[0]}",
                              f"chrononc build: 1 built, {n - 1} up to date, 0 failed ({out})"], f"one changed: {o}")
    expect(json_equal(os.path.join(out, "group_bys", team, names[0]), changed), "one changed: json")
    res["one"] = (wall, cpu)
    # one changed, one added, one removed
    with open(changed, "ab") as f:
        f.write(b" ")
    added = os.path.join(prod, f"bench_added_{rnd}.v1")
    shutil.copyfile(os.path.join(prod, names[1]), added)
    removed = names[2]
    removed_conf = os.path.join(prod, removed)
    with open(removed_conf, "rb") as f:
        removed_bytes = f.read()
    os.unlink(removed_conf)
    wall, cpu, o = timed(base)
    lines = sorted(o.splitlines())
    want = sorted([f"built group_bys/{team}/{names[0]}", f"built group_bys/{team}/{os.path.basename(added)}",
                   f"removed group_bys/{team}/{removed}",
                   f"chrononc build: 2 built, {n - 2} up to date, 0 failed, 1 removed ({out})"])
    expect(lines == want, f"changed+added+removed: {o}")
    expect(not os.path.exists(os.path.join(out, "group_bys", team, removed)), "removed executable still there")
    expect(json_equal(os.path.join(out, "group_bys", team, os.path.basename(added)), added), "added: json")
    res["car"] = (wall, cpu)
    # put the repo back as it was
    os.unlink(added)
    with open(removed_conf, "wb") as f:
        f.write(removed_bytes)
    with open(changed, "rb+") as f:
        f.truncate(os.path.getsize(changed) - 2)
    return res


def fmt_mb(b):
    return f"{b / 1e6:.1f} MB" if b >= 1e6 else f"{b / 1e3:.0f} KB"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 10000])
    ap.add_argument("--static-sizes", type=int, nargs="*", default=[100],
                    help="sizes also built with --static, today's self-contained layout (default: 100)")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="keep the work folder")
    args = ap.parse_args()
    work = os.environ.get("BENCH_WORK") or tempfile.mkdtemp(prefix="bench-build.")
    os.makedirs(work, exist_ok=True)
    kit_so = os.path.join(os.path.dirname(os.path.realpath(CHRONONC)), "exe-kit", "lib", "libchronon_exe.so.1")
    runtime = os.path.getsize(kit_so) if os.path.exists(kit_so) else 0
    repos = {}
    for n in sorted(set(args.sizes) | set(args.static_sizes)):
        repo = os.path.join(work, f"repo{n}")
        if not os.path.isdir(os.path.join(repo, "production")):
            log(f"generating and compiling {n} configs")
            subprocess.run([sys.executable, os.path.join(HERE, "gen_repo.py"), "--seed", SEED, "--force", str(n), repo],
                           check=True, stdout=subprocess.DEVNULL)
            run([CHRONONC, "compile", "--chronon_root", repo, "-y"])
        repos[n] = repo
    load_before = os.getloadavg()
    cases = [(n, False) for n in args.sizes] + [(n, True) for n in args.static_sizes]
    results = {c: [] for c in cases}
    for rnd in range(args.rounds):
        for n, static in cases:
            log(f"round {rnd + 1}/{args.rounds}: {n} configs{' --static' if static else ''}")
            results[(n, static)].append(one_round(repos[n], n, static, rnd))
    load_after = os.getloadavg()

    def med(rs, key, i):
        return statistics.median(r[key][i] for r in rs)

    print()
    print(f"chrononc build, median of {args.rounds} interleaved rounds; wall s (CPU user+sys s, compilers included)")
    print(f"load average before {load_before[0]:.2f} {load_before[1]:.2f}, after {load_after[0]:.2f} {load_after[1]:.2f};"
          f" {os.cpu_count()} processors; runtime {fmt_mb(runtime)}")
    print()
    head = ("| configs | layout | JSON | full build | no-op | one changed | changed+added+removed "
            "| on disk (du) | budget | du / budget |")
    print(head)
    print("|" + "|".join("---" for _ in range(head.count("|") - 1)) + "|")
    for (n, static) in cases:
        rs = results[(n, static)]
        jb, _ = json_bytes(os.path.join(repos[n], "production"))
        blocks = statistics.median(r["disk"][0] for r in rs)
        budget = 2 * jb + runtime
        cells = [f"{n:,}", "--static" if static else "shared", fmt_mb(jb)]
        for key in ("full", "noop", "one", "car"):
            cells.append(f"{med(rs, key, 0):.2f} ({med(rs, key, 1):.2f})")
        cells += [fmt_mb(blocks), fmt_mb(budget), f"{blocks / budget:.2f}"]
        print("| " + " | ".join(cells) + " |")
    print()
    print("re-run: make bench-build  (or: python3 bench/build.py --sizes "
          + " ".join(map(str, args.sizes)) + f" --rounds {args.rounds}"
          + (" --static-sizes " + " ".join(map(str, args.static_sizes)) if args.static_sizes else "") + ")")
    if not args.keep and not os.environ.get("BENCH_WORK"):
        shutil.rmtree(work, ignore_errors=True)
    else:
        log(f"work folder kept: {work}")


if __name__ == "__main__":
    main()
