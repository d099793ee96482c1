/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hardctl log and show: the transactions in the oldconf store.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "hardctl/diff.h"
#include "hardctl/json.h"
#include "hardctl/plan.h"
#include "hardctl/rollback.h"
#include "hardctl/store.h"
#include "cmd.h"

static const char log_usage[] =
    "usage: hardctl log [--format text|json]\n"
    "Lists the transactions in the oldconf store, newest first.\n";

static const char show_usage[] =
    "usage: hardctl show TXN [--format text|json]\n"
    "Prints what transaction TXN changed, as unified diffs.\n";

static int parse_common(struct cmd_env *env, int argc, char **argv,
			const char *usage)
{
	static const struct option longopts[] = {
	    CMD_COMMON_LONGOPTS,
	    {NULL, 0, NULL, 0},
	};
	int opt;

	while ((opt = cmd_getopt(argc, argv, "h", longopts)) != -1)
		if (cmd_common_opt(env, opt, optarg, usage) != 0)
			return EXIT_USAGE;
	return EXIT_OK;
}

static void format_time(char out[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "%lld", (long long)t);
}

/* What transaction V did: what it undid, or its profile and rules. */
static int log_what(struct hc_buf *out, const struct hc_txn_info *v)
{
	int error;

	if (v->undoes && v->undoes_rule)
		error = hc_buf_printf(out, "undoes %s in %s", v->undoes_rule,
				      v->undoes);
	else if (v->undoes)
		error = hc_buf_printf(out, "undoes %s", v->undoes);
	else
		return hc_buf_printf(out, "%s, %zu rule%s",
				     v->profile ? v->profile : "-", v->rules.n,
				     v->rules.n == 1 ? "" : "s");
	/* A rollback hardctl made by itself says so, and why. */
	if (error == 0 && v->by)
		error = hc_buf_printf(out, " (%s%s%s)", v->by,
				      v->by_reason ? ": " : "",
				      v->by_reason ? v->by_reason : "");
	return error;
}

static int log_text(struct hc_buf *out, const struct hc_txn_info *v, size_t n)
{
	int error = 0;

	if (n == 0)
		return hc_buf_puts(out, "no transactions\n");
	for (size_t i = 0; i < n && error == 0; i++) {
		char when[32];

		format_time(when, v[i].time);
		error = hc_buf_printf(out, "%-4u %s  %-8s  ", v[i].id, when,
				      v[i].command);
		if (error == 0)
			error = log_what(out, &v[i]);
		if (error == 0)
			error = hc_buf_printf(out, "  by %s\n",
					      v[i].user ? v[i].user : "?");
		if (error == 0 && v[i].accepted)
			error = hc_buf_printf(
			    out,
			    "     no local administrator left; accepted by "
			    "the tailoring: %s\n",
			    v[i].accepted);
	}
	return error;
}

static int log_json(struct hc_buf *out, const struct hc_txn_info *v, size_t n)
{
	struct hc_json json;

	hc_json_init(&json, out);
	hc_json_open_document(&json);
	hc_json_key(&json, "schema");
	hc_json_int(&json, 1);
	hc_json_key(&json, "transactions");
	hc_json_open(&json, '[');
	for (size_t i = 0; i < n; i++) {
		char when[32], hex[41];

		format_time(when, v[i].time);
		hc_json_open(&json, '{');
		hc_json_key(&json, "id");
		hc_json_int(&json, v[i].id);
		hc_json_kv(&json, "time", when);
		hc_json_kv(&json, "command", v[i].command);
		hc_json_kv(&json, "profile", v[i].profile);
		hc_json_kv(&json, "user", v[i].user);
		hc_json_key(&json, "undoes");
		if (v[i].undoes)
			hc_json_int(&json, strtol(v[i].undoes, NULL, 10));
		else
			hc_json_null(&json);
		hc_json_kv(&json, "undoes_rule", v[i].undoes_rule);
		hc_json_kv(&json, "accepted_no_local_admin", v[i].accepted);
		hc_json_key(&json, "rules");
		hc_json_open(&json, '[');
		for (size_t r = 0; r < v[i].rules.n; r++)
			hc_json_str(&json, v[i].rules.v[r]);
		hc_json_close(&json, '[');
		hc_oid_hex(hex, &v[i].tip);
		hc_json_kv(&json, "commit", hex);
		hc_json_close(&json, '{');
	}
	hc_json_close(&json, '[');
	hc_json_close(&json, '{');
	return hc_json_finish(&json);
}

