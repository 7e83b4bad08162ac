"""The built program's entry point: the same `workbench` command as the installed console script."""

import os

# Started with no locale at all (`env -i`, some service managers), Qt complains on stderr before
# switching to UTF-8 by itself; say UTF-8 first, as every desktop session does.
if not any(os.environ.get(name) for name in ("LC_ALL", "LC_CTYPE", "LANG")):
    os.environ["LC_CTYPE"] = "C.UTF-8"

from workbench.cli.main import main  # after the locale, before Qt loads

raise SystemExit(main())
