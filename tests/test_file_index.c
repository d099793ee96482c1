/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The file helpers' node index (src/file.c): a tree of many top-level
 * nodes is read and edited through a cursor, and matches are named
 * without aug_match().  What the helpers answer must be what Augeas
 * answers for the same paths, before and after edits, on real lenses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "test.h"

#define PAM_LENS_NAME "Pam.lns"

static struct test_ctx t;

static void setup(void)
{
	test_ctx_setup(&t, "debian12");
}

static void teardown(void)
{
	test_ctx_teardown(&t);
}

/* FILE, written with TEXT, read with LENS. */
static struct hc_file *load(const char *path, const char *lens,
			    const char *text)
{
	struct hc_file *file = NULL;

	test_write(t.root_dir, path, text, 0644);
	ck_assert_msg(hc_ctx_file(&file, &t.ctx, path, lens, 0) == 0, "%s",
		      hc_error_last()->message);
	return file;
}

/* What aug_match() gives for PATTERN: the helpers' answer must be it. */
static void same_match(struct hc_file *file, const char *pattern)
{
	struct hc_strlist got = HC_STRLIST_INIT;
	char full[512], **want = NULL;
	int n;

	if (pattern[0] == '/')
		snprintf(full, sizeof(full), "%s", pattern);
	else
		snprintf(full, sizeof(full), "%s/%s", file->tree, pattern);
	n = aug_match(hc_aug_handle(file->aug), full, &want);
	ck_assert_int_ge(n, 0);
	ck_assert_int_eq(hc_file_match(&got, file, pattern), 0);
	ck_assert_msg(got.n == (size_t)n, "%s: %zu matches, Augeas %d", pattern,
		      got.n, n);
	for (int i = 0; i < n; i++) {
		ck_assert_str_eq(got.v[i], want[i]);
		free(want[i]);
	}
	free(want);
	ck_assert_int_eq(hc_file_count(file, pattern), n);
	hc_strlist_release(&got);
}

/*
 * Every top-level node and every child of one: the helpers read what
 * Augeas reads on the same path.  LARGE: the tree must be large enough
 * for the index's cursor (INDEX_MIN), or small enough to go without.
 */
static void reads_as_augeas(struct hc_file *file, bool large)
{
	augeas *aug = hc_aug_handle(file->aug);
	char pattern[512], **top = NULL;
	int n;

	snprintf(pattern, sizeof(pattern), "%s/*", file->tree);
	n = aug_match(aug, pattern, &top);
	if (large)
		ck_assert_int_gt(n, 256);
	else
		ck_assert_int_lt(n, 256);
	same_match(file, "*");
	for (int i = 0; i < n; i++) {
		const char *value = NULL, *want = NULL, *label = NULL;

		ck_assert_int_eq(hc_file_get(&value, file, top[i]), 0);
		aug_get(aug, top[i], &want);
		if (want)
			ck_assert_str_eq(value, want);
		else
			ck_assert_ptr_null(value);
		ck_assert_int_eq(aug_label(aug, top[i], &label), 1);
		ck_assert_str_eq(hc_file_label(file, top[i]), label);
		ck_assert_uint_eq(
		    hc_file_line(file, top[i]),
		    hc_aug_line(file->aug, top[i], hc_buf_cstr(&file->orig)));
		snprintf(pattern, sizeof(pattern), "%s/*", top[i]);
		same_match(file, pattern);
		free(top[i]);
	}
	free(top);
}

static void same_reads(struct hc_file *file)
{
	reads_as_augeas(file, true);
}

/* N lines of KIND: snmpd community lines, sshd settings or rsyslog rules,
 * labels repeated and unique, comments between. */
enum kind { SNMPD, SSHD, RSYSLOG };

static char *numbered(enum kind kind, int n)
{
	struct hc_buf text = HC_BUF_INIT;

	for (int i = 0; i < n; i++) {
		int error;

		switch (kind) {
		case SNMPD:
			error = hc_buf_printf(
			    &text, "rocommunity c%d 10.%d.0.0/16\n# n%d\n", i,
			    i % 7, i);
			break;
		case SSHD:
			error = hc_buf_printf(
			    &text, "Port %d\nX11Forwarding%d no\n#c %d\n", i,
			    i % 7, i);
			break;
		default:
			error = hc_buf_printf(
			    &text,
			    ":programname, isequal, \"p%d\" /var/log/%d\n"
			    "local%d.* /var/log/l\n",
			    i, i, i % 7);
		}
		ck_assert_int_eq(error, 0);
	}
	return hc_buf_detach(&text);
}

