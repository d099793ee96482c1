/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTML reports (see hardctl/report_html.h): one page, nothing fetched,
 * no script.  Markup is written raw; every value goes through
 * page_text(), which masks the secrets and escapes it.  The filters
 * are checkboxes and CSS :checked rules, so they work with scripts off.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/hash.h"
#include "hardctl/mask.h"
#include "hardctl/module.h"
#include "hardctl/profile.h"
#include "hardctl/report_html.h"

/* A page being written: errors are sticky, as hc_json's. */
struct page {
	struct hc_buf *out;
	const struct hc_strlist *secrets;
	int error;
};

/* Markup, raw: only literals of this file. */
static void page_raw(struct page *pg, const char *markup)
{
	if (pg->error == 0)
		pg->error = hc_buf_puts(pg->out, markup);
}

/* Markup made with numbers, raw: FMT's strings are literals. */
static void page_printf(struct page *pg, const char *fmt, ...) HC_PRINTF(2, 3);

static void page_printf(struct page *pg, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (pg->error == 0)
		pg->error = hc_buf_vprintf(pg->out, fmt, ap);
	va_end(ap);
}

/* One character of a value as HTML text or a quoted attribute's. */
static int put_char(struct hc_buf *out, const unsigned char *s, size_t n)
{
	switch (s[0]) {
	case '&':
		return hc_buf_puts(out, "&amp;");
	case '<':
		return hc_buf_puts(out, "&lt;");
	case '>':
		return hc_buf_puts(out, "&gt;");
	case '"':
		return hc_buf_puts(out, "&quot;");
	case '\'':
		return hc_buf_puts(out, "&#39;");
	default:
		break;
	}
	/* C0 and C1 controls but newline and tab, DEL, and bytes that are
	 * not UTF-8 show as U+FFFD. */
	if (n == 0 || (s[0] < 0x20 && s[0] != '\n' && s[0] != '\t') ||
	    s[0] == 0x7f || (n == 2 && s[0] == 0xc2 && s[1] < 0xa0))
		return hc_buf_puts(out, "\xef\xbf\xbd");
	/* Bidi embeddings, overrides and isolates (U+202A-U+202E,
	 * U+2066-U+2069): a file name from ROOT must not reverse the
	 * evidence an auditor reads after it. */
	if (n == 3 && s[0] == 0xe2 &&
	    ((s[1] == 0x80 && s[2] >= 0xaa && s[2] <= 0xae) ||
	     (s[1] == 0x81 && s[2] >= 0xa6 && s[2] <= 0xa9)))
		return hc_buf_puts(out, "\xef\xbf\xbd");
	return hc_buf_put(out, s, n);
}

/*
 * The one way a value reaches the page: STR (NULL: "") with the
 * secrets masked first (an escape could split one), then escaped for
 * HTML text and for an attribute value in double quotes.
 */
static void page_text(struct page *pg, const char *str)
{
	struct hc_buf tmp = HC_BUF_INIT;
	const unsigned char *s;

	if (pg->error == 0)
		pg->error = hc_buf_puts(&tmp, str ? str : "");
	if (pg->error == 0 && pg->secrets)
		pg->error = hc_mask(&tmp, pg->secrets);
	s = (const unsigned char *)hc_buf_cstr(&tmp);
	for (size_t i = 0; pg->error == 0 && i < tmp.size;) {
		size_t n = hc_utf8_len(s + i, tmp.size - i);

		pg->error = put_char(pg->out, s + i, n);
		i += n ? n : 1;
	}
	hc_buf_release(&tmp);
}

/* <TAG>VALUE</TAG>, the value escaped. */
static void page_elem(struct page *pg, const char *open, const char *value,
		      const char *close)
{
	page_raw(pg, open);
	page_text(pg, value);
	page_raw(pg, close);
}

/* Class names by status and severity: "st-fail", "sev-cat-ii". */
static const char *status_slug(enum hc_status st)
{
	static const char *const slugs[HC_STATUS_COUNT] = {
	    [HC_STATUS_PASS] = "pass",     [HC_STATUS_FAIL] = "fail",
	    [HC_STATUS_NA] = "na",         [HC_STATUS_ERROR] = "error",
	    [HC_STATUS_WAIVED] = "waived", [HC_STATUS_DRIFTED] = "drifted",
	};

	return (unsigned int)st < HC_STATUS_COUNT ? slugs[st] : "error";
}

