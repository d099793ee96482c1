/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * snmp.community judged on every file snmpd reads, as net-snmp 5.9.3
 * (Debian 12's snmpd) reads them, and fixed where the community stands.
 *
 * What snmpd reads was confirmed with the real daemon, in a private
 * mount and network namespace over a temporary /etc/snmp and
 * /var/lib/snmp (`snmpd -f -Lo -Dread_config:path,read_config:file`):
 *
 *   config path used for snmpd:/etc/snmp:/usr/share/snmp:
 *     /usr/lib/x86_64-linux-gnu/snmp:/root/.snmp (persistent
 * path:/var/lib/snmp) Reading configuration /etc/snmp/snmpd.conf Reading
 * configuration /etc/snmp/sub.conf         <- includeFile sub.conf Reading
 * configuration /etc/snmp/d/a.conf         <- includeDir /etc/snmp/d Reading
 * configuration /etc/snmp/snmpd.local.conf Reading configuration
 * /var/lib/snmp/snmpd.conf
 *
 * and not d/.h.conf (hidden) nor d/b.cnf (not *.conf).  includeFile is
 * relative to the including file's directory; includeDir takes names
 * ending in ".conf" that do not start with "."; nesting stops at 16
 * and the file count at 4096 (read_config.c).  The last test runs the
 * daemon again where it is installed and compares its list with
 * hardctl's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "test.h"

static char *root_dir;
static struct test_run run;

#define HARDCTL(...) TEST_HARDCTL(&run, "--root", root_dir, __VA_ARGS__)

/* An administrator's community, not one of the weak ones. */
#define STRONG "Zx81kq0Lm3PqWd7r"

static void chmod_in(const char *path, mode_t mode)
{
	char full[4096];

	snprintf(full, sizeof(full), "%s%s", root_dir, path);
	ck_assert_int_eq(chmod(full, mode), 0);
}

/*
 * Debian 12 as installed (snmpd.conf 0640), whose administrator has
 * replaced "public" in snmpd.conf itself: today's single-file check
 * passes it.
 */
static void setup_debian(void)
{
	root_dir = test_root("snmp/debian12");
	memset(&run, 0, sizeof(run));
	test_replace(root_dir, "/etc/snmp/snmpd.conf", "rocommunity  public",
		     "rocommunity  " STRONG);
	test_replace(root_dir, "/etc/snmp/snmpd.conf", "rocommunity6 public",
		     "rocommunity6 " STRONG);
	chmod_in("/etc/snmp/snmpd.conf", 0640);
	test_mkdirs(root_dir, "/etc/snmp/snmpd.conf.d");
}

/* Red Hat's file, its public replaced by the administrator. */
static void setup_redhat(void)
{
	root_dir = test_root("snmp/redhat");
	memset(&run, 0, sizeof(run));
	test_replace(root_dir, "/etc/snmp/snmpd.conf", "default       public",
		     "default       " STRONG);
	chmod_in("/etc/snmp/snmpd.conf", 0600);
}

static void teardown(void)
{
	test_run_release(&run);
	test_rmtree(root_dir);
	free(root_dir);
	root_dir = NULL;
}

/*
 * Debian's snmpd.conf ends with `includeDir /etc/snmp/snmpd.conf.d`: a
 * drop-in's public fails, apply replaces it in the drop-in, rollback
 * restores every byte; the names includeDir skips are not judged.
 */
START_TEST(test_snmp_reader_debian__drop_in_judged_and_fixed_there)
{
	char *before, *after, *main_before, *text;

	test_write(
	    root_dir, "/etc/snmp/snmpd.conf.d/monitoring.conf",
	    "# the monitoring team's poller\nrocommunity public 10.0.0.0/8\n",
	    0640);
	test_write(root_dir, "/etc/snmp/snmpd.conf.d/.old.conf",
		   "rwcommunity private\n", 0600);
	test_write(root_dir, "/etc/snmp/snmpd.conf.d/monitoring.conf.dpkg-old",
		   "rwcommunity private\n", 0600);
	main_before = test_read(root_dir, "/etc/snmp/snmpd.conf");
	before = test_state(root_dir);

	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 1);
	assert_contains(
	    run.out.ptr,
	    "/etc/snmp/snmpd.conf.d/monitoring.conf:2: rocommunity public");
	assert_lacks(run.out.ptr, ".old.conf");
	assert_lacks(run.out.ptr, "dpkg-old");

	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/snmp/snmpd.conf.d/monitoring.conf");
	assert_lacks(text, "public");
	assert_contains(text, "# the monitoring team's poller\nrocommunity ");
	assert_contains(text, " 10.0.0.0/8\n");
	free(text);
	text = test_read(root_dir, "/etc/snmp/snmpd.conf");
	ck_assert_str_eq(text, main_before);
	free(text);
	text = test_read(root_dir, "/etc/snmp/snmpd.conf.d/.old.conf");
	ck_assert_str_eq(text, "rwcommunity private\n");
	free(text);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));

	HARDCTL("rollback", "1");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	after = test_state(root_dir);
	ck_assert_str_eq(after, before);
	free(after);
	free(before);
	free(main_before);
}
END_TEST