/* Labels repeated and unique, comments between, on three real lenses. */
START_TEST(test_file_index__reads_as_augeas)
{
	char *snmp = numbered(SNMPD, 150);
	char *sshd = numbered(SSHD, 100);
	char *rsys = numbered(RSYSLOG, 150);
	struct hc_file *s =
	    load("/etc/snmp/snmpd.conf", "Hardctl_Snmpd.lns", snmp);
	struct hc_file *d = load("/etc/ssh/sshd_config", "Sshd.lns", sshd);
	struct hc_file *r =
	    load("/etc/rsyslog.d/50-many.conf", "Rsyslog.lns", rsys);

	same_reads(s);
	same_match(s, "rocommunity");
	same_match(s, "#comment");
	same_match(s, "rocommunity[7]/*");
	same_match(s, "*[label() != '#comment']");
	same_reads(d);
	same_match(d, "Port");
	same_match(d, "Port[3]");
	same_match(d, "X11Forwarding5");
	same_reads(r);
	same_match(r, "filter/*");
	/* Two steps below a top-level node: named without aug_match(). */
	same_match(r, "entry[2]/selector/*");
	same_match(r, "entry[2]/selector[1]/*");
	same_match(r, "entry[150]/action/*");
	same_match(r, "filter[77]/action/*[label() != 'file']");
	same_match(r, "filter[3]/*[1]/*");
	same_match(r, "entry[2]/selector[2]/*");
	same_match(r, "entry[2]/nothing/*");
	same_match(r, "entry[2]/*/*");
	same_match(r, "entry[2]/selector/descendant::*");
	free(snmp);
	free(sshd);
	free(rsys);
}
END_TEST

/*
 * The same edits through the helpers and through Augeas on a second
 * parse of the text: the same bytes, and the helpers still read as
 * Augeas does after each kind of edit.
 */
START_TEST(test_file_index__edits_as_augeas)
{
	char *text = numbered(SSHD, 100);
	struct hc_file *f = load("/etc/ssh/sshd_config", "Sshd.lns", text);
	augeas *aug = hc_aug_handle(f->aug);
	struct hc_buf mine = HC_BUF_INIT, theirs = HC_BUF_INIT;
	char twin[32], path[256];

	ck_assert_int_eq(
	    hc_aug_parse(twin, f->aug, "Sshd.lns", "twin", text, strlen(text)),
	    0);
	same_reads(f);
	/* Values of existing nodes, forward and back. */
	for (int i = 100; i-- > 0;) {
		char value[16];

		snprintf(value, sizeof(value), "%d", 1000 + i);
		snprintf(path, sizeof(path), "%s/Port[%d]", f->tree, i + 1);
		ck_assert_int_eq(hc_file_set(f, path, value), 0);
		snprintf(path, sizeof(path), "%s/Port[%d]", twin, i + 1);
		ck_assert_int_eq(aug_set(aug, path, value), 0);
	}
	same_reads(f);
	/* A node removed, one inserted, one added at the end. */
	ck_assert_int_eq(hc_file_rm(f, "Port[10]"), 0);
	snprintf(path, sizeof(path), "%s/Port[10]", twin);
	ck_assert_int_eq(aug_rm(aug, path), 1);
	same_reads(f);
	ck_assert_int_eq(hc_file_insert(f, "Port[20]", "Banner", true), 0);
	ck_assert_int_eq(hc_file_set(f, "Banner", "/etc/issue.net"), 0);
	snprintf(path, sizeof(path), "%s/Port[20]", twin);
	ck_assert_int_eq(aug_insert(aug, path, "Banner", 1), 0);
	snprintf(path, sizeof(path), "%s/Banner", twin);
	ck_assert_int_eq(aug_set(aug, path, "/etc/issue.net"), 0);
	same_reads(f);
	ck_assert_int_eq(hc_file_set(f, "MaxAuthTries", "3"), 0);
	snprintf(path, sizeof(path), "%s/MaxAuthTries", twin);
	ck_assert_int_eq(aug_set(aug, path, "3"), 0);
	same_reads(f);
	/* A rename and a removal below a node leave the top as it was. */
	ck_assert_int_eq(
	    hc_file_rename(f, "X11Forwarding3[2]", "X11Forwarding"), 0);
	snprintf(path, sizeof(path), "%s/X11Forwarding3[2]", twin);
	ck_assert_int_eq(aug_rename(aug, path, "X11Forwarding"), 1);
	same_reads(f);
	ck_assert_int_eq(hc_file_render(f), 0);
	ck_assert_int_eq(
	    hc_aug_render(&theirs, f->aug, "Sshd.lns", twin, "twin"), 0);
	hc_buf_set(&mine, f->cur.ptr, f->cur.size);
	ck_assert_str_eq(hc_buf_cstr(&mine), hc_buf_cstr(&theirs));
	assert_contains(hc_buf_cstr(&mine), "Port 1069\n");
	assert_lacks(hc_buf_cstr(&mine), "Port 1009\n");
	hc_aug_drop(f->aug, twin);
	hc_buf_release(&mine);
	hc_buf_release(&theirs);
	free(text);
}
END_TEST

/* A node changed behind the helpers' back is not read from a stale index. */
START_TEST(test_file_index__stale_node_falls_back)
{
	char *text = numbered(SSHD, 100);
	struct hc_file *f = load("/etc/ssh/sshd_config", "Sshd.lns", text);
	const char *label;
	char path[256];

	same_reads(f);
	snprintf(path, sizeof(path), "%s/Port[5]", f->tree);
	ck_assert_int_eq(aug_rename(hc_aug_handle(f->aug), path, "Moved"), 1);
	/* Port[5] is now the sixth Port; the index's fifth is "Moved". */
	label = hc_file_label(f, "Port[5]");
	ck_assert_str_eq(label, "Port");
	ck_assert_str_eq(hc_file_label(f, "Moved"), "Moved");
	same_reads(f);
	free(text);
}
END_TEST