static const char *severity_slug(enum hc_severity sev)
{
	switch (sev) {
	case HC_CAT_I:
		return "cat-i";
	case HC_CAT_II:
		return "cat-ii";
	case HC_CAT_III:
		return "cat-iii";
	case HC_SEVERITY_NONE:
		break;
	}
	return "none";
}

/* Statuses in the order the page lists them, as the text report. */
static const enum hc_status page_order[] = {
    HC_STATUS_FAIL,   HC_STATUS_DRIFTED, HC_STATUS_ERROR,
    HC_STATUS_WAIVED, HC_STATUS_NA,      HC_STATUS_PASS,
};

/* clang-format off */
static const char style[] =
	"body{font-family:system-ui,sans-serif;margin:1.5em;color:#222}"
	"table{border-collapse:collapse;margin:.5em 0}"
	"th,td{border:1px solid #ccc;padding:.3em .5em;text-align:left;"
	"vertical-align:top}"
	"th{background:#f0f0f0}"
	"code,.mono{font-family:ui-monospace,monospace;word-break:break-all}"
	"td.id code{word-break:normal;white-space:nowrap}"
	"dt{font-weight:bold;float:left;clear:left;width:11em}"
	"dd{margin-left:12em;margin-bottom:.2em}"
	"ul{margin:0;padding-left:1.2em}"
	".status{font-weight:bold}"
	".st-pass .status{color:#2e7d32}.st-fail .status{color:#c62828}"
	".st-drifted .status{color:#ad1457}.st-error .status{color:#6a1b9a}"
	".st-waived .status{color:#8d6e00}.st-na .status{color:#757575}"
	"rect.st-pass{fill:#2e7d32}rect.st-fail{fill:#c62828}"
	"rect.st-drifted{fill:#ad1457}rect.st-error{fill:#6a1b9a}"
	"rect.st-waived{fill:#f9a825}rect.st-na{fill:#9e9e9e}"
	"li.fails{color:#c62828}"
	".filters label{margin-right:1em}"
	".filters input{margin-right:.2em}"
	"@media print{.filters{display:none}}";
/* clang-format on */

static void page_head(struct page *pg, const char *title)
{
	page_raw(pg, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
		     "<meta charset=\"utf-8\">\n"
		     /* Nothing is fetched, nothing runs: even markup that
		      * escaped the escaping could do nothing. */
		     "<meta http-equiv=\"Content-Security-Policy\" "
		     "content=\"default-src 'none'; style-src "
		     "'unsafe-inline'\">\n"
		     "<meta name=\"viewport\" content=\"width=device-width, "
		     "initial-scale=1\">\n");
	page_elem(pg, "<meta name=\"generator\" content=\"hardctl ",
		  HARDCTL_VERSION, "\">\n");
	page_elem(pg, "<title>", title, "</title>\n<style>");
	page_raw(pg, style);
}

/* A <dt>NAME</dt><dd id="ID">VALUE</dd> row, VALUE escaped. */
static void meta_row(struct page *pg, const char *name, const char *id,
		     const char *value)
{
	page_printf(pg, "<dt>%s</dt><dd id=\"%s\">", name, id);
	page_text(pg, value ? value : "(unknown)");
	page_raw(pg, "</dd>\n");
}

static void profile_sources(struct page *pg, const struct hc_profile *profile)
{
	char hex[HC_SHA256_HEXLEN + 1];

	page_raw(pg, "<dt>Profile files</dt><dd><ul id=\"sources\">\n");
	for (size_t i = 0; i < profile->nsources; i++) {
		const struct hc_profile_source *src = &profile->sources[i];

		hc_sha256_hex(hex, &src->sha);
		page_elem(pg, "<li>", src->role, ": ");
		page_elem(pg, "<code>", src->path, "</code>, sha256 ");
		/* A file that sets a secret: its digest would confirm a
		 * guess, as in the JSON report. */
		page_elem(pg, "<code>",
			  src->secret ? "withheld (sets a secret)" : hex,
			  "</code></li>\n");
	}
	page_raw(pg, "</ul></dd>\n");
}