/* snmpd reads snmpd.local.conf after snmpd.conf, in the same directory. */
START_TEST(test_snmp_reader_local_conf__write_community_removed)
{
	char *text;

	test_write(root_dir, "/etc/snmp/snmpd.local.conf",
		   "sysContact ops\nrwcommunity private 127.0.0.1\n", 0600);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"/etc/snmp/snmpd.local.conf:2: rwcommunity private");

	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	/* snmpd must re-read it for the change to count. */
	assert_contains(run.out.ptr, "to take effect");
	assert_contains(run.out.ptr, "\n  snmpd ");
	text = test_read(root_dir, "/etc/snmp/snmpd.local.conf");
	ck_assert_str_eq(text, "sysContact ops\n");
	free(text);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
}
END_TEST

/*
 * includeFile relative to the including file's directory; the
 * community in quotes, after `-v 2c`, in capitals, with CRLF line ends:
 * snmpd reads "public" in each (copy_nword() drops the quotes, isspace()
 * the carriage return).  Apply keeps the CRLF.
 */
START_TEST(test_snmp_reader_include_file__quoted_crlf_versioned)
{
	char *text;

	test_write(root_dir, "/etc/snmp/snmpd.conf.d/site.conf",
		   "includeFile ../communities.conf\n", 0600);
	test_write(root_dir, "/etc/snmp/communities.conf",
		   "rocommunity \"public\" default\r\n"
		   "rocommunity -v 2c private\r\n"
		   "ROCOMMUNITY6 'public'\r\n",
		   0600);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"/etc/snmp/communities.conf:1: rocommunity public;");
	assert_contains(run.out.ptr,
			"/etc/snmp/communities.conf:2: rocommunity private;");
	assert_contains(run.out.ptr,
			"/etc/snmp/communities.conf:3: ROCOMMUNITY6 public;");

	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/snmp/communities.conf");
	assert_lacks(text, "public");
	assert_lacks(text, "private");
	assert_contains(text, " default\r\nrocommunity -v 2c ");
	ck_assert_uint_eq(strlen(text) - strlen(strrchr(text, '\r')),
			  strlen(text) - 2);
	free(text);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
}
END_TEST

/* Every v1/v2c grant vacm_conf.c knows, in a drop-in. */
START_TEST(test_snmp_reader_forms__every_community_grant)
{
	char *text;

	test_write(root_dir, "/etc/snmp/snmpd.conf.d/forms.conf",
		   "authcommunity read,write " STRONG " 10.0.0.0/8\n"
		   "authcommunity read public\n"
		   "rocommunity -v 1 public\n"
		   "rwcommunity6 " STRONG "\n"
		   "setaccess g \"\" v2c noauth exact write all\n"
		   "authaccess write g all\n"
		   "access g \"\" usm priv exact all all none\n"
		   "com2sec6 -Cn ctx sec default private\n",
		   0600);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"forms.conf:1: authcommunity (write access)");
	assert_contains(run.out.ptr, "forms.conf:2: authcommunity public;");
	assert_contains(run.out.ptr, "forms.conf:3: rocommunity public;");
	assert_contains(run.out.ptr,
			"forms.conf:4: rwcommunity6 (write access)");
	assert_contains(run.out.ptr,
			"forms.conf:5: setaccess with a v1/v2c write view");
	assert_contains(run.out.ptr,
			"forms.conf:6: authaccess with v1/v2c write access");
	assert_lacks(run.out.ptr, "forms.conf:7:");
	assert_contains(run.out.ptr, "forms.conf:8: com2sec6 private;");
	assert_lacks(run.out.ptr, STRONG);

	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/snmp/snmpd.conf.d/forms.conf");
	assert_contains(text, "setaccess g \"\" v2c noauth exact write none\n");
	assert_contains(text, "access g \"\" usm priv exact all all none\n");
	assert_lacks(text, "public");
	assert_lacks(text, "private");
	assert_lacks(text, "write " STRONG);
	assert_lacks(text, "authaccess");
	free(text);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
}
END_TEST