/*
 * Labels that are pathx syntax or near it ("1", ".x", "..y", "-x",
 * "a.b", "." and ".."), one the index does not name ("@nisdefault"),
 * duplicates and comment runs, on the Shadow lens and a numbered one
 * (Securetty): the helpers answer as Augeas, also for steps that leave
 * the node ("..", "descendant::*") and after edits through a cursor.
 */
START_TEST(test_file_index__odd_labels_as_augeas)
{
	static const char *const odd[] = {".x",  "..y", "-x", "1",
					  "a.b", "-",   "u5", "..."};
	struct hc_buf text = HC_BUF_INIT, tty = HC_BUF_INIT;
	struct hc_file *f, *s;
	const char *v = NULL;

	for (int i = 0; i < 300; i++) {
		ck_assert_int_eq(
		    hc_buf_printf(&text, "u%d:$6$s%d:19000:0:99999:7:::\n", i,
				  i),
		    0);
		if (i % 7 == 0)
			ck_assert_int_eq(hc_buf_printf(&text, "# c%d\n\n", i),
					 0);
		if (i % 50 == 0)
			for (size_t k = 0; k < sizeof(odd) / sizeof(*odd); k++)
				ck_assert_int_eq(
				    hc_buf_printf(&text,
						  "%s:$6$o:19000:0:%d:7:::\n",
						  odd[k], i + (int)k),
				    0);
		if (i == 150)
			ck_assert_int_eq(hc_buf_puts(&text, "+\n+::::::::\n"),
					 0);
		ck_assert_int_eq(hc_buf_printf(&tty, "tty%d\n# t\n", i), 0);
	}
	f = load("/etc/shadow", "Shadow.lns", hc_buf_cstr(&text));
	s = load("/etc/securetty", "Securetty.lns", hc_buf_cstr(&tty));
	same_reads(f);
	same_match(f, "*[password]");
	same_match(f, ".x");
	same_match(f, "..y/maxage_days");
	same_match(f, "-x[3]/*");
	same_match(f, "1[2]/..");
	same_match(f, "a.b[1]/descendant::*");
	same_match(f, "descendant::maxage_days");
	same_match(f, "..");
	same_match(f, "u5[2]/following-sibling::*[1]");
	same_match(f, "#comment[3]");
	/* Through the index, then a cursor, then the index again. */
	ck_assert_int_eq(hc_file_get(&v, f, "..y[2]/maxage_days"), 0);
	ck_assert_str_eq(v, "51");
	ck_assert_int_eq(hc_file_set(f, "-x[4]/maxage_days", "60"), 0);
	ck_assert_int_eq(hc_file_set(f, "1[6]/..", NULL), 0);
	same_reads(f);
	ck_assert_int_eq(hc_file_rename(f, ".x[2]", "a.b"), 0);
	same_reads(f);
	same_match(f, "a.b");
	same_reads(s);
	same_match(s, "1");
	same_match(s, "300");
	same_match(s, "#comment[299]");
	ck_assert_int_eq(hc_file_rm(s, "17"), 0);
	same_reads(s);
	same_match(s, "*[. = 'tty16']");
	hc_buf_release(&text);
	hc_buf_release(&tty);
}
END_TEST

/*
 * A failure through the index says what it said before: Augeas names
 * the path it was given, so the message shows the file's own path, never
 * the cursor's variable ("$hc_node").  An xinetd service with "disable"
 * twice, after 300 comments: reading, setting and inserting at it fail
 * as on the path itself, and a path Augeas cannot parse too.
 */
START_TEST(test_file_index__errors_name_the_path)
{
	struct hc_buf text = HC_BUF_INIT;
	struct hc_file *f;
	const char *v = NULL;
	char want[256];
	augeas *aug;

	for (int i = 0; i < 300; i++)
		ck_assert_int_eq(hc_buf_printf(&text, "# c%d\n", i), 0);
	ck_assert_int_eq(hc_buf_puts(&text, "service telnet\n{\n"
					    "\tdisable = no\n"
					    "\tdisable = yes\n}\n"),
			 0);
	f = load("/etc/xinetd.d/telnet", "Xinetd.lns", hc_buf_cstr(&text));
	aug = hc_aug_handle(f->aug);
	snprintf(want, sizeof(want), "nodes matching %s/service/disable",
		 f->tree);
	ck_assert_int_lt(hc_file_get(&v, f, "service/disable"), 0);
	assert_contains(hc_error_last()->message, want);
	assert_lacks(hc_error_last()->message, "$hc_");
	ck_assert_int_lt(hc_file_set(f, "service/disable", "yes"), 0);
	assert_lacks(hc_error_last()->message, "$hc_");
	ck_assert_int_lt(hc_file_insert(f, "service/disable", "x", true), 0);
	assert_lacks(hc_error_last()->message, "$hc_");
	ck_assert_int_lt(hc_file_match(&(struct hc_strlist)HC_STRLIST_INIT, f,
				       "service/disable[. = ]"),
			 0);
	assert_lacks(hc_error_last()->message, "$hc_");
	ck_assert_int_lt(hc_file_count(f, "service/disable[. = ]"), 0);
	assert_lacks(hc_error_last()->message, "$hc_");
	ck_assert_int_lt(hc_file_rm(f, "service/disable[. = ]"), 0);
	assert_lacks(hc_error_last()->message, "$hc_");
	ck_assert_int_lt(hc_file_rename(f, "service/disable[. = ]", "y"), 0);
	assert_lacks(hc_error_last()->message, "$hc_");
	/* Nothing was changed by the failures. */
	ck_assert(!f->dirty);
	ck_assert_int_eq(aug_match(aug, want + 15, NULL), 2);
	hc_buf_release(&text);
}
END_TEST

