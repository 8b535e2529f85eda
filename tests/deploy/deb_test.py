#!/usr/bin/env python3
"""The Debian package (cmake/Package.cmake): runs cpack in the build tree into a private
directory, then checks the .deb without installing it:

- dpkg-deb -c: the binary in /usr/bin, every run-time dictionary under /usr/share/wenku/dict,
  the systemd unit, /etc/default/wenku (mode 0600), the nginx example and docs; no templates or
  static files (they are embedded) and nothing outside /usr, /etc/default, /lib/systemd;
- dpkg-deb -I: name, version, architecture, the conffile, the maintainer scripts, and Depends
  naming adduser and the package of every shared library the binary links (DT_NEEDED);
- dpkg-deb -x: the unit, default file and scripts are the ones in deploy/; the extracted
  binary prints its version, finds the extracted dictionaries by itself (../share/wenku/dict)
  to segment a line, and serves the demo site (pages, search, static files) from them.

  deb_test.py --build-dir DIR --source-dir DIR --cpack CPACK --binary WENKU --version X.Y.Z
"""

import argparse
import glob
import os
import re
import stat

from deploy_support import (Failure, check, exercise_site, require_program, run, run_checks,
                            start_wenku, stop_process, temp_dir)

DICT_FILES = ["jieba.dict.utf8", "hmm_model.utf8", "idf.utf8", "stop_words.utf8",
              "user.dict.utf8", "gongwen.dict.utf8", "aliases.utf8",
              "china-division/provinces.json", "china-division/cities.json",
              "china-division/areas.json"]
UNIT = "/lib/systemd/system/wenku.service"
DEFAULTS = "/etc/default/wenku"


def package_of_library(soname, resolved):
    """The Debian package holding shared library `soname` (found at `resolved` by ldd)."""
    candidates = [resolved]
    if resolved.startswith("/usr/"):
        candidates.append(resolved[len("/usr"):])
    else:
        candidates.append("/usr" + resolved)
    for path in candidates:
        result = run(["dpkg-query", "-S", path])
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].strip()
    raise Failure(f"no package holds {soname} ({resolved})")


