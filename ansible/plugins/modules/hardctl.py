#!/usr/bin/python
# -*- coding: utf-8 -*-
# SPDX-License-Identifier: GPL-2.0-or-later
# The hardctl.hardctl.hardctl module: drives the hardctl binary installed
# on the managed host with --format json.  It never reads a managed file
# itself: every byte it returns comes from hardctl's JSON report, whose
# diffs and messages hardctl has already masked.

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: hardctl
short_description: Check, apply and roll back a host's hardening with hardctl
version_added: "0.1.0"
description:
  - Runs the C(hardctl) binary installed on the managed host, with
    C(--format json), and returns its report.
  - I(state=checked) runs C(hardctl check). It never changes anything, and a
    rule that fails is a result, not a failure of the task.
  - I(state=applied) runs C(hardctl apply) (in check mode C(hardctl diff));
    every selected rule that fails is fixed in one transaction, which
    C(hardctl rollback) can take back. A second run changes nothing and
    reports C(changed=false).
  - I(state=rolled_back) runs C(hardctl rollback) of I(transaction) (default
    the newest transaction that is not itself a rollback), or of one rule's
    part of it. A transaction a later rollback already undid is left alone,
    so a second run reports C(changed=false) instead of re-applying it.
  - The module never reads a managed file itself. In diff mode it returns
    the unified diff hardctl printed, secrets masked by hardctl, so no
    secret from the managed files reaches Ansible's output or logs.
  - When hardctl fails, the task fails with hardctl's own message (from its
    JSON error object), its exit code as I(rc), and the file and line it
    names.
options:
  state:
    description:
      - C(checked) reports each rule's status and changes nothing.
      - C(applied) remediates what fails, as one transaction.
      - C(rolled_back) undoes a transaction, or one rule's part of it.
    type: str
    choices: [checked, applied, rolled_back]
    default: checked
  profile:
    description:
      - The profile, a name from hardctl's profile directory or a path on
        the managed host (C(hardctl -p)). Default hardctl's own default.
      - With I(state=rolled_back), passed only with a rule, for
        transactions recorded before the store named each file's lens.
    type: str
  tailoring:
    description:
      - A tailoring file on the managed host (C(--tailoring)), or C(none)
        to read no tailoring at all. Default the host's site tailoring,
        C(/etc/hardctl/tailoring.conf) under I(root), when present.
    type: str
  rules:
    description:
      - Only these rules (C(--rule), each). With I(state=rolled_back), at
        most one rule, whose part of the transaction alone is undone.
    type: list
    elements: str
  skip_rules:
    description:
      - Leave these rules out entirely (C(--skip-rule), each), not checked,
        planned or reported. Not with I(state=rolled_back).
    type: list
    elements: str
  root:
    description:
      - The system to work on (C(hardctl --root)), a directory on the
        managed host; every path is resolved inside it.
    type: path
    default: /
  confirm_within:
    description:
      - With I(state=applied), C(--confirm-within); the transaction is
        rolled back by itself unless C(hardctl confirm) runs within this
        duration (C(10m), C(90s), C(1h)). Ignored in check mode.
    type: str
  transaction:
    description:
      - With I(state=rolled_back), the transaction to undo, as C(hardctl log)
        numbers it (from 1). Default the newest transaction that is not a rollback
        (with I(rules), the newest that applied that rule).
    type: int
  binary:
    description:
      - The hardctl binary on the managed host, a name looked up in C(PATH)
        and the sbin directories, or a path.
    type: str
    default: hardctl
notes:
  - hardctl must be installed on the managed host; the module drives it and
    nothing else.
  - A rule hardctl could not plan on the host (its exit code 6) leaves the
    others' transaction standing; the module reports C(changed) and warns,
    naming each such rule and the reason, which I(refused) lists too. Once
    every rule it could fix is applied, or refused, hardctl refuses an apply
    that would only be refused again (exit 5, "nothing changed"), and so
    does the task; leave such a rule out with I(skip_rules).
  - A check, diff or rollback dry run writes nothing under I(root), so check
    mode changes nothing, not even the store. As any hardctl command, it
    first finishes recovering a transaction hardctl was killed in the middle
    of, if there is one, which puts files back as they were before it.
  - While a transaction applied with I(confirm_within) awaits confirmation,
    hardctl refuses another apply (exit 5); run C(hardctl confirm) first.
