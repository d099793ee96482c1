#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# The playbook test (CTest "ansible"): the collection in ansible/ driven
# by ansible-core's ansible-playbook, over connection: local, on five
# temporary roots as the hosts of one inventory:
#   web1, web2  the demo root (admin's password changed today)
#   db1         the same, only two rules selected
#   bad         an unknown rule id: fails with hardctl's message, exit 2
#   locked      the demo root as shipped: apply's lockout guard refuses
#               (exit 5), nothing changed
# ansible-doc must parse the module's DOCUMENTATION, EXAMPLES and RETURN,
# whose options must be the module's argument spec, and Debian's python3
# must compile it.  Then: check mode (--check --diff) changes no byte,
# mode or mtime and reports changed, with hardctl's masked diff and no
# secret in Ansible's output; a real run changes and a second reports
# changed: false; the check reports collected on the controller pass the
# schema; a rollback play (check mode first, then twice) restores every
# file's bytes and mode.  Nothing is written outside a temporary
# directory: no ~/.ansible.
#   run.sh SOURCE_DIR HARDCTL_BINARY
# Exits 77 (CTest: skipped) when ansible-playbook is absent, unless
# HARDCTL_TEST_ORACLES=required.
set -eu
src=$(cd "$1" && pwd)
hardctl=$(realpath "$2")
python=/usr/bin/python3

fail() {
	echo "ansible: $*" >&2
	exit 1
}

for p in ansible-playbook ansible-doc "$python"; do
	command -v "$p" >/dev/null && continue
	[ "${HARDCTL_TEST_ORACLES:-}" = required ] &&
		fail "$p is not installed (scripts/install-deps installs ansible-core)"
	echo "ansible: skipped: $p is not installed (apt-get install ansible-core)"
	exit 77
done

work=$(mktemp -d "${TMPDIR:-/tmp}/hardctl-ansible.XXXXXX")
[ -n "${HC_KEEP:-}" ] || trap 'rm -rf "$work"' EXIT INT TERM
mkdir -p "$work/collections/ansible_collections/hardctl" "$work/home" \
	"$work/tmp" "$work/remote" "$work/roots" "$work/pristine" "$work/reports"
ln -s "$src/ansible" "$work/collections/ansible_collections/hardctl/hardctl"
# No site configuration: only the settings below.
printf "[defaults]\n" >"$work/ansible.cfg"
export HOME="$work/home" ANSIBLE_HOME="$work/home/.ansible" \
	ANSIBLE_LOCAL_TEMP="$work/tmp" ANSIBLE_REMOTE_TEMP="$work/remote" \
	ANSIBLE_COLLECTIONS_PATH="$work/collections" \
	ANSIBLE_COLLECTIONS_SCAN_SYS_PATH=false ANSIBLE_CONFIG="$work/ansible.cfg" \
	ANSIBLE_NOCOLOR=1 ANSIBLE_RETRY_FILES_ENABLED=false ANSIBLE_PIPELINING=true \
	ANSIBLE_PYTHON_INTERPRETER="$python" ANSIBLE_LOG_PATH="$work/ansible.log" \
	PYTHONPYCACHEPREFIX="$work/pycache" PYTHONDONTWRITEBYTECODE=1
module=$src/ansible/plugins/modules/hardctl.py

# The module compiles with Debian's python3 and its documentation parses.
"$python" -m py_compile "$module" || fail "python3 -m py_compile $module failed"
ansible-doc -t module hardctl.hardctl.hardctl >"$work/doc.txt" 2>&1 ||
	{ cat "$work/doc.txt"; fail "ansible-doc failed"; }
grep -q WARNING "$work/doc.txt" && { cat "$work/doc.txt"; fail "ansible-doc warned"; }
ansible-doc --json -t module hardctl.hardctl.hardctl >"$work/doc.json" ||
	fail "ansible-doc --json failed"
"$python" - "$work/doc.json" "$module" <<'PY' || fail "the documentation does not match the module"
import importlib.util, json, sys
doc = json.load(open(sys.argv[1]))["hardctl.hardctl.hardctl"]
spec = importlib.util.spec_from_file_location("hardctl_module", sys.argv[2])
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
opts, args = doc["doc"]["options"], mod.ARGUMENT_SPEC
assert sorted(opts) == sorted(args), (sorted(opts), sorted(args))
for name, a in args.items():
    o = opts[name]
    for key in ("type", "default", "choices", "elements"):
        assert o.get(key) == a.get(key), (name, key, o.get(key), a.get(key))
assert doc["examples"].count("hardctl.hardctl.hardctl:") >= 3
for key in ("rc", "report", "findings", "transaction", "reload", "files", "refused"):
    assert key in doc["return"], key
