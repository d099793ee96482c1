#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The install test (CTest "install"): hardctl built as a distribution
# builds it, in a build directory of its own (HARDCTL_INSTALLED_PATHS=ON,
# no tests), installed into a staging directory with DESTDIR, then moved
# where its prefix says, as a package manager unpacks a package.  The
# installed binary must name and read the installed profiles and lenses
# (removing one breaks it), run the full program installed in
# libexec/hardctl (the front links neither Augeas nor libgit2; without
# the full program it fails, naming it), check a copy of the demo root,
# and keep working under the sandbox of hardctl-check.service: a
# read-only file system, a private /tmp, no new privileges, two
# capabilities.  The installed units pass systemd-analyze verify when it
# is there.
#   install.sh SOURCE_DIR WORK_DIR CMAKE     (WORK_DIR: in the build tree)
set -eu
src=$1
dir=$2
cmake=$3

fail() {
	echo "install: $*" >&2
	exit 1
}

case "$dir" in
/tmp | /tmp/*) fail "WORK_DIR under /tmp: the unit's private /tmp would hide it" ;;
esac
prefix=$dir/usr
stage=$dir/stage
rm -rf "$stage" "$prefix" "$dir/demo"
mkdir -p "$dir"
"$cmake" -S "$src" -B "$dir/build" -DHARDCTL_INSTALLED_PATHS=ON \
	-DBUILD_TESTING=OFF -DCMAKE_INSTALL_PREFIX="$prefix" >"$dir/configure.log" ||
	fail "configure failed: $dir/configure.log"
"$cmake" --build "$dir/build" -j 2 >"$dir/build.log" 2>&1 ||
	fail "build failed: $dir/build.log"
DESTDIR=$stage "$cmake" --install "$dir/build" >"$dir/install.log" 2>&1 ||
	fail "install failed: $dir/install.log"
grep -q 'CMake Warning' "$dir/install.log" && fail "install warned: $dir/install.log"

# DESTDIR holds the prefix and nothing else.
stray=$(cd "$stage" && find . ! -type d ! -path "./${prefix#/}/*")
[ -z "$stray" ] || fail "installed outside the prefix: $stray"
mkdir -p "$(dirname "$prefix")"
mv "$stage$prefix" "$prefix"

hardctl=$prefix/sbin/hardctl
for f in sbin/hardctl libexec/hardctl/hardctl-full \
	share/hardctl/lenses/hardctl_profile.aug \
	share/hardctl/profiles/linux-server.conf \
	share/hardctl/profiles/warning-banner.txt \
	share/doc/hardctl/README.md share/doc/hardctl/COPYING \
	share/doc/hardctl/check-report.schema.json \
	share/doc/hardctl/examples/cron.d-hardctl \
	lib/systemd/system/hardctl-check.service \
	lib/systemd/system/hardctl-check.timer \
	lib/systemd/system/hardctl-confirm-check.service; do
	[ -f "$prefix/$f" ] || fail "not installed: $f"
done
[ -d "$prefix/share/hardctl/lenses/tests" ] && fail "lens tests installed"
# The man pages and completions, once docs/ installs them.
if [ -f "$src/docs/CMakeLists.txt" ]; then
	for f in share/man/man8/hardctl.8 share/man/man5/hardctl-profile.5 \
		share/bash-completion/completions/hardctl \
		share/zsh/vendor-completions/_hardctl; do
		[ -f "$prefix/$f" ] || fail "not installed: $f"
	done
fi
# A profile others may write is refused: the installed ones are 0644.
perm=$(stat -c %a "$prefix/share/hardctl/profiles/linux-server.conf")
[ "$perm" = 644 ] || fail "linux-server.conf installed $perm"

# The front runs the full program installed beside it: it links neither
# Augeas nor libgit2, the full program both.
for f in sbin/hardctl libexec/hardctl/hardctl-full; do
	[ -x "$prefix/$f" ] || fail "not executable: $f"
done
needed() { readelf -d "$1" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'; }
needed "$prefix/libexec/hardctl/hardctl-full" | grep -q '^libaugeas' ||
	fail "cannot read hardctl-full's libraries (readelf -d)"
needed "$hardctl" | grep -q -e '^libaugeas' -e '^libgit2' &&
	fail "the front links Augeas or libgit2: $(needed "$hardctl" | paste -sd' ')"
"$hardctl" --version >"$dir/version.log" ||
	fail "installed hardctl --version failed"
"$prefix/libexec/hardctl/hardctl-full" --version | cmp -s - "$dir/version.log" ||
	fail "hardctl --version differs from hardctl-full --version"

# The units start the installed binary.
grep -qx "ExecStart=$hardctl --root / check --quiet" \
	"$prefix/lib/systemd/system/hardctl-check.service" ||
	fail "hardctl-check.service does not run $hardctl"
grep -q "^ExecStart=$hardctl " \
	"$prefix/lib/systemd/system/hardctl-confirm-check.service" ||
	fail "hardctl-confirm-check.service does not run $hardctl"
if command -v systemd-analyze >/dev/null; then
	(cd "$prefix/lib/systemd/system" &&
		systemd-analyze verify --man=no ./hardctl-check.service \
			./hardctl-check.timer ./hardctl-confirm-check.service) ||
		fail "systemd-analyze verify refused the units"
fi

# The binary names the installed directories, not the source tree.
"$hardctl" --help | grep -qF "$prefix/share/hardctl/profiles" ||
	fail "--help does not name $prefix/share/hardctl/profiles"
"$hardctl" --help | grep -qF "$src/modules" && fail "--help names the source tree"

cp -a "$src/demo/root" "$dir/demo"
rc=0
"$hardctl" --root "$dir/demo" check --tailoring none >"$dir/check.log" 2>&1 || rc=$?
if [ "$rc" -ne 1 ] || ! grep -q '^FAIL' "$dir/check.log"; then
	fail "installed check of the demo root exited $rc: $dir/check.log"
fi
"$hardctl" list -p linux-server --tailoring none >/dev/null ||
	fail "installed list -p linux-server failed"
# Without hardctl-full the front says which file it misses, and fails.
mv "$prefix/libexec/hardctl/hardctl-full" "$dir/moved-full"
rc=0
"$hardctl" list >/dev/null 2>"$dir/nofull.log" || rc=$?
mv "$dir/moved-full" "$prefix/libexec/hardctl/hardctl-full"
if [ "$rc" -ne 3 ] || ! grep -qF "$prefix/libexec/hardctl/hardctl-full" "$dir/nofull.log"; then
	fail "without hardctl-full, hardctl list exited $rc: $dir/nofull.log"
fi

# The demo's admin sets a new password (as scripts/demo), apply makes a
# store; then check runs as hardctl-check.service runs it.
today=$(($(date +%s) / 86400))
sed -i "s/^admin:\([^:]*\):[0-9]*:/admin:\1:$today:/" "$dir/demo/etc/shadow"
"$hardctl" --root "$dir/demo" apply --tailoring none >"$dir/apply.log" 2>&1 ||
	fail "installed apply of the demo root failed: $dir/apply.log"
if unshare -m true 2>/dev/null && command -v setpriv >/dev/null; then
	rc=0
	# shellcheck disable=SC2016 # the inner shell's arguments
	unshare -m sh -c '
		mount --make-rprivate / && mount -o remount,bind,ro / &&
		mount -t tmpfs tmpfs /tmp || exit 99
		exec setpriv --no-new-privs \
			--bounding-set -all,+dac_override,+dac_read_search \
			"$1" --root "$2" check --quiet --tailoring none' \
		sh "$hardctl" "$dir/demo" >"$dir/sandbox.log" 2>&1 || rc=$?
	[ "$rc" -le 1 ] ||
		fail "check under the unit's sandbox exited $rc: $dir/sandbox.log"
	grep -q -e 'Read-only' -e 'ermission denied' "$dir/sandbox.log" &&
		fail "check under the unit's sandbox: $dir/sandbox.log"
fi

# Without its installed profile or lens the binary fails: it reads them.
mv "$prefix/share/hardctl/profiles/linux-server.conf" "$dir/moved.conf"
"$hardctl" list -p linux-server --tailoring none >/dev/null 2>&1 &&
	fail "list -p linux-server works without the installed profile"
mv "$dir/moved.conf" "$prefix/share/hardctl/profiles/linux-server.conf"
mv "$prefix/share/hardctl/lenses/hardctl_profile.aug" "$dir/moved.aug"
"$hardctl" list -p linux-server --tailoring none >/dev/null 2>&1 &&
	fail "list -p linux-server works without the installed profile lens"
mv "$dir/moved.aug" "$prefix/share/hardctl/lenses/hardctl_profile.aug"
echo "install: $prefix ok"
