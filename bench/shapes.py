#!/usr/bin/env python3
"""chrononc compile against the file system's floor, on four repo shapes.

    bench/run.sh shapes [--sizes 1000 10000] [--shapes ...] [--rounds N] ...

For each shape (bench/gen_repo.py --shape) and size:
  * compile.py once (sizes in --py-sizes; stopped after --py-timeout s), its
    tree compared byte for byte with chrononc's;
  * N interleaved rounds (the order of the three rotates each round) of
      fresh  - chrononc compile into a new output root (never existed), in a
               folder beside the repo;
      floor  - bench/floor.c writing the same files the same way (temporary
               file created with its final mode, write, rename; folders made
               on first use) into another new root beside it: the file
               system's floor (the process's wall time, start and exit
               included as for chrononc, less its reading of the files into
               memory first);
      rerun  - chrononc compile again over the repo's production/ tree it
               already wrote, nothing changed (0 files written; from the
               second re-run on, answered by the record the first leaves,
               see codegen/chrononc/compile_state.h);
    each under GNU time -v (wall, user, sys, peak RSS); medians reported;
  * derived: chrononc's time above the floor per config, compile.py / chrononc.

Prints a markdown table (also <work>/shapes.md). --work DIR picks the folder
(default: a new folder on /dev/shm when it is a tmpfs with room); run it with
a --work on a disk file system for the disk's table.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (timed, run_compile_py, fs_type, default_work)

SHAPES = ["one-per-file", "many-per-file", "sources-heavy", "join-heavy"]


def log(msg):
    print(f"shapes: {msg}", file=sys.stderr, flush=True)


def compile_cmd(binary, repo, root):
    return [binary, "compile", "--chronon_root", repo, "--output_root", root, "--force-overwrite", "-y", "-q"]


def run_ok(cmd):
    r = bench.timed(cmd)
    if r["rc"] != 0:
        sys.exit(f"shapes: {' '.join(cmd)} failed (exit {r['rc']}):\n{r['err'][-3000:]}")
    return r


def med(rs, key):
    return statistics.median(r[key] for r in rs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--shapes", nargs="+", choices=SHAPES, default=SHAPES)
    ap.add_argument("--rounds", type=int, default=0, help="rounds per size (default: 7 at <= 1,000, else 3)")
    ap.add_argument("--py-sizes", type=int, nargs="*", default=[1000], help="sizes compile.py runs on")
    ap.add_argument("--py-timeout", type=float, default=600)
    ap.add_argument("--work", default=None)
    ap.add_argument("--also", action="append", default=[], metavar="NAME=BINARY",
                    help="another chrononc timed in the same rounds (e.g. an older build)")
    ap.add_argument("--seed", default="20240601")
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()

    work = os.path.abspath(a.work or bench.default_work())
    os.makedirs(work, exist_ok=True)
    fs = bench.fs_type(work)
    chrononc = os.path.join(work, "chrononc")
    shutil.copy2(bench.CHRONONC, chrononc)  # a private copy: others may rebuild meanwhile
    others = []
    for spec in a.also:
        name, _, binary = spec.partition("=")
        copy = os.path.join(work, "chrononc-" + name)
        shutil.copy2(binary, copy)
        others.append((name, copy))
    floor = os.path.join(work, "floor")
    subprocess.run(["cc", "-std=c11", "-O2", "-Wall", "-Wextra", "-Werror", "-o", floor,
                    os.path.join(HERE, "floor.c")], check=True)
    bench.PY_TIMEOUT = a.py_timeout or None
    log(f"work {work} ({fs}); chrononc {bench.CHRONONC}; load {os.getloadavg()}")

    rows = []
    t_start = time.perf_counter()
    for shape in a.shapes:
        for size in a.sizes:
            repo = os.path.join(work, f"{shape}-{size}")
            subprocess.run([bench.PYTHON, os.path.join(HERE, "gen_repo.py"), "--seed", a.seed, "--shape", shape,
                            "--force", str(size), repo], check=True, stderr=subprocess.DEVNULL)
            py = None
            identical = None
            if size in a.py_sizes:
                log(f"{shape} {size}: compile.py ...")
                expected = os.path.join(work, f"expected-{shape}-{size}")
                py = bench.run_compile_py(repo, expected, work)
                log(f"{shape} {size}: compile.py {py['py_s'] if py['py_s'] is not None else '> %.0f' % py['py_lb']} s")
                if py["py_s"] is not None:
                    mine = os.path.join(repo, "verify")
                    run_ok(compile_cmd(chrononc, repo, "verify"))
                    d = subprocess.run(["diff", "-rq", expected, mine], stdout=subprocess.PIPE, text=True)
                    identical = d.returncode == 0
                    if not identical:
                        log(f"{shape} {size}: OUTPUT DIFFERS from compile.py:\n" + d.stdout[:3000])
                    shutil.rmtree(mine)
                shutil.rmtree(expected, ignore_errors=True)
            # the tree a re-run finds: compiled twice (the second run settles
            # what depends on the materialized tree, e.g. Joins' production flags)
            run_ok(compile_cmd(chrononc, repo, "settled"))
            run_ok(compile_cmd(chrononc, repo, "settled"))
            ref = os.path.join(repo, "settled")
            n_rounds = a.rounds or (7 if size <= 1000 else 3)
            outs = os.path.join(work, f"out-{shape}-{size}")
            os.makedirs(outs, exist_ok=True)
            res = {"fresh": [], "floor": [], "rerun": []}
            for name, _ in others:
                res["fresh-" + name] = []
            for i in range(n_rounds):
                steps = list(res)
                k = i % len(steps)
                for step in steps[k:] + steps[:k]:
                    # beside the repo, not in it: a re-run sums the whole root
                    # (compile_state.h), so new trees there would change it
                    root = os.path.join(outs, f"{step}.r{i}")
                    if step == "floor":
                        r = run_ok([floor, ref, root])
                        line = r["out"].split()
                        # the process's wall time less its untimed reading of the files
                        r["floor_s"] = r["wall"] - float(line[-2])
                        r["floor_write_s"] = float(line[line.index("s") - 1])
                        r["floor_cpu"] = float(line[line.index("cpu-s") - 1])
                    elif step == "rerun":
                        r = run_ok(compile_cmd(chrononc, repo, "settled"))
                    elif step == "fresh":
                        r = run_ok(compile_cmd(chrononc, repo, root))
                    else:
                        binary = dict(others)[step[len("fresh-"):]]
                        r = run_ok(compile_cmd(binary, repo, root))
                    res[step].append(r)
            files = bench.count_files(ref)
            shutil.rmtree(outs, ignore_errors=True)
            row = {
                "shape": shape, "size": size, "files": files, "rounds": n_rounds,
                "py": py, "identical": identical,
                "c": med(res["fresh"], "wall"), "c_user": med(res["fresh"], "user"), "c_sys": med(res["fresh"], "sys"),
                "c_mib": max(r["rss_kib"] for r in res["fresh"]) / 1024,
                "floor": med(res["floor"], "floor_s"),
                "floor_write": med(res["floor"], "floor_write_s"),
                "floor_cpu": med(res["floor"], "floor_cpu"),
                "c_cpu": statistics.median(r["user"] + r["sys"] for r in res["fresh"]),
                "rerun": med(res["rerun"], "wall"), "rerun_cpu": med(res["rerun"], "user") + med(res["rerun"], "sys"),
                "all": {k: [r["wall"] for r in v] for k, v in res.items()},
                "others": {name: med(res["fresh-" + name], "wall") for name, _ in others},
                "others_cpu": {name: statistics.median(r["user"] + r["sys"] for r in res["fresh-" + name])
                               for name, _ in others},
                "others_mib": {name: max(r["rss_kib"] for r in res["fresh-" + name]) / 1024 for name, _ in others},
            }
            rows.append(row)
            log(f"{shape} {size}: chrononc {row['c']:.3f} s, floor {row['floor']:.3f} s, re-run {row['rerun']:.3f} s, "
                f"{row['c_mib']:.0f} MiB")
            if not a.keep:
                shutil.rmtree(repo, ignore_errors=True)

    out = [f"Work folder on **{fs}**; medians of interleaved rounds; load average at the end "
           f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; {time.strftime('%Y-%m-%d %H:%M')}; "
           f"took {(time.perf_counter() - t_start) / 60:.1f} min.", ""]
    out.append("| shape | configs | files | compile.py s | chrononc s | floor s | above floor µs/config "
               "| compile.py / chrononc | chrononc CPU s | floor CPU s | CPU above floor µs/config | peak MiB "
               "| re-run s (CPU) | fresh / re-run |"
               + "".join(f" {n} s (CPU) | {n} peak MiB |" for n, _ in others))
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + "---:|---:|" * len(others))
    for r in rows:
        py = r["py"]
        if py is None:
            pys, ratio = "not run", "—"
        elif py["py_s"] is None:
            pys, ratio = f"> {py['py_lb']:.0f} (stopped)", f"> {py['py_lb'] / r['c']:.0f}×"
        else:
            pys, ratio = bench.fmt_s(py["py_s"]), f"{py['py_s'] / r['c']:.0f}×"
        if r["identical"] is False:
            pys += " **(output differs)**"
        above = (r["c"] - r["floor"]) / r["size"] * 1e6
        cpu_above = (r["c_cpu"] - r["floor_cpu"]) / r["size"] * 1e6
        out.append(
            f"| {r['shape']} | {r['size']:,} | {r['files']:,} | {pys} | {r['c']:.3f} | "
            f"{r['floor']:.3f} | {above:.0f} | {ratio} | {r['c_cpu']:.3f} | {r['floor_cpu']:.3f} | {cpu_above:.0f} | "
            f"{r['c_mib']:.1f} | {r['rerun']:.3f} ({r['rerun_cpu']:.3f}) | {r['c'] / r['rerun']:.1f}× |"
            + "".join(f" {r['others'][n]:.3f} ({r['others_cpu'][n]:.3f}) | {r['others_mib'][n]:.1f} |" for n, _ in others))
    out.append("")
    out.append("Every round's wall seconds: " + "; ".join(
        f"{r['shape']} {r['size']}: " + ", ".join(f"{k} " + "/".join(f"{x:.3f}" for x in v) for k, v in r["all"].items())
        for r in rows))
    report = "\n".join(out)
    with open(os.path.join(work, "shapes.md"), "w") as f:
        f.write(report + "\n")
    print(report)
    if not a.keep and not a.work:
        shutil.rmtree(work, ignore_errors=True)
    sys.exit(1 if any(r["identical"] is False for r in rows) else 0)


if __name__ == "__main__":
    main()