/*
 * A path through an indexed node can still reach the top level ("..",
 * an axis, "//", "."): an edit there drops the index as one at the top
 * does, and the helpers go on reading as Augeas.
 */
START_TEST(test_file_index__edit_leaving_the_node_drops_index)
{
	char *text = numbered(SSHD, 100);
	struct hc_file *f = load("/etc/ssh/sshd_config", "Sshd.lns", text);

	same_reads(f);
	ck_assert_int_eq(
	    hc_file_rm(f, "X11Forwarding2[3]/following-sibling::Port[1]"), 0);
	same_reads(f);
	ck_assert_int_eq(hc_file_insert(f, "Port[7]/.", "Port", true), 0);
	same_reads(f);
	ck_assert_int_eq(hc_file_rename(f, "Port[9]/../Port[8]", "Moved"), 0);
	same_reads(f);
	ck_assert_int_eq(hc_file_set(f, "Port[3]/../Added", "1"), 0);
	same_reads(f);
	ck_assert_int_eq(hc_file_rm(f, "Port[4]/self::*"), 0);
	same_reads(f);
	free(text);
}
END_TEST

/*
 * A small tree (no cursor) has its nodes' names all the same: labels
 * and matches one step below it come from them, and after every kind
 * of edit through the helpers they still answer as Augeas does; a step
 * naming no node has no label.
 */
START_TEST(test_file_index__small_tree_names_as_augeas)
{
	char *text = numbered(SSHD, 20);
	struct hc_file *f = load("/etc/ssh/sshd_config", "Sshd.lns", text);

	reads_as_augeas(f, false);
	ck_assert_str_eq(hc_file_label(f, "#comment[20]"), "#comment");
	ck_assert_ptr_null(hc_file_label(f, "#comment[21]"));
	ck_assert_ptr_null(hc_file_label(f, "Port[99]"));
	ck_assert_int_eq(hc_file_rm(f, "Port[20]"), 0);
	ck_assert_ptr_null(hc_file_label(f, "Port[20]"));
	reads_as_augeas(f, false);
	ck_assert_int_eq(hc_file_rm(f, "#comment"), 0);
	ck_assert_ptr_null(hc_file_label(f, "#comment[1]"));
	same_match(f, "#comment");
	ck_assert_int_eq(hc_file_insert(f, "Port[7]", "Banner", true), 0);
	ck_assert_str_eq(hc_file_label(f, "Banner"), "Banner");
	ck_assert_int_eq(hc_file_set(f, "Banner", "/etc/issue.net"), 0);
	reads_as_augeas(f, false);
	ck_assert_int_eq(hc_file_rename(f, "Port[3]", "Moved"), 0);
	ck_assert_str_eq(hc_file_label(f, "Moved"), "Moved");
	ck_assert_str_eq(hc_file_label(f, "Port[3]"), "Port");
	reads_as_augeas(f, false);
	ck_assert_int_eq(hc_file_set(f, "Added", "1"), 0);
	ck_assert_str_eq(hc_file_label(f, "Added"), "Added");
	reads_as_augeas(f, false);
	ck_assert_int_eq(hc_file_rm(f, "Port[4]/self::*"), 0);
	reads_as_augeas(f, false);
	ck_assert_int_eq(hc_file_render(f), 0);
	assert_contains(hc_buf_cstr(&f->cur), "Moved 2\n");
	assert_lacks(hc_buf_cstr(&f->cur), "Port 19\n");
	free(text);
}
END_TEST

/* The line of TEXT that starts with KEY and a blank; 0 if none. */
static unsigned int line_of(const char *text, const char *key)
{
	size_t len = strlen(key);
	unsigned int line = 1;

	for (const char *p = text; *p; line++) {
		if (strncmp(p, key, len) == 0 &&
		    (p[len] == ' ' || p[len] == '\t'))
			return line;
		if ((p = strchr(p, '\n')) == NULL)
			break;
		p++;
	}
	return 0;
}

/* A step of renders_as_whole(): set NODE to VALUE, or remove it (NULL). */
struct twin_step {
	const char *node, *value;
};