/*
 * Red Hat's file passes once its public is replaced; a com2sec with a
 * write view in snmpd.local.conf, and one in the persistent directory
 * Red Hat builds in (/var/lib/net-snmp), fail and are fixed there.
 */
START_TEST(test_snmp_reader_redhat__local_and_persistent_files)
{
	char *text;

	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
	test_write(root_dir, "/etc/snmp/snmpd.local.conf",
		   "com2sec localUser 127.0.0.1 private\n"
		   "group localGroup v2c localUser\n"
		   "view all included .1\n"
		   "access localGroup \"\" v2c noauth exact all all none\n",
		   0600);
	test_write(root_dir, "/var/lib/net-snmp/snmpd.conf",
		   "com2sec -Cn ctx oldUser default public\n", 0600);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"/etc/snmp/snmpd.local.conf:1: com2sec private;");
	assert_contains(
	    run.out.ptr,
	    "/etc/snmp/snmpd.local.conf:4: access with a v1/v2c write view");
	assert_contains(run.out.ptr,
			"/var/lib/net-snmp/snmpd.conf:1: com2sec public;");

	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/snmp/snmpd.local.conf");
	assert_lacks(text, "private");
	assert_contains(text, "exact all none none\n");
	free(text);
	text = test_read(root_dir, "/var/lib/net-snmp/snmpd.conf");
	assert_lacks(text, "public");
	assert_contains(text, "com2sec -Cn ctx oldUser default ");
	free(text);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
}
END_TEST

/* An include loop, nesting past snmpd's 16 and a huge includeDir: ERROR at
 * file:line, nothing changed. */
START_TEST(test_snmp_reader_include__loops_and_floods_are_errors)
{
	char *before, *after, path[256], text[256];

	test_write(root_dir, "/etc/snmp/snmpd.conf.d/a.conf",
		   "rocommunity public\nincludeFile a.conf\n", 0600);
	before = test_state(root_dir);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.out.ptr,
			"/etc/snmp/snmpd.conf.d/a.conf:2: includes");
	assert_contains(run.out.ptr, "an include loop");
	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_int_ne(run.status, 0);
	after = test_state(root_dir);
	ck_assert_str_eq(after, before);
	free(after);
	free(before);

	/* c0.conf includes c1.conf ... c19.conf. */
	test_write(root_dir, "/etc/snmp/snmpd.conf.d/a.conf",
		   "includeFile ../chain/c0.conf\n", 0600);
	for (int i = 0; i < 20; i++) {
		snprintf(path, sizeof(path), "/etc/snmp/chain/c%d.conf", i);
		snprintf(text, sizeof(text), "includeFile c%d.conf\n", i + 1);
		test_write(root_dir, path, text, 0600);
	}
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 2);
	assert_contains(
	    run.out.ptr,
	    "/etc/snmp/chain/c14.conf:1: includes nested deeper than 16");

	/* More files than snmpd reads. */
	test_write(root_dir, "/etc/snmp/snmpd.conf.d/a.conf",
		   "includeDir /etc/snmp/many\n", 0600);
	for (int i = 0; i < 4100; i++) {
		snprintf(path, sizeof(path), "/etc/snmp/many/%04d.conf", i);
		test_write(root_dir, path, "", 0600);
	}
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 2);
	assert_contains(
	    run.out.ptr,
	    "/etc/snmp/snmpd.conf.d/a.conf:1: more than 4096 files");
}
END_TEST

/*
 * Includes resolve inside ROOT: an absolute symlink and a path climbing
 * out with ".." both land inside it, never on the host's files.  A ".."
 * after a symlink is refused: the kernel would resolve it elsewhere
 * than the name says.
 */
