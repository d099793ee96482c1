/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The manifest format and the store's own safety rules.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>
#include "hardctl/manifest.h"
#include "hardctl/plan.h"
#include "hardctl/store.h"
#include "test.h"

static char *dir;

static void setup(void)
{
	dir = test_mkdtemp();
}

static void teardown(void)
{
	test_rmtree(dir);
	free(dir);
}

static void state(struct hc_file_state *st, bool exists, mode_t mode,
		  const char *text)
{
	memset(st, 0, sizeof(*st));
	st->exists = exists;
	st->mode = mode;
	st->uid = 0;
	st->gid = 112;
	if (text)
		hc_buf_puts(&st->data, text);
}

START_TEST(test_manifest__round_trip_sorted_and_escaped)
{
	struct hc_manifest m = {0}, back = {0};
	struct hc_file_state a, b, c;
	struct hc_buf text = HC_BUF_INIT, again = HC_BUF_INIT;
	const struct hc_manifest_entry *e;

	state(&a, true, 0640, "rocommunity secret\n");
	state(&b, false, 0, NULL);
	state(&c, true, 0644, "x");
	ck_assert_int_eq(hc_manifest_set(&m, "/etc/snmp/snmpd.conf", &a), 0);
	ck_assert_int_eq(
	    hc_manifest_set(&m, "/etc/ssh/sshd_config.d/00-hardctl.conf", &b),
	    0);
	ck_assert_int_eq(
	    hc_manifest_set(&m, "/vmfs/volumes/ds 1/vm%\t1/vm.vmx", &c), 0);
	ck_assert_int_eq(hc_manifest_set(&m, "/etc/issue", &c), 0);
	ck_assert_int_eq(hc_manifest_format(&text, &m), 0);
	assert_contains(text.ptr, "/etc/issue\tfile\t0644\t0\t112\t");
	assert_contains(text.ptr,
			"/etc/ssh/sshd_config.d/00-hardctl.conf\tabsent\n");
	assert_contains(text.ptr, "/vmfs/volumes/ds 1/vm%25%091/vm.vmx\tfile");
	/* Sorted by path. */
	ck_assert_msg(strstr(text.ptr, "/etc/issue\t") <
			  strstr(text.ptr, "/etc/snmp/"),
		      "not in path order:\n%s", text.ptr);

	ck_assert_int_eq(hc_manifest_parse(&back, text.ptr, text.size, "m"), 0);
	ck_assert_uint_eq(back.n, 4);
	ck_assert_ptr_nonnull(
	    e = hc_manifest_find(&back, "/vmfs/volumes/ds 1/vm%\t1/vm.vmx"));
	ck_assert(e->exists);
	ck_assert_ptr_nonnull(
	    e = hc_manifest_find(&back, "/etc/snmp/snmpd.conf"));
	ck_assert_uint_eq(e->mode, 0640);
	ck_assert_uint_eq(e->gid, 112);
	ck_assert_int_eq(memcmp(&e->sha, &m.v[1].sha, sizeof(e->sha)), 0);
	ck_assert(
	    !hc_manifest_find(&back, "/etc/ssh/sshd_config.d/00-hardctl.conf")
		 ->exists);
	ck_assert_int_eq(hc_manifest_format(&again, &back), 0);
	ck_assert_str_eq(again.ptr, text.ptr);

	hc_manifest_release(&m);
	hc_manifest_release(&back);
	hc_buf_release(&text);
	hc_buf_release(&again);
	hc_buf_release(&a.data);
	hc_buf_release(&c.data);
}
END_TEST