/*
 * Make each of the N STEPS through the helpers on FILE, read from TEXT
 * with LENS, and on a twin tree through Augeas; render after each.  The
 * helpers render only the lines of the nodes they edited when they can
 * (hc_aug_render_edited()), the twin whole: the same bytes, and each
 * node set on the line it has in them (hc_file_line()).
 */
static void renders_as_whole(struct hc_file *file, const char *lens,
			     const char *text, const struct twin_step *steps,
			     size_t n, bool vouched)
{
	augeas *aug = hc_aug_handle(file->aug);
	struct hc_buf whole = HC_BUF_INIT;
	char twin[32], path[256];
	bool removed = false;

	ck_assert_int_eq(
	    hc_aug_parse(twin, file->aug, lens, "twin", text, strlen(text)), 0);
	for (size_t i = 0; i < n; i++) {
		const char *cur;

		snprintf(path, sizeof(path), "%s/%s", twin, steps[i].node);
		if (steps[i].value) {
			ck_assert_int_eq(
			    hc_file_set(file, steps[i].node, steps[i].value),
			    0);
			ck_assert_int_eq(aug_set(aug, path, steps[i].value), 0);
		} else {
			ck_assert_int_eq(hc_file_rm(file, steps[i].node), 0);
			ck_assert_int_gt(aug_rm(aug, path), 0);
			removed = true;
		}
		ck_assert_int_eq(hc_file_render(file), 0);
		ck_assert_int_eq(
		    hc_aug_render(&whole, file->aug, lens, twin, "twin"), 0);
		cur = hc_buf_cstr(&file->cur);
		ck_assert_str_eq(cur, hc_buf_cstr(&whole));
		/*
		 * Until a node is removed, each edit is of a node's value or
		 * adds one last: only the lines of those are rendered, the
		 * spans still point into the text read, and (VOUCHED: the
		 * pieces a small part of the file) the pieces parse back to
		 * the tree.
		 */
		if (!removed) {
			ck_assert_msg(strcmp(hc_aug_text(file->aug, file->tree),
					     text) == 0,
				      "step %zu", i);
			ck_assert(!vouched ||
				  hc_aug_renders_back(file->aug, file->tree,
						      file->cur.ptr,
						      file->cur.size));
		}
		if (steps[i].value)
			ck_assert_uint_eq(hc_file_line(file, steps[i].node),
					  line_of(cur, steps[i].node));
	}
	hc_aug_drop(file->aug, twin);
	hc_buf_release(&whole);
}

/*
 * Edits through the helpers, of a large tree (through the cursor) and
 * of a small one (by the node's place), render as a whole render of
 * the same edits does, values set in turn and again, before and after
 * a node added at the top, last (by edited lines too), then removed.
 */
START_TEST(test_file_index__edits_render_as_whole)
{
	static const struct twin_step steps[] = {
	    {"PASS_MAX_DAYS", "60"},
	    {"PASS_MIN_DAYS", "1"},
	    {"PASS_WARN_AGE", "14"},
	    {"PASS_MAX_DAYS", "90"},
	    {"UMASK", "027"},
	    {"PASS_MIN_LEN", "15"},
	    {"ENCRYPT_METHOD", "YESCRYPT"},
	    {"PASS_MIN_DAYS", "2"},
	    {"PASS_MIN_LEN", NULL},
	    {"PASS_WARN_AGE", "7"},
	};
	char *text = test_read(HC_TEST_FIXTURES "/debian12", "/etc/login.defs");
	const char *small = "# login.defs\nPASS_MAX_DAYS 99999\n\n"
			    "PASS_MIN_DAYS 0\nPASS_WARN_AGE 7\n# umask\n"
			    "UMASK 022\nENCRYPT_METHOD SHA512\n";
	struct hc_file *f;

	ck_assert_ptr_nonnull(text);
	f = load("/etc/login.defs", "Login_Defs.lns", text);
	renders_as_whole(f, "Login_Defs.lns", text, steps,
			 sizeof(steps) / sizeof(*steps), true);
	f = load("/etc/login.defs.small", "Login_Defs.lns", small);
	renders_as_whole(f, "Login_Defs.lns", small, steps,
			 sizeof(steps) / sizeof(*steps), false);
	free(text);
}
END_TEST

/*
 * A key of any length added last is written whole, as a whole render
 * writes it (red35: a path built in 128 bytes cut it short, and the
 * pieces vouched for the cut key).
 */
START_TEST(test_file_index__long_key_added_last)
{
	char *text = test_read(HC_TEST_FIXTURES "/debian12", "/etc/login.defs");
	char key[201];
	struct twin_step steps[2] = {{key, "1"}, {"PASS_MAX_DAYS", "60"}};
	struct hc_file *f;

	ck_assert_ptr_nonnull(text);
	memset(key, 'K', sizeof(key) - 1);
	key[sizeof(key) - 1] = '\0';
	f = load("/etc/login.defs", "Login_Defs.lns", text);
	renders_as_whole(f, "Login_Defs.lns", text, steps, 2, true);
	assert_contains(hc_buf_cstr(&f->cur), key);
	free(text);
}
END_TEST

