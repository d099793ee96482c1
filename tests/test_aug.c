/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The Augeas layer: parse from bytes, render to bytes, errors with lines.
 */
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/aug.h"
#include "hardctl/regcache.h"
#include "test.h"

static struct hc_aug *aug;

static void setup(void)
{
	ck_assert_int_eq(hc_aug_open(&aug, HARDCTL_LENS_DIR), 0);
}

static void teardown(void)
{
	hc_aug_free(aug);
}

START_TEST(test_aug_parse__round_trip_is_byte_exact)
{
	char *text =
	    test_read(HC_TEST_FIXTURES "/debian12", "/etc/ssh/sshd_config");
	struct hc_buf out = HC_BUF_INIT;
	char tree[32];

	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(hc_aug_parse(tree, aug, "Sshd.lns", "sshd_config",
				      text, strlen(text)),
			 0);
	ck_assert_int_eq(
	    hc_aug_render(&out, aug, "Sshd.lns", tree, "sshd_config"), 0);
	ck_assert_str_eq(hc_buf_cstr(&out), text);
	hc_buf_release(&out);
	free(text);
}
END_TEST

START_TEST(test_aug_parse__failure_names_file_and_line)
{
	const char *text =
	    "Port 22\nUsePAM yes\nPermitRootLogin\nX11Forwarding no\n";
	char tree[32];

	ck_assert_int_eq(hc_aug_parse(tree, aug, "Sshd.lns",
				      "/etc/ssh/sshd_config", text,
				      strlen(text)),
			 HC_EPARSE);
	ck_assert_str_eq(hc_error_last()->file, "/etc/ssh/sshd_config");
	ck_assert_uint_eq(hc_error_last()->line, 3);
	assert_contains(hc_error_last()->message, "cannot parse");
}
END_TEST

START_TEST(test_aug_parse__nul_byte_refused)
{
	const char text[] = "Port 22\n\0PermitRootLogin yes\n";
	char tree[32];

	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Sshd.lns", "f", text, sizeof(text) - 1),
	    HC_EINVALID);
	assert_contains(hc_error_last()->message, "NUL");
}
END_TEST

START_TEST(test_aug_parse__unknown_lens_is_an_error)
{
	char tree[32];

	ck_assert_int_lt(
	    hc_aug_parse(tree, aug, "No_Such_Lens.lns", "f", "x\n", 2), 0);
	ck_assert_int_ne(hc_error_last()->code, HC_EPARSE);
}
END_TEST

START_TEST(test_aug_line__counts_lines_of_the_text)
{
	const char *text = "# comment\n\nPort 22\nUsePAM yes\n";
	char tree[32], node[64];

	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Sshd.lns", "f", text, strlen(text)), 0);
	snprintf(node, sizeof(node), "%s/UsePAM", tree);
	ck_assert_uint_eq(hc_aug_line(aug, node, text), 4);
	snprintf(node, sizeof(node), "%s/Port", tree);
	ck_assert_uint_eq(hc_aug_line(aug, node, text), 3);
}
END_TEST

START_TEST(test_aug_render__edit_keeps_the_rest)
{
	const char *text = "# keep me\nPort 22\nPermitRootLogin yes\n";
	struct hc_buf out = HC_BUF_INIT;
	char tree[32], node[64];

	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Sshd.lns", "f", text, strlen(text)), 0);
	snprintf(node, sizeof(node), "%s/PermitRootLogin", tree);
	ck_assert_int_eq(aug_set(hc_aug_handle(aug), node, "no"), 0);
	ck_assert_int_eq(hc_aug_render(&out, aug, "Sshd.lns", tree, "f"), 0);
	ck_assert_str_eq(hc_buf_cstr(&out),
			 "# keep me\nPort 22\nPermitRootLogin no\n");
	hc_buf_release(&out);
}
END_TEST

START_TEST(test_aug_text_lens__empty_and_no_final_newline)
{
	struct hc_buf out = HC_BUF_INIT;
	char tree[32], node[64];
	const char *value = NULL;

	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Hardctl_Text.lns", "f", "", 0), 0);
	ck_assert_int_eq(
	    hc_aug_render(&out, aug, "Hardctl_Text.lns", tree, "f"), 0);
	ck_assert_uint_eq(out.size, 0);

	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Hardctl_Text.lns", "f", "no newline", 10),
	    0);
	snprintf(node, sizeof(node), "%s/text", tree);
	ck_assert_int_eq(aug_get(hc_aug_handle(aug), node, &value), 1);
	ck_assert_str_eq(value, "no newline");
	hc_buf_release(&out);
}
END_TEST

/*
 * The children as one walk reads them: the same nodes, in the same
 * order, as aug_match() and aug_label()/aug_get() on each path, a label
 * repeated and a node without a value included; each named by the path
 * aug_match() gives it.
 */
START_TEST(test_aug_children__match_each_path)
{
	const char *text = "# a comment\nPort 22\nPort 2222\n"
			   "PermitRootLogin no\nAcceptEnv LANG LC_*\n";
	struct hc_aug_children kids = {0};
	char tree[32], pattern[48], **paths = NULL, *path = NULL;
	int n;

	ck_assert_int_eq(hc_aug_parse(tree, aug, "Sshd.lns", "sshd_config",
				      text, strlen(text)),
			 0);
	ck_assert_int_eq(hc_aug_children(&kids, aug, tree), 0);
	snprintf(pattern, sizeof(pattern), "%s/*", tree);
	n = aug_match(hc_aug_handle(aug), pattern, &paths);
	ck_assert_int_eq(n, 5);
	ck_assert_uint_eq(kids.n, 5);
	for (int i = 0; i < n; i++) {
		const char *label = NULL, *value = NULL;

		ck_assert_int_eq(
		    aug_label(hc_aug_handle(aug), paths[i], &label), 1);
		ck_assert_int_eq(aug_get(hc_aug_handle(aug), paths[i], &value),
				 1);
		ck_assert_str_eq(kids.label[i], label);
		if (value)
			ck_assert_str_eq(kids.value[i], value);
		else
			ck_assert_ptr_null(kids.value[i]);
		ck_assert_int_eq(hc_aug_child_path(&path, &kids, (size_t)i), 0);
		ck_assert_str_eq(path, paths[i]);
		free(path);
		free(paths[i]);
	}
	free(paths);
	ck_assert_str_eq(kids.label[2], "Port");
	ck_assert_str_eq(kids.value[2], "2222");
	ck_assert_ptr_null(kids.value[4]); /* AcceptEnv: its words below */
	/* A tree changed since is not named from stale children. */
	snprintf(pattern, sizeof(pattern), "%s/Port[1]", tree);
	ck_assert_int_eq(aug_rm(hc_aug_handle(aug), pattern), 1);
	ck_assert_int_eq(hc_aug_child_path(&path, &kids, 1), HC_ERROR);
	ck_assert_ptr_null(path);
	assert_contains(hc_error_last()->message, "changed");
	hc_aug_children_release(&kids);
	ck_assert_uint_eq(kids.n, 0);
}
END_TEST

/*
 * The cursor names the child it is asked for, forward by any step,
 * backward from the first, and an edit through it lands there alone.
 */
