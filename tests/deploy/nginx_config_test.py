#!/usr/bin/env python3
"""deploy/nginx/wenku.conf passes `nginx -t` (no warning either) inside a minimal nginx.conf
whose prefix, pid, logs, temporary and cache paths are all in a private directory, and says
what the site needs: a body limit equal to the site's upload limit (kMaxUploadBytes), the
client's address in X-Forwarded-For, retries of idempotent requests only.

  nginx_config_test.py --source-dir DIR
"""

import argparse
import os
import re

from deploy_support import (check, nginx_argv, nginx_site_for_test, max_upload_bytes,
                            nginx_size_bytes, require_program, run, run_checks,
                            strip_nginx_comments, temp_dir, write_nginx_conf)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir", required=True)
    args = parser.parse_args()
    conf_path = os.path.join(args.source_dir, "deploy/nginx/wenku.conf")

    def body():
        nginx = require_program("nginx", "nginx")
        with open(conf_path, encoding="utf-8") as f:
            text = f.read()
        prefix = temp_dir("wenku-nginx-t-")
        conf = write_nginx_conf(prefix, nginx_site_for_test(text, prefix))
        result = run(nginx_argv(nginx, prefix, conf) + ["-t"])
        output = result.stdout + result.stderr
        print(output.strip())
        check(result.returncode == 0, f"nginx -t exited with status {result.returncode}")
        check("syntax is ok" in output and "test is successful" in output,
              "nginx -t did not report success")
        check("[warn]" not in output and "[emerg]" not in output, "nginx -t warned")

        directives = strip_nginx_comments(text)
        sizes = re.findall(r"^\s*client_max_body_size\s+(\S+);", directives, re.M)
        check(len(sizes) == 1, f"expected one client_max_body_size, found {sizes}")
        limit = max_upload_bytes(args.source_dir)
        check(nginx_size_bytes(sizes[0]) == limit,
              f"client_max_body_size {sizes[0]} is not the site's upload limit ({limit} bytes)")
        check(re.search(r"proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for;",
                        directives), "X-Forwarded-For is not set to $proxy_add_x_forwarded_for")
        check("non_idempotent" not in directives, "non_idempotent would retry POST requests")
        retries = re.findall(r"^\s*proxy_next_upstream\s+([^;]+);", directives, re.M)
        check(any(set(r.split()) >= {"error", "timeout", "http_502", "http_503", "http_504"}
                  for r in retries), f"no failover on error/timeout/502/503/504: {retries}")
        servers = re.findall(r"^\s*server\s+(\S+)\s.*max_fails=\d+.*fail_timeout=\S+;",
                             directives, re.M)
        check(len(servers) >= 2, f"expected at least two nodes with max_fails: {servers}")

    run_checks("DeployNginx.ConfigTest", body)


if __name__ == "__main__":
    main()
