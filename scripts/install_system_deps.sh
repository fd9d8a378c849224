#!/usr/bin/env bash
# Install the Debian packages the project needs beyond pip, if they are missing:
#   libfribidi0 + libraqm0  so Pillow (word clouds) can shape Arabic itself (PIL.features raqm)
#   chromium                 only for the test that opens the built HTML report (pass --with-browser)
# Prints what it does; without root or apt-get it says what to install and carries on.
set -u
pkgs=(libfribidi0 libraqm0)
[ "${1:-}" = "--with-browser" ] && pkgs+=(chromium)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "note: please install these Debian packages: ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
  exit 0
fi
echo "installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