START_TEST(test_snmp_reader_root__includes_stay_inside)
{
	char *host = test_mkdtemp(), target[1024], text[4096];

	snprintf(target, sizeof(target), "%s/evil.conf", host);
	test_write(host, "/evil.conf", "rwcommunity private\n", 0644);
	test_link(root_dir, "/etc/snmp/snmpd.conf.d/host.conf", target);
	snprintf(text, sizeof(text),
		 "includeFile ../../../../../..%s\nincludeDir ../../..%s\n",
		 target, host);
	test_write(root_dir, "/etc/snmp/snmpd.conf.d/climb.conf", text, 0600);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));

	test_link(root_dir, "/etc/snmp/linked", "/usr/share");
	test_write(root_dir, "/etc/snmp/snmpd.conf.d/climb.conf",
		   "includeFile ../linked/../x.conf\n", 0600);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 2);
	assert_contains(run.out.ptr,
			"climb.conf:1: includes "
			"/etc/snmp/snmpd.conf.d/../linked/../x.conf, "
			"whose '..' follows the symlink /etc/snmp/linked");
	test_rmtree(host);
	free(host);
}
END_TEST

/*
 * A community apply writes into snmpd.local.conf or an include target
 * of any name, in any of the forms snmpd reads, is masked in the diffs
 * read back from the store too, which no rule has run over.
 */
START_TEST(test_snmp_reader_secret__masked_in_every_file)
{
	struct hc_buf all = HC_BUF_INIT;
	char *text, community[64];
	const char *line;

	test_write(root_dir, "/etc/snmp/snmpd.local.conf",
		   "rocommunity public\nincludeFile communities.txt\n", 0600);
	test_write(root_dir, "/etc/snmp/communities.txt",
		   "ROCOMMUNITY -v 2c public\r\nauthcommunity read "
		   "public\ncom2secunix s /run/s public\n",
		   0600);
	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	text = test_read(root_dir, "/etc/snmp/snmpd.local.conf");
	line = strstr(text, "rocommunity ");
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(sscanf(line, "rocommunity %63s", community), 1);
	ck_assert_uint_eq(strlen(community), 24);
	free(text);
	text = test_read(root_dir, "/etc/snmp/communities.txt");
	assert_lacks(text, "public");
	free(text);
	HARDCTL("show", "1");
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	HARDCTL("--format", "json", "show", "1");
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	HARDCTL("rollback", "--dry-run", "1");
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	assert_contains(all.ptr, "+ROCOMMUNITY -v 2c ********");
	assert_contains(all.ptr, "+authcommunity read ********");
	assert_contains(all.ptr, "+com2secunix s /run/s ********");
	assert_lacks(all.ptr, community);
	hc_buf_release(&all);
}
END_TEST

/*
 * The secrets net-snmp's files carry besides the granting communities:
 * trap communities (trapcommunity, trapsink, trap2sink, informsink, the
 * -c of trapsess and proxy), SNMPv3 passphrases (createUser, trapsess
 * -A/-X) and keys (usmUser), snmp.conf's defaults.  Next to a line apply
 * changes, they are context lines of the diff, and masked there.
 */