START_TEST(test_aug_cursor__names_each_child)
{
	const char *text = "# a comment\nPort 22\nPort 2222\n"
			   "PermitRootLogin no\nAcceptEnv LANG LC_*\n";
	const size_t order[] = {0, 1, 3, 4, 2, 2, 0, 4};
	struct hc_aug_children kids = {0};
	struct hc_aug_cursor cursor;
	struct hc_buf out = HC_BUF_INIT;
	char tree[32];

	ck_assert_int_eq(hc_aug_parse(tree, aug, "Sshd.lns", "sshd_config",
				      text, strlen(text)),
			 0);
	ck_assert_int_eq(hc_aug_children(&kids, aug, tree), 0);
	ck_assert_int_eq(hc_aug_cursor_init(&cursor, aug, tree, HC_AUG_CURSOR),
			 0);
	ck_assert_ptr_null(hc_aug_cursor_label(&cursor));
	for (size_t k = 0; k < HC_ARRAY_SIZE(order); k++) {
		ck_assert_int_eq(hc_aug_cursor_seek(&cursor, order[k]), 0);
		ck_assert_ptr_eq(hc_aug_cursor_label(&cursor),
				 kids.label[order[k]]);
	}
	ck_assert_int_eq(hc_aug_cursor_seek(&cursor, 5), HC_ERROR);
	assert_contains(hc_error_last()->message, "no node 6");
	ck_assert_ptr_null(hc_aug_cursor_label(&cursor));
	ck_assert_int_eq(hc_aug_cursor_seek(&cursor, 2), 0);
	ck_assert_int_eq(aug_set(hc_aug_handle(aug), HC_AUG_CURSOR, "2022"), 0);
	hc_aug_cursor_release(&cursor);
	ck_assert_int_eq(
	    hc_aug_render(&out, aug, "Sshd.lns", tree, "sshd_config"), 0);
	ck_assert_str_eq(hc_buf_cstr(&out),
			 "# a comment\nPort 22\nPort 2022\n"
			 "PermitRootLogin no\nAcceptEnv LANG LC_*\n");
	/* Released, the name is free again. */
	ck_assert_int_eq(aug_match(hc_aug_handle(aug), HC_AUG_CURSOR, NULL),
			 -1);
	hc_buf_release(&out);
	hc_aug_children_release(&kids);
}
END_TEST

/*
 * What each of these lenses makes of a fixture: parsed, edited at NODE
 * (a path under the tree) when NODE is set, rendered, parsed again and
 * rendered again, through handle A while handle B (opened first, and
 * freed in between) parsed the same file: B's regfree() of the
 * automata they share must leave A's working.
 */
static void lens_cycle(struct hc_buf *out, const char *lens, const char *file,
		       const char *node, const char *value)
{
	struct hc_aug *a, *b;
	struct hc_buf once = HC_BUF_INIT;
	char *text = test_read(HC_TEST_FIXTURES "/debian12", file);
	char tree[32], other[32], path[96];

	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(hc_aug_open(&b, HARDCTL_LENS_DIR), 0);
	ck_assert_int_eq(hc_aug_open(&a, HARDCTL_LENS_DIR), 0);
	ck_assert_int_eq(hc_aug_parse(other, b, lens, file, text, strlen(text)),
			 0);
	ck_assert_int_eq(hc_aug_parse(tree, a, lens, file, text, strlen(text)),
			 0);
	hc_aug_free(b);
	if (node) {
		snprintf(path, sizeof(path), "%s/%s", tree, node);
		ck_assert_int_eq(aug_set(hc_aug_handle(a), path, value), 0);
	}
	ck_assert_int_eq(hc_aug_render(&once, a, lens, tree, file), 0);
	hc_aug_drop(a, tree);
	ck_assert_int_eq(
	    hc_aug_parse(tree, a, lens, file, hc_buf_cstr(&once), once.size),
	    0);
	ck_assert_int_eq(hc_aug_render(out, a, lens, tree, file), 0);
	ck_assert_str_eq(hc_buf_cstr(out), hc_buf_cstr(&once));
	/* And an error found where it was. */
	ck_assert_int_eq(hc_aug_parse(tree, a, "Sshd.lns", "x",
				      "Port 22\nUsePAM yes\nPermitRootLogin\n",
				      34),
			 HC_EPARSE);
	ck_assert_uint_eq(hc_error_last()->line, 3);
	hc_aug_free(a);
	hc_buf_release(&once);
	free(text);
}

/*
 * Augeas frees a lens's expressions after each render and compiles them
 * again; the process keeps them instead (src/regcache.c).  Kept or
 * compiled afresh, every lens gives the same bytes, and the second time
 * round the compiles are answered from what was kept.
 */
START_TEST(test_aug_regcache__same_bytes_as_compiled_afresh)
{
	static const struct {
		const char *lens, *file, *node, *value;
	} cases[] = {
	    {"Sshd.lns", "/etc/ssh/sshd_config", "PermitRootLogin", "no"},
	    {"Pam.lns", "/etc/pam.d/common-password", "1/argument[last()+1]",
	     "remember=5"},
	    {"Login_Defs.lns", "/etc/login.defs", "PASS_MAX_DAYS", "60"},
	    {"Hardctl_Text.lns", "/etc/issue", NULL, NULL},
	};
	struct hc_regcache_stats before, mid, after;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct hc_buf afresh = HC_BUF_INIT, kept = HC_BUF_INIT;

		hc_regcache_disable(true);
		lens_cycle(&afresh, cases[i].lens, cases[i].file, cases[i].node,
			   cases[i].value);
		hc_regcache_disable(false);
		hc_regcache_stats(&before);
		lens_cycle(&kept, cases[i].lens, cases[i].file, cases[i].node,
			   cases[i].value);
		hc_regcache_stats(&mid);
		hc_buf_clear(&kept);
		lens_cycle(&kept, cases[i].lens, cases[i].file, cases[i].node,
			   cases[i].value);
		hc_regcache_stats(&after);
		ck_assert_str_eq(hc_buf_cstr(&kept), hc_buf_cstr(&afresh));
		if (cases[i].node)
			assert_contains(hc_buf_cstr(&kept), cases[i].value);
		/*
		 * The second cycle's compiles are answered from the first's
		 * (all but a few: libfa may spell an expression it derives
		 * from an automaton differently in another handle).
		 */
		ck_assert_uint_gt(mid.hits, before.hits);
		ck_assert_uint_gt(after.hits - mid.hits,
				  10 * (after.misses - mid.misses));
		hc_buf_release(&afresh);
		hc_buf_release(&kept);
	}
}
END_TEST

/* PATTERN compiled as Augeas compiles a lens's expression (src/regexp.c). */
static const char *compile_as_augeas(struct re_pattern_buffer *re,
				     const char *pattern, bool nocase)
{
	reg_syntax_t old = re_syntax_options;
	const char *error;

	memset(re, 0, sizeof(*re));
	re_syntax_options = RE_SYNTAX_POSIX_EXTENDED | (nocase ? RE_ICASE : 0);
	error = re_compile_pattern(pattern, strlen(pattern), re);
	re_syntax_options = old;
	return error;
}

/*
 * What glibc's re_compile_pattern() and regfree() promise still holds
 * for an automaton the cache answers with: a pattern that does not
 * compile fails each time and is not kept; a pattern kept without
 * RE_ICASE is not the answer for the same bytes with it; and regfree()
 * releases what the caller attached to its buffer (a fastmap re_search()
 * fills), leaving the buffer empty, while the kept automaton still
 * answers the next compile.
 */
START_TEST(test_aug_regcache__regfree_as_glibc)
{
	struct re_pattern_buffer a, b, c;
	struct hc_regcache_stats before, after;

	hc_regcache_stats(&before);
	ck_assert_ptr_nonnull(compile_as_augeas(&a, "red17(unclosed", false));
	ck_assert_ptr_nonnull(compile_as_augeas(&a, "red17(unclosed", false));
	hc_regcache_stats(&after);
	ck_assert_uint_eq(after.kept, before.kept);

	ck_assert_ptr_null(compile_as_augeas(&a, "red17[a-z]+", false));
	ck_assert_ptr_null(compile_as_augeas(&b, "red17[a-z]+", true));
	ck_assert_ptr_ne(a.buffer, b.buffer);
	ck_assert_int_eq(re_match(&a, "red17ABC", 8, 0, NULL), -1);
	ck_assert_int_eq(re_match(&b, "red17ABC", 8, 0, NULL), 8);
	ck_assert_ptr_null(compile_as_augeas(&c, "red17[a-z]+", false));
	ck_assert_ptr_eq(c.buffer, a.buffer);

	c.fastmap = malloc(256);
	ck_assert_ptr_nonnull(c.fastmap);
	ck_assert_int_eq(re_search(&c, "xx red17abc", 11, 0, 11, NULL), 3);
	regfree(&c);
	ck_assert_ptr_null(c.buffer);
	ck_assert_ptr_null(c.fastmap);
	ck_assert_ptr_null(c.translate);
	ck_assert_int_eq(re_match(&a, "red17abc", 8, 0, NULL), 8);
	regfree(&a);
	regfree(&b);
}
END_TEST