/*
 * The engine judges a rule's work on another parse of the bytes and
 * puts the edited tree back (swap_rendered(), swap_back(): done here by
 * hand): the tree's index, kept aside meanwhile, does not come back
 * once the tree was reshaped, even through a path it does not name.
 */
START_TEST(test_file_index__aside_index_dropped_by_a_reshape)
{
	struct hc_buf text = HC_BUF_INIT;
	struct hc_file *f;
	char mine[32], other[32];
	const char *v = NULL;

	ck_assert_int_eq(hc_buf_puts(&text, "[snmpd] rocommunity ctx\n"), 0);
	for (int i = 1; i <= 300; i++)
		ck_assert_int_eq(
		    hc_buf_printf(&text, "rocommunity c%d default\n", i), 0);
	f = load("/etc/snmp/snmpd.conf", "Hardctl_Snmpd.lns",
		 hc_buf_cstr(&text));
	ck_assert_int_eq(hc_file_get(&v, f, "rocommunity[5]/1"), 0);
	ck_assert_str_eq(v, "c5");
	memcpy(mine, f->tree, sizeof(mine));
	ck_assert_int_eq(hc_aug_parse(other, f->aug, f->lens, "other",
				      hc_buf_cstr(&text), text.size),
			 0);
	memcpy(f->tree, other, sizeof(other));
	ck_assert_int_eq(hc_file_get(&v, f, "rocommunity[7]/1"), 0);
	ck_assert_str_eq(v, "c7");
	hc_aug_drop(f->aug, f->tree);
	memcpy(f->tree, mine, sizeof(mine));
	/* "@context" is no name the index holds: no lookup first. */
	ck_assert_int_eq(hc_file_rm(f, "@context[1]"), 0);
	ck_assert_int_eq(hc_file_get(&v, f, "rocommunity[3]/1"), 0);
	ck_assert_str_eq(v, "c3");
	ck_assert_int_eq(hc_file_set(f, "rocommunity[2]/1", "NEW"), 0);
	ck_assert_int_eq(hc_file_render(f), 0);
	assert_contains(hc_buf_cstr(&f->cur), "rocommunity NEW default\n");
	assert_contains(hc_buf_cstr(&f->cur), "rocommunity c3 default\n");
	assert_lacks(hc_buf_cstr(&f->cur), "rocommunity c2 default\n");
	hc_buf_release(&text);
}
END_TEST

/*
 * A node edited before a whole render and again after takes the
 * separators a whole render gives it: laid over the text the file was
 * read from, not over the text the whole render wrote.
 */
START_TEST(test_file_index__edited_again_after_a_whole_render)
{
	struct hc_buf text = HC_BUF_INIT;
	struct hc_buf whole = HC_BUF_INIT;
	augeas *aug;
	struct hc_file *f;
	char twin[32], path[128];
	const char *unix_line;

	for (int i = 0; i < 300; i++)
		ck_assert_int_eq(hc_buf_printf(&text, "# note %d\n", i), 0);
	ck_assert_int_eq(hc_buf_puts(&text,
				     "password\t[success=1 default=ignore]\t"
				     "pam_unix.so  md5  obscure\t\tbigcrypt\n"
				     "password\trequisite\tpam_deny.so\n"),
			 0);
	f = load("/etc/pam.d/common-password", PAM_LENS_NAME,
		 hc_buf_cstr(&text));
	aug = hc_aug_handle(f->aug);
	ck_assert_int_eq(hc_aug_parse(twin, f->aug, PAM_LENS_NAME, "twin",
				      hc_buf_cstr(&text), text.size),
			 0);
	/* An argument removed, one set: rendered by its line. */
	ck_assert_int_eq(hc_file_rm(f, "1/argument[1]"), 0);
	ck_assert_int_eq(hc_file_set(f, "1/argument[2]", "sha512"), 0);
	ck_assert_int_eq(hc_file_render(f), 0);
	snprintf(path, sizeof(path), "%s/1/argument[1]", twin);
	ck_assert_int_eq(aug_rm(aug, path), 1);
	snprintf(path, sizeof(path), "%s/1/argument[2]", twin);
	ck_assert_int_eq(aug_set(aug, path, "sha512"), 0);
	/* A record added at the top: rendered whole. */
	ck_assert_int_eq(hc_file_insert(f, "2", "3", true), 0);
	ck_assert_int_eq(hc_file_set(f, "3/type", "password"), 0);
	ck_assert_int_eq(hc_file_set(f, "3/control", "requisite"), 0);
	ck_assert_int_eq(hc_file_set(f, "3/module", "pam_pwquality.so"), 0);
	ck_assert_int_eq(hc_file_render(f), 0);
	snprintf(path, sizeof(path), "%s/2", twin);
	ck_assert_int_eq(aug_insert(aug, path, "3", true), 0);
	snprintf(path, sizeof(path), "%s/3/type", twin);
	ck_assert_int_eq(aug_set(aug, path, "password"), 0);
	snprintf(path, sizeof(path), "%s/3/control", twin);
	ck_assert_int_eq(aug_set(aug, path, "requisite"), 0);
	snprintf(path, sizeof(path), "%s/3/module", twin);
	ck_assert_int_eq(aug_set(aug, path, "pam_pwquality.so"), 0);
	/*
	 * Read as modules read (the index comes back once the lookups
	 * without it have cost a build), then an argument added to the
	 * line edited before: through the index, by its line, when the
	 * tree had not been rendered whole.
	 */
	for (int i = 0; i < 40; i++) {
		const char *v = NULL;

		ck_assert_int_eq(hc_file_get(&v, f, "3/module"), 0);
		ck_assert_str_eq(v, "pam_pwquality.so");
	}
	ck_assert_int_eq(hc_file_set(f, "1/argument[last()+1]", "use_authtok"),
			 0);
	ck_assert_int_eq(hc_file_render(f), 0);
	snprintf(path, sizeof(path), "%s/1/argument[last()+1]", twin);
	ck_assert_int_eq(aug_set(aug, path, "use_authtok"), 0);
	ck_assert_int_eq(
	    hc_aug_render(&whole, f->aug, PAM_LENS_NAME, twin, "twin"), 0);
	/* 300 lines of notes: the line that tells, not the file. */
	unix_line = strstr(hc_buf_cstr(&f->cur), "pam_unix.so");
	ck_assert_ptr_nonnull(unix_line);
	ck_assert_msg(strcmp(hc_buf_cstr(&f->cur), hc_buf_cstr(&whole)) == 0,
		      "%.60s, a whole render: %.60s", unix_line,
		      strstr(hc_buf_cstr(&whole), "pam_unix.so"));
	hc_aug_drop(f->aug, twin);
	hc_buf_release(&whole);
	hc_buf_release(&text);
}
END_TEST

