#!/usr/bin/env bash
# Installs the Debian packages and free fonts the project needs. Idempotent: skips what is present.
# Usage: scripts/install-system-deps.sh [runtime|test|bench]
#   runtime: CJK fonts (Noto CJK, FandolFang/FandolKai), the language model for the proofreader,
#            the PostgreSQL client tools (backup and restore)
#   test:    runtime + chromium for the browser tests + LibreOffice (the DOCX round-trip test)
#   bench:   test + python3-uno (LibreOffice is also the typesetting baseline: the bench keeps
#            one running with unoserver, whose server needs Debian's python3 with `uno`)
set -euo pipefail

level="${1:-runtime}"
root_dir="$(cd "$(dirname "$0")/.." && pwd)"
fonts_dir="${JIANBAO_FONTS_DIR:-$root_dir/var/fonts}"

sudo_cmd=()
if [ "$(id -u)" != "0" ]; then sudo_cmd=(sudo); fi

missing=()
need() { dpkg -s "$1" >/dev/null 2>&1 || missing+=("$1"); }

need fonts-noto-cjk
need libime-data-language-model
need poppler-utils
# pg_dump, pg_restore and psql for `jianbao backup` / `jianbao restore` on PostgreSQL.
if ! command -v pg_dump >/dev/null 2>&1 || ! command -v pg_restore >/dev/null 2>&1; then
  need postgresql-client
fi
if [ "$level" = "test" ] || [ "$level" = "bench" ]; then
  need chromium
  need libreoffice-writer-nogui
fi
if [ "$level" = "bench" ]; then
  need python3-uno
fi

if [ "${#missing[@]}" -gt 0 ]; then
  echo "Installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# FandolFang / FandolKai ship inside texlive-lang-chinese; unpack only the fonts, not its 500 MB of
# dependencies.
if [ ! -f "$fonts_dir/FandolFang-Regular.otf" ] || [ ! -f "$fonts_dir/FandolKai-Regular.otf" ]; then
  echo "Unpacking Fandol fonts into $fonts_dir"
  mkdir -p "$fonts_dir"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  if ! apt-cache show texlive-lang-chinese >/dev/null 2>&1; then
    "${sudo_cmd[@]}" apt-get update -qq
  fi
  (cd "$tmp" && apt-get download -qq texlive-lang-chinese >/dev/null)
  dpkg -x "$tmp"/texlive-lang-chinese_*.deb "$tmp/x"
  find "$tmp/x" -name 'Fandol*.otf' -exec cp {} "$fonts_dir/" \;
fi
echo "System dependencies ($level) are in place."