static void check_identity(struct page *pg, const struct hc_html_check *c)
{
	const struct hc_profile *profile = c->meta->profile;
	struct hc_buf label = HC_BUF_INIT;
	char hex[HC_SHA256_HEXLEN + 1];

	hc_sha256_hex(hex, &profile->sha);
	if (pg->error == 0)
		pg->error = hc_profile_label(&label, profile);
	page_raw(pg, "<dl id=\"identity\">\n");
	meta_row(pg, "Host", "meta-host", c->meta->host);
	meta_row(pg, "Root", "meta-root", c->meta->root);
	meta_row(pg, "Checked", "meta-time", c->meta->time);
	meta_row(pg, "Profile", "meta-profile", hc_buf_cstr(&label));
	meta_row(pg, "Profile SHA-256", "meta-sha256", hex);
	if (profile->site_tailoring)
		meta_row(pg, "Tailoring", "meta-tailoring",
			 "the host's site default");
	profile_sources(pg, profile);
	if (profile->guards.accept_no_local_admin)
		meta_row(pg, "Guards", "meta-guards", profile->guards.reason);
	if (c->drift_note)
		meta_row(pg, "DRIFTED unknown", "meta-drift", c->drift_note);
	if (c->skipped && c->skipped->n) {
		page_raw(pg, "<dt>Skipped</dt><dd id=\"meta-skipped\">");
		for (size_t i = 0; i < c->skipped->n; i++)
			page_elem(pg, i ? ", <code>" : "<code>",
				  c->skipped->v[i], "</code>");
		page_raw(pg, "</dd>\n");
	}
	page_raw(pg, "</dl>\n");
	hc_buf_release(&label);
}

/* Chart geometry, in SVG user units. */
#define BAR_X 80
#define BAR_W 480
#define BAR_H 20
#define ROW_H 30

/*
 * One row of the picture: SEV's statuses as bars side by side, each as
 * wide as its count at SCALE units a rule.
 */
static void chart_row(struct page *pg, int row, enum hc_severity sev,
		      const size_t count[HC_STATUS_COUNT], double scale)
{
	double x = BAR_X;
	int y = 10 + row * ROW_H;

	page_printf(pg,
		    "<text x=\"0\" y=\"%d\" class=\"sev-label\">%s</text>\n",
		    y + 15, hc_severity_name(sev));
	for (size_t i = 0; i < HC_ARRAY_SIZE(page_order); i++) {
		enum hc_status st = page_order[i];
		double w = (double)count[st] * scale;

		if (count[st] == 0)
			continue;
		page_printf(pg,
			    "<rect class=\"bar st-%s\" data-severity=\"%s\" "
			    "data-status=\"%s\" data-count=\"%zu\" "
			    "x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
			    "height=\"%d\"><title>%s: %zu %s</title></rect>\n",
			    status_slug(st), hc_severity_name(sev),
			    hc_status_name(st), count[st], x, y, w, BAR_H,
			    hc_severity_name(sev), count[st],
			    hc_status_name(st));
		x += w;
	}
}

/* The counts per severity, as bars: the longest row is BAR_W wide. */
static void chart(struct page *pg, const struct hc_summary *sum)
{
	size_t most = 0;

	for (int sev = HC_CAT_I; sev <= HC_CAT_III; sev++) {
		size_t n = 0;

		for (int st = 0; st < HC_STATUS_COUNT; st++)
			n += sum->by_severity[sev][st];
		most = n > most ? n : most;
	}
	page_printf(pg,
		    "<figure><svg id=\"chart\" xmlns=\"http://www.w3.org/2000/"
		    "svg\" role=\"img\" aria-labelledby=\"chart-title\" "
		    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n"
		    "<title id=\"chart-title\">Rules by severity and "
		    "status</title>\n",
		    BAR_X + BAR_W + 10, 3 * ROW_H + 10, BAR_X + BAR_W + 10,
		    3 * ROW_H + 10);
	for (int sev = HC_CAT_I; sev <= HC_CAT_III; sev++)
		chart_row(pg, sev - HC_CAT_I, (enum hc_severity)sev,
			  sum->by_severity[sev],
			  most ? (double)BAR_W / (double)most : 0);
	page_raw(pg,
		 "</svg><figcaption>Each bar is one status of one "
		 "severity, as long as its number of rules, in the colour of "
		 "its status.</figcaption>"
		 "</figure>\n");
}

