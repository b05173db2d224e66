#!/usr/bin/env bash
# Install the Debian packages gridmgmt needs, only those missing; as root or via sudo.
set -euo pipefail
PG_MAJOR=${PG_MAJOR:-15}
wanted=(
  "postgresql-$PG_MAJOR" "postgresql-$PG_MAJOR-postgis-3" "postgresql-$PG_MAJOR-pgrouting"
  gdal-bin fonts-noto-cjk chromium poppler-utils
  # Production HTTPS (deploy/), and certutil for the browser test that trusts Caddy's local CA.
  caddy libnss3-tools
)
# A machine may carry Node.js from elsewhere; Debian's npm would conflict with it.
command -v npm >/dev/null || wanted+=(nodejs npm)

missing=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "安装 Debian 软件包：${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