PY
# The collection builds as galaxy.yml describes it.
ansible-galaxy collection build "$src/ansible" --output-path "$work/dist" >"$work/build.out" 2>&1 ||
	{ cat "$work/build.out"; fail "ansible-galaxy collection build failed"; }
tar -tzf "$work/dist/hardctl-hardctl-0.1.0.tar.gz" >"$work/dist.txt" ||
	fail "no hardctl-hardctl-0.1.0.tar.gz"
for f in MANIFEST.json README.md plugins/modules/hardctl.py meta/runtime.yml; do
	grep -qx "$f" "$work/dist.txt" || fail "the built collection lacks $f"
done

# The hosts' roots, and a pristine copy of each.
today=$(($(date +%s) / 86400))
secret='s3cret-Community-4711'
for h in web1 web2 db1 bad locked; do
	cp -a "$src/demo/root" "$work/roots/$h"
	[ "$h" = locked ] ||
		sed -i "s/^admin:\([^:]*\):[0-9]*:/admin:\1:$today:/" "$work/roots/$h/etc/shadow"
	# A community only the managed file holds: it must never reach Ansible.
	sed -i "s/^\(com2sec.*default[[:space:]]*\)public\$/\1$secret/" \
		"$work/roots/$h/etc/snmp/snmpd.conf"
	cp -a "$work/roots/$h" "$work/pristine/$h"
done
# deb1: a stock Debian 12 /etc without libpam-pwquality, its PAM modules
# the real ones of this host (as the first_run suite builds it): apply
# refuses two rules (exit 6), warns, and applies the others; a second
# apply, all it could fix refused, fails as hardctl does (exit 5).
pam=/usr/lib/x86_64-linux-gnu/security
if [ -f "$pam/pam_unix.so" ]; then
	d=$work/roots/deb1
	cp -a "$src/tests/fixtures/debian12" "$d"
	cp "$src/tests/fixtures/first-run/etc/pam.d/common-password" "$d/etc/pam.d/"
	rm "$d/etc/security/pwquality.conf"
	mkdir -p "$d/lib/x86_64-linux-gnu/security"
	cp "$pam"/*.so "$d/lib/x86_64-linux-gnu/security/"
	rm -f "$d/lib/x86_64-linux-gnu/security/pam_pwquality.so"
	cp -a "$d" "$work/pristine/deb1"
	deb1="    deb1:
      hardctl_root: $d
      hardctl_expect_reload: [sshd, snmpd, sysctl]
      hardctl_expect_refused: [password.quality, password.unix-stack]
      hardctl_expect_rc_again: 5
      hardctl_expect_error_again: 'nothing changed: 2 rules refused: password.quality: '"
elif [ "${HARDCTL_TEST_ORACLES:-}" = required ]; then
	fail "no PAM modules in $pam for deb1"
else
	echo "ansible: no PAM modules in $pam: host deb1 left out" >&2
	deb1=
fi
grep -q "$secret" "$work/roots/web1/etc/snmp/snmpd.conf" || fail "no secret planted"
hash=$(sed -n 's/^admin:\([^:]*\):.*/\1/p' "$work/roots/web1/etc/shadow")
[ -n "$hash" ] || fail "no password hash in the demo root"

r=$work/roots
cat >"$work/inventory.yml" <<INV
fleet:
  vars:
    ansible_connection: local
    ansible_python_interpreter: $python
    hardctl_binary: $hardctl
    hardctl_expect_reload: [sshd, snmpd, sysctl, init, virtual machines]
  hosts:
    web1:
      hardctl_root: $r/web1
    web2:
      hardctl_root: $r/web2
    db1:
      hardctl_root: $r/db1
      hardctl_rules: [banner.issue, root-access.sshd-permit-root-login]
      hardctl_expect_reload: [sshd]
    bad:
      hardctl_root: $r/bad
      hardctl_rules: [banner.issue, no.such-rule]
      hardctl_expect_rc: 2
      hardctl_expect_error: "unknown rule 'no.such-rule'"
    locked:
      hardctl_root: $r/locked
      hardctl_expect_rc: 5
      hardctl_expect_error: leaves no administrator a way in
$deb1
INV

# play NAME PLAYBOOK ARGS...: run it, keep its output, fail on failure.
play() {
	name=$1
	book=$src/tests/ansible/$2
	shift 2
	echo "ansible: $name" >&2
	(cd "$work" && ansible-playbook -v -i inventory.yml "$book" "$@") >"$work/$name.out" 2>&1 ||
		{ cat "$work/$name.out"; fail "$name: ansible-playbook failed"; }
	grep -q 'PLAY RECAP' "$work/$name.out" || { cat "$work/$name.out"; fail "$name: no recap"; }
}