static void summary(struct page *pg, const struct hc_summary *sum)
{
	page_printf(pg,
		    "<section id=\"summary\">\n<h2>Summary</h2>\n"
		    "<p id=\"totals\" data-total=\"%zu\" data-score=\"%d\">"
		    "%zu rule%s",
		    sum->total, sum->score, sum->total,
		    sum->total == 1 ? "" : "s");
	if (sum->score >= 0)
		page_printf(pg, "; score <strong id=\"score\">%d%%</strong>",
			    sum->score);
	page_raw(pg, " (the share of applicable, not waived rules that "
		     "pass)</p>\n<table id=\"counts\"><tr><th>Status</th>"
		     "<th>Rules</th></tr>\n");
	for (size_t i = 0; i < HC_ARRAY_SIZE(page_order); i++) {
		enum hc_status st = page_order[i];

		page_printf(pg,
			    "<tr class=\"st-%s\"><td class=\"status\">%s</td>"
			    "<td class=\"count\" data-status=\"%s\">%zu</td>"
			    "</tr>\n",
			    status_slug(st), hc_status_name(st),
			    hc_status_name(st), sum->count[st]);
	}
	page_raw(pg, "</table>\n");
	chart(pg, sum);
	page_raw(pg, "</section>\n");
}

/* Checkboxes before the table, and the CSS that hides rows unticked. */
static void filters(struct page *pg, const struct hc_summary *sum)
{
	page_raw(pg, "<style>");
	for (size_t i = 0; i < HC_ARRAY_SIZE(page_order); i++)
		page_printf(pg,
			    "#f-st-%s:not(:checked)~table tr.st-%s"
			    "{display:none}",
			    status_slug(page_order[i]),
			    status_slug(page_order[i]));
	for (int sev = HC_SEVERITY_NONE; sev <= HC_CAT_III; sev++)
		page_printf(pg,
			    "#f-sev-%s:not(:checked)~table tr.sev-%s"
			    "{display:none}",
			    severity_slug((enum hc_severity)sev),
			    severity_slug((enum hc_severity)sev));
	page_raw(pg, "</style>\n<p class=\"filters\">Show: (untick to hide; "
		     "no script needed)</p>\n");
	for (size_t i = 0; i < HC_ARRAY_SIZE(page_order); i++) {
		const char *slug = status_slug(page_order[i]);

		page_printf(pg,
			    "<input type=\"checkbox\" class=\"filter\" "
			    "id=\"f-st-%s\" checked><label class=\"filters\" "
			    "for=\"f-st-%s\">%s (%zu)</label>\n",
			    slug, slug, hc_status_name(page_order[i]),
			    sum->count[page_order[i]]);
	}
	page_raw(pg, "<br>\n");
	for (int sev = HC_CAT_I; sev <= HC_CAT_III; sev++) {
		const char *slug = severity_slug((enum hc_severity)sev);

		page_printf(pg,
			    "<input type=\"checkbox\" class=\"filter\" "
			    "id=\"f-sev-%s\" checked><label class=\"filters\" "
			    "for=\"f-sev-%s\">%s</label>\n",
			    slug, slug,
			    hc_severity_name((enum hc_severity)sev));
	}
}

/* One piece of evidence: FILE:LINE: found; expected ... */
static void evidence(struct page *pg, const struct hc_evidence *ev)
{
	page_raw(pg, ev->expected ? "<li class=\"fails\">fails: "
				  : "<li class=\"holds\">holds: ");
	if (ev->file) {
		page_elem(pg, "<code class=\"file\">", ev->file, "</code>");
		if (ev->line)
			page_printf(pg, ":<span class=\"line\">%u</span>",
				    ev->line);
		page_raw(pg, ": ");
	}
	page_elem(pg, "<span class=\"found\">",
		  ev->found ? ev->found : "(nothing)", "</span>");
	if (ev->expected)
		page_elem(pg, "; expected <span class=\"expected\">",
			  ev->expected, "</span>");
	page_raw(pg, "</li>\n");
}

