/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A fleet's check reports, read from their JSON (see
 * hardctl/report_html.h): each validated as a check report before it is
 * added, so that a wrong file is named and nothing of it is kept.
 */
#include <stdlib.h>
#include <string.h>
#include "hardctl/common.h"
#include "hardctl/json_read.h"
#include "hardctl/report_html.h"

/* The schemas of "hardctl check --format json" this reader knows. */
#define CHECK_SCHEMA_MIN 1
#define CHECK_SCHEMA_MAX 2

static int not_report(const char *file, const char *why)
{
	hc_error_set_at(file, 0, "not a hardctl check report: %s", why);
	return hc_error_set_code(HC_EPARSE);
}

static int status_parse(enum hc_status *out, const char *name)
{
	for (int st = 0; name && st < HC_STATUS_COUNT; st++)
		if (strcmp(hc_status_name((enum hc_status)st), name) == 0) {
			*out = (enum hc_status)st;
			return 0;
		}
	return -1;
}

/* A string member or null (absent counts as null); else false. */
static bool str_or_null(const struct hc_jv *obj, const char *key)
{
	const struct hc_jv *v = hc_jv_get(obj, key);

	return v == NULL || v->type == HC_JV_NULL || v->type == HC_JV_STRING;
}

/* NULL for NULL, else a copy; *FAILED set when out of memory. */
static char *dup_or_null(const char *s, bool *failed)
{
	char *d;

	if (s == NULL)
		return NULL;
	if ((d = strdup(s)) == NULL)
		*failed = true;
	return d;
}

static void host_release(struct hc_fleet_host *h)
{
	free(h->file);
	free(h->host);
	free(h->root);
	free(h->time);
	free(h->profile);
	free(h->sha256);
	memset(h, 0, sizeof(*h));
}

static void rule_release(struct hc_fleet_rule *r)
{
	free(r->id);
	free(r->title);
	free(r->severity);
	memset(r, 0, sizeof(*r));
}

/* The document's top: a check report of a schema this reader knows. */
static int check_top(const struct hc_jv *doc, const char *file)
{
	const struct hc_jv *schema = hc_jv_get(doc, "schema");
	const char *command = hc_jv_str(doc, "command");

	if (doc->type != HC_JV_OBJECT)
		return not_report(file, "not a JSON object");
	if (command == NULL || strcmp(command, "check") != 0)
		return not_report(file, "its \"command\" is not \"check\"");
	if (schema == NULL || schema->type != HC_JV_NUMBER ||
	    (schema->number != CHECK_SCHEMA_MIN &&
	     schema->number != CHECK_SCHEMA_MAX))
		return not_report(file, "its \"schema\" is not one hardctl "
					"knows (1 or 2)");
	if (!str_or_null(doc, "host") || !str_or_null(doc, "root") ||
	    !str_or_null(doc, "time"))
		return not_report(file, "\"host\", \"root\" or \"time\" is "
					"not a string");
	if (hc_jv_get(doc, "profile") &&
	    hc_jv_get(doc, "profile")->type != HC_JV_OBJECT)
		return not_report(file, "\"profile\" is not an object");
	if (hc_jv_get(doc, "results") == NULL ||
	    hc_jv_get(doc, "results")->type != HC_JV_ARRAY)
		return not_report(file, "no \"results\" array");
	return 0;
}

/* A result: an object with an id, a status and a severity. */
static int check_result(enum hc_status *st, const struct hc_jv *res,
			const char *file)
{
	if (res->type != HC_JV_OBJECT || hc_jv_str(res, "id") == NULL ||
	    hc_jv_str(res, "severity") == NULL ||
	    status_parse(st, hc_jv_str(res, "status")) < 0 ||
	    !str_or_null(res, "title")) {
		hc_error_set_at(file, res->line,
				"not a hardctl check report: a result without "
				"an id, a severity or a known status");
		return hc_error_set_code(HC_EPARSE);
	}
	return 0;
}

/* A result's id and where it starts, to find one reported twice. */
struct seen {
	const char *id;
	unsigned int line;
};

static int seen_cmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/*
 * Each rule once in RESULTS (checked already): a rule listed twice
 * would count its host twice ("2 of 1 hosts fail it").
 */
