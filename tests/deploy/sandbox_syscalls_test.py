#!/usr/bin/env python3
"""The sandbox of deploy/wenku.service fits what `wenku serve` really does. systemd is not
PID 1 here, so the unit cannot be started; instead the server runs under strace (as `nobody`
when the test runs as root, as the unit runs as `wenku`), with two workers, serves the demo
site, takes an admin upload and finds it by search, and stops on SIGTERM. Every traced
process must then have kept to the options read from the unit:

- SystemCallFilter= (allow list, minus the ~ lines): every system call made is in the
  filter (groups expanded by `systemd-analyze syscall-filter`);
- MemoryDenyWriteExecute=yes: no mmap with PROT_WRITE|PROT_EXEC, no mprotect/pkey_mprotect
  adding PROT_EXEC, no shmat with SHM_EXEC (systemd's seccomp rules);
- RestrictAddressFamilies=: no other socket family;
- ProtectSystem=strict (+ StateDirectory, PrivateTmp): nothing created, written, renamed or
  removed outside the data directory and /tmp;
- ProtectHome=yes, ProcSubset=pid, PrivateDevices=yes: no /home, /root, /run/user; no /proc
  file but the process's own (and the one glibc reads and does without); only the devices
  PrivateDevices leaves.

Skipped (77) where systemd-analyze is missing; strace is required.

  sandbox_syscalls_test.py --source-dir DIR --binary WENKU
"""

import argparse
import glob
import os
import re
import shutil

from deploy_support import (check, exercise_site, require_program, run, run_checks, skip,
                            start_wenku, stop_traced, temp_dir, unprivileged_prefix,
                            upload_and_find)

# What PrivateDevices=yes leaves in /dev.
DEVICES = {"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty",
           "/dev/ptmx"}
# /proc files outside /proc/self that a library reads and does without when they are hidden.
TOLERATED_PROC = {"/proc/sys/vm/overcommit_memory"}  # glibc malloc: trimming heuristics
WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC")
PATH_WRITERS = {"mkdir", "mkdirat", "unlink", "unlinkat", "rmdir", "rename", "renameat",
                "renameat2", "link", "linkat", "symlink", "symlinkat", "chmod", "fchmodat",
                "truncate", "mknod", "mknodat", "utimensat"}


def syscall_groups(analyze):
    """{"@group": [members]} from `systemd-analyze syscall-filter`."""
    listing = run([analyze, "syscall-filter", "--no-pager"])
    check(listing.returncode == 0, f"systemd-analyze syscall-filter failed: {listing.stderr}")
    groups, current = {}, None
    for line in listing.stdout.splitlines():
        if line.startswith("@"):
            current = line.split()[0]
            groups[current] = []
        elif current and line.strip() and not line.strip().startswith("#"):
            groups[current].append(line.strip())
    check("@system-service" in groups, "systemd-analyze lists no @system-service group")
    return groups


def expand(groups, name, seen=None):
    seen = set() if seen is None else seen
    if not name.startswith("@"):
        return {name}
    if name in seen:
        return set()
    seen.add(name)
    out = set()
    for member in groups.get(name, []):
        out |= expand(groups, member, seen)
    return out


def parse_traces(prefix):
    """[(pid, name, args, result)] of every complete call in strace -ff files `prefix`.*."""
    calls = []
    line_re = re.compile(r"^(\w+)\((.*)\)\s+=\s+(.*)$")
    for path in glob.glob(prefix + ".*"):
        pid = path.rsplit(".", 1)[1]
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                match = line_re.match(line.rstrip("\n"))
                if match:
                    calls.append((pid, match.group(1), match.group(2), match.group(3)))
    return calls


def unit_options(path):
    """{key: [values]} of the [Service] section of a unit file."""
    options, section = {}, None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                section = line[1:-1]
            elif section == "Service" and "=" in line and not line.startswith(("#", ";")):
                key, value = line.split("=", 1)
                options.setdefault(key.strip(), []).append(value.strip())
    return options


def syscall_filter(options, groups):
    """The system calls SystemCallFilter= allows: its allow list minus its ~ lines."""
    lines = options.get("SystemCallFilter", [])
    check(lines and not lines[0].startswith("~"), "the unit has no SystemCallFilter allow list")
    allowed, denied = set(), set()
    for line in lines:
        target = denied if line.startswith("~") else allowed
        for name in line.lstrip("~").split():
            target |= expand(groups, name)
    return allowed - denied