int cmd_log(int argc, char **argv, struct cmd_env *env)
{
	struct hc_store *store = NULL;
	struct hc_txn_info *list = NULL;
	struct hc_buf out = HC_BUF_INIT;
	size_t n = 0;
	int status, error;

	if ((status = parse_common(env, argc, argv, log_usage)) != EXIT_OK)
		return status;
	if (optind < argc)
		return cmd_usage_error(log_usage, "unexpected argument '%s'",
				       argv[optind]);
	error = cmd_store_open(&store, env, 0);
	if (error == HC_ENOTFOUND) {
		/* Nothing applied yet: an empty history, not an error. */
		hc_error_clear();
		error = 0;
	} else if (error == 0) {
		error = hc_store_txn_list(&list, &n, store);
	}
	if (error == 0)
		error = env->format == HC_FORMAT_JSON ? log_json(&out, list, n)
						      : log_text(&out, list, n);
	if (error == 0 && out.size)
		cmd_pager_start(env);
	if (error == 0)
		error = cmd_write(env, &out);
	for (size_t i = 0; i < n; i++)
		hc_txn_info_release(&list[i]);
	free(list);
	hc_buf_release(&out);
	hc_store_free(store);
	return error < 0 ? cmd_fail(error, false) : EXIT_OK;
}

static int show_json(struct hc_buf *out, const struct hc_txn_info *info,
		     const struct hc_plan *plan)
{
	struct hc_buf diff = HC_BUF_INIT;
	struct hc_json json;
	int error = 0;

	hc_json_init(&json, out);
	hc_json_open_document(&json);
	hc_json_key(&json, "schema");
	hc_json_int(&json, 1);
	hc_json_key(&json, "transaction");
	hc_json_int(&json, info->id);
	hc_json_kv(&json, "command", info->command);
	hc_json_key(&json, "files");
	hc_json_open(&json, '[');
	for (size_t i = 0; i < plan->nfiles && error == 0; i++) {
		hc_buf_clear(&diff);
		error =
		    hc_diff_file(&diff, plan->files[i].path,
				 &plan->files[i].before, &plan->files[i].after);
		hc_json_open(&json, '{');
		hc_json_kv(&json, "path", plan->files[i].path);
		hc_json_kv(&json, "diff", hc_buf_cstr(&diff));
		hc_json_close(&json, '{');
	}
	hc_json_close(&json, '[');
	hc_json_close(&json, '{');
	hc_buf_release(&diff);
	return error ? error : hc_json_finish(&json);
}

int cmd_show(int argc, char **argv, struct cmd_env *env)
{
	struct hc_store *store = NULL;
	struct hc_txn_info info = {0};
	struct hc_buf out = HC_BUF_INIT;
	unsigned int id = 0;
	struct hc_plan plan;
	int status, error;

	if ((status = parse_common(env, argc, argv, show_usage)) != EXIT_OK)
		return status;
	if (optind + 1 != argc)
		return cmd_usage_error(show_usage,
				       "show takes one transaction number");
	hc_plan_init(&plan);
	if ((error = cmd_parse_txn(&id, argv[optind])) < 0 ||
	    (error = cmd_store_open(&store, env, 0)) < 0 ||
	    (error = hc_store_txn_get(&info, store, id)) < 0 ||
	    (error = hc_rollback_changed(&plan, store, &info, NULL)) < 0)
		goto out;
	error = env->format == HC_FORMAT_JSON ? show_json(&out, &info, &plan)
					      : hc_diff_plan(&out, &plan);
	if (error == 0 && out.size)
		cmd_pager_start(env);
	if (error == 0)
		error = cmd_write_diff(env, &out);
out:
	hc_plan_release(&plan);
	hc_txn_info_release(&info);
	hc_buf_release(&out);
	hc_store_free(store);
	return error < 0 ? cmd_fail(error, false) : EXIT_OK;
}
