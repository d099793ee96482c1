/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl verify: the oldconf store's whole history, checked against
 * its signing key and its manifests.
 */
#include <getopt.h>
#include <string.h>
#include "hardctl/json.h"
#include "hardctl/sign.h"
#include "hardctl/store.h"
#include "cmd.h"

static const char usage[] =
    "usage: hardctl verify [--fingerprint HEX] [--format text|json]\n"
    "       hardctl verify --allowed-signers\n"
    "Checks every commit of the oldconf store: signed by the store's key,\n"
    "and each stored file as its manifest's SHA-256 says.  --fingerprint:\n"
    "the key must be the one whose fingerprint was recorded when hardctl\n"
    "made it.  Exit 0 when all is sound, 5 when anything is not.\n"
    "--allowed-signers: print the store key's line for git's\n"
    "gpg.ssh.allowedSignersFile and check nothing; stock git then verifies\n"
    "the store's commits (signed as git signs with gpg.format=ssh):\n"
    "  hardctl --root / verify --allowed-signers > /root/hardctl-signers\n"
    "  git --git-dir=/var/lib/hardctl/oldconf -c gpg.format=ssh \\\n"
    "      -c gpg.ssh.allowedSignersFile=/root/hardctl-signers \\\n"
    "      verify-commit main\n"
    "Check the key itself first: its fingerprint with --fingerprint.\n";

static int report(struct hc_buf *out, struct cmd_env *env,
		  const struct hc_verify_report *r, const char *fpr)
{
	struct hc_json json;
	int error = 0;

	if (env->format == HC_FORMAT_JSON) {
		hc_json_init(&json, out);
		hc_json_open_document(&json);
		hc_json_key(&json, "schema");
		hc_json_int(&json, 1);
		hc_json_kv(&json, "fingerprint", fpr);
		hc_json_key(&json, "commits");
		hc_json_int(&json, (long long)r->commits);
		hc_json_key(&json, "files");
		hc_json_int(&json, (long long)r->files);
		hc_json_key(&json, "problems");
		hc_json_open(&json, '[');
		for (size_t i = 0; i < r->problems.n; i++)
			hc_json_str(&json, r->problems.v[i]);
		hc_json_close(&json, '[');
		hc_json_key(&json, "sound");
		hc_json_bool(&json, r->nproblems == 0);
		hc_json_close(&json, '{');
		return hc_json_finish(&json);
	}
	for (size_t i = 0; i < r->problems.n && error == 0; i++)
		error = hc_buf_printf(out, "%s\n", r->problems.v[i]);
	if (error == 0 && r->nproblems)
		error = hc_buf_printf(
		    out,
		    "%zu problem%s in %zu commits: the store was altered "
		    "outside hardctl; restore it from a backup\n",
		    r->nproblems, r->nproblems == 1 ? "" : "s", r->commits);
	else if (error == 0)
		error = hc_buf_printf(
		    out,
		    "%zu commits and %zu stored files verified: every commit "
		    "is signed by key %s, every file matches its manifest\n",
		    r->commits, r->files, fpr);
	return error;
}

/* The key must be the one whose fingerprint WANT the caller recorded. */
static int check_fingerprint(const char *fpr, const char *want)
{
	if (!want || strcmp(want, fpr) == 0)
		return 0;
	hc_error_set("the store's signing key has fingerprint %s, not %s as "
		     "recorded: the key was replaced; trust nothing it signed",
		     fpr, want);
	return hc_error_set_code(HC_EUNSAFE);
}

/* --allowed-signers: a line for a file git reads, whatever --format says. */
static int print_allowed_signer(struct hc_buf *out, struct cmd_env *env,
				struct hc_store *store)
{
	int error;

	if ((error = hc_signer_allowed_signer(out, hc_store_signer(store))) ==
		0 &&
	    (error = hc_buf_puts(out, "\n")) == 0)
		error = cmd_write(env, out);
	return error;
}

/* Verify the history, print the report; in JSON, the verdict as an error. */
static int verify_and_report(struct hc_buf *out, struct cmd_env *env,
			     struct hc_store *store, struct hc_verify_report *r,
			     const char *fpr)
{
	int error;

	if ((error = hc_store_verify(r, store)) < 0 ||
	    (error = report(out, env, r, fpr)) < 0 ||
	    (error = cmd_write(env, out)) < 0)
		return error;
	if (r->nproblems && env->format == HC_FORMAT_JSON) {
		/* The verdict, said as errors are: the JSON's "error" too. */
		hc_buf_clear(out);
		if (hc_buf_printf(out,
				  "%zu problem%s in %zu commits: the store was "
				  "altered outside hardctl",
				  r->nproblems, r->nproblems == 1 ? "" : "s",
				  r->commits) == 0)
			cmd_print_line(out->ptr);
	}
	return 0;
}

int cmd_verify(int argc, char **argv, struct cmd_env *env)
{
	static const struct option longopts[] = {
	    {"fingerprint", required_argument, NULL, 'P'},
	    {"allowed-signers", no_argument, NULL, 'A'},
	    CMD_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	struct hc_verify_report r = {0};
	struct hc_buf out = HC_BUF_INIT;
	struct hc_store *store = NULL;
	const char *want = NULL;
	bool signers = false;
	char fpr[HC_SHA256_HEXLEN + 1];
	int opt, error, status;

	while ((opt = cmd_getopt(argc, argv, "h", longopts)) != -1) {
		if (opt == 'P')
			want = optarg;
		else if (opt == 'A')
			signers = true;
		else if ((status = cmd_common_opt(env, opt, optarg, usage)) !=
			 0)
			return status;
	}
	if (optind < argc)
		return cmd_usage_error(usage, "unexpected argument '%s'",
				       argv[optind]);
	if ((error = cmd_store_open(&store, env, 0)) < 0 ||
	    (error = cmd_store_key(store, env, false)) < 0)
		goto out;
	hc_signer_fingerprint(fpr, hc_store_signer(store));
	if ((error = check_fingerprint(fpr, want)) < 0)
		goto out;
	if (signers)
		error = print_allowed_signer(&out, env, store);
	else
		error = verify_and_report(&out, env, store, &r, fpr);
out:
	if (error < 0)
		status = cmd_fail(error, false);
	else
		status = r.nproblems ? EXIT_REFUSED : EXIT_OK;
	hc_verify_report_release(&r);
	hc_store_free(store);
	hc_buf_release(&out);
	return status;
}