static void fix(struct page *pg, const struct hc_finding *f)
{
	bool failed =
	    f->status == HC_STATUS_FAIL || f->status == HC_STATUS_DRIFTED;

	if (!failed || f->fix == HC_FIX_NONE)
		return;
	if (f->fix == HC_FIX_APPLY) {
		page_raw(pg, "<p class=\"fix\">fix: apply fixes this</p>\n");
		return;
	}
	page_raw(pg, f->fix == HC_FIX_CANNOT
			 ? "<p class=\"fix\">fix: apply cannot: "
			 : "<p class=\"fix\">fix: report only: ");
	page_elem(pg, "", f->fix_note, "</p>\n");
}

static void finding_row(struct page *pg, const struct hc_finding *f)
{
	page_printf(pg,
		    "<tr class=\"rule st-%s sev-%s\" data-status=\"%s\" "
		    "data-severity=\"%s\"><td class=\"status\">%s</td>"
		    "<td class=\"severity\">%s</td>",
		    status_slug(f->status), severity_slug(f->severity),
		    hc_status_name(f->status), hc_severity_name(f->severity),
		    hc_status_name(f->status), hc_severity_name(f->severity));
	page_elem(pg, "<td class=\"id\"><code>", f->rule->id, "</code></td>");
	page_elem(pg, "<td class=\"title\">", f->rule->title,
		  "</td>\n<td class=\"details\">");
	if (f->status == HC_STATUS_WAIVED && f->waiver) {
		page_elem(pg, "<p class=\"reason\">waived until ",
			  f->waiver->expires, ", approved by ");
		page_elem(pg, "", f->waiver->approver, ": ");
		page_elem(pg, "", f->reason, "</p>\n");
	} else if (f->reason) {
		page_elem(pg, "<p class=\"reason\">", f->reason, "</p>\n");
	}
	fix(pg, f);
	if (f->nev)
		page_raw(pg, "<ul class=\"evidence\">\n");
	for (size_t i = 0; i < f->nev; i++)
		evidence(pg, &f->ev[i]);
	if (f->nev)
		page_raw(pg, "</ul>");
	page_raw(pg, "</td></tr>\n");
}

static void results(struct page *pg, const struct hc_summary *sum,
		    const struct hc_findings *findings)
{
	page_raw(pg, "<section id=\"results\">\n<h2>Rules</h2>\n");
	filters(pg, sum);
	page_raw(pg, "<table id=\"rules\">\n<thead><tr><th>Status</th>"
		     "<th>Severity</th><th>Rule</th><th>Title</th>"
		     "<th>Reason and evidence</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < findings->n; i++)
		finding_row(pg, &findings->v[i]);
	page_raw(pg, "</tbody></table>\n</section>\n");
}

/* The profile's waivers the checked rules met, in force or expired. */
static void waivers(struct page *pg, const struct hc_findings *findings)
{
	bool any = false;

	page_raw(pg, "<section id=\"waivers\">\n<h2>Waivers</h2>\n");
	for (size_t i = 0; i < findings->n; i++) {
		const struct hc_finding *f = &findings->v[i];

		if (f->waiver == NULL)
			continue;
		if (!any)
			page_raw(pg, "<table id=\"waiver-table\"><tr>"
				     "<th>Rule</th><th>In force</th>"
				     "<th>Expires</th><th>Approved by</th>"
				     "<th>Reason</th></tr>\n");
		any = true;
		page_elem(pg, "<tr><td><code>", f->rule->id, "</code></td>");
		page_raw(pg, f->status == HC_STATUS_WAIVED
				 ? "<td>yes</td>"
				 : "<td>no (expired)</td>");
		page_elem(pg, "<td>", f->waiver->expires, "</td>");
		page_elem(pg, "<td>", f->waiver->approver, "</td>");
		page_elem(pg, "<td>", f->waiver->reason, "</td></tr>\n");
	}
	page_raw(pg, any ? "</table>\n" : "<p>None.</p>\n");
	page_raw(pg, "</section>\n");
}

int hc_report_check_html(struct hc_buf *out, const struct hc_html_check *c,
			 const struct hc_findings *findings)
{
	struct page pg = {out, c->secrets, 0};
	struct hc_buf title = HC_BUF_INIT;
	struct hc_summary sum;

	hc_summary_compute(&sum, findings);
	if ((pg.error = hc_buf_printf(&title, "hardctl check: %s",
				      c->meta->host ? c->meta->host
						    : c->meta->root)) < 0)
		goto out;
	page_head(&pg, title.ptr);
	page_raw(&pg, "</style>\n</head>\n<body>\n");
	page_elem(&pg, "<h1>", title.ptr, "</h1>\n");
	check_identity(&pg, c);
	summary(&pg, &sum);
	results(&pg, &sum, findings);
	waivers(&pg, findings);
	page_elem(&pg, "<footer><p>Written by hardctl ", HARDCTL_VERSION,
		  ".</p></footer>\n</body>\n</html>\n");
out:
	hc_buf_release(&title);
	return pg.error;
}

/* The fleet's page. */

static const char *host_name(const struct hc_fleet_host *h)
{
	return h->host ? h->host : h->file;
}

/* Entries of the arrays the page sorts. */
struct host_ref {
	const struct hc_fleet_host *h;
};

struct rule_ref {
	const struct hc_fleet_rule *r;
};

/* Lowest score first, hosts without one last; then by name. */
static int host_cmp(const void *a, const void *b)
{
	const struct hc_fleet_host *x = ((const struct host_ref *)a)->h;
	const struct hc_fleet_host *y = ((const struct host_ref *)b)->h;

	if (x->score != y->score) {
		if (x->score < 0 || y->score < 0)
			return x->score < 0 ? 1 : -1;
		return x->score < y->score ? -1 : 1;
	}
	return strcmp(host_name(x), host_name(y));
}

static int rule_id_cmp(const void *a, const void *b)
{
	const struct hc_fleet_rule *x = ((const struct rule_ref *)a)->r;
	const struct hc_fleet_rule *y = ((const struct rule_ref *)b)->r;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->host > y->host) - (x->host < y->host);
}