START_TEST(test_snmp_reader_secret__trap_and_v3_secrets_masked)
{
	static const char *const leaks[] = {
	    "Tc0mmA", "Tc0mmB",  "Tc0mmC",  "Tc0mmD",  "Tc0mmE",
	    "Tc0mmF", "V3passA", "V3passB", "V3passC", "V3keyD",
	    "Dpass1", "Dc0mm2",  NULL};
	struct hc_buf all = HC_BUF_INIT;

	test_write(root_dir, "/etc/snmp/snmpd.local.conf",
		   "rocommunity public\n"
		   "trapcommunity Tc0mmA\n"
		   "trapsink 10.0.0.9 Tc0mmB 162\n"
		   "rocommunity public\n"
		   "trap2sink 10.0.0.9 Tc0mmC\n"
		   "informsink 10.0.0.9 Tc0mmD\r\n"
		   "rocommunity public\n"
		   "TRAPSESS -v 2c -c Tc0mmE 10.0.0.9\n"
		   "proxy -v 1 -c Tc0mmF 10.0.0.8 .1.3\n"
		   "rocommunity public\n"
		   "createUser u1 SHA \"V3passA x\" AES V3passB\n"
		   "trapsess -v 3 -u u1 -l authPriv -a SHA -A V3passC -x AES "
		   "-X V3passC 10.0.0.9\n"
		   "rocommunity public\n"
		   "createUser -e 0x8000 u2 SHA V3passA\n"
		   "usmUser 1 3 0x80 \"u3\" \"u3\" NULL .1.3.6.1.6.3.10.1.1.3 "
		   "0xV3keyD\n"
		   "rocommunity public\n",
		   0600);
	test_write(root_dir, "/etc/snmp/snmp.conf",
		   "defPassphrase Dpass1\ndefCommunity Dc0mm2\n[snmpd] "
		   "rocommunity public\n",
		   0600);
	HARDCTL("diff", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	HARDCTL("show", "1");
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	HARDCTL("--format", "json", "show", "1");
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	HARDCTL("rollback", "--dry-run", "1");
	hc_buf_puts(&all, hc_buf_cstr(&run.out));
	assert_contains(all.ptr, " trapcommunity ********\n");
	assert_contains(all.ptr, " trapsink 10.0.0.9 ********\n");
	assert_contains(all.ptr, " informsink 10.0.0.9 ********");
	assert_contains(all.ptr, " createUser u1 SHA ********\n");
	assert_contains(all.ptr, " createUser -e 0x8000 u2 SHA ********\n");
	assert_contains(all.ptr, " defPassphrase ********\n");
	for (size_t i = 0; leaks[i]; i++)
		assert_lacks(all.ptr, leaks[i]);
	hc_buf_release(&all);
}
END_TEST

/*
 * snmpd reads snmp.conf too, where a "[snmpd]" line is its own; a bare
 * "[snmp]" sends the rest of a file to snmp.conf's directives, where
 * rocommunity is an unknown token; "[bogus]" switches nothing.  As the
 * daemon showed (-Dread_config:context): "Switching to new context:
 * (this line only) snmpd", "line 3: Warning: Unknown token:
 * rocommunity.", "No handlers regestered for type bogus."
 */
START_TEST(test_snmp_reader_context__snmpd_lines_in_snmp_conf)
{
	char *text;

	test_write(root_dir, "/etc/snmp/snmp.conf",
		   "mibs :\n[snmpd] rocommunity public\nrocommunity private\n",
		   0644);
	test_write(root_dir, "/etc/snmp/snmpd.conf.d/ctx.conf",
		   "[bogus]\nrwcommunity " STRONG
		   "\n[snmp]\nrocommunity public\n",
		   0600);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr,
			"/etc/snmp/snmp.conf:2: rocommunity public;");
	assert_lacks(run.out.ptr, "snmp.conf:3:");
	assert_contains(
	    run.out.ptr,
	    "/etc/snmp/snmpd.conf.d/ctx.conf:2: rwcommunity (write access)");
	assert_lacks(run.out.ptr, "ctx.conf:4:");

	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.err));
	text = test_read(root_dir, "/etc/snmp/snmp.conf");
	assert_lacks(text, "public");
	assert_contains(text, "[snmpd] rocommunity ");
	assert_contains(text, "\nrocommunity private\n");
	free(text);
	HARDCTL("show", "1");
	assert_contains(run.out.ptr, "+[snmpd] rocommunity ********");
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_msg(run.status == 0, "%s", hc_buf_cstr(&run.out));
}
END_TEST

/*
 * Bytes snmpd takes for blanks inside what the lens reads as one
 * argument (a vertical tab, a form feed): more words than arguments,
 * judged as snmpd splits them.  A weak community apply cannot replace
 * alone is an error naming the line, and nothing changes.
 */
START_TEST(test_snmp_reader_hostile__blanks_inside_an_argument)
{
	char *before, *after;

	test_write(root_dir, "/etc/snmp/snmpd.conf.d/odd.conf",
		   "rocommunity a\vb\fc\vd\ve\vf\n"
		   "rocommunity public\vdefault\n",
		   0600);
	before = test_state(root_dir);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 1);
	assert_contains(run.out.ptr, "odd.conf:2: rocommunity public;");
	assert_lacks(run.out.ptr, "odd.conf:1:");
	HARDCTL("apply", "--rule", "snmp.community");
	ck_assert_int_ne(run.status, 0);
	assert_contains(run.err.ptr, "snmp.community: ");
	assert_contains(run.err.ptr, "odd.conf:2: rocommunity: "
				     "the community is written with quotes");
	after = test_state(root_dir);
	ck_assert_str_eq(after, before);
	free(after);
	free(before);
}
END_TEST

/* snmpd under a mount and network namespace over ROOT --------------------- */