/* An edit below the top level of a tree: set (or with '*' setm) or remove. */
struct piece_edit {
	char op;          /* 's' set, 'm' setm over the top level, 'r' remove */
	const char *path; /* below the tree ('m': the child of each) */
	const char *value;
};

/*
 * Parse TEXT with LENS, make EDITS, and render it whole and in pieces
 * of 1, 2, 3, 5 and 8 lines: each piecewise render that is made must
 * be byte for byte the whole one.  The number made.
 */
static int pieces_as_whole(const char *lens, const char *text,
			   const struct piece_edit *edits, size_t nedits)
{
	static const size_t sizes[] = {1, 2, 3, 5, 8};
	augeas *a = hc_aug_handle(aug);
	struct hc_buf whole = HC_BUF_INIT;
	struct hc_buf piece[5] = {HC_BUF_INIT, HC_BUF_INIT, HC_BUF_INIT,
				  HC_BUF_INIT, HC_BUF_INIT};
	char tree[32], path[256];
	int made = 0;

	ck_assert_int_eq(hc_aug_parse(tree, aug, lens, "f", text, strlen(text)),
			 0);
	for (size_t i = 0; i < nedits; i++) {
		snprintf(path, sizeof(path), "%s/%s", tree, edits[i].path);
		if (edits[i].op == 's')
			ck_assert_int_eq(aug_set(a, path, edits[i].value), 0);
		else if (edits[i].op == 'm' &&
			 snprintf(path, sizeof(path), "%s/*", tree) > 0)
			ck_assert_int_gt(
			    aug_setm(a, path, edits[i].path, edits[i].value),
			    0);
		else
			ck_assert_int_gt(aug_rm(a, path), 0);
	}
	/*
	 * Pieces first: Augeas's render moves the spans the pieces are
	 * checked against to the text it wrote.
	 */
	for (size_t i = 0; i < sizeof(sizes) / sizeof(*sizes); i++) {
		struct hc_buf *b = &piece[made];
		int r = hc_aug_render_pieces(b, aug, lens, tree, sizes[i]);

		ck_assert_int_ge(r, 0);
		made += r == 0;
	}
	ck_assert_int_eq(hc_aug_render(&whole, aug, lens, tree, "f"), 0);
	for (int i = 0; i < made; i++) {
		ck_assert_str_eq(hc_buf_cstr(&piece[i]), hc_buf_cstr(&whole));
		hc_buf_release(&piece[i]);
	}
	hc_aug_drop(aug, tree);
	hc_buf_release(&whole);
	return made;
}

/* A PAM stack: pam_unix with nullok, then LINES more, with comments. */
static char *pam_stack(int lines)
{
	struct hc_buf b = HC_BUF_INIT;

	ck_assert_int_eq(hc_buf_printf(&b,
				       "# a stack\n\nauth\t[success=%d "
				       "default=ignore]\tpam_unix.so nullok "
				       "try_first_pass\n",
				       lines),
			 0);
	for (int i = 0; i < lines; i++)
		ck_assert_int_eq(hc_buf_printf(&b,
					       "%sauth  optional   "
					       "pam_permit.so\n",
					       i % 7 == 3 ? "\n# gap\n" : ""),
				 0);
	ck_assert_int_eq(hc_buf_puts(&b, "auth\trequisite\tpam_deny.so\n"), 0);
	return hc_buf_detach(&b);
}

START_TEST(test_aug_render_pieces__as_whole_on_real_files)
{
	static const struct piece_edit login[] = {
	    {'s', "PASS_MAX_DAYS", "60"},
	    {'s', "UMASK", "027"},
	    {'s', "ENCRYPT_METHOD", "YESCRYPT"},
	};
	static const struct piece_edit sysctl[] = {
	    {'s', "#comment[3]", "changed"},
	};
	static const struct piece_edit pam[] = {
	    {'r', "1/argument[. = 'nullok']", NULL},
	    {'s', "5/control", "required"},
	    {'s', "9/argument", "debug"},
	};
	static const struct piece_edit shadow[] = {
	    {'m', "maxage_days", "90"},
	    {'m', "minage_days", "1"},
	};
	static const struct piece_edit none[] = {{'s', "#comment[1]", "x"}};
	char *login_defs =
	    test_read(HC_TEST_FIXTURES "/debian12", "/etc/login.defs");
	char *sysctl_conf =
	    test_read(HC_TEST_FIXTURES "/debian12", "/etc/sysctl.conf");
	char *rsyslog_conf =
	    test_read(HC_TEST_FIXTURES "/debian12", "/etc/rsyslog.conf");
	char *stack = pam_stack(40);
	struct hc_buf accounts = HC_BUF_INIT;

	ck_assert_ptr_nonnull(login_defs);
	ck_assert_ptr_nonnull(sysctl_conf);
	ck_assert_ptr_nonnull(rsyslog_conf);
	for (int i = 0; i < 60; i++)
		ck_assert_int_eq(
		    hc_buf_printf(&accounts, "u%d:$6$s$h:19000:0:99999:7:::\n",
				  i),
		    0);
	/* Each is made in pieces at least once, and each the same. */
	ck_assert_int_gt(
	    pieces_as_whole("Login_Defs.lns", login_defs, login, 3), 0);
	/* Its "KEY =" holds a node with no label: never in pieces. */
	ck_assert_int_eq(
	    pieces_as_whole("Hardctl_Sysctl.lns", sysctl_conf, sysctl, 1), 0);
	ck_assert_int_eq(pieces_as_whole("Pam.lns", stack, pam, 3), 5);
	ck_assert_int_eq(pieces_as_whole("Shadow.lns", accounts.ptr, shadow, 2),
			 5);
	/* Whatever it makes of rsyslog's includes and blocks, the same. */
	pieces_as_whole("Rsyslog.lns", rsyslog_conf, none, 1);
	free(login_defs);
	free(sysctl_conf);
	free(rsyslog_conf);
	free(stack);
	hc_buf_release(&accounts);
}
END_TEST

START_TEST(test_aug_render_pieces__as_whole_across_blocks_and_ends)
{
	static const struct piece_edit sshd[] = {
	    {'s', "PermitRootLogin", "no"},
	    {'s', "Match[2]/Settings/PasswordAuthentication", "no"},
	};
	static const struct piece_edit rsyslog[] = {
	    {'s', "action/file", "/var/log/other"},
	    {'s', "filter/value", "b"},
	};
	static const struct piece_edit login[] = {{'s', "UMASK", "027"}};
	const char *matches = "# sshd\nPort 22\nPermitRootLogin yes\n\n"
			      "Match User a\n  X11Forwarding no\n"
			      "  PasswordAuthentication yes\n"
			      "Match User b\n  PasswordAuthentication yes\n"
			      "  AllowTcpForwarding no\n";
	const char *blocks = "module(load=\"imuxsock\")\n\n"
			     "action(type=\"omfile\" file=\"/var/log/all\")\n"
			     "# two\n*.* /var/log/x\n"
			     ":msg, contains, \"a\" /var/log/y\n& stop\n"
			     "*.* /var/log/y\n";
	const char *no_newline = "# defs\nUMASK 022\n\nPASS_MAX_DAYS 99999\n"
				 "# end\nPASS_MIN_DAYS 0";

	/* Whatever each makes in pieces is what the whole render makes. */
	pieces_as_whole("Sshd.lns", matches, sshd, 2);
	pieces_as_whole("Rsyslog.lns", blocks, rsyslog, 2);
	ck_assert_int_gt(
	    pieces_as_whole("Login_Defs.lns", no_newline, login, 1), 0);
}
END_TEST

