#!/usr/bin/env python3
"""appflow-lite beside aws-sdk-appflow, on this machine, in one run.

Builds the same small program on both sides (`examples/register`, as
`benches/ours`, and `benches/sdk`) the same way, runs both against one fake
AppFlow on 127.0.0.1, alternating runs, and prints one table and six ratio
lines, each above 1 when appflow-lite is better.

    benches/compare.sh [--runs N] [--calls N] [--build-runs N] [--skip-build-time]

Nothing here reaches the internet once the crates are downloaded: both tools
take their endpoint from AWS_ENDPOINT_URL_APPFLOW and their credentials from
the environment, with config files and instance metadata turned off.
"""

import argparse
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OURS = ROOT / "benches" / "ours"
SDK = ROOT / "benches" / "sdk"
MUSL = "x86_64-unknown-linux-musl"
LAMBDA_ARN = "arn:aws:lambda:us-east-1:123456789012:function:compare"
ACCESS_KEY = "AKIDEXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
GNU_TIME = "/usr/bin/time"
# The smallest build's extra flags (README, "A small static binary"): a
# non-PIE executable without unwind tables. Applied to both sides alike.
LEAN_FLAGS = 'build.rustflags=["-C", "relocation-model=static", "-C", "force-unwind-tables=no"]'


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=11,
                        help="single-call runs per side, alternating (default 11)")
    parser.add_argument("--throughput-runs", type=int, default=5,
                        help="throughput runs per side, alternating (default 5)")
    parser.add_argument("--calls", type=int, default=1000,
                        help="calls per throughput run (default 1000)")
    parser.add_argument("--build-runs", type=int, default=1,
                        help="clean release builds per side, alternating (default 1; "
                             "the SDK's takes minutes)")
    parser.add_argument("--skip-build-time", action="store_true",
                        help="reuse existing builds and print no build time")
    args = parser.parse_args()

    # Binaries are looked for in each project's own target directory.
    os.environ.pop("CARGO_TARGET_DIR", None)
    if not os.access(GNU_TIME, os.X_OK):
        fail(f"peak RSS is read with GNU time; install it (apt-get install time)")
    work = Path(tempfile.mkdtemp(prefix="appflow-compare-"))
    try:
        run(args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(args, work):
    sides = {"ours": OURS, "sdk": SDK}
    rows = []  # (label, ours, sdk, unit)

    say("crates in the dependency tree (cargo tree -e normal)")
    crates = {name: count_crates(path) for name, path in sides.items()}
    rows.append(("crates in the dependency tree", crates["ours"], crates["sdk"], ""))

    build_seconds = {"ours": [], "sdk": []}
    if not args.skip_build_time:
        for i in range(args.build_runs):
            for name, path in sides.items():
                say(f"clean release build, {name} ({i + 1}/{args.build_runs})")
                build_seconds[name].append(clean_build(path, work / f"{name}-clean-{i}"))
        rows.append(("clean release build (s)", median(build_seconds["ours"]),
                     median(build_seconds["sdk"]), "s"))

    say("release builds (the binaries that run)")
    release = {name: build(path, "release") for name, path in sides.items()}
    stripped = {}
    for name, binary in release.items():
        copy = work / f"{name}-stripped"
        subprocess.run(["strip", "-o", str(copy), str(binary["register"])], check=True)
        stripped[name] = copy.stat().st_size
    rows.append(("stripped release binary (MB)", mb(stripped["ours"]), mb(stripped["sdk"]), "MB"))

    say("size-profile builds (--profile min-size)")
    small = {name: build(path, "min-size") for name, path in sides.items()}
    size_register = {name: small[name]["register"].stat().st_size for name in sides}
    size_appflow = small["ours"]["appflow"].stat().st_size
    rows.append(("size profile: register only (MB)", mb(size_register["ours"]),
                 mb(size_register["sdk"]), "MB"))
    rows.append(("size profile: whole-API tool examples/appflow (MB)", mb(size_appflow),
                 None, "MB"))

    say("size-profile builds, non-PIE without unwind tables, both sides")
    lean = {name: build(path, "min-size", lean=True) for name, path in sides.items()}
    lean_register = {name: lean[name]["register"].stat().st_size for name in sides}
    lean_appflow = lean["ours"]["appflow"].stat().st_size
    rows.append(("  same, non-PIE, no unwind tables: register (MB)", mb(lean_register["ours"]),
                 mb(lean_register["sdk"]), "MB"))
    rows.append(("  same, non-PIE, no unwind tables: examples/appflow (MB)", mb(lean_appflow),
                 None, "MB"))

    if musl_ready():
        say(f"static musl builds ({MUSL}, --profile min-size)")
        musl = {}
        for name, path in sides.items():
            try:
                musl[name] = build(path, "min-size", MUSL, lean=True)["register"].stat().st_size
            except subprocess.CalledProcessError:
                musl[name] = None
        rows.append(("static musl, non-PIE, no unwind tables: register (MB)", mb(musl["ours"]),
                     mb(musl["sdk"]), "MB"))
    else:
        say(f"static musl: skipped ({MUSL} target or musl-gcc not installed)")

    env = clean_env()
    say(f"one register-connector call per run, {args.runs} alternating runs per side")
    seconds, peaks = {"ours": [], "sdk": []}, {"ours": [], "sdk": []}
    with FakeAppFlow(env) as fake:
        for i in range(args.runs):
            for name in sides:
                binary = release[name]["register"]
                label = f"{name}-one-{i}"
                seconds[name].append(timed(binary, [label, LAMBDA_ARN], fake.env, label, work))
                label = f"{name}-rss-{i}"
                peaks[name].append(peak_rss_kib(binary, [label, LAMBDA_ARN], fake.env, label))
    rss = {name: median(peaks[name]) for name in sides}
    start = {name: median(seconds[name]) * 1000 for name in sides}
    rows.append(("peak RSS, one call (MiB)", rss["ours"] / 1024, rss["sdk"] / 1024, "MiB"))
    rows.append(("process start to answer (ms)", start["ours"], start["sdk"], "ms"))

    say(f"{args.calls} calls over one connection, {args.throughput_runs} alternating runs per side")
    rates, cpu = {"ours": [], "sdk": []}, {"ours": [], "sdk": []}
    for i in range(args.throughput_runs):
        for name in sides:
            # A fresh fake per run: its registry is capped, and every run
            # starts from the same state.
            with FakeAppFlow(env) as fake:
                rate, seconds = throughput(release[name]["register"], args.calls,
                                           f"{name}-loop-{i}", fake.env, work)
            rates[name].append(rate)
            cpu[name].append(seconds / args.calls * 1e6)
    rows.append(("calls per second, one connection", median(rates["ours"]),
                 median(rates["sdk"]), "/s"))
    rows.append(("client CPU time per call (us), same runs", median(cpu["ours"]),
                 median(cpu["sdk"]), "us"))

    say(f"peak RSS over {args.calls} calls, one run per side")
    loop_rss = {}
    for name in sides:
        with FakeAppFlow(env) as fake:
            loop_rss[name] = peak_rss_kib(release[name]["register"],
                                          ["--calls", str(args.calls), f"{name}-rss-loop", LAMBDA_ARN],
                                          fake.env, "calls per second")
    rows.append((f"peak RSS after {args.calls} calls (MiB)", loop_rss["ours"] / 1024,
                 loop_rss["sdk"] / 1024, "MiB"))

    if shutil.which("strace"):
        say(f"threads and name lookups over {STRACE_CALLS} calls to localhost (strace)")
        per_call = {}
        for name in sides:
            with FakeAppFlow(env) as fake:
                per_call[name] = threads_and_lookups(release[name]["register"], fake.env, name, work)
        rows.append(("threads started per call (localhost endpoint)", per_call["ours"][0],
                     per_call["sdk"][0], ""))
        rows.append(("name lookups per call (localhost endpoint)", per_call["ours"][1],
                     per_call["sdk"][1], ""))
    else:
        say("threads and lookups: skipped (strace not installed)")

    print_table(rows, args)
    ratio = lambda a, b: f"{a / b:.2f}"
    print(f"ratio size-profile binary (sdk/ours): {ratio(size_register['sdk'], size_appflow)}")
    print("ratio size-profile binary, both non-PIE without unwind tables (sdk/ours): "
          f"{ratio(lean_register['sdk'], lean_appflow)}")
    print(f"ratio crates (sdk/ours): {ratio(crates['sdk'], crates['ours'])}")
    if build_seconds["ours"]:
        print("ratio clean build time (sdk/ours): "
              f"{ratio(median(build_seconds['sdk']), median(build_seconds['ours']))}")
    else:
        print("ratio clean build time (sdk/ours): n/a (--skip-build-time)")
    print(f"ratio peak rss (sdk/ours): {ratio(rss['sdk'], rss['ours'])}")
    print(f"ratio calls per second (ours/sdk): {ratio(median(rates['ours']), median(rates['sdk']))}")
    print(f"ratio start to answer (sdk/ours): {ratio(start['sdk'], start['ours'])}")


def count_crates(path):
    out = subprocess.run(["cargo", "tree", "-q", "-e", "normal", "--prefix", "none"],
                         cwd=path, check=True, capture_output=True, text=True).stdout
    names = {re.sub(r" \((\*|proc-macro)\)", "", line).strip() for line in out.splitlines()}
    return len({n for n in names if n})


def clean_build(path, target_dir):
    """Seconds for `cargo build --release` of the register tool from nothing
    (the crates already downloaded)."""
    subprocess.run(["cargo", "fetch", "-q"], cwd=path, check=True)
    started = time.monotonic()
    subprocess.run(["cargo", "build", "-q", "--release", "--bin", bin_name(path, "register"),
                    "--target-dir", str(target_dir)], cwd=path, check=True)
    seconds = time.monotonic() - started
    shutil.rmtree(target_dir, ignore_errors=True)
    return seconds


def build(path, profile, target=None, lean=False):
    """Builds both tools; `lean` adds LEAN_FLAGS, in a target directory of its own."""
    target_dir = path / ("target-lean" if lean else "target")
    if lean and not target:
        # With --target, the flags reach the program's crates only, not the
        # proc macros and build scripts (which a non-PIE flag would break).
        target = host_triple()
    command = ["cargo", "build", "-q", "--profile", profile, "--target-dir", str(target_dir)]
    if lean:
        command += ["--config", LEAN_FLAGS]
    if target:
        command += ["--target", target]
    subprocess.run(command, cwd=path, check=True)
    out_dir = target_dir / (target or "") / profile
    binaries = {"register": out_dir / bin_name(path, "register")}
    if path == OURS:
        binaries["appflow"] = out_dir / "appflow"
    return binaries


def host_triple():
    out = subprocess.run(["rustc", "-vV"], check=True, capture_output=True, text=True).stdout
    return re.search(r"^host: (\S+)", out, re.M).group(1)


def bin_name(path, role):
    return "appflow-sdk-register" if path == SDK else role


def musl_ready():
    installed = subprocess.run(["rustup", "target", "list", "--installed"],
                               capture_output=True, text=True).stdout.split()
    return MUSL in installed and shutil.which("musl-gcc") is not None


def clean_env():
    """The same settings for both tools, and nothing from this machine's AWS setup."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("AWS_") and k not in ("HTTP_PROXY", "HTTPS_PROXY",
                                                    "http_proxy", "https_proxy")}
    env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/nonexistent/appflow-compare/config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/appflow-compare/credentials",
        "AWS_EC2_METADATA_DISABLED": "true",
    })
    return env


class FakeAppFlow:
    """The project's fake AppFlow (release build), on a free port."""

    binary = None

    def __init__(self, env):
        self.env = dict(env)

    def __enter__(self):
        if FakeAppFlow.binary is None:
            subprocess.run(["cargo", "build", "-q", "--release", "-p", "fake-appflow"],
                           cwd=ROOT, check=True)
            FakeAppFlow.binary = ROOT / "target" / "release" / "fake-appflow"
        self.process = subprocess.Popen([str(FakeAppFlow.binary), "--bind", "127.0.0.1:0"],
                                        env=self.env, stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        found = re.search(r"listening on (\S+)", line)
        if not found:
            self.process.kill()
            fail(f"the fake did not start: {line!r}")
        self.env["AWS_ENDPOINT_URL_APPFLOW"] = found.group(1)
        return self

    def __exit__(self, *exc):
        self.process.kill()
        self.process.wait()


def spawn(binary, argv, env, work):
    """Runs the tool once, stdout to a file: its exit status, stdout, rusage,
    and the wall seconds from spawn to exit."""
    out = work / "stdout"
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    actions = [(os.POSIX_SPAWN_OPEN, 1, str(out), flags, 0o600)]
    started = time.perf_counter()
    pid = os.posix_spawn(str(binary), [str(binary), *argv], env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    return os.waitstatus_to_exitcode(status), out.read_text(), usage, seconds


def timed(binary, argv, env, expect, work):
    """Wall seconds from spawn to exit of one run."""
    code, out, _, seconds = spawn(binary, argv, env, work)
    if code != 0 or expect not in out:
        fail(f"{binary.name} {' '.join(argv)} failed; run it by hand to see why")
    return seconds


def throughput(binary, calls, label, env, work):
    """The calls per second a `--calls` run reports, and the CPU time (user
    and system) the tool used for them."""
    code, out, usage, _ = spawn(binary, ["--calls", str(calls), label, LAMBDA_ARN], env, work)
    found = re.search(r"([0-9.]+) calls per second", out)
    if code != 0 or not found:
        fail(f"{binary.name} throughput run failed; run it by hand to see why")
    return float(found.group(1)), usage.ru_utime + usage.ru_stime


STRACE_CALLS = 200


def threads_and_lookups(binary, env, name, work):
    """Threads started (clone and clone3 calls) and name lookups (opens of
    /etc/hosts, which getaddrinfo reads for each lookup) per call, over
    STRACE_CALLS calls to the fake named `localhost`, so that a client that
    looks the name up again shows it."""
    env = dict(env)
    env["AWS_ENDPOINT_URL_APPFLOW"] = env["AWS_ENDPOINT_URL_APPFLOW"].replace(
        "127.0.0.1", "localhost")
    log = work / f"{name}-strace"
    subprocess.run(["strace", "-f", "-qq", "-o", str(log), "-e", "trace=clone,clone3,openat",
                    str(binary), "--calls", str(STRACE_CALLS), f"{name}-strace", LAMBDA_ARN],
                   env=env, capture_output=True, check=True, timeout=600)
    lines = log.read_text().splitlines()
    threads = sum(1 for line in lines if re.match(r"^\d+\s+clone3?\(", line))
    lookups = sum(1 for line in lines if '"/etc/hosts"' in line)
    return threads / STRACE_CALLS, lookups / STRACE_CALLS


def peak_rss_kib(binary, argv, env, expect):
    """Peak RSS of one run, from GNU time. A child of this Python process
    would report at least Python's own peak (Linux keeps the largest RSS a
    process had, across exec), so the small `time` program starts it."""
    result = subprocess.run([GNU_TIME, "-f", "%M", str(binary), *argv], env=env,
                            capture_output=True, text=True, timeout=120)
    if result.returncode != 0 or expect not in result.stdout:
        fail(f"{binary.name} {' '.join(argv)} failed:\n{result.stdout}{result.stderr}")
    return int(result.stderr.strip().splitlines()[-1])


def print_table(rows, args):
    cores = os.cpu_count()
    print()
    print(f"appflow-lite vs aws-sdk-appflow, {time.strftime('%Y-%m-%d')}, "
          f"{platform.machine()} with {cores} cores, {cpu_model()}")
    print(f"medians of alternating runs: {args.runs} single calls, {args.throughput_runs} x "
          f"{args.calls} calls, {args.build_runs} clean build(s) per side")
    print()
    print(f"| {'':<52} | {'appflow-lite':>12} | {'aws-sdk-appflow':>15} |")
    print(f"|{'-' * 54}|{'-' * 14}|{'-' * 17}|")
    for label, ours, sdk, _unit in rows:
        print(f"| {label:<52} | {fmt(ours):>12} | {fmt(sdk):>15} |")
    print()


def cpu_model():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def fmt(value):
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    if value < 1:
        return f"{value:.3f}"
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def mb(size):
    return None if size is None else size / 1_000_000


def median(values):
    return statistics.median(values)


def say(message):
    print(f"== {message}", file=sys.stderr, flush=True)


def fail(message):
    print(f"compare: {message}", file=sys.stderr)
    sys.exit(1)


if __name__ == "__main__":
    main()
