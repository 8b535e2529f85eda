#!/usr/bin/env python3
"""deploy/wenku.service: `systemd-analyze verify` finds nothing to say about it (any warning
fails: systemd ignores a misspelt key or a bad value with only a warning), and the offline
`systemd-analyze security` review rates its exposure at most MAX_EXPOSURE (the sandboxing
options are there). ExecStart is pointed at the built binary, since /usr/bin/wenku is not
installed here. Skipped (77) where systemd-analyze is missing.

  systemd_unit_test.py --source-dir DIR --binary WENKU
"""

import argparse
import os
import re
import shutil

from deploy_support import check, run, run_checks, skip, temp_dir

# systemd's exposure scale: 0 (best) … 10. The unit rates 1.1 with systemd 252.
MAX_EXPOSURE = 1.5


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--binary", required=True)
    args = parser.parse_args()

    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        skip("systemd-analyze is not installed (Debian package systemd): unit not verified")

    def body():
        check(os.access(args.binary, os.X_OK), f"{args.binary} is not built")
        with open(os.path.join(args.source_dir, "deploy/wenku.service"), encoding="utf-8") as f:
            text = f.read()
        text, n = re.subn(r"^ExecStart=/usr/bin/wenku ", f"ExecStart={args.binary} ", text,
                          flags=re.M)
        check(n == 1, f"expected one ExecStart=/usr/bin/wenku line, found {n}")
        unit = os.path.join(temp_dir("wenku-unit-"), "wenku.service")
        with open(unit, "w", encoding="utf-8") as f:
            f.write(text)

        verify = run([analyze, "verify", "--man=no", unit])
        output = (verify.stdout + verify.stderr).strip()
        print(f"systemd-analyze verify: status {verify.returncode}" +
              (f"\n{output}" if output else ", no output"))
        check(verify.returncode == 0, "systemd-analyze verify failed")
        check(output == "", "systemd-analyze verify warned about the unit")

        security = run([analyze, "security", "--offline=yes", "--no-pager", unit])
        print("\n".join(line for line in security.stdout.splitlines()
                        if "✗" in line or "Overall" in line) + security.stderr)
        match = re.search(r"Overall exposure level for \S+: ([0-9.]+)", security.stdout)
        check(match is not None, "systemd-analyze security printed no exposure level")
        exposure = float(match.group(1))
        check(exposure <= MAX_EXPOSURE,
              f"exposure {exposure} is above {MAX_EXPOSURE}: sandboxing options were lost")
        for option in ("NoNewPrivileges=yes", "ProtectSystem=strict", "ProtectHome=yes",
                       "PrivateTmp=yes", "PrivateDevices=yes", "MemoryDenyWriteExecute=yes",
                       "SystemCallFilter=@system-service", "CapabilityBoundingSet=\n",
                       "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX\n",
                       "User=wenku\n", "StateDirectory=wenku\n",
                       "EnvironmentFile=/etc/default/wenku\n", "Restart=on-failure\n"):
            check(f"\n{option}" in text, f"the unit lacks {option.strip()}")

    run_checks("DeploySystemd.UnitTest", body)


if __name__ == "__main__":
    main()