static const char *snmpd_skip(void)
{
	if (geteuid() != 0)
		return "not root: cannot bind ROOT's /etc/snmp over the host's";
	if (access("/usr/sbin/snmpd", X_OK) != 0)
		return "no snmpd (apt-get install snmpd)";
	if (access("/usr/bin/unshare", X_OK) != 0)
		return "no unshare";
	return NULL;
}

/* PATH without "dir/..": snmpd names an included file as it built the name. */
static void lexical(struct hc_buf *out, const char *path)
{
	char *copy = strdup(path), *save = NULL;

	hc_buf_clear(out);
	for (char *c = strtok_r(copy, "/", &save); c;
	     c = strtok_r(NULL, "/", &save)) {
		if (strcmp(c, "..") == 0) {
			char *slash = strrchr(hc_buf_cstr(out), '/');

			out->size = slash ? (size_t)(slash - out->ptr) : 0;
			out->ptr[out->size] = '\0';
		} else if (strcmp(c, ".") != 0) {
			hc_buf_printf(out, "/%s", c);
		}
	}
	free(copy);
}

/*
 * The files snmpd reads with ROOT's /etc/snmp and /var/lib/snmp bound
 * over the host's, one per line, sorted.  An endpoint that cannot be
 * opened makes it exit once its configuration is read; the network
 * namespace keeps it off the host's.
 */