/*
 * Random PAM stacks (comments, blank lines, continuations of nothing)
 * with random edits below the top level: pieces render as the whole.
 */
/*
 * Append to B a random PAM stack of 3 to 32 lines (blank lines,
 * comments, records of random controls and arguments, one at the end
 * if none came), some records starting with "-", or with TWO_LINES on
 * two lines (the first ending in a backslash).  Its records.
 */
static int random_stack(struct hc_buf *b, unsigned int *seed, bool two_lines)
{
	static const char *const controls[] = {"required", "optional",
					       "[success=1 default=ignore]"};
	static const char *const args[] = {"nullok", "debug", "use_authtok"};
	int lines = 3 + (int)(rand_r(seed) % 30), records = 0;

	for (int i = 0; i < lines; i++) {
		unsigned int k = (unsigned int)rand_r(seed) % 9;

		if (k == 0)
			ck_assert_int_eq(hc_buf_puts(b, "\n"), 0);
		else if (k == 1)
			ck_assert_int_eq(hc_buf_puts(b, "# note\n"), 0);
		else if (k == 2 && two_lines)
			ck_assert_int_eq(
			    hc_buf_puts(b,
					"auth required pam_c.so \\\n  debug\n"),
			    0);
		else
			ck_assert_int_eq(
			    hc_buf_printf(b, "%sauth %s pam_x%u.so %s\n",
					  k == 2 ? "-" : "", controls[k % 3], k,
					  args[(unsigned int)rand_r(seed) % 3]),
			    0);
		records += k > 1;
	}
	if (records == 0) {
		ck_assert_int_eq(hc_buf_puts(b, "auth required x.so\n"), 0);
		records = 1;
	}
	return records;
}

START_TEST(test_aug_render_pieces__as_whole_on_random_stacks)
{
	unsigned int seed = 20261204;

	for (int round = 0; round < 40; round++) {
		struct hc_buf b = HC_BUF_INIT;
		struct piece_edit edits[4];
		char paths[4][64];
		int records = random_stack(&b, &seed, false);

		for (int e = 0; e < 4; e++) {
			int r = 1 + (int)(rand_r(&seed) % (unsigned)records);

			snprintf(paths[e], sizeof(paths[e]),
				 e % 2 ? "%d/control" : "%d/argument", r);
			edits[e].op = 's';
			edits[e].path = paths[e];
			edits[e].value = e % 2 ? "requisite" : "try_first_pass";
		}
		pieces_as_whole("Pam.lns", b.ptr, edits, 4);
		hc_buf_release(&b);
	}
}
END_TEST

/*
 * A step of edited_as_whole(): an edit of top-level node NODE (from 0,
 * among those with a label): 's' sets BELOW (NULL: the node's own
 * value) to VALUE, 'r' removes BELOW; or 'w', a whole render of the
 * tree rendered by pieces (its spans move to that text).
 */
struct twin_edit {
	char op;
	size_t node;
	const char *below;
	const char *value;
};

/* How many top-level nodes with a label TREE has. */
static size_t top_count(const char *tree)
{
	struct hc_aug_children kids = {0};
	size_t n = 0;

	ck_assert_int_eq(hc_aug_children(&kids, aug, tree), 0);
	for (size_t i = 0; i < kids.n; i++)
		n += kids.label[i] != NULL;
	hc_aug_children_release(&kids);
	return n;
}

/* Where top-level node LABEL first stands in TREE (from 0). */
static size_t top_index(const char *tree, const char *label)
{
	struct hc_aug_children kids = {0};
	size_t i;

	ck_assert_int_eq(hc_aug_children(&kids, aug, tree), 0);
	for (i = 0; i < kids.n; i++)
		if (kids.label[i] && strcmp(kids.label[i], label) == 0)
			break;
	ck_assert_uint_lt(i, kids.n);
	hc_aug_children_release(&kids);
	return i;
}

/* Every node of trees A and B, two levels down, on the same line. */
static void same_node_lines(const char *ta, const char *tb)
{
	augeas *a = hc_aug_handle(aug);
	const char *text_a = hc_aug_text(aug, ta),
		   *text_b = hc_aug_text(aug, tb);
	char pa[96], pb[96];
	int n, m;

	ck_assert_ptr_nonnull(text_a);
	ck_assert_ptr_nonnull(text_b);
	snprintf(pa, sizeof(pa), "%s/*", ta);
	n = aug_match(a, pa, NULL);
	for (int k = 1; k <= n; k++) {
		snprintf(pa, sizeof(pa), "%s/*[%d]", ta, k);
		snprintf(pb, sizeof(pb), "%s/*[%d]", tb, k);
		ck_assert_uint_eq(hc_aug_line(aug, pa, text_a),
				  hc_aug_line(aug, pb, text_b));
		ck_assert_uint_gt(hc_aug_line(aug, pa, text_a), 0);
		snprintf(pa, sizeof(pa), "%s/*[%d]/*", ta, k);
		m = aug_match(a, pa, NULL);
		for (int j = 1; j <= m; j++) {
			snprintf(pa, sizeof(pa), "%s/*[%d]/*[%d]", ta, k, j);
			snprintf(pb, sizeof(pb), "%s/*[%d]/*[%d]", tb, k, j);
			ck_assert_uint_eq(hc_aug_line(aug, pa, text_a),
					  hc_aug_line(aug, pb, text_b));
		}
	}
}

/*
 * Assert that trees A and B hold the same nodes: aug_match()'s paths
 * below each, in its order, and the value at each.
 */
static void assert_same_trees(const char *a, const char *b)
{
	augeas *h = hc_aug_handle(aug);
	char pa[64], pb[64], **ma = NULL, **mb = NULL;
	int n, m;

	snprintf(pa, sizeof(pa), "%s//*", a);
	snprintf(pb, sizeof(pb), "%s//*", b);
	n = aug_match(h, pa, &ma);
	m = aug_match(h, pb, &mb);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(n, m);
	for (int i = 0; i < n; i++) {
		const char *va = NULL, *vb = NULL;

		ck_assert_str_eq(ma[i] + strlen(a), mb[i] + strlen(b));
		ck_assert_int_eq(aug_get(h, ma[i], &va), 1);
		ck_assert_int_eq(aug_get(h, mb[i], &vb), 1);
		ck_assert_int_eq(va == NULL, vb == NULL);
		if (va)
			ck_assert_str_eq(va, vb);
	}
	for (int i = 0; i < n; i++) {
		free(ma[i]);
		free(mb[i]);
	}
	free(ma);
	free(mb);
}

/* The renders edited_as_whole() saw vouched for (hc_aug_renders_back()). */
static int vouched;

/*
 * TREE was rendered by edited lines to OUT.  When it vouches that OUT
 * parses back to it (not when its pieces hold more than half of it), a
 * parse of OUT holds the tree's nodes, and OUT one byte longer is not
 * what it rendered.
 */
static void check_renders_back(const char *lens, const char *tree,
			       struct hc_buf *out)
{
	char again[32];

	if (!hc_aug_renders_back(aug, tree, out->ptr, out->size))
		return;
	vouched++;
	ck_assert_int_eq(
	    hc_aug_parse(again, aug, lens, "f", out->ptr, out->size), 0);
	assert_same_trees(tree, again);
	ck_assert(hc_aug_same_nodes(aug, tree, again));
	hc_aug_drop(aug, again);
	ck_assert_int_eq(hc_buf_puts(out, "\n"), 0);
	ck_assert(!hc_aug_renders_back(aug, tree, out->ptr, out->size));
	out->ptr[--out->size] = '\0';
}

/*
 * Parse TEXT with LENS into twin trees, and make each of the N EDITS on
 * both, each followed by a render: one by hc_aug_render_edited(), told
 * each node edited, the other whole.  Each render by pieces made must
 * be the whole one byte for byte, and leave every node on the whole
 * one's line.  The number made.
 */