/* A run of one rule's entries, merged. */
struct merged {
	const struct rule_ref *first;
	size_t n, failing;
};

/* Most hosts failing first; then by id. */
static int merged_cmp(const void *a, const void *b)
{
	const struct merged *x = a, *y = b;

	if (x->failing != y->failing)
		return x->failing > y->failing ? -1 : 1;
	return strcmp(x->first[0].r->id, y->first[0].r->id);
}

/* A bar VALUE of MAX long, FULL units at most, in its own small SVG. */
static void small_bar(struct page *pg, const char *cls, size_t value,
		      size_t max)
{
	double w = max ? (double)value * 200.0 / (double)max : 0;

	page_printf(pg,
		    "<svg class=\"mini\" width=\"204\" height=\"14\" "
		    "viewBox=\"0 0 204 14\" xmlns=\"http://www.w3.org/2000/"
		    "svg\"><rect class=\"bar %s\" data-count=\"%zu\" x=\"2\" "
		    "y=\"2\" width=\"%.2f\" height=\"10\"></rect></svg>",
		    cls, value, w);
}

static void fleet_host_row(struct page *pg, const struct hc_fleet_host *h)
{
	page_elem(pg, "<tr class=\"host\"><td class=\"name\">", host_name(h),
		  "</td>");
	if (h->score >= 0) {
		page_printf(pg, "<td class=\"score\" data-score=\"%d\">%d%% ",
			    h->score, h->score);
		small_bar(pg, "st-pass", (size_t)h->score, 100);
		page_raw(pg, "</td>");
	} else {
		page_raw(pg, "<td class=\"score\" data-score=\"-1\">none</td>");
	}
	for (size_t i = 0; i < HC_ARRAY_SIZE(page_order); i++)
		page_printf(pg,
			    "<td class=\"count\" data-status=\"%s\">%zu"
			    "</td>",
			    hc_status_name(page_order[i]),
			    h->count[page_order[i]]);
	page_elem(pg, "<td>", h->profile, "</td>");
	page_elem(pg, "<td><code>", h->sha256, "</code></td>");
	page_elem(pg, "<td>", h->time, "</td>");
	page_elem(pg, "<td><code>", h->file, "</code></td></tr>\n");
}