static char *snmpd_reads(const char *root)
{
	struct hc_buf script = HC_BUF_INIT, files = HC_BUF_INIT,
		      name = HC_BUF_INIT;
	struct hc_strlist list = HC_STRLIST_INIT;
	struct test_run r = {0};
	struct stat st;
	const char *p;

	hc_buf_puts(
	    &script,
	    "set -e; mount --bind \"$1/etc/snmp\" /etc/snmp; "
	    "mount --bind \"$1/var/lib/snmp\" /var/lib/snmp; "
	    "timeout 30 /usr/sbin/snmpd -f -Lo -Dread_config:file -I -snmp_mib "
	    "udp:256.0.0.1:1 2>&1 || true");
	TEST_RUN(&r, "/usr/bin/unshare", "-m", "-n", "sh", "-c", script.ptr,
		 "sh", root);
	for (p = hc_buf_cstr(&r.out);
	     (p = strstr(p, "Reading configuration ")) != NULL;) {
		const char *start = p + strlen("Reading configuration ");
		const char *end = strstr(start, " (1)\n");
		const char *nl = strchr(start, '\n');

		p = start;
		if (end == NULL || (nl && nl < end))
			continue;
		hc_buf_clear(&files);
		hc_buf_put(&files, start, (size_t)(end - start));
		lexical(&name, hc_buf_cstr(&files));
		/* It opens a directory named *.conf too, and reads nothing from
		 * it. */
		hc_buf_clear(&files);
		hc_buf_printf(&files, "%s%s", root, hc_buf_cstr(&name));
		if (stat(hc_buf_cstr(&files), &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		if (!hc_strlist_has(&list, hc_buf_cstr(&name)))
			hc_strlist_push(&list, hc_buf_cstr(&name));
	}
	hc_buf_release(&name);
	ck_assert_msg(list.n > 0, "snmpd read nothing:\n%s%s",
		      hc_buf_cstr(&r.out), hc_buf_cstr(&r.err));
	hc_strlist_sort(&list);
	hc_buf_clear(&files);
	for (size_t i = 0; i < list.n; i++)
		hc_buf_printf(&files, "%s\n", list.v[i]);
	hc_strlist_release(&list);
	hc_buf_release(&script);
	test_run_release(&r);
	return hc_buf_detach(&files);
}

/* The files hardctl names in "rocommunity public" failures, sorted. */
static char *hardctl_reads(const char *out)
{
	struct hc_strlist list = HC_STRLIST_INIT;
	struct hc_buf files = HC_BUF_INIT;
	const char *p;

	for (p = out; (p = strstr(p, ": rocommunity public;")) != NULL; p++) {
		const char *start = p, *colon;

		while (start > out && start[-1] != ' ')
			start--;
		colon = memchr(start, ':', (size_t)(p - start));
		hc_buf_clear(&files);
		hc_buf_put(&files, start,
			   (size_t)((colon ? colon : p) - start));
		if (!hc_strlist_has(&list, hc_buf_cstr(&files)))
			hc_strlist_push(&list, hc_buf_cstr(&files));
	}
	hc_strlist_sort(&list);
	hc_buf_clear(&files);
	for (size_t i = 0; i < list.n; i++)
		hc_buf_printf(&files, "%s\n", list.v[i]);
	hc_strlist_release(&list);
	return hc_buf_detach(&files);
}

/*
 * The real snmpd and hardctl read the same files: every file snmpd
 * reads holds `rocommunity public` (Debian's snmpd.conf as shipped
 * does), and so do the ones it skips; hardctl fails exactly the ones
 * snmpd read.
 */
START_TEST(test_snmp_reader_snmpd__reads_what_hardctl_judges)
{
	const char *skip = test_oracle(snmpd_skip());
	char *daemon, *ours;

	if (skip) {
		fprintf(stderr, "skipped: %s\n", skip);
		return;
	}
	test_replace(root_dir, "/etc/snmp/snmpd.conf", "rocommunity  " STRONG,
		     "rocommunity  public");
	test_write(root_dir, "/etc/snmp/snmpd.conf.d/a.conf",
		   "rocommunity public\nincludeFile "
		   "../sub/b.conf\nincludeSearch extra.conf\n",
		   0600);
	test_write(root_dir, "/etc/snmp/sub/b.conf", "rocommunity public\n",
		   0600);
	test_write(root_dir, "/etc/snmp/extra.conf", "rocommunity public\n",
		   0600);
	test_write(root_dir, "/etc/snmp/extra.local.conf",
		   "rocommunity public\n", 0600);
	test_write(root_dir, "/etc/snmp/snmpd.local.conf",
		   "rocommunity public\n", 0600);
	test_write(root_dir, "/var/lib/snmp/snmpd.conf", "rocommunity public\n",
		   0600);
	test_write(root_dir, "/etc/snmp/snmp.conf",
		   "mibs :\n[snmpd] rocommunity public\n", 0600);
	/* Skipped by snmpd: hidden, not *.conf, a directory. */
	test_write(root_dir, "/etc/snmp/snmpd.conf.d/.hidden.conf",
		   "rocommunity public\n", 0600);
	test_write(root_dir, "/etc/snmp/snmpd.conf.d/c.conf.disabled",
		   "rocommunity public\n", 0600);
	test_mkdirs(root_dir, "/etc/snmp/snmpd.conf.d/dir.conf");

	daemon = snmpd_reads(root_dir);
	HARDCTL("check", "--rule", "snmp.community");
	ck_assert_int_eq(run.status, 1);
	ours = hardctl_reads(run.out.ptr);
	ck_assert_msg(strcmp(daemon, ours) == 0,
		      "snmpd read:\n%shardctl judged:\n%s", daemon, ours);
	free(daemon);
	free(ours);
}
END_TEST

Suite *snmp_reader_suite(void)
{
	Suite *s = suite_create("snmp_reader");
	TCase *tc = tcase_create("debian");

	tcase_add_checked_fixture(tc, setup_debian, teardown);
	tcase_add_test(tc,
		       test_snmp_reader_debian__drop_in_judged_and_fixed_there);
	tcase_add_test(tc,
		       test_snmp_reader_local_conf__write_community_removed);
	tcase_add_test(tc,
		       test_snmp_reader_include_file__quoted_crlf_versioned);
	tcase_add_test(tc, test_snmp_reader_forms__every_community_grant);
	tcase_add_test(tc,
		       test_snmp_reader_include__loops_and_floods_are_errors);
	tcase_add_test(tc, test_snmp_reader_root__includes_stay_inside);
	tcase_add_test(tc, test_snmp_reader_secret__masked_in_every_file);
	tcase_add_test(tc, test_snmp_reader_secret__trap_and_v3_secrets_masked);
	tcase_add_test(tc, test_snmp_reader_context__snmpd_lines_in_snmp_conf);
	tcase_add_test(tc, test_snmp_reader_hostile__blanks_inside_an_argument);
	tcase_add_test(tc, test_snmp_reader_snmpd__reads_what_hardctl_judges);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("redhat");
	tcase_add_checked_fixture(tc, setup_redhat, teardown);
	tcase_add_test(tc, test_snmp_reader_redhat__local_and_persistent_files);
	tcase_set_timeout(tc, 60);
	suite_add_tcase(s, tc);
	return s;
}