/*
 * FILE's PAM records read as a table, and read through Augeas path by
 * path: the same rows, fields and arguments.
 */
static void same_table(struct hc_file *file)
{
	static const char *const fields[] = {"type", "control", "module"};
	static const char *const two[] = {"type", "module"};
	augeas *aug = hc_aug_handle(file->aug);
	struct hc_file_table tab, other;
	char pattern[512], **rows = NULL;
	size_t a = 0;
	int n;

	/* Another shape read between: each is kept apart. */
	ck_assert_int_eq(hc_file_table(&other, file, two, 2, NULL), 0);
	ck_assert_int_eq(hc_file_table(&tab, file, fields, 3, "argument"), 0);
	snprintf(pattern, sizeof(pattern), "%s/*[type][control][module]",
		 file->tree);
	n = aug_match(aug, pattern, &rows);
	ck_assert_int_ge(n, 0);
	ck_assert_uint_eq(tab.n, (size_t)n);
	ck_assert_uint_eq(other.n, (size_t)n);
	for (int i = 0; i < n; i++) {
		char path[600], **args = NULL;
		const char *v = NULL;
		int nargs;

		ck_assert_str_eq(tab.label[i], strrchr(rows[i], '/') + 1);
		for (size_t f = 0; f < 3; f++) {
			snprintf(path, sizeof(path), "%s/%s", rows[i],
				 fields[f]);
			ck_assert_int_eq(aug_get(aug, path, &v), 1);
			ck_assert_str_eq(tab.value[i * 3 + f], v);
		}
		ck_assert_str_eq(other.value[i * 2], tab.value[i * 3]);
		ck_assert_str_eq(other.value[i * 2 + 1], tab.value[i * 3 + 2]);
		snprintf(path, sizeof(path), "%s/argument", rows[i]);
		nargs = aug_match(aug, path, &args);
		for (int k = 0; k < nargs; k++, a++) {
			ck_assert_uint_lt(a, tab.nlist);
			ck_assert_uint_eq(tab.list_row[a], (size_t)i);
			ck_assert_int_eq(aug_get(aug, args[k], &v), 1);
			ck_assert_str_eq(tab.list[a], v);
			free(args[k]);
		}
		free(args);
		free(rows[i]);
	}
	ck_assert_uint_eq(tab.nlist, a);
	free(rows);
	hc_file_table_release(&tab);
	hc_file_table_release(&other);
}

/*
 * A table is read again from a memo while the tree is unedited: every
 * kind of edit, and a tree parsed again, must show in the next read.
 */
START_TEST(test_file_index__table_read_again_after_edits)
{
	static const char *const fields[] = {"type", "control", "module"};
	struct hc_file *f =
	    load("/etc/pam.d/hc-table", PAM_LENS_NAME,
		 "# a stack\n"
		 "auth required pam_env.so readenv=1\n"
		 "@include common-auth\n"
		 "account required pam_unix.so\n"
		 "session optional pam_motd.so motd=/run/motd\n");
	struct hc_file_table tab;
	struct hc_file_edit edit = {1, "control", "requisite"};

	same_table(f);
	same_table(f); /* from the memo */
	ck_assert_int_eq(hc_file_set(f, "1/control", "sufficient"), 0);
	same_table(f);
	ck_assert_int_eq(hc_file_set(f, "1/argument[last()+1]", "debug"), 0);
	same_table(f);
	ck_assert_int_eq(hc_file_insert(f, "3", "9", true), 0);
	ck_assert_int_eq(hc_file_set(f, "9/type", "account"), 0);
	ck_assert_int_eq(hc_file_set(f, "9/control", "required"), 0);
	ck_assert_int_eq(hc_file_set(f, "9/module", "pam_access.so"), 0);
	same_table(f);
	ck_assert_int_eq(hc_file_rename(f, "9", "10"), 0);
	same_table(f);
	ck_assert_int_eq(hc_file_rm(f, "1"), 0);
	same_table(f);
	ck_assert_int_eq(hc_file_table(&tab, f, fields, 3, NULL), 0);
	ck_assert_int_eq(hc_file_table_set(f, &tab, &edit, 1), 0);
	hc_file_table_release(&tab);
	same_table(f);
	ck_assert_int_eq(hc_ctx_file_reset(&t.ctx, f, NULL), 0);
	same_table(f);
	ck_assert_int_eq(hc_file_table(&tab, f, fields, 3, NULL), 0);
	ck_assert_uint_eq(tab.n, 3);
	ck_assert_str_eq(tab.value[1], "required");
	hc_file_table_release(&tab);
}
END_TEST