START_TEST(test_manifest__malformed_lines_name_the_line)
{
	static const char *const bad[] = {
	    "# hardctl manifest 1\n/etc/a\tfile\t0644\t0\t0\n",
	    "# hardctl manifest 1\n/etc/a\tabsent\n/etc/b\tfile\t9999\t0\t0\t"
	    "0000000000000000000000000000000000000000000000000000000000000000"
	    "\n",
	    "# hardctl manifest 1\n/etc/a\tabsent\n/etc/a\tabsent\n",
	    "# hardctl manifest 1\netc/a\tabsent\n",
	    "# hardctl manifest 1\n/etc/a\tabsent",
	    "# hardctl manifest 1\n/etc/%zz\tabsent\n",
	};
	struct hc_manifest m = {0};

	for (size_t i = 0; i < HC_ARRAY_SIZE(bad); i++) {
		ck_assert_int_eq(
		    hc_manifest_parse(&m, bad[i], strlen(bad[i]), "m"),
		    HC_EPARSE);
		ck_assert_str_eq(hc_error_last()->file, "m");
		ck_assert_uint_ge(hc_error_last()->line, 2);
		ck_assert_uint_eq(m.n, 0);
	}
	ck_assert_int_eq(hc_manifest_parse(&m, "garbage\n", 8, "m"), HC_EPARSE);
}
END_TEST

START_TEST(test_manifest__rules_recorded_replaced_and_dropped)
{
	static const char *const bad[] = {
	    "\t@1\n",   "\tx@\n",      "\tx@0\n",
	    "\tx@1,\n", "\tx@1,x@2\n", "\tx y@1\n",
	};
	struct hc_manifest m = {0}, back = {0};
	struct hc_file_state a;
	struct hc_buf text = HC_BUF_INIT;
	const struct hc_manifest_entry *e;

	state(&a, true, 0644, "PASS_MAX_DAYS 60\n");
	ck_assert_int_eq(hc_manifest_set(&m, "/etc/login.defs", &a), 0);
	ck_assert_int_eq(
	    hc_manifest_own(&m, "/etc/login.defs", "password.max-days", 1), 0);
	ck_assert_int_eq(
	    hc_manifest_own(&m, "/etc/login.defs", "password.min-days", 1), 0);
	/* The same rule again, in a later transaction, replaces its record. */
	ck_assert_int_eq(
	    hc_manifest_own(&m, "/etc/login.defs", "password.max-days", 3), 0);
	/* Setting the state keeps the rules. */
	ck_assert_int_eq(hc_manifest_set(&m, "/etc/login.defs", &a), 0);
	ck_assert_int_eq(hc_manifest_format(&text, &m), 0);
	assert_contains(text.ptr,
			"\tpassword.max-days@3,password.min-days@1\n");
	ck_assert_int_eq(hc_manifest_parse(&back, text.ptr, text.size, "m"), 0);
	ck_assert_ptr_nonnull(e = hc_manifest_find(&back, "/etc/login.defs"));
	ck_assert_uint_eq(hc_manifest_owner(e, "password.max-days"), 3);
	ck_assert_uint_eq(hc_manifest_owner(e, "password.min-days"), 1);
	ck_assert_uint_eq(hc_manifest_owner(e, "password.max"), 0);

	/* A rollback of transaction 1 forgets only what 1 did. */
	hc_manifest_disown(&back, 1, NULL);
	ck_assert_uint_eq(hc_manifest_owner(e, "password.max-days"), 3);
	ck_assert_uint_eq(hc_manifest_owner(e, "password.min-days"), 0);
	hc_manifest_disown(&back, 3, "password.min-days");
	ck_assert_uint_eq(hc_manifest_owner(e, "password.max-days"), 3);
	hc_manifest_disown(&back, 3, "password.max-days");
	ck_assert_uint_eq(e->rules.n, 0);
	hc_buf_clear(&text);
	ck_assert_int_eq(hc_manifest_format(&text, &back), 0);
	assert_contains(text.ptr, "\t0\t112\t");
	ck_assert_int_eq(text.ptr[text.size - 1], '\n');
	assert_lacks(text.ptr, "\t\n"); /* no empty seventh field */

	for (size_t i = 0; i < HC_ARRAY_SIZE(bad); i++) {
		struct hc_manifest bm = {0};
		struct hc_buf line = HC_BUF_INIT;

		hc_buf_printf(
		    &line,
		    "# hardctl manifest 1\n/etc/a\tfile\t0644\t0\t0\t%064d%s",
		    0, bad[i]);
		ck_assert_msg(hc_manifest_parse(&bm, line.ptr, line.size,
						"m") == HC_EPARSE,
			      "accepted %s", bad[i]);
		ck_assert_uint_eq(hc_error_last()->line, 2);
		hc_buf_release(&line);
	}
	hc_manifest_release(&m);
	hc_manifest_release(&back);
	hc_buf_release(&text);
	hc_buf_release(&a.data);
}
END_TEST