requirements:
  - hardctl on the managed host
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
  platform:
    description: Target OS/families that can be operated against.
    platforms: posix
    support: full
author:
  - hardctl developers
"""

EXAMPLES = r"""
- name: Check every host against the linux-server profile
  hardctl.hardctl.hardctl:
    state: checked
    profile: linux-server
  register: hardening

- name: Collect every host's check report on the controller
  ansible.builtin.copy:
    content: "{{ hardening.report | to_nice_json }}"
    dest: "reports/{{ inventory_hostname }}.json"
    mode: "0644"
  delegate_to: localhost

- name: Harden, rolled back by itself unless confirmed within 10 minutes
  hardctl.hardctl.hardctl:
    state: applied
    profile: linux-server
    tailoring: /etc/hardctl/site.conf
    skip_rules:
      - snmp.community
    confirm_within: 10m
  register: applied

- name: Log in again, over a new connection
  ansible.builtin.meta: reset_connection

- name: The new login worked, so keep the transaction
  ansible.builtin.command: hardctl confirm
  changed_when: true
  when: applied is changed

- name: Harden an image mounted on the controller host
  hardctl.hardctl.hardctl:
    state: applied
    root: /srv/images/web
    rules:
      - root-access.sshd-permit-root-login
      - banner.issue

- name: Take back transaction 3
  hardctl.hardctl.hardctl:
    state: rolled_back
    transaction: 3

- name: Take back only one rule's part of the last transaction that applied it
  hardctl.hardctl.hardctl:
    state: rolled_back
    rules:
      - password.max-days
"""

RETURN = r"""
rc:
  description: hardctl's exit code (C(1) when a check found a FAIL or DRIFTED rule, C(6) when some rules were left out).
  returned: always
  type: int
  sample: 0
report:
  description:
    - The JSON document hardctl printed, as it printed it. For
      I(state=checked) the check report (docs/check-report.schema.json), the
      file C(hardctl report) merges into a fleet page; for I(state=applied)
      the apply report (docs/apply-report.schema.json); for
      I(state=rolled_back) the rollback report.
    - Empty when a rollback had nothing to do.
  returned: always
  type: dict
findings:
  description:
    - The check report's C(results) and C(summary) (per rule C(id),
      C(status), C(severity), C(evidence); counts and C(score)), for
      I(state=checked) and I(state=applied) (the rules as they were before
      the apply).
  returned: when state is checked or applied
  type: dict
  sample: {"results": [{"id": "banner.issue", "status": "FAIL"}], "summary": {"total": 28, "score": 16}}
failing:
  description: With I(state=checked), the ids of the rules that FAIL or have DRIFTED.
  returned: when state is checked
  type: list
  elements: str
  sample: ["banner.issue", "password.max-days"]
msg:
  description: Why a rollback had nothing to do, or hardctl's error message on failure.
  returned: when state is rolled_back and nothing was left to roll back, or failed
  type: str
  sample: transaction 1 is already rolled back
transaction:
  description: The transaction hardctl made (C(hardctl log) and C(hardctl rollback) know it by this number); null in check mode and when nothing changed.
  returned: always
  type: int
  sample: 1
undoes:
  description: With I(state=rolled_back), the transaction rolled back (or already rolled back).
  returned: when state is rolled_back
  type: int
  sample: 1
reload:
  description: What must re-read the changed files, as hardctl lists it (C(what), the C(command) to run or null, a C(note)).
  returned: always
  type: list
  elements: dict
  sample: [{"what": "sshd", "command": ["systemctl", "try-reload-or-restart", "ssh.service"], "note": null}]
files:
  description: The files changed, or that would change in check mode, as the host sees them.
  returned: always
  type: list
  elements: str
  sample: ["/etc/issue", "/etc/ssh/sshd_config"]
refused:
  description: The rules hardctl could not plan on this host (C(rule), C(reason)); the others' transaction stands.
  returned: always
  type: list
  elements: dict
confirm_within:
  description: The confirmation deadline asked for, when the transaction awaits C(hardctl confirm).
  returned: when state is applied
  type: str
  sample: 10m