# recap NAME HOST WHAT: the host's recap line holds WHAT (changed=1 ...).
recap() {
	grep -E "^$2 +:.* $3( |\$)" "$work/$1.out" >/dev/null ||
		{ grep -A8 'PLAY RECAP' "$work/$1.out"; fail "$1: $2 not $3"; }
}

# Every entry: type, mode, owner, size, mtime, link target; every file's SHA-256.
full() {
	(cd "$1" && find . -printf '%p %y %m %U:%G %s %T@ %l\n' | sort &&
		find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
# The same, without mtimes and the store (and the directories made for it).
content() {
	(cd "$1" && find . -path ./var/lib/hardctl -prune -o -printf '%p %y %m %U:%G %s %l\n' |
		grep -v -e '^\./var d' -e '^\./var/lib d' | sort &&
		find . -path ./var/lib/hardctl -prune -o -type f -print0 | sort -z |
		xargs -0 sha256sum)
}
same() {
	"$1" "$work/pristine/$2" >"$work/a" && "$1" "$work/roots/$2" >"$work/b" &&
		cmp -s "$work/a" "$work/b"
}
secrets() {
	for f in "$work/$1.out" "$work/ansible.log"; do
		grep -qF "$secret" "$f" && fail "$1: the SNMP community reached $f"
		grep -qF "$hash" "$f" && fail "$1: a password hash reached $f"
	done
	return 0
}
hosts="web1 web2 db1 bad locked"
good="web1 web2 db1"
[ -z "$deb1" ] || { hosts="$hosts deb1" good="$good deb1"; }

play report report.yml -e reports="$work/reports"
for h in $hosts; do
	same full "$h" || fail "check changed $h"
done
for h in $good locked; do recap report "$h" ok=3; done
recap report bad rescued=1
"$python" - "$src/docs/check-report.schema.json" "$work/reports" <<'PY' || fail "a collected report does not pass the schema"
import json, os, sys, jsonschema
schema = json.load(open(sys.argv[1]))
names = sorted(os.listdir(sys.argv[2]))
assert set(names) - {"deb1.json"} == {"db1.json", "locked.json", "web1.json", "web2.json"}, names
for n in names:
    jsonschema.validate(json.load(open(os.path.join(sys.argv[2], n))), schema)
PY

play apply-check harden.yml --check --diff -e phase=check
for h in $hosts; do
	same full "$h" || fail "check mode changed $h"
done
for h in $good; do recap apply-check "$h" changed=1; done
recap apply-check bad rescued=1
recap apply-check locked rescued=1
grep -qF -- '-admin:********:' "$work/apply-check.out" ||
	fail "apply-check: --diff showed no masked diff of /etc/shadow"
secrets apply-check
if [ -n "$deb1" ]; then
	grep -q '^\[WARNING\]: hardctl left out password.quality:' \
		"$work/apply-check.out" || fail "apply-check: no warning of the rule left out"
fi

play apply harden.yml --diff -e phase=first
for h in $good; do
	same content "$h" && fail "apply did not change $h"
	recap apply "$h" changed=1
done
same full bad || fail "the failed apply changed bad"
# The refused apply made the store (and its key) before the lockout guard
# judged the plan: no configuration file changed.
same content locked || fail "the refused apply changed locked"
grep -qF '+PermitRootLogin no' "$work/apply.out" || fail "apply: --diff showed no diff"
secrets apply

play apply-again harden.yml --diff -e phase=again
for h in $hosts; do recap apply-again "$h" changed=0; done
recap apply-again bad rescued=1

play rollback-check rollback.yml --check --diff -e phase=check
for h in $good; do
	same content "$h" && fail "rollback's check mode changed $h"
	recap rollback-check "$h" changed=1
done
secrets rollback-check

play rollback rollback.yml -e phase=first
for h in $hosts; do
	same content "$h" || { diff "$work/a" "$work/b"; fail "rollback did not restore $h"; }
done
for h in $good; do recap rollback "$h" changed=1; done
same full bad || fail "rollback changed bad"
recap rollback bad changed=0
recap rollback locked changed=0

play rollback-again rollback.yml -e phase=again
for h in $hosts; do
	recap rollback-again "$h" changed=0
	same content "$h" || fail "the second rollback changed $h"
done

[ ! -e "$work/home/.ansible" ] || [ -z "$(find "$work/home/.ansible" -type f)" ] ||
	fail "ansible wrote under ANSIBLE_HOME: $(find "$work/home/.ansible" -type f)"
echo "ansible: every play passed"