static const char *port(struct hc_file *file)
{
	const char *v = NULL;

	ck_assert_int_eq(hc_file_get(&v, file, "Port"), 0);
	ck_assert_ptr_nonnull(v);
	return v;
}

/*
 * A context lent another's files shares each, parsed once, only while
 * it is as read: not with another lens, not once its tree was edited
 * (even back to the bytes read), nor its mode; again once it is read
 * afresh.  Either context may be released first.
 */
START_TEST(test_file_index__lent_only_as_read)
{
	static const char path[] = "/etc/ssh/sshd_config";
	struct hc_file *file = load(path, "Sshd.lns", "Port 22\nUsePAM yes\n");
	struct hc_ctx now;

	ck_assert_ptr_eq(test_ctx_borrow(&t, &now, path, "Sshd.lns"), file);
	ck_assert_uint_eq(file->shares, 1);
	hc_ctx_release(&now);
	ck_assert_uint_eq(file->shares, 0);
	ck_assert_str_eq(port(file), "22");

	ck_assert_ptr_ne(test_ctx_borrow(&t, &now, path, "Hardctl_Text.lns"),
			 file);
	hc_ctx_release(&now);

	ck_assert_int_eq(hc_file_set(file, "Port", "2222"), 0);
	ck_assert_int_eq(hc_file_set(file, "Port", "22"), 0);
	ck_assert_int_eq(hc_file_render(file), 0);
	ck_assert(hc_buf_equal(&file->cur, &file->orig));
	ck_assert_ptr_ne(test_ctx_borrow(&t, &now, path, "Sshd.lns"), file);
	hc_ctx_release(&now);

	ck_assert_int_eq(hc_ctx_file_reset(&t.ctx, file, NULL), 0);
	ck_assert_ptr_eq(test_ctx_borrow(&t, &now, path, "Sshd.lns"), file);
	hc_ctx_release(&now);

	ck_assert_int_eq(hc_file_set(file, "Port", "2222"), 0);
	ck_assert_int_eq(hc_file_render(file), 0);
	ck_assert_str_eq(port(test_ctx_borrow(&t, &now, path, "Sshd.lns")),
			 "22");
	hc_ctx_release(&now);

	ck_assert_int_eq(hc_ctx_file_reset(&t.ctx, file, NULL), 0);
	ck_assert_int_eq(hc_file_set_mode(file, 0600), 0);
	ck_assert_ptr_ne(test_ctx_borrow(&t, &now, path, "Sshd.lns"), file);
	hc_ctx_release(&now);

	/* The lender released first: what was lent stays whole. */
	ck_assert_int_eq(hc_ctx_file_reset(&t.ctx, file, NULL), 0);
	file = test_ctx_borrow(&t, &now, path, "Sshd.lns");
	hc_ctx_release(&t.ctx);
	ck_assert_uint_eq(file->shares, 0);
	ck_assert_str_eq(port(file), "22");
	hc_ctx_release(&now);
}
END_TEST

Suite *file_index_suite(void)
{
	Suite *s = suite_create("file_index");
	TCase *tc = tcase_create("index");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_file_index__reads_as_augeas);
	tcase_add_test(tc, test_file_index__edits_as_augeas);
	tcase_add_test(tc, test_file_index__stale_node_falls_back);
	tcase_add_test(tc, test_file_index__odd_labels_as_augeas);
	tcase_add_test(tc, test_file_index__errors_name_the_path);
	tcase_add_test(tc, test_file_index__edit_leaving_the_node_drops_index);
	tcase_add_test(tc, test_file_index__small_tree_names_as_augeas);
	tcase_add_test(tc, test_file_index__edits_render_as_whole);
	tcase_add_test(tc, test_file_index__long_key_added_last);
	tcase_add_test(tc, test_file_index__aside_index_dropped_by_a_reshape);
	tcase_add_test(tc, test_file_index__edited_again_after_a_whole_render);
	tcase_add_test(tc, test_file_index__table_read_again_after_edits);
	tcase_add_test(tc, test_file_index__lent_only_as_read);
	suite_add_tcase(s, tc);
	return s;
}
