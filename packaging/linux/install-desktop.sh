#!/bin/sh
# Add Workbench to the desktop's application menu and open .wbproj files with it.
#
#   ./install-desktop.sh            for you alone (~/.local)
#   sudo ./install-desktop.sh /usr/local   for everyone
#   ./install-desktop.sh --uninstall [PREFIX]
#
# Run it from the built folder (dist/workbench/); the folder stays where it is, so move it to its
# final place (e.g. ~/Applications/workbench or /opt/workbench) before running this.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
uninstall=no
if [ "${1:-}" = "--uninstall" ]; then uninstall=yes; shift; fi
prefix=${1:-"$HOME/.local"}
share="$prefix/share"
icons="$share/icons/hicolor"

if [ "$uninstall" = yes ]; then
    rm -f "$prefix/bin/workbench" "$share/applications/workbench.desktop" \
        "$share/mime/packages/workbench.xml" "$icons/scalable/apps/workbench.svg"
    for png in "$icons"/*/apps/workbench.png; do rm -f "$png"; done
else
    [ -x "$here/workbench" ] || { echo "install-desktop: run this from the built folder" >&2; exit 1; }
    mkdir -p "$prefix/bin" "$share/applications" "$share/mime/packages" "$icons/scalable/apps"
    ln -sf "$here/workbench" "$prefix/bin/workbench"
    sed "s|^Exec=workbench|Exec=\"$here/workbench\"|" "$here/share/workbench.desktop" \
        > "$share/applications/workbench.desktop"
    cp "$here/share/workbench-mime.xml" "$share/mime/packages/workbench.xml"
    cp "$here/share/icons/workbench.svg" "$icons/scalable/apps/workbench.svg"
    for png in "$here"/share/icons/workbench-*.png; do
        size=$(basename "$png" .png | sed 's/workbench-//')
        mkdir -p "$icons/${size}x${size}/apps"
        cp "$png" "$icons/${size}x${size}/apps/workbench.png"
    done
fi
# Refresh the desktop's caches where the tools exist; a desktop without them rereads on login.
command -v update-mime-database >/dev/null && update-mime-database "$share/mime" || true
command -v update-desktop-database >/dev/null && update-desktop-database "$share/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$icons" || true
if [ "$uninstall" = yes ]; then echo "Workbench removed from $prefix"; else
    echo "Workbench added to the application menu ($share/applications/workbench.desktop)"
    echo "and $prefix/bin/workbench links to $here/workbench"
fi
