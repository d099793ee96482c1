/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The global usage text and the --version lines, shared by the two
 * programs that print them: the front (src/front.c), which answers
 * --help and --version without loading libaugeas and libgit2, and the
 * full program (src/main.c).  One text, so the two cannot drift apart.
 */
#include <stdio.h>
#include "usage.h"

/* The usage text is laid out by hand: the formatter keeps off it. */
/* clang-format off */
/* In two parts: C11 compilers need only take strings of 4095 bytes. */
const char cmd_usage_commands[] =
	"usage: hardctl [GLOBAL OPTIONS] COMMAND [OPTIONS] [ARGS]\n"
	"\n"
	"commands:\n"
	"  list     [PROFILE OPTIONS]         the profile's rules: id, severity,\n"
	"                                     title, module\n"
	"  explain  RULE [PROFILE OPTIONS]    a rule's rationale, references,\n"
	"                                     parameters and files\n"
	"  check    [PROFILE OPTIONS] [SELECTION]\n"
	"           [--format text|json|junit|html]\n"
	"                                     each rule's status: PASS, FAIL, N/A,\n"
	"                                     WAIVED, DRIFTED or ERROR, with the\n"
	"                                     evidence; exit 0 when none fails or\n"
	"                                     drifted, 1 when one did\n"
	"  diff     [PROFILE OPTIONS] [SELECTION]\n"
	"                                     what apply would change, as unified\n"
	"                                     diffs\n"
	"  apply    [PROFILE OPTIONS] [SELECTION] [--dry-run | --reload]\n"
	"           [--confirm-within DURATION]\n"
	"                                     remediate what fails, as one\n"
	"                                     transaction, and list what must\n"
	"                                     reload; --dry-run: the same as diff;\n"
	"                                     --reload (--root / only): reload\n"
	"                                     those services; waived rules are left\n"
	"                                     alone; --confirm-within: rolled back\n"
	"                                     by itself unless confirmed in time;\n"
	"                                     refused (5) when no administrator\n"
	"                                     could log in over ssh and become root\n"
	"                                     afterwards\n"
	"  confirm  [--check-expired]         keep what apply --confirm-within did;\n"
	"                                     --check-expired (at boot): if its\n"
	"                                     watchdog is gone, roll back once the\n"
	"                                     time is up (--root / only; elsewhere,\n"
	"                                     warn)\n"
	"  log                                transactions, newest first\n"
	"  show     TXN                       what a transaction changed, as a diff\n"
	"  rollback [TXN] [--rule ID [PROFILE OPTIONS]] [--dry-run] [--force]\n"
	"                                     undo a transaction (default: the\n"
	"                                     last), or only one rule's part of it\n"
	"                                     (default: the last that applied it);\n"
	"                                     --force overrides a conflict\n"
	"  status   [--diff [PROFILE OPTIONS]]\n"
	"                                     managed files changed outside\n"
	"                                     hardctl; --diff: each change as a\n"
	"                                     diff from what hardctl wrote\n"
	"  verify   [--fingerprint HEX] [--allowed-signers]\n"
	"                                     check the store's signatures and\n"
	"                                     hashes; --allowed-signers: print\n"
	"                                     the key's line for git's\n"
	"                                     gpg.ssh.allowedSignersFile instead\n"
	"  recover                            finish recovering an interrupted\n"
	"                                     transaction\n"
	"  report   FILE.json... --format html\n"
	"                                     merge many hosts' check --format\n"
	"                                     json reports into one HTML page:\n"
	"                                     hosts by score, rules by how many\n"
	"                                     hosts fail them\n";

const char cmd_usage_options[] =
	"\n"
	"global options (before the command):\n"
	"  --root DIR       the system to work on (default /); nothing outside it\n"
	"                   is read or written; paths are shown as ROOT sees them\n"
	"  --store DIR      the oldconf store (default ROOT/var/lib/hardctl/oldconf)\n"
	"  --key FILE       the store's signing key (default: the store's path +\n"
	"                   .key)\n"
	"  --wait SECONDS   wait that long for another hardctl changing ROOT to\n"
	"                   finish (default 0: refuse at once, exit 5)\n"
	"  --quiet          check: only FAIL, DRIFTED and ERROR; apply: only the\n"
	"                   changed files (also after check, diff and apply)\n"
	"  --color[=WHEN]   auto (default: on a terminal, not with NO_COLOR),\n"
	"                   always or never\n"
	"  --no-pager       diff, show, log and dry runs: never through a pager\n"
	"                   (HARDCTL_PAGER, PAGER, less on a terminal)\n"
	"  --format F       text (default) or json; junit for check; html (one\n"
	"                   self-contained page) for check and report (also\n"
	"                   after the command)\n"
	"  --version, --help\n"
	"profile options (after the command):\n"
	"  -p, --profile P  a profile name (looked up in\n"
	"                   " HARDCTL_PROFILE_DIR ")\n"
	"                   or a path; default service-console\n"
	"  --tailoring FILE|none\n"
	"                   a site's overrides and waivers, applied last; default\n"
	"                   " HARDCTL_SITE_TAILORING " of the host\n"
	"                   running hardctl, when present; none: no tailoring\n"
	"selection (after the command; each may be repeated):\n"
	"  --rule ID        only this rule\n"
	"  --severity SEV   only rules of this severity (CAT-I, CAT-II, CAT-III)\n"
	"  --skip-rule ID   leave this rule out: not checked, planned or reported\n"
	"  --skip-severity SEV\n"
	"                   leave out the rules of this severity\n"
	"\n"
	"exit codes: 0 success, 1 check found failures, 2 bad usage or bad input,\n"
	"3 failure while changing, 4 rollback conflict, 5 refused for safety,\n"
	"6 partly applied (some rules refused; the transaction stands)\n";
/* clang-format on */

int cmd_print_version(const char *aug_version, int git_major, int git_minor,
		      int git_rev, const char *ssl_version)
{
	return printf("hardctl %s\n"
		      "profiles: %s\n"
		      "lenses: %s\n"
		      "augeas %s, libgit2 %d.%d.%d, %s\n",
		      HARDCTL_VERSION, HARDCTL_PROFILE_DIR, HARDCTL_LENS_DIR,
		      aug_version ? aug_version : "(unknown)", git_major,
		      git_minor, git_rev,
		      ssl_version ? ssl_version : "OpenSSL (unknown)") < 0
		   ? -1
		   : 0;
}