def needed_packages(binary):
    """{soname: package} for the binary's DT_NEEDED libraries."""
    dump = run(["objdump", "-p", binary])
    check(dump.returncode == 0, f"objdump -p failed: {dump.stderr}")
    needed = re.findall(r"^\s*NEEDED\s+(\S+)", dump.stdout, re.M)
    check(needed, "no NEEDED entries in the binary")
    ldd = run(["ldd", binary])
    resolved = dict(re.findall(r"^\s*(\S+)\s+=>\s+(\S+)", ldd.stdout, re.M))
    return {soname: package_of_library(soname, resolved[soname]) for soname in needed}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--source-dir", required=True)
    parser.add_argument("--cpack", required=True)
    parser.add_argument("--binary", required=True)
    parser.add_argument("--version", required=True)
    args = parser.parse_args()

    def body():
        require_program("dpkg-deb", "dpkg")
        require_program("dpkg-shlibdeps", "dpkg-dev")
        require_program("objdump", "binutils")
        check(os.access(args.binary, os.X_OK), f"{args.binary} is not built")
        out = temp_dir("wenku-deb-")

        result = run([args.cpack, "--config", os.path.join(args.build_dir, "CPackConfig.cmake"),
                      "-B", out], cwd=args.build_dir)
        if result.returncode != 0:
            print(result.stdout + result.stderr)
        check(result.returncode == 0, f"cpack exited with status {result.returncode}")
        debs = glob.glob(os.path.join(out, "*.deb"))
        check(len(debs) == 1, f"cpack made {debs}, expected one .deb")
        deb = debs[0]
        arch = run(["dpkg", "--print-architecture"]).stdout.strip()
        expected_name = f"wenku_{args.version}-1_{arch}.deb"
        check(os.path.basename(deb) == expected_name,
              f"package file {os.path.basename(deb)}, expected {expected_name}")
        print(f"{deb}: {os.path.getsize(deb)} bytes")

        # ---- contents
        listing = run(["dpkg-deb", "-c", deb])
        check(listing.returncode == 0, f"dpkg-deb -c failed: {listing.stderr}")
        entries = {}
        for line in listing.stdout.splitlines():
            fields = line.split(None, 5)
            entries[fields[5].split(" -> ")[0].removeprefix(".")] = fields[0]
        files = {p: mode for p, mode in entries.items() if not mode.startswith("d")}
        print("\n".join(f"  {mode} {path}" for path, mode in sorted(files.items())))
        required = {"/usr/bin/wenku": "-rwxr-xr-x", UNIT: "-rw-r--r--",
                    DEFAULTS: "-rw-------",
                    "/usr/share/wenku/nginx/wenku.conf": "-rw-r--r--",
                    "/usr/share/doc/wenku/deploy.md": "-rw-r--r--"}
        required.update({f"/usr/share/wenku/dict/{f}": "-rw-r--r--" for f in DICT_FILES})
        for path, mode in required.items():
            check(path in files, f"{path} is not in the package")
            check(files[path] == mode, f"{path} has mode {files[path]}, expected {mode}")
        for path in files:
            check(path.startswith(("/usr/", "/etc/default/", "/lib/systemd/system/")),
                  f"{path} is outside the package's places")
            check(not path.endswith((".mustache", ".sql", ".css", ".js")),
                  f"{path}: templates, migrations and static files are embedded, not shipped")
        check(set(files) == set(required),
              f"unexpected files in the package: {sorted(set(files) - set(required))}")

        # ---- control
        info = run(["dpkg-deb", "-I", deb])
        check(info.returncode == 0, f"dpkg-deb -I failed: {info.stderr}")
        print(info.stdout)
        fields = dict(re.findall(r"^ ([A-Za-z-]+): (.*)$", info.stdout, re.M))
        check(fields.get("Package") == "wenku", f"Package: {fields.get('Package')}")
        check(fields.get("Version") == f"{args.version}-1", f"Version: {fields.get('Version')}")
        check(fields.get("Architecture") == arch, f"Architecture: {fields.get('Architecture')}")
        depends = {re.split(r"[\s(]", d.strip())[0]
                   for d in fields.get("Depends", "").split(",") if d.strip()}
        check("adduser" in depends, "Depends lacks adduser (postinst runs adduser)")
        for soname, package in sorted(needed_packages(args.binary).items()):
            package = package.split(":")[0]
            # The library's package, or a name it provides (libspdlog1.10-fmt9).
            provides = run(["dpkg-query", "-W", "-f=${Provides}", package]).stdout
            names = {package} | {re.split(r"[\s(]", p.strip())[0]
                                 for p in provides.split(",") if p.strip()}
            check(names & depends, f"Depends lacks {package} (for {soname}): {depends}")
        control = os.path.join(out, "control")
        check(run(["dpkg-deb", "-e", deb, control]).returncode == 0, "dpkg-deb -e failed")
        check(os.path.exists(os.path.join(control, "conffiles")), "the package has no conffiles")
        with open(os.path.join(control, "conffiles"), encoding="utf-8") as f:
            check(f.read().split() == [DEFAULTS], "conffiles is not exactly /etc/default/wenku")
        for script in ("postinst", "prerm", "postrm"):
            path = os.path.join(control, script)
            check(os.path.exists(path), f"no {script} in the package")
            check(stat.S_IMODE(os.stat(path).st_mode) == 0o755, f"{script} is not mode 0755")
            check(same_file(path, os.path.join(args.source_dir, "deploy/debian", script)),
                  f"{script} differs from deploy/debian/{script}")
            check(run(["sh", "-n", path]).returncode == 0, f"{script} is not valid sh")

        # ---- extracted
        root = os.path.join(out, "root")
        check(run(["dpkg-deb", "-x", deb, root]).returncode == 0, "dpkg-deb -x failed")
        check(same_file(root + UNIT, os.path.join(args.source_dir, "deploy/wenku.service")),
              "the packaged unit differs from deploy/wenku.service")
        check(same_file(root + DEFAULTS,
                        os.path.join(args.source_dir, "deploy/debian/wenku.default")),
              "the packaged /etc/default/wenku differs from deploy/debian/wenku.default")
        binary = root + "/usr/bin/wenku"
        env = {k: v for k, v in os.environ.items() if k != "WENKU_DICT_DIR"}
        version = run([binary, "--version"], env=env)
        check(version.returncode == 0 and version.stdout.strip() == args.version,
              f"{binary} --version: {version.stdout!r} {version.stderr!r}")
        segmented = run([binary, "segment"], input="中华人民共和国国务院办公厅印发通知\n", env=env)
        check(segmented.returncode == 0, f"wenku segment failed: {segmented.stderr}")
        words = segmented.stdout.split()
        check(len(words) >= 3 and "".join(words) == "中华人民共和国国务院办公厅印发通知",
              f"wenku segment: {segmented.stdout!r}")
        print(f"segment: {segmented.stdout.strip()}")
        # Without the extracted dictionaries the binary must not find any: proves it used
        # them (unless an installed copy exists on this machine to fall back on).
        fallbacks = ["/usr/local/share/wenku/dict", "/usr/share/wenku/dict"]
        if not any(os.path.exists(f) for f in fallbacks):
            aside = root + "/usr/share/wenku/dict-aside"
            os.rename(root + "/usr/share/wenku/dict", aside)
            missing = run([binary, "segment"], input="通知\n", env=env)
            os.rename(aside, root + "/usr/share/wenku/dict")
            check(missing.returncode != 0 and "no segmentation dictionary" in missing.stderr,
                  "the extracted binary ran without the extracted dictionaries")
        data = os.path.join(out, "library")
        process, base = start_wenku([], binary, data, os.path.join(out, "serve.log"), env=env)
        try:
            requests = exercise_site(base)
            print(f"the extracted binary served {requests} requests of the demo site")
        finally:
            check(stop_process(process) == 0, "wenku serve did not stop cleanly")

    run_checks("DeployDeb.PackageTest", body)


def same_file(a, b):
    with open(a, "rb") as fa, open(b, "rb") as fb:
        return fa.read() == fb.read()


if __name__ == "__main__":
    main()