static void fleet_hosts(struct page *pg, const struct hc_fleet *fleet)
{
	struct host_ref *order = calloc(fleet->nhosts + 1, sizeof(*order));

	if (order == NULL) {
		pg->error = pg->error ? pg->error : hc_error_oom();
		return;
	}
	for (size_t i = 0; i < fleet->nhosts; i++)
		order[i].h = &fleet->hosts[i];
	qsort(order, fleet->nhosts, sizeof(*order), host_cmp);
	page_raw(pg, "<section id=\"hosts\">\n<h2>Hosts by score</h2>\n"
		     "<table id=\"host-table\"><thead><tr><th>Host</th>"
		     "<th>Score</th>");
	for (size_t i = 0; i < HC_ARRAY_SIZE(page_order); i++)
		page_printf(pg, "<th>%s</th>", hc_status_name(page_order[i]));
	page_raw(pg, "<th>Profile</th><th>Profile SHA-256</th>"
		     "<th>Checked</th><th>Report</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < fleet->nhosts; i++)
		fleet_host_row(pg, order[i].h);
	page_raw(pg, "</tbody></table>\n</section>\n");
	free(order);
}

static void fleet_rule_row(struct page *pg, const struct hc_fleet *fleet,
			   const struct merged *m)
{
	const struct hc_fleet_rule *r = m->first[0].r;
	bool first = true;

	page_printf(pg,
		    "<tr class=\"rule\" data-failing=\"%zu\" "
		    "data-hosts=\"%zu\">",
		    m->failing, m->n);
	page_elem(pg, "<td class=\"id\"><code>", r->id, "</code></td>");
	page_elem(pg, "<td class=\"severity\">", r->severity, "</td>");
	page_elem(pg, "<td class=\"title\">", r->title, "</td>");
	page_printf(pg, "<td class=\"failing\">%zu of %zu ", m->failing, m->n);
	small_bar(pg, "st-fail", m->failing, fleet->nhosts);
	page_raw(pg, "</td><td class=\"where\">");
	for (size_t i = 0; i < m->n; i++) {
		if (!m->first[i].r->failing)
			continue;
		page_elem(pg, first ? "" : ", ",
			  host_name(&fleet->hosts[m->first[i].r->host]), "");
		first = false;
	}
	page_raw(pg, "</td></tr>\n");
}

static void fleet_rules(struct page *pg, const struct hc_fleet *fleet)
{
	struct rule_ref *sorted = calloc(fleet->nrules + 1, sizeof(*sorted));
	struct merged *m = calloc(fleet->nrules + 1, sizeof(*m));
	size_t nm = 0;

	if (sorted == NULL || m == NULL) {
		pg->error = pg->error ? pg->error : hc_error_oom();
		goto out;
	}
	for (size_t i = 0; i < fleet->nrules; i++)
		sorted[i].r = &fleet->rules[i];
	qsort(sorted, fleet->nrules, sizeof(*sorted), rule_id_cmp);
	for (size_t i = 0; i < fleet->nrules; i++) {
		if (i == 0 || strcmp(sorted[i].r->id, sorted[i - 1].r->id) != 0)
			m[nm++].first = &sorted[i];
		m[nm - 1].n++;
		m[nm - 1].failing += sorted[i].r->failing;
	}
	qsort(m, nm, sizeof(*m), merged_cmp);
	page_raw(pg, "<section id=\"rules\">\n<h2>Rules by hosts failing "
		     "them</h2>\n<table id=\"rule-table\"><thead><tr>"
		     "<th>Rule</th><th>Severity</th><th>Title</th>"
		     "<th>Hosts failing</th><th>Which</th></tr></thead>\n"
		     "<tbody>\n");
	for (size_t i = 0; i < nm; i++)
		fleet_rule_row(pg, fleet, &m[i]);
	page_raw(pg, "</tbody></table>\n</section>\n");
out:
	free(sorted);
	free(m);
}

int hc_report_fleet_html(struct hc_buf *out, const struct hc_fleet *fleet)
{
	struct page pg = {out, NULL, 0};

	page_head(&pg, "hardctl fleet report");
	page_raw(&pg, "</style>\n</head>\n<body>\n"
		      "<h1>hardctl fleet report</h1>\n");
	page_printf(&pg,
		    "<p id=\"totals\" data-hosts=\"%zu\">%zu host%s' check "
		    "reports merged.  FAIL counts DRIFTED too in the rules' "
		    "table.</p>\n",
		    fleet->nhosts, fleet->nhosts,
		    fleet->nhosts == 1 ? "" : "s");
	fleet_hosts(&pg, fleet);
	fleet_rules(&pg, fleet);
	page_elem(&pg, "<footer><p>Written by hardctl ", HARDCTL_VERSION,
		  ".</p></footer>\n</body>\n</html>\n");
	return pg.error;
}