static int edited_as_whole(const char *lens, const char *text,
			   const struct twin_edit *edits, size_t n)
{
	augeas *a = hc_aug_handle(aug);
	struct hc_buf one = HC_BUF_INIT, whole = HC_BUF_INIT;
	char ta[32], tb[32], pa[128], pb[128];
	int made = 0;

	ck_assert_int_eq(hc_aug_parse(ta, aug, lens, "f", text, strlen(text)),
			 0);
	ck_assert_int_eq(hc_aug_parse(tb, aug, lens, "f", text, strlen(text)),
			 0);
	for (size_t i = 0; i < n; i++) {
		const struct twin_edit *e = &edits[i];
		int r;

		if (e->op == 'w') {
			ck_assert_int_eq(
			    hc_aug_render(&one, aug, lens, ta, "f"), 0);
			ck_assert_int_eq(
			    hc_aug_render(&whole, aug, lens, tb, "f"), 0);
			ck_assert_str_eq(hc_buf_cstr(&one),
					 hc_buf_cstr(&whole));
			ck_assert(
			    !hc_aug_renders_back(aug, ta, one.ptr, one.size));
			continue;
		}
		snprintf(pa, sizeof(pa), "%s/*[%zu]%s%s", ta, e->node + 1,
			 e->below ? "/" : "", e->below ? e->below : "");
		snprintf(pb, sizeof(pb), "%s/*[%zu]%s%s", tb, e->node + 1,
			 e->below ? "/" : "", e->below ? e->below : "");
		if (e->op == 'a') {
			/* A label the top level lacks: added last. */
			snprintf(pa, sizeof(pa), "%s/%s", ta, e->below);
			snprintf(pb, sizeof(pb), "%s/%s", tb, e->below);
			ck_assert_int_eq(aug_set(a, pa, e->value), 0);
			ck_assert_int_eq(aug_set(a, pb, e->value), 0);
			hc_aug_appended(aug, ta);
		} else if (e->op == 's') {
			ck_assert_int_eq(aug_set(a, pa, e->value), 0);
			ck_assert_int_eq(aug_set(a, pb, e->value), 0);
		} else {
			int removed = aug_rm(a, pa);

			/* Nothing to remove: no edit, no render. */
			ck_assert_int_eq(aug_rm(a, pb), removed);
			if (removed == 0)
				continue;
		}
		if (e->op != 'a')
			hc_aug_edited(aug, ta, e->node);
		r = hc_aug_render_edited(&one, aug, lens, ta);
		ck_assert_int_ge(r, 0);
		ck_assert_int_eq(hc_aug_render(&whole, aug, lens, tb, "f"), 0);
		if (r == 0) {
			ck_assert_str_eq(hc_buf_cstr(&one),
					 hc_buf_cstr(&whole));
			same_node_lines(ta, tb);
			check_renders_back(lens, ta, &one);
			made++;
		} else {
			ck_assert(
			    !hc_aug_renders_back(aug, ta, one.ptr, one.size));
		}
	}
	hc_aug_drop(aug, ta);
	hc_aug_drop(aug, tb);
	hc_buf_release(&one);
	hc_buf_release(&whole);
	return made;
}

/*
 * Only the lines edited are rendered again, and the rest kept: the
 * same bytes as a whole render, edits gathering from render to render,
 * before and after a whole one; and the spans, left pointing into the
 * text cut, count every node on the line it has in the bytes written.
 */
START_TEST(test_aug_render_edited__as_whole_on_login_defs)
{
	char *text = test_read(HC_TEST_FIXTURES "/debian12", "/etc/login.defs");
	char probe[32];
	size_t max, min, warn, umask, method, last;

	ck_assert_ptr_nonnull(text);
	ck_assert_int_eq(
	    hc_aug_parse(probe, aug, "Login_Defs.lns", "f", text, strlen(text)),
	    0);
	max = top_index(probe, "PASS_MAX_DAYS");
	min = top_index(probe, "PASS_MIN_DAYS");
	warn = top_index(probe, "PASS_WARN_AGE");
	umask = top_index(probe, "UMASK");
	method = top_index(probe, "ENCRYPT_METHOD");
	last = top_count(probe);
	hc_aug_drop(aug, probe);
	{
		const struct twin_edit edits[] = {
		    {'s', max, NULL, "60"},
		    {'s', min, NULL, "1"},
		    /* Three lines in a row, the first two edited before. */
		    {'s', warn, NULL, "14"},
		    {'s', max, NULL, "90"},
		    {'s', umask, NULL, "027"},
		    /* Added after the blank lines that end the file. */
		    {'a', 0, "PASS_MIN_LEN", "15"},
		    {'s', method, NULL, "YESCRYPT"},
		    {'a', 0, "SHA_CRYPT_MIN_ROUNDS", "5000"},
		    /* The node added, set again; the last line of the parse. */
		    {'s', last, NULL, "16"},
		    {'s', last - 1, NULL, "no"},
		    /* Rendered whole since: declined until parsed again. */
		    {'w', 0, NULL, NULL},
		    {'s', max, NULL, "30"},
		};

		vouched = 0;
		ck_assert_int_eq(
		    edited_as_whole("Login_Defs.lns", text, edits,
				    sizeof(edits) / sizeof(*edits)),
		    10);
		/* A line or two of 400: each render vouched for. */
		ck_assert_int_eq(vouched, 10);
	}
	free(text);
}
END_TEST

/*
 * Random PAM stacks, some records on two lines (a line ending in a
 * backslash): controls set, arguments added and removed, each render
 * by pieces the whole one, or declined when a record it would cut is
 * on more than one line.
 */
START_TEST(test_aug_render_edited__as_whole_on_random_stacks)
{
	unsigned int seed = 20261205;
	int made = 0;

	vouched = 0;
	for (int round = 0; round < 40; round++) {
		struct hc_buf b = HC_BUF_INIT;
		struct twin_edit edits[8];
		int records = 0;

		random_stack(&b, &seed, true);
		/* The records' places among the labelled nodes. */
		{
			char tree[32];
			struct hc_aug_children kids = {0};
			size_t at[64];

			ck_assert_int_eq(hc_aug_parse(tree, aug, "Pam.lns", "f",
						      b.ptr, b.size),
					 0);
			ck_assert_int_eq(hc_aug_children(&kids, aug, tree), 0);
			for (size_t i = 0; i < kids.n && records < 64; i++)
				if (kids.label[i] && kids.label[i][0] != '#')
					at[records++] = i;
			hc_aug_children_release(&kids);
			hc_aug_drop(aug, tree);
			for (int e = 0; e < 8; e++) {
				size_t node = at[(unsigned int)rand_r(&seed) %
						 (unsigned int)records];
				unsigned int op =
				    (unsigned int)rand_r(&seed) % 6;

				edits[e].node = node;
				edits[e].op = op == 5   ? 'w'
					      : op == 4 ? 'r'
							: 's';
				edits[e].below = op == 0 ? "control"
						 : op == 1
						     ? "argument[last()+1]"
						 : op == 4 ? "argument[1]"
							   : "module";
				edits[e].value = op == 0   ? "requisite"
						 : op == 1 ? "use_authtok"
							   : "pam_y.so";
			}
		}
		made += edited_as_whole("Pam.lns", b.ptr, edits, 8);
		hc_buf_release(&b);
	}
	ck_assert_int_gt(made, 50);
	/* Most are a record or two of 30 or so. */
	ck_assert_int_gt(vouched, made / 2);
}
END_TEST

/*
 * Set top-level node NODE of Login_Defs tree TREE, labelled LABEL, to
 * VALUE, say so, and render it by edited lines into OUT.
 */
static void edit_rendered(struct hc_buf *out, const char *tree,
			  const char *label, size_t node, const char *value)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/%s", tree, label);
	ck_assert_int_eq(aug_set(hc_aug_handle(aug), path, value), 0);
	hc_aug_edited(aug, tree, node);
	ck_assert_int_eq(hc_aug_render_edited(out, aug, "Login_Defs.lns", tree),
			 0);
}

/*
 * What the pieces cannot vouch for goes whole: nothing noted, a node
 * not known or a top level reshaped (until a whole render makes the
 * spans new), a node added last to PAM's numbered records, a lens not
 * listed, a record on two lines.
 */