START_TEST(test_store_open__created_private)
{
	struct hc_store *store;
	char path[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/var/lib/hardctl/oldconf", dir);
	ck_assert_int_eq(hc_store_open(&store, path, 0), HC_ENOTFOUND);
	ck_assert_int_eq(hc_store_open(&store, path, HC_STORE_CREATE), 0);
	ck_assert(stat(path, &st) == 0);
	ck_assert_uint_eq(st.st_mode & 07777, 0700);
	hc_store_free(store);
	/* Reopened as it is. */
	ck_assert_int_eq(hc_store_open(&store, path, 0), 0);
	hc_store_free(store);
}
END_TEST

START_TEST(test_store_open__weak_permissions_refused)
{
	struct hc_store *store;
	char path[4096];

	snprintf(path, sizeof(path), "%s/oldconf", dir);
	ck_assert_int_eq(hc_store_open(&store, path, HC_STORE_CREATE), 0);
	hc_store_free(store);
	ck_assert(chmod(path, 0750) == 0);
	ck_assert_int_eq(hc_store_open(&store, path, 0), HC_EUNSAFE);
	assert_contains(hc_error_last()->message, "open to group or others");
	ck_assert(chmod(path, 0700) == 0);
	/* Another owner (only root can give it one). */
	if (geteuid() == 0) {
		ck_assert(chown(path, 4242, 4242) == 0);
		ck_assert_int_eq(hc_store_open(&store, path, 0), HC_EUNSAFE);
		assert_contains(hc_error_last()->message,
				"belongs to uid 4242");
		ck_assert(chown(path, 0, 0) == 0);
	}
	ck_assert_int_eq(hc_store_open(&store, path, 0), 0);
	hc_store_free(store);
}
END_TEST

START_TEST(test_store_open__foreign_directory_refused)
{
	struct hc_store *store;
	char path[4096];

	snprintf(path, sizeof(path), "%s/notastore", dir);
	test_write(dir, "/notastore/important.txt", "data\n", 0600);
	ck_assert(chmod(path, 0700) == 0);
	ck_assert_int_eq(hc_store_open(&store, path, HC_STORE_CREATE),
			 HC_EUNSAFE);
	assert_contains(hc_error_last()->message, "not an oldconf store");
}
END_TEST

START_TEST(test_store_open__lock_held_fails_fast)
{
	struct hc_store *store, *second;
	char path[4096];

	snprintf(path, sizeof(path), "%s/oldconf", dir);
	ck_assert_int_eq(
	    hc_store_open(&store, path, HC_STORE_CREATE | HC_STORE_LOCK), 0);
	ck_assert_int_eq(hc_store_open(&second, path, HC_STORE_LOCK),
			 HC_ELOCKED);
	assert_contains(hc_error_last()->message, "another hardctl");
	/* Readers need no lock. */
	ck_assert_int_eq(hc_store_open(&second, path, 0), 0);
	hc_store_free(second);
	hc_store_free(store);
	ck_assert_int_eq(hc_store_open(&second, path, HC_STORE_LOCK), 0);
	hc_store_free(second);
}
END_TEST

Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_manifest__round_trip_sorted_and_escaped);
	tcase_add_test(tc, test_manifest__malformed_lines_name_the_line);
	tcase_add_test(tc, test_manifest__rules_recorded_replaced_and_dropped);
	tcase_add_test(tc, test_store_open__created_private);
	tcase_add_test(tc, test_store_open__weak_permissions_refused);
	tcase_add_test(tc, test_store_open__foreign_directory_refused);
	tcase_add_test(tc, test_store_open__lock_held_fails_fast);
	suite_add_tcase(s, tc);
	return s;
}
