#!/bin/sh
# Builds the root file system of the debian:bookworm-slim stand-in in "$1".
#
# debootstrap's minbase variant from Debian's archive (debootstrap's own default
# mirror: no mirror is named here), then the same minimising the official image
# applies (docker-specific apt/dpkg settings, "slim" path excludes, no caches).
# The caller tars the directory and imports it with `docker import`.
set -eu

target="$1"
suite=bookworm

case "$target" in
	/?*) ;;
	*) echo "mkrootfs.sh: need an absolute target directory, got '$target'" >&2; exit 2 ;;
esac
[ "$(readlink -f "$target")" != / ] || { echo "mkrootfs.sh: refusing to use /" >&2; exit 2; }

debootstrap --variant=minbase "$suite" "$target"

# Nothing may still be mounted inside the target before files are removed there.
if grep -q " $target/" /proc/mounts; then
	echo "mkrootfs.sh: something is still mounted under $target" >&2
	exit 1
fi

# Services never start during `apt-get install` in an image build.
cat > "$target/usr/sbin/policy-rc.d" <<'EOF'
#!/bin/sh
# Package installs in an image build must not start services.
exit 101
EOF
chmod 0755 "$target/usr/sbin/policy-rc.d"

# dpkg: no sync() after unpacking (a build layer is thrown away on failure anyway).
echo 'force-unsafe-io' > "$target/etc/dpkg/dpkg.cfg.d/docker-apt-speedup"

# dpkg: the "slim" variant leaves documentation, manuals and translations out.
cat > "$target/etc/dpkg/dpkg.cfg.d/docker" <<'EOF'
# slim image: no documentation, manuals or translations (copyright files stay)
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/overrides/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/man/*
EOF

# apt: clean up after every install, keep indexes compressed, no translations.
cat > "$target/etc/apt/apt.conf.d/docker-clean" <<'EOF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
EOF
echo 'Acquire::GzipIndexes "true";' > "$target/etc/apt/apt.conf.d/docker-gzip-indexes"
echo 'Acquire::Languages "none";' > "$target/etc/apt/apt.conf.d/docker-no-languages"
echo 'Apt::AutoRemove::SuggestsImportant "false";' > "$target/etc/apt/apt.conf.d/docker-autoremove-suggests"

# Apply the slim excludes to what debootstrap already unpacked.
find "$target/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
find "$target/usr/share/doc" -mindepth 1 -type d -empty -delete 2>/dev/null || true
for dir in groff info linda lintian/overrides locale man; do
	rm -rf "$target/usr/share/$dir"
	mkdir -p "$target/usr/share/$dir"
done

# No caches, package lists, logs or host-specific files in the image.
rm -rf "$target/var/cache/apt/archives/"*.deb "$target/var/cache/apt/"*.bin
rm -rf "$target/var/lib/apt/lists/"*
mkdir -p "$target/var/lib/apt/lists/partial"
find "$target/var/log" -type f -delete
rm -f "$target/etc/resolv.conf" "$target/etc/hostname" "$target/etc/hosts"
: > "$target/etc/machine-id"
rm -rf "$target/dev/"* "$target/tmp/"* "$target/var/tmp/"*
find "$target/run" -mindepth 1 -not -type d -delete
mkdir -p "$target/run/lock"
chmod 1777 "$target/tmp" "$target/var/tmp" "$target/run/lock"