START_TEST(test_aug_render_edited__declines_what_it_cannot_vouch_for)
{
	augeas *a = hc_aug_handle(aug);
	struct hc_buf out = HC_BUF_INIT;
	const char *text = "A 1\nB 2\n# c\n\nC 3\n";
	/* Sshd is not listed; the PAM record is on two lines. */
	static const struct {
		const char *lens, *text, *node;
	} left[] = {
	    {"Sshd.lns", "Port 22\nUsePAM yes\n", "Port"},
	    {"Pam.lns",
	     "auth required pam_a.so \\\n  debug\nauth required pam_b.so\n",
	     "1/control"},
	};
	char tree[32], node[64];

	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Login_Defs.lns", "f", text, strlen(text)),
	    0);
	ck_assert_int_eq(
	    hc_aug_render_edited(&out, aug, "Login_Defs.lns", tree), 1);
	edit_rendered(&out, tree, "B", 1, "5");
	ck_assert_str_eq(hc_buf_cstr(&out), "A 1\nB 5\n# c\n\nC 3\n");
	/* Told a node it cannot know. */
	hc_aug_edited(aug, tree, SIZE_MAX);
	ck_assert_int_eq(
	    hc_aug_render_edited(&out, aug, "Login_Defs.lns", tree), 1);
	hc_aug_drop(aug, tree);
	/*
	 * Rendered whole: the next whole render lays the tree over the
	 * parse's text, the spans point into the render's.
	 */
	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Login_Defs.lns", "f", text, strlen(text)),
	    0);
	ck_assert_int_eq(hc_aug_render(&out, aug, "Login_Defs.lns", tree, "f"),
			 0);
	snprintf(node, sizeof(node), "%s/B", tree);
	ck_assert_int_eq(aug_set(a, node, "6"), 0);
	hc_aug_edited(aug, tree, 1);
	ck_assert_int_eq(
	    hc_aug_render_edited(&out, aug, "Login_Defs.lns", tree), 1);
	/* Reshaped: a node added at the top. */
	snprintf(node, sizeof(node), "%s/D", tree);
	ck_assert_int_eq(aug_set(a, node, "4"), 0);
	hc_aug_reshaped(aug, tree);
	hc_aug_edited(aug, tree, 0);
	ck_assert_int_eq(
	    hc_aug_render_edited(&out, aug, "Login_Defs.lns", tree), 1);
	hc_aug_drop(aug, tree);
	/* Added last where a "seq" numbers the top level: PAM's records. */
	ck_assert_int_eq(hc_aug_parse(tree, aug, "Pam.lns", "f",
				      "auth required pam_a.so\n", 23),
			 0);
	snprintf(node, sizeof(node), "%s/#comment", tree);
	ck_assert_int_eq(aug_set(a, node, "added"), 0);
	hc_aug_appended(aug, tree);
	ck_assert_int_eq(hc_aug_render_edited(&out, aug, "Pam.lns", tree), 1);
	hc_aug_drop(aug, tree);

	for (size_t i = 0; i < sizeof(left) / sizeof(*left); i++) {
		ck_assert_int_eq(hc_aug_parse(tree, aug, left[i].lens, "f",
					      left[i].text,
					      strlen(left[i].text)),
				 0);
		snprintf(node, sizeof(node), "%s/%s", tree, left[i].node);
		ck_assert_int_eq(aug_set(a, node, "requisite"), 0);
		hc_aug_edited(aug, tree, 0);
		ck_assert_int_eq(
		    hc_aug_render_edited(&out, aug, left[i].lens, tree), 1);
		hc_aug_drop(aug, tree);
	}
	hc_buf_release(&out);
}
END_TEST

/*
 * What an edited-lines render vouches for holds only for the bytes it
 * wrote and the tree as it wrote them: an edit, a reshape, a whole
 * render or a drop since, or other bytes, and it vouches for nothing;
 * nor when its pieces hold more than half the text.
 */
START_TEST(test_aug_renders_back__only_the_tree_as_rendered)
{
	augeas *a = hc_aug_handle(aug);
	struct hc_buf out = HC_BUF_INIT, kept = HC_BUF_INIT;
	const char *text = "A 1\nB 2\n# c\n\nC 3\n";
	char tree[32], node[64];

	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Login_Defs.lns", "f", text, strlen(text)),
	    0);
	/* Nothing rendered yet; the text as parsed is not a render. */
	ck_assert(!hc_aug_renders_back(aug, tree, text, strlen(text)));
	edit_rendered(&out, tree, "B", 1, "5");
	ck_assert_str_eq(hc_buf_cstr(&out), "A 1\nB 5\n# c\n\nC 3\n");
	ck_assert(hc_aug_renders_back(aug, tree, out.ptr, out.size));
	/* The same length, another byte. */
	ck_assert_int_eq(hc_buf_set(&kept, out.ptr, out.size), 0);
	kept.ptr[2] = '7';
	ck_assert(!hc_aug_renders_back(aug, tree, kept.ptr, kept.size));
	ck_assert(!hc_aug_renders_back(aug, tree, out.ptr, out.size - 1));
	/* Edited since, even back to the same value. */
	snprintf(node, sizeof(node), "%s/B", tree);
	ck_assert_int_eq(aug_set(a, node, "5"), 0);
	hc_aug_edited(aug, tree, 1);
	ck_assert(!hc_aug_renders_back(aug, tree, out.ptr, out.size));
	ck_assert_int_eq(
	    hc_aug_render_edited(&out, aug, "Login_Defs.lns", tree), 0);
	ck_assert(hc_aug_renders_back(aug, tree, out.ptr, out.size));
	/* Rendered whole since. */
	ck_assert_int_eq(hc_aug_render(&kept, aug, "Login_Defs.lns", tree, "f"),
			 0);
	ck_assert_str_eq(hc_buf_cstr(&kept), hc_buf_cstr(&out));
	ck_assert(!hc_aug_renders_back(aug, tree, out.ptr, out.size));
	hc_aug_drop(aug, tree);

	/* Reshaped since; dropped. */
	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Login_Defs.lns", "f", text, strlen(text)),
	    0);
	edit_rendered(&out, tree, "C", 3, "4");
	ck_assert(hc_aug_renders_back(aug, tree, out.ptr, out.size));
	hc_aug_reshaped(aug, tree);
	ck_assert(!hc_aug_renders_back(aug, tree, out.ptr, out.size));
	ck_assert_int_eq(
	    hc_aug_render_edited(&out, aug, "Login_Defs.lns", tree), 1);
	hc_aug_drop(aug, tree);
	ck_assert(!hc_aug_renders_back(aug, tree, out.ptr, out.size));

	/* Lines edited past half the text: a parse costs less than a proof. */
	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Login_Defs.lns", "f", text, strlen(text)),
	    0);
	edit_rendered(&out, tree, "A", 0, "7");
	ck_assert(hc_aug_renders_back(aug, tree, out.ptr, out.size));
	edit_rendered(&out, tree, "C", 3, "8");
	ck_assert(hc_aug_renders_back(aug, tree, out.ptr, out.size));
	edit_rendered(&out, tree, "B", 1, "9");
	ck_assert_str_eq(hc_buf_cstr(&out), "A 7\nB 9\n# c\n\nC 8\n");
	ck_assert(!hc_aug_renders_back(aug, tree, out.ptr, out.size));
	hc_aug_drop(aug, tree);
	hc_buf_release(&out);
	hc_buf_release(&kept);
}
END_TEST

/*
 * Trees alike but for one thing each: a value, a value against none,
 * the order of two nodes, a node's depth, a label, one node more.
 */
