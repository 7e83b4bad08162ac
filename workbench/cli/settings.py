"""`workbench settings`: show and change the settings the window's Settings dialog shows.

workbench settings                      # every setting, its value, and where it comes from
workbench settings set deadline_s 90    # stored in the settings file
workbench settings unset deadline_s     # back to the default
"""

from __future__ import annotations

from typing import Any

from workbench.core.errors import InvalidInputError
from workbench.core.settings import BY_NAME, SETTINGS, Settings, decode, encode


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("settings", help="show or change settings (network, archives, you)")
    sub = p.add_subparsers(dest="settings_command", metavar="ACTION")
    p.set_defaults(handler=show)
    s = sub.add_parser("set", help="store a setting in the settings file")
    s.add_argument("name", help="a setting's name, as listed by `workbench settings`")
    s.add_argument("value", help="the new value (a number, an address or text)")
    s.set_defaults(handler=set_value)
    u = sub.add_parser("unset", help="forget a stored setting (its default applies again)")
    u.add_argument("name", help="a setting's name, as listed by `workbench settings`")
    u.set_defaults(handler=unset)


def _setting(name: str) -> Any:
    setting = BY_NAME.get(name)
    if setting is None or not setting.label:
        names = ", ".join(s.name for s in SETTINGS if s.label)
        raise InvalidInputError(f"There is no setting '{name}'; the settings are {names}.")
    return setting


def show(_args: Any) -> int:
    settings = Settings()
    print(f"# {settings.path}")
    for setting in SETTINGS:
        if not setting.label:
            continue
        from_env = settings.env_value(setting.name) if setting.env else None
        if from_env is not None:
            value, where = from_env, f"from {setting.env_name}"
        else:
            value = settings.stored(setting.name)
            where = "default" if value == setting.default else "settings file"
        env = f"  [{setting.env_name}]" if setting.env else ""
        print(f"{setting.name} = {encode(setting, value)}  ({where}){env}")
    for problem in settings.problems:
        print(f"# {problem}")
    return 0


def set_value(args: Any) -> int:
    setting = _setting(args.name)
    settings = Settings()
    settings.set(setting.name, decode(setting, args.value))
    print(f"{setting.name} = {encode(setting, settings.stored(setting.name))}")
    if settings.env_value(setting.name) is not None:
        print(f"Note: {setting.env_name} is set, and wins over the file for now.")
    return 0


def unset(args: Any) -> int:
    setting = _setting(args.name)
    Settings().set(setting.name, setting.default)
    print(f"{setting.name} = {encode(setting, setting.default)} (default)")
    return 0
