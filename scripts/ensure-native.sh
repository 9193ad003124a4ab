#!/usr/bin/env bash
# Makes this machine able to load TorchSharp 0.107.0's libtorch (2.10), which needs a libstdc++ that
# exports GLIBCXX_3.4.32. Debian 12 ships 3.4.30; Debian 13 (trixie) ships 3.4.33. When the symbol is
# missing on a Debian 12 machine, this adds trixie as a low-priority (pin 100) apt source on the same
# mirror the machine already uses and installs trixie's libstdc++6 only. Does nothing when the symbol is
# already there. Idempotent; needs root (or sudo) only when it has something to install.
set -euo pipefail

find_libstdcxx() {
  local candidates=(/usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6
                    /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6)
  for c in "${candidates[@]}"; do [ -e "$c" ] && { echo "$c"; return 0; }; done
  ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}'
}

has_symbol() {
  local lib; lib=$(find_libstdcxx)
  [ -n "$lib" ] && grep -aq 'GLIBCXX_3\.4\.32' "$lib"
}

if has_symbol; then
  exit 0
fi

if [ "$(uname -s)" != "Linux" ] || [ ! -r /etc/os-release ]; then
  echo "ensure-native: libstdc++ lacks GLIBCXX_3.4.32 and this is not a Linux system this script knows; install a libstdc++ from GCC 13 or newer." >&2
  exit 1
fi
. /etc/os-release
if [ "${ID:-}" != "debian" ]; then
  echo "ensure-native: libstdc++ lacks GLIBCXX_3.4.32 (needed by libtorch 2.10 in TorchSharp 0.107). On ${PRETTY_NAME:-this system} install libstdc++6 from GCC 13 or newer with the system package manager." >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "ensure-native: need root to install libstdc++6 from Debian trixie" >&2; exit 1; }
  SUDO="sudo"
fi

# The mirror URI the machine already uses for Debian's main archive (deb822 or one-line format).
uri=""
if [ -r /etc/apt/sources.list.d/debian.sources ]; then
  uri=$(awk '/^URIs:/{for(i=2;i<=NF;i++) if ($i !~ /security/) {print $i; exit}}' /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$uri" ]; then
  uri=$(grep -hsE '^deb[[:space:]]' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null \
        | awk '$0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^(https?|file|mirror):/) {print $i; exit}}' | head -n1)
fi
uri=${uri:-http://deb.debian.org/debian}

echo "ensure-native: libstdc++ lacks GLIBCXX_3.4.32; installing libstdc++6 from Debian trixie ($uri)" >&2
$SUDO tee /etc/apt/sources.list.d/hfpl-trixie.sources >/dev/null <<SRC
Types: deb
URIs: $uri
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
$SUDO tee /etc/apt/preferences.d/hfpl-trixie.pref >/dev/null <<PIN
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq -t trixie libstdc++6 >/dev/null
has_symbol || { echo "ensure-native: libstdc++6 from trixie installed but GLIBCXX_3.4.32 is still missing" >&2; exit 1; }
echo "ensure-native: done" >&2