START_TEST(test_aug_same_nodes__each_difference)
{
	static const char *const other[] = {
	    "auth required pam_a.so x\nauth required pam_b.so\n",
	    "auth required pam_a.so debug\nauth required pam_c.so\n",
	    "auth required pam_b.so\nauth required pam_a.so debug\n",
	    "auth required pam_a.so debug\naccount required pam_b.so\n",
	    "auth required pam_a.so debug x\nauth required pam_b.so\n",
	    "auth required pam_a.so debug\nauth required pam_b.so\n"
	    "auth required pam_b.so\n",
	    "auth required pam_a.so\nauth required pam_b.so debug\n",
	};
	const char *text =
	    "auth required pam_a.so debug\nauth required pam_b.so\n";
	augeas *a = hc_aug_handle(aug);
	char ta[32], tb[32], node[64];

	ck_assert_int_eq(
	    hc_aug_parse(ta, aug, "Pam.lns", "f", text, strlen(text)), 0);
	ck_assert_int_eq(
	    hc_aug_parse(tb, aug, "Pam.lns", "f", text, strlen(text)), 0);
	ck_assert(hc_aug_same_nodes(aug, ta, tb));
	/* A value against none. */
	snprintf(node, sizeof(node), "%s/1/argument", tb);
	ck_assert_int_eq(aug_set(a, node, NULL), 0);
	ck_assert(!hc_aug_same_nodes(aug, ta, tb));
	ck_assert(!hc_aug_same_nodes(aug, tb, ta));
	hc_aug_drop(aug, tb);
	for (size_t i = 0; i < sizeof(other) / sizeof(*other); i++) {
		ck_assert_int_eq(hc_aug_parse(tb, aug, "Pam.lns", "f", other[i],
					      strlen(other[i])),
				 0);
		ck_assert_msg(!hc_aug_same_nodes(aug, ta, tb), "%s", other[i]);
		ck_assert(!hc_aug_same_nodes(aug, tb, ta));
		hc_aug_drop(aug, tb);
	}
	hc_aug_drop(aug, ta);
}
END_TEST

/*
 * Each node of a pwquality tree whose label a path cannot carry as it is
 * ("*" reads as every node, "." as the tree, "$x" as a variable) named
 * by its path made exact: one node, that one.  A label with both quotes
 * cannot be named.
 */
START_TEST(test_aug_exact_path__reads_back_as_the_node)
{
	const char *text = "* = 1\n. = 2\n.. = 3\n$x = 4\nself::y = 5\n"
			   "a'b = 6\na\"b = 7\n* = 8\nplain = 9\n"
			   "x* = 10\n.hidden = 11\n@nis = 12\na:b = 13\n"
			   "*x = 14\n";
	augeas *a = hc_aug_handle(aug);
	char tree[32], all[64], **paths = NULL;
	int n;

	ck_assert_int_eq(hc_aug_parse(tree, aug, "Hardctl_Pwquality.lns", "f",
				      text, strlen(text)),
			 0);
	snprintf(all, sizeof(all), "%s/*", tree);
	n = aug_match(a, all, &paths);
	ck_assert_int_eq(n, 14);
	for (int i = 0; i < n; i++) {
		char want[16], *path = paths[i];
		const char *value = NULL;

		snprintf(want, sizeof(want), "%d", i + 1);
		ck_assert_int_eq(hc_aug_exact_path(&path), 0);
		ck_assert_msg(aug_match(a, path, NULL) == 1, "%s", path);
		ck_assert_int_eq(aug_get(a, path, &value), 1);
		ck_assert_str_eq(value, want);
		free(path);
	}
	free(paths);
	hc_aug_drop(aug, tree);

	/* Both quotes: no path names it. */
	ck_assert_int_eq(hc_aug_parse(tree, aug, "Hardctl_Pwquality.lns", "f",
				      "$a'b\"c = 1\n", 11),
			 0);
	snprintf(all, sizeof(all), "%s/*", tree);
	ck_assert_int_eq(aug_match(a, all, &paths), 1);
	ck_assert_int_eq(hc_aug_exact_path(&paths[0]), HC_ERROR);
	assert_contains(hc_error_last()->message, "both quotes");
	hc_error_clear();
	free(paths[0]);
	free(paths);
	hc_aug_drop(aug, tree);
}
END_TEST

/* The line hc_aug_line() gives node TREE/REL, in the tree's text. */
static unsigned int node_line(const char *tree, const char *rel)
{
	char node[96];

	snprintf(node, sizeof(node), "%s/%s", tree, rel);
	return hc_aug_line(aug, node, hc_aug_text(aug, tree));
}

/*
 * Augeas's parse gives an empty last field no start (passwd's shell of
 * "u2::2:2:::"): it is on its line all the same, not past the last one.
 */
START_TEST(test_aug_line__of_an_empty_last_field)
{
	const char *text = "u1:x:1:1::/:/bin/sh\nu2::2:2:::\nu3:x:3:3::/:\n";
	char tree[32];

	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Passwd.lns", "f", text, strlen(text)), 0);
	ck_assert_uint_eq(node_line(tree, "u2/shell"), 2);
	ck_assert_uint_eq(node_line(tree, "u3/shell"), 3);
	ck_assert_uint_eq(node_line(tree, "u1/shell"), 1);
	ck_assert_uint_eq(node_line(tree, "u9"), 0);
	hc_aug_drop(aug, tree);
}
END_TEST

/* What pieces cannot do as the whole render would, they leave to it. */
START_TEST(test_aug_render_pieces__declines_what_it_cannot_match)
{
	augeas *a = hc_aug_handle(aug);
	struct hc_buf out = HC_BUF_INIT;
	const char *text = "A 1\nB 2\n# c\n\nC 3\nD 4\nE 5\n";
	char tree[32], node[64];

	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Login_Defs.lns", "f", text, strlen(text)),
	    0);
	/* At most two pieces' worth of lines: the whole is cheaper. */
	ck_assert_int_eq(
	    hc_aug_render_pieces(&out, aug, "Login_Defs.lns", tree, 4), 1);
	ck_assert_int_eq(
	    hc_aug_render_pieces(&out, aug, "Login_Defs.lns", tree, 2), 0);
	ck_assert_str_eq(hc_buf_cstr(&out), text);
	/* A node added at the top, though unmarked, has no piece's place. */
	snprintf(node, sizeof(node), "%s/F", tree);
	ck_assert_int_eq(aug_set(a, node, "6"), 0);
	hc_buf_clear(&out);
	ck_assert_int_eq(
	    hc_aug_render_pieces(&out, aug, "Login_Defs.lns", tree, 2), 1);
	ck_assert_uint_eq(out.size, 0);
	ck_assert_int_eq(aug_rm(a, node), 1);
	ck_assert_int_eq(
	    hc_aug_render_pieces(&out, aug, "Login_Defs.lns", tree, 2), 0);
	/* Marked, it is declined whatever its nodes. */
	hc_aug_reshaped(aug, tree);
	ck_assert_int_eq(
	    hc_aug_render_pieces(&out, aug, "Login_Defs.lns", tree, 2), 1);
	hc_aug_drop(aug, tree);
	hc_buf_release(&out);
}
END_TEST

/*
 * The red team's cases: lenses whose pieces would not render as the
 * whole are never taken in pieces (Sshd's user lists number their
 * words on from line to line; a blank line in a Match block, and
 * sysctl's "KEY =", are nodes with no label), and a top-level number
 * renamed without a mark does not pass for a piece's shift: a name
 * never shifts, a PAM record's number only by the records before its
 * piece, and "02" is no number a seq writes.
 */
