#!/bin/sh
# Adds "listen [::]:80" to the shipped default.conf when the container has IPv6
# and the file is still the one the image shipped.
set -e
ME=$(basename "$0")
conf=/etc/nginx/conf.d/default.conf

[ -f /proc/net/if_inet6 ] || { echo "$ME: info: ipv6 not available"; exit 0; }
[ -f "$conf" ] || { echo "$ME: info: $conf is not a file or does not exist"; exit 0; }
[ -w "$conf" ] || { echo "$ME: info: can not modify $conf (read-only file system?)"; exit 0; }
if ! sha256sum -c --status /etc/nginx/.default.conf.sha256 2>/dev/null; then
	echo "$ME: info: $conf differs from the packaged version"
	exit 0
fi
sed -i -E 's,listen       80;,listen       80;\n    listen  [::]:80;,' "$conf"
echo "$ME: info: Enabled listen on IPv6 in $conf"