static int check_once(const struct hc_jv *results, const char *file)
{
	struct seen *v = calloc(results->n + 1, sizeof(*v));
	int error = 0;

	if (v == NULL)
		return hc_error_oom();
	for (size_t i = 0; i < results->n; i++) {
		v[i].id = hc_jv_str(&results->v[i], "id");
		v[i].line = results->v[i].line;
	}
	qsort(v, results->n, sizeof(*v), seen_cmp);
	for (size_t i = 1; i < results->n && error == 0; i++)
		if (strcmp(v[i].id, v[i - 1].id) == 0) {
			hc_error_set_at(file, v[i].line,
					"not a hardctl check report: rule %s "
					"twice (also at line %u)",
					v[i].id, v[i - 1].line);
			error = hc_error_set_code(HC_EPARSE);
		}
	free(v);
	return error;
}

static int grow(void **v, size_t *alloc, size_t n, size_t more, size_t size)
{
	size_t want = n + more, na = *alloc ? *alloc : 8;
	void *nv;

	if (want <= *alloc)
		return 0;
	while (na < want)
		na *= 2;
	if ((nv = realloc(*v, na * size)) == NULL)
		return hc_error_oom();
	*v = nv;
	*alloc = na;
	return 0;
}

static void host_counts(struct hc_fleet_host *h)
{
	size_t applicable =
	    h->total - h->count[HC_STATUS_NA] - h->count[HC_STATUS_WAIVED];

	/* As hc_summary_compute(): the report's own summary is not trusted. */
	h->score = applicable
		       ? (int)(h->count[HC_STATUS_PASS] * 100 / applicable)
		       : -1;
}

/* The host's fields from DOC into H (zeroed). */
static int host_fill(struct hc_fleet_host *h, const struct hc_jv *doc,
		     const char *file)
{
	const struct hc_jv *profile = hc_jv_get(doc, "profile");
	bool failed = false;

	h->file = dup_or_null(file, &failed);
	h->host = dup_or_null(hc_jv_str(doc, "host"), &failed);
	h->root = dup_or_null(hc_jv_str(doc, "root"), &failed);
	h->time = dup_or_null(hc_jv_str(doc, "time"), &failed);
	h->profile = dup_or_null(hc_jv_str(profile, "name"), &failed);
	h->sha256 = dup_or_null(hc_jv_str(profile, "sha256"), &failed);
	return failed ? hc_error_oom() : 0;
}

int hc_fleet_add(struct hc_fleet *fleet, const char *file, const char *text,
		 size_t len)
{
	struct hc_fleet_host h = {0};
	const struct hc_jv *results;
	struct hc_jv *doc = NULL;
	size_t nrules = fleet->nrules;
	bool failed = false;
	int error;

	if ((error = hc_jv_parse(&doc, text, len, file)) < 0 ||
	    (error = check_top(doc, file)) < 0)
		goto out;
	results = hc_jv_get(doc, "results");
	if ((error = grow((void **)&fleet->rules, &fleet->arules, fleet->nrules,
			  results->n, sizeof(*fleet->rules))) < 0 ||
	    (error = grow((void **)&fleet->hosts, &fleet->ahosts, fleet->nhosts,
			  1, sizeof(*fleet->hosts))) < 0 ||
	    (error = host_fill(&h, doc, file)) < 0)
		goto out;
	for (size_t i = 0; i < results->n; i++) {
		const struct hc_jv *res = &results->v[i];
		struct hc_fleet_rule *r = &fleet->rules[fleet->nrules];
		enum hc_status st;

		if ((error = check_result(&st, res, file)) < 0)
			goto out;
		h.count[st]++;
		h.total++;
		memset(r, 0, sizeof(*r));
		r->id = dup_or_null(hc_jv_str(res, "id"), &failed);
		r->title = dup_or_null(hc_jv_str(res, "title"), &failed);
		r->severity = dup_or_null(hc_jv_str(res, "severity"), &failed);
		r->host = fleet->nhosts;
		r->failing = st == HC_STATUS_FAIL || st == HC_STATUS_DRIFTED;
		fleet->nrules++;
		if (failed) {
			error = hc_error_oom();
			goto out;
		}
	}
	if ((error = check_once(results, file)) < 0)
		goto out;
	host_counts(&h);
	fleet->hosts[fleet->nhosts++] = h;
	memset(&h, 0, sizeof(h));
out:
	if (error < 0)
		while (fleet->nrules > nrules)
			rule_release(&fleet->rules[--fleet->nrules]);
	host_release(&h);
	hc_jv_free(doc);
	return error;
}

void hc_fleet_release(struct hc_fleet *fleet)
{
	for (size_t i = 0; i < fleet->nhosts; i++)
		host_release(&fleet->hosts[i]);
	for (size_t i = 0; i < fleet->nrules; i++)
		rule_release(&fleet->rules[i]);
	free(fleet->hosts);
	free(fleet->rules);
	memset(fleet, 0, sizeof(*fleet));
}