START_TEST(test_aug_render_pieces__declines_lenses_and_lone_numbers)
{
	static const struct {
		const char *lens, *text;
	} left[] = {
	    {"Sshd.lns", "AllowUsers a\nAllowUsers\tb\nPort 22\nX11Forwarding "
			 "no\nUsePAM yes\n"},
	    {"Sshd.lns", "Port 22\nUsePAM yes\nMatch User a\n  X11Forwarding "
			 "no\n\n#\nMatch User b\n  PermitTTY no\n"},
	    {"Hardctl_Sysctl.lns", "a = 1\nb =\nc = 3\nd = 4\ne = 5\n"},
	    {"Rsyslog.lns", "*.* /a\n*.* /b\n*.* /c\n*.* /d\n*.* /e\n"},
	};
	augeas *a = hc_aug_handle(aug);
	struct hc_buf out = HC_BUF_INIT;
	char tree[32], node[96];
	const char *shadow = "1:x:1::::::\n2:x:1::::::\n3:x:1::::::\n"
			     "4:x:1::::::\n5:x:1::::::\n6:x:1::::::\n";

	for (size_t i = 0; i < sizeof(left) / sizeof(*left); i++) {
		ck_assert_int_eq(hc_aug_parse(tree, aug, left[i].lens, "f",
					      left[i].text,
					      strlen(left[i].text)),
				 0);
		ck_assert_int_eq(
		    hc_aug_render_pieces(&out, aug, left[i].lens, tree, 1), 1);
		hc_aug_drop(aug, tree);
	}
	/* Numeric names, as the Shadow lens keys them: the same in pieces. */
	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Shadow.lns", "f", shadow, strlen(shadow)),
	    0);
	ck_assert_int_eq(hc_aug_render_pieces(&out, aug, "Shadow.lns", tree, 2),
			 0);
	ck_assert_str_eq(hc_buf_cstr(&out), shadow);
	/* "2" renamed "1000", unmarked: a name is no number to shift. */
	snprintf(node, sizeof(node), "%s/2", tree);
	ck_assert_int_eq(aug_rename(a, node, "1000"), 1);
	ck_assert_int_eq(hc_aug_render_pieces(&out, aug, "Shadow.lns", tree, 2),
			 1);
	hc_aug_drop(aug, tree);
	/* A PAM record alone in its piece, renamed "5", or "2" as "02". */
	for (int i = 0; i < 2; i++) {
		const char *pam = "auth\trequired\tpam_unix.so\tnullok\n# a\n# "
				  "b\naccount\trequired\tpam_deny.so\n# c\n# "
				  "d\nauth optional pam_permit.so\n";

		ck_assert_int_eq(
		    hc_aug_parse(tree, aug, "Pam.lns", "f", pam, strlen(pam)),
		    0);
		ck_assert_int_eq(
		    hc_aug_render_pieces(&out, aug, "Pam.lns", tree, 3), 0);
		ck_assert_str_eq(hc_buf_cstr(&out), pam);
		snprintf(node, sizeof(node), "%s/%s", tree, i ? "2" : "1");
		ck_assert_int_eq(aug_rename(a, node, i ? "02" : "5"), 1);
		ck_assert_int_eq(
		    hc_aug_render_pieces(&out, aug, "Pam.lns", tree, 3), 1);
		hc_aug_drop(aug, tree);
	}
	hc_buf_release(&out);
}
END_TEST

/* Lines count in the text the spans point into: parsed, then rendered. */
START_TEST(test_aug_text__follows_the_render)
{
	const char *text = "# a long comment\nA 1\nB 2\n";
	struct hc_buf out = HC_BUF_INIT;
	char tree[32], node[64];

	ck_assert_int_eq(
	    hc_aug_parse(tree, aug, "Login_Defs.lns", "f", text, strlen(text)),
	    0);
	ck_assert_str_eq(hc_aug_text(aug, tree), text);
	snprintf(node, sizeof(node), "%s/B", tree);
	ck_assert_uint_eq(hc_aug_line(aug, node, hc_aug_text(aug, tree)), 3);
	snprintf(node, sizeof(node), "%s/#comment", tree);
	ck_assert_int_eq(aug_rm(hc_aug_handle(aug), node), 1);
	ck_assert_int_eq(hc_aug_render(&out, aug, "Login_Defs.lns", tree, "f"),
			 0);
	ck_assert_str_eq(hc_aug_text(aug, tree), "A 1\nB 2\n");
	/* B's span is now at byte 4 of what was written: line 2 there. */
	snprintf(node, sizeof(node), "%s/B", tree);
	ck_assert_uint_eq(hc_aug_line(aug, node, hc_aug_text(aug, tree)), 2);
	hc_aug_drop(aug, tree);
	ck_assert_int_eq(aug_match(hc_aug_handle(aug), "/hc-out/*/*", NULL), 0);
	hc_buf_release(&out);
}
END_TEST

/* A tree dropped leaves nothing behind: its text, its marks, its errors. */
START_TEST(test_aug_drop__leaves_nothing)
{
	augeas *a = hc_aug_handle(aug);
	char tree[32], path[96];

	/* No last newline: the mark; a failed render: an error node. */
	ck_assert_int_eq(hc_aug_parse(tree, aug, "Login_Defs.lns", "f",
				      "UMASK 022", strlen("UMASK 022")),
			 0);
	snprintf(path, sizeof(path), "%s/#comment", tree);
	ck_assert_int_eq(aug_set(a, path, "a\nb"), 0);
	{
		struct hc_buf out = HC_BUF_INIT;

		ck_assert_int_lt(
		    hc_aug_render(&out, aug, "Login_Defs.lns", tree, "f"), 0);
		hc_buf_release(&out);
	}
	snprintf(path, sizeof(path), "%s/#comment", tree);
	ck_assert_int_eq(aug_set(a, path, "x"), 0);
	ck_assert_int_gt(aug_match(a, "/hc-nonl//*", NULL), 0);
	hc_aug_drop(aug, tree);
	ck_assert_int_eq(aug_match(a, "/hc/*/*", NULL), 0);
	ck_assert_int_eq(aug_match(a, "/hc-text/*/*", NULL), 0);
	ck_assert_int_eq(aug_match(a, "/hc-nonl/*/*", NULL), 0);
	ck_assert_int_eq(aug_match(a, "/augeas/text/hc/*/*", NULL), 0);
}
END_TEST

Suite *aug_suite(void)
{
	Suite *s = suite_create("aug");
	TCase *tc = tcase_create("aug");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_aug_parse__round_trip_is_byte_exact);
	tcase_add_test(tc, test_aug_parse__failure_names_file_and_line);
	tcase_add_test(tc, test_aug_parse__nul_byte_refused);
	tcase_add_test(tc, test_aug_parse__unknown_lens_is_an_error);
	tcase_add_test(tc, test_aug_line__counts_lines_of_the_text);
	tcase_add_test(tc, test_aug_render__edit_keeps_the_rest);
	tcase_add_test(tc, test_aug_text_lens__empty_and_no_final_newline);
	tcase_add_test(tc, test_aug_children__match_each_path);
	tcase_add_test(tc, test_aug_cursor__names_each_child);
	tcase_add_test(tc, test_aug_regcache__same_bytes_as_compiled_afresh);
	tcase_add_test(tc, test_aug_regcache__regfree_as_glibc);
	tcase_add_test(tc, test_aug_render_pieces__as_whole_on_real_files);
	tcase_add_test(tc, test_aug_drop__leaves_nothing);
	tcase_add_test(tc, test_aug_text__follows_the_render);
	tcase_add_test(
	    tc, test_aug_render_pieces__declines_lenses_and_lone_numbers);
	tcase_add_test(tc,
		       test_aug_render_pieces__as_whole_across_blocks_and_ends);
	tcase_add_test(tc, test_aug_render_pieces__as_whole_on_random_stacks);
	tcase_add_test(tc,
		       test_aug_render_pieces__declines_what_it_cannot_match);
	tcase_add_test(tc, test_aug_render_edited__as_whole_on_login_defs);
	tcase_add_test(tc, test_aug_renders_back__only_the_tree_as_rendered);
	tcase_add_test(tc, test_aug_same_nodes__each_difference);
	tcase_add_test(tc, test_aug_exact_path__reads_back_as_the_node);
	tcase_add_test(tc, test_aug_line__of_an_empty_last_field);
	tcase_add_test(tc, test_aug_render_edited__as_whole_on_random_stacks);
	tcase_add_test(
	    tc, test_aug_render_edited__declines_what_it_cannot_vouch_for);
	/*
	 * The random-stack renders take 3 s of Check's default 4 under the
	 * sanitizers on a slow host, and timed out beside another job.
	 */
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
