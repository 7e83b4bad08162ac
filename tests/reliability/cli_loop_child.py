"""Child process for test_concurrency: many `workbench` commands through the CLI's main().

    python cli_loop_child.py PROJECT TAG COUNT

Runs COUNT verdict and source commands on claims 1..N in turn, exactly as the command line
would (cli.main with argv), and exits 1 at the first command that does not succeed. Running
them in one process keeps the test fast while two such processes contend for the file.
"""

from __future__ import annotations

import sys

from workbench.cli.main import main as cli_main


def main() -> int:
    project, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    for i in range(count):
        claim = str(1 + i % 20)
        if i % 2:
            argv = ["source", project, claim, f"https://example.org/{tag}/{i}"]
        else:
            argv = ["verdict", project, claim, "true", "--note", f"{tag}-{i}"]
        code = cli_main(argv)
        if code != 0:
            print(f"command {argv} exited {code}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