stderr:
  description: What hardctl said on standard error (the store key's fingerprint on the first apply, the refused rules).
  returned: always
  type: str
file:
  description: On failure, the file hardctl's error names, as the host sees it, or null.
  returned: failed
  type: str
  sample: /etc/ssh/sshd_config
line:
  description: On failure, the line of I(file), or null.
  returned: failed
  type: int
  sample: 12
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule

ARGUMENT_SPEC = dict(
    state=dict(type="str", default="checked",
               choices=["checked", "applied", "rolled_back"]),
    profile=dict(type="str"),
    tailoring=dict(type="str"),
    rules=dict(type="list", elements="str"),
    skip_rules=dict(type="list", elements="str"),
    root=dict(type="path", default="/"),
    confirm_within=dict(type="str"),
    transaction=dict(type="int"),
    binary=dict(type="str", default="hardctl"),
)

# The statuses a check reports that apply would fix or a person must.
FAILING = ("FAIL", "DRIFTED")
# Every status hardctl writes.
STATUSES = ("PASS", "FAIL", "N/A", "ERROR", "WAIVED", "DRIFTED")


def find_binary(module):
    binary = module.params["binary"]
    if "/" in binary:
        if not os.access(binary, os.X_OK) or os.path.isdir(binary):
            module.fail_json(msg="%s: not an executable hardctl" % binary)
        return binary
    return module.get_bin_path(binary, required=True)


def hardctl(module, binary, args, ok_codes):
    """Run hardctl --root ROOT COMMAND --format json ARGS; return (doc, rc, stderr).

    Fails the task with hardctl's error object (message, exit code, file,
    line) when it reports one, or when the exit code is not in ok_codes.
    """
    # --format right after the command: an option hardctl refuses is
    # then a JSON error too.
    cmd = ([binary, "--root", module.params["root"], args[0], "--format", "json"]
           + args[1:])
    rc, out, err = module.run_command(
        cmd, environ_update={"NO_COLOR": "1", "HARDCTL_PAGER": "cat"})
    try:
        doc = json.loads(out)
    except ValueError:
        doc = None
    if not isinstance(doc, dict):
        said = err.strip().splitlines()
        module.fail_json(
            msg="hardctl printed no JSON report (exit %d)%s" % (
                rc, ": " + said[-1] if said else ""),
            rc=rc, stderr=err, cmd=cmd)
    if "error" in doc:
        module.fail_json(msg=doc["error"], rc=doc.get("code", rc),
                         file=doc.get("file"), line=doc.get("line"),
                         report=doc, stderr=err, cmd=cmd)
    if rc not in ok_codes:
        said = err.strip().splitlines()
        module.fail_json(
            msg=said[-1] if said else "hardctl exited %d" % rc,
            rc=rc, report=doc, stderr=err, cmd=cmd)
    return doc, rc, err


def profile_args(params):
    args = []
    if params["profile"] is not None:
        args += ["--profile", params["profile"]]
    if params["tailoring"] is not None:
        args += ["--tailoring", params["tailoring"]]
    return args


def selection_args(params):
    args = []
    for rule in params["rules"] or []:
        args += ["--rule", rule]
    for rule in params["skip_rules"] or []:
        args += ["--skip-rule", rule]
    return args


def prepared(doc):
    """hardctl's own unified diffs, one after the other, as Ansible shows them."""
    return {"prepared": "".join(f.get("diff") or "" for f in doc.get("files", []))}


def printable(text):
    """TEXT with control characters as \\xNN: a warning goes to a terminal raw."""
    return "".join("\\x%02x" % ord(c) if c < " " or "\x7f" <= c <= "\x9f" else c
                   for c in str(text))


def warn_refused(module, doc):
    for r in doc.get("refused", []):
        module.warn("hardctl left out %s: %s" % (printable(r.get("rule")),
                                                 printable(r.get("reason"))))


def check_results(module, doc, rc, err):
    """The check report's results, each with an id and a status hardctl writes.

    hardctl masks a secret of the host wherever it shows, its own words
    too: an image whose SNMP community is "FAIL" would have every FAIL
    read "********", and the task report nothing failing.
    """
    results = doc.get("results")
    if not isinstance(results, list) or not all(
            isinstance(r, dict) and isinstance(r.get("id"), str)
            and r.get("status") in STATUSES for r in results):
        module.fail_json(
            msg="hardctl's check report is not readable: a result without "
            "an id or a status hardctl writes (a secret of the host that "
            "is also one of the report's words is masked there too)",
            rc=rc, report=doc, stderr=err)
    return results


def checked(module, binary, result):
    p = module.params
    doc, rc, err = hardctl(module, binary,
                           ["check"] + profile_args(p) + selection_args(p),
                           (0, 1))
    check_results(module, doc, rc, err)
    result.update(rc=rc, report=doc, stderr=err,
                  findings={"results": doc.get("results", []),
                            "summary": doc.get("summary")})
    result["failing"] = [r["id"] for r in doc.get("results", [])
                         if r.get("status") in FAILING]


def applied(module, binary, result):
    p = module.params
    args = profile_args(p) + selection_args(p)
    if module.check_mode:
        # diff writes nothing under ROOT and plans what apply would do.
        doc, rc, err = hardctl(module, binary, ["diff"] + args, (0, 6))
        changed = bool(doc.get("changed"))
    else:
        if p["confirm_within"] is not None:
            args += ["--confirm-within", p["confirm_within"]]
        doc, rc, err = hardctl(module, binary, ["apply"] + args, (0, 6))
        changed = doc.get("transaction") is not None
        result["transaction"] = doc.get("transaction")
        if changed:
            result["confirm_within"] = p["confirm_within"]
    warn_refused(module, doc)
    result.update(changed=changed, rc=rc, report=doc, stderr=err,
                  reload=doc.get("reload", []),
                  refused=doc.get("refused", []),
                  files=[f["path"] for f in doc.get("files", [])],
                  findings=doc.get("findings"))
    if module._diff and changed:
        result["diff"] = prepared(doc)


def undone(log, tid, rule):
    """Whether a later rollback, not itself undone, took back TID (RULE's part)."""
    for t in log:
        if t.get("undoes") != tid:
            continue
        if t.get("undoes_rule") not in (None, rule):
            continue
        if not undone(log, t["id"], None):
            return True
    return False


def rolled_back(module, binary, result):
    p = module.params
    rules = p["rules"] or []
    rule = rules[0] if rules else None
    log = hardctl(module, binary, ["log"], (0,))[0].get("transactions", [])
    log = sorted(log, key=lambda t: t["id"], reverse=True)
    target = p["transaction"]
    if target is None:
        for t in log:
            if t.get("undoes") is None and (rule is None or rule in t.get("rules", [])):
                target = t["id"]
                break
        if target is None:
            result["msg"] = "nothing to roll back"
            return
    result["undoes"] = target
    if any(t["id"] == target for t in log) and undone(log, target, rule):
        result["msg"] = "transaction %d is already rolled back" % target
        return
    args = ["rollback", str(target)]
    if rule is not None:
        args += ["--rule", rule] + profile_args(p)
    if module.check_mode:
        args.append("--dry-run")
    doc, rc, err = hardctl(module, binary, args, (0,))
    if module.check_mode:
        changed = bool(doc.get("changed"))
    else:
        changed = doc.get("transaction") is not None
        result["transaction"] = doc.get("transaction")
    result.update(changed=changed, rc=rc, report=doc, stderr=err,
                  files=[f["path"] for f in doc.get("files", [])])
    if module._diff and changed:
        result["diff"] = prepared(doc)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    p = module.params
    state = p["state"]
    if p["transaction"] is not None and state != "rolled_back":
        module.fail_json(msg="transaction goes with state=rolled_back only")
    # -1 would reach hardctl as an option, true as "True".
    if p["transaction"] is not None and (
            isinstance(p["transaction"], bool) or p["transaction"] < 1):
        module.fail_json(msg="transaction must be a number from 1, as "
                         "hardctl log shows it, not %r" % p["transaction"])
    if p["confirm_within"] is not None and state != "applied":
        module.fail_json(msg="confirm_within goes with state=applied only")
    if state == "rolled_back":
        if p["skip_rules"]:
            module.fail_json(msg="skip_rules does not go with state=rolled_back")
        if len(p["rules"] or []) > 1:
            module.fail_json(msg="state=rolled_back takes one rule at most")
    if not os.path.isabs(p["root"]):
        module.fail_json(msg="root must be an absolute path, not %s" % p["root"])
    binary = find_binary(module)
    result = dict(changed=False, rc=0, report={}, transaction=None,
                  reload=[], files=[], refused=[], stderr="")
    {"checked": checked, "applied": applied,
     "rolled_back": rolled_back}[state](module, binary, result)
    # rc 1 (a FAIL found) and 6 (rules left out) are results: without
    # failed=False, Ansible would take any rc but 0 for a failure.
    module.exit_json(failed=False, **result)


if __name__ == "__main__":
    main()
