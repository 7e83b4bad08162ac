"""The built program's entry point: the same `workbench` command as the installed console script."""

import locale
import os

# Started with no locale at all (`env -i`, some service managers), Qt complains on stderr before
# switching to UTF-8 by itself; say UTF-8 first, as every desktop session does.
if not any(os.environ.get(name) for name in ("LC_ALL", "LC_CTYPE", "LANG")):
    os.environ["LC_CTYPE"] = "C.UTF-8"
# A locale named but not installed here (LANG=sv_SE.UTF-8 on a system without it, common in
# containers) leaves the C library in "C", and Qt says so in four lines on every start before
# switching to C.UTF-8. Switch first: Qt's own setlocale(LC_ALL, "") then fails as before and
# leaves this in place, and Qt still takes its QLocale (number and date formats) from LANG.
try:
    locale.setlocale(locale.LC_CTYPE, "")
except locale.Error:
    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")

from workbench.cli.main import main  # after the locale, before Qt loads

raise SystemExit(main())