def first_paths(args):
    return re.findall(r'"((?:[^"\\]|\\.)*)"', args)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        skip("systemd-analyze is not installed (Debian package systemd): no filter to check")

    def body():
        strace = require_program("strace", "strace")
        check(os.access(args.binary, os.X_OK), f"{args.binary} is not built")
        groups = syscall_groups(analyze)
        options = unit_options(os.path.join(args.source_dir, "deploy/wenku.service"))
        allowed = syscall_filter(options, groups)
        families = set(" ".join(options.get("RestrictAddressFamilies", [])).split())
        check(families, "the unit has no RestrictAddressFamilies=")
        deny_wx = options.get("MemoryDenyWriteExecute") == ["yes"]
        strict = options.get("ProtectSystem") == ["strict"]
        no_home = options.get("ProtectHome") == ["yes"]
        pid_proc = options.get("ProcSubset") == ["pid"]
        no_devices = options.get("PrivateDevices") == ["yes"]
        print("checking: SystemCallFilter=" + " ".join(options["SystemCallFilter"]) +
              f" RestrictAddressFamilies={' '.join(sorted(families))}" +
              "".join(f" {name}" for name, on in (
                  ("MemoryDenyWriteExecute", deny_wx), ("ProtectSystem=strict", strict),
                  ("ProtectHome", no_home), ("ProcSubset=pid", pid_proc),
                  ("PrivateDevices", no_devices)) if on))

        work = temp_dir("wenku-sandbox-")
        data = os.path.join(work, "data")
        traces = os.path.join(work, "trace")
        prefix = unprivileged_prefix(work)
        tracer = [strace, "-ff", "-qq", "-s", "256", "-o", traces]
        process, base = start_wenku(prefix + tracer, args.binary, data,
                                    os.path.join(work, "serve.log"), workers=2)
        try:
            requests = exercise_site(base)
            upload_and_find(base)
        finally:
            status = stop_traced(process)
        check(status == 0, f"wenku serve under strace exited with status {status}")

        calls = parse_traces(traces)
        pids = {pid for pid, _, _, _ in calls}
        print(f"{requests} requests and an upload: {len(calls)} system calls "
              f"in {len(pids)} threads and processes")
        check(len(pids) >= 3, "fewer than three traced processes and threads: no workers?")
        used = {name for _, name, _, _ in calls}
        print("system calls used: " + " ".join(sorted(used)))
        outside = sorted(used - allowed)
        check(not outside, f"system calls outside the unit's SystemCallFilter: {outside}")

        problems = []
        for pid, name, call_args, result in calls:
            failed = result.startswith("-1")
            if deny_wx and name in ("mmap", "mmap2") and "PROT_WRITE" in call_args and \
                    "PROT_EXEC" in call_args:
                problems.append(f"writable+executable mapping: {name}({call_args})")
            if deny_wx and name in ("mprotect", "pkey_mprotect") and "PROT_EXEC" in call_args:
                problems.append(f"executable protection: {name}({call_args})")
            if deny_wx and name == "shmat" and "SHM_EXEC" in call_args:
                problems.append(f"executable shared memory: {name}({call_args})")
            if name in ("socket", "socketpair"):
                family = call_args.split(",", 1)[0].strip()
                if family not in families:
                    problems.append(f"address family {family}: {name}({call_args})")
            paths = first_paths(call_args)
            if not paths:
                continue
            writing = name in PATH_WRITERS or (
                name in ("open", "openat", "openat2", "creat") and
                any(flag in call_args for flag in WRITE_FLAGS))
            for path in paths if name in PATH_WRITERS else paths[:1]:
                absolute = os.path.normpath(path if path.startswith("/")
                                            else os.path.join(data, path))
                if strict and writing and not failed and \
                        not absolute.startswith((work + "/", "/tmp/")) and absolute != "/dev/null":
                    problems.append(f"writes outside the state directory: {name}({call_args})")
                if no_home and (absolute.startswith(("/home/", "/root/", "/run/user/")) or
                                absolute in ("/home", "/root")):
                    problems.append(f"home directory access: {name}({call_args})")
                if pid_proc and absolute.startswith("/proc/") and \
                        absolute not in TOLERATED_PROC and \
                        not re.match(r"^/proc/(self|thread-self|\d+)(/|$)", absolute):
                    problems.append(f"/proc outside ProcSubset=pid: {name}({call_args})")
                if no_devices and absolute.startswith("/dev/") and absolute not in DEVICES and \
                        not absolute.startswith(("/dev/shm/", "/dev/pts/")):
                    problems.append(f"device outside PrivateDevices: {name}({call_args})")
        problems = sorted(set(problems))
        for problem in problems[:40]:
            print("  " + problem)
        check(not problems, f"{len(problems)} calls the unit's sandbox would refuse")

    run_checks("DeploySandbox.SyscallsTest", body)


if __name__ == "__main__":
    main()
