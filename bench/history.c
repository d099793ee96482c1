/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Make a history of N transactions in ROOT's store through the store's
 * own API (src/txn.c, src/store*.c), as N applies would: each changes a
 * line of one of a few files of ROOT (which keep their size, so that only
 * history grows), is committed and signed, and is installed.
 * For bench/history only.
 * Usage: hardctl-bench-history ROOT N
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "hardctl/access.h"
#include "hardctl/common.h"
#include "hardctl/plan.h"
#include "hardctl/root.h"
#include "hardctl/state.h"
#include "hardctl/store.h"
#include "hardctl/txn.h"

#define NFILES 8

/* One transaction: file I % NFILES gets a new setting. */
static int step(struct hc_store *store, struct hc_root *root, unsigned int i)
{
	static const struct hc_txn_meta meta = {.command = "apply"};
	struct hc_file_state before = {0}, after = {0};
	struct hc_plan plan;
	struct hc_access access;
	struct hc_txn_request req = {0};
	unsigned int id;
	bool installing;
	char path[64];
	int error;

	snprintf(path, sizeof(path), "/etc/bench/file%u.conf", i % NFILES);
	hc_plan_init(&plan);
	if ((error = hc_root_state(&before, root, path)) < 0)
		goto out;
	after.exists = true;
	after.mode = 0644;
	after.uid = getuid();
	after.gid = getgid();
	/* Files keep their size: what grows is history alone. */
	if ((error = hc_buf_printf(&after.data, "# bench\nsetting = %u\n", i)) <
		0 ||
	    (error = hc_plan_add(&plan, NULL, path, &before, &after)) < 0)
		goto out;
	req.root = root;
	req.plan = &plan;
	req.guard = HC_TXN_RESTORE;
	req.store = store;
	req.meta = &meta;
	req.subject = "bench: one more line";
	error = hc_txn_run(&id, &installing, &access, &req);
out:
	hc_buf_release(&before.data);
	hc_buf_release(&after.data);
	hc_plan_release(&plan);
	return error;
}

int main(int argc, char **argv)
{
	struct hc_store *store = NULL;
	struct hc_root *root = NULL;
	char path[4096], key[4096];
	unsigned long n;
	bool created = false;
	int error;

	if (argc != 3 || (n = strtoul(argv[2], NULL, 10)) == 0) {
		fprintf(stderr, "usage: hardctl-bench-history ROOT N\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/var/lib/hardctl/oldconf", argv[1]);
	snprintf(key, sizeof(key), "%s/var/lib/hardctl/oldconf.key", argv[1]);
	if (git_libgit2_init() < 0)
		return 2;
	if ((error = hc_root_open(&root, argv[1])) < 0 ||
	    (error = hc_store_open(&store, path,
				   HC_STORE_CREATE | HC_STORE_LOCK)) < 0 ||
	    (error = hc_store_bind_root(store, root, true)) < 0 ||
	    (error = hc_store_use_key(store, key, true, &created)) < 0)
		goto out;
	for (unsigned long i = 1; i <= n && error == 0; i++)
		error = step(store, root, (unsigned int)i);
out:
	if (error < 0)
		fprintf(stderr, "hardctl-bench-history: %s\n",
			hc_error_last()->message);
	hc_store_free(store);
	hc_root_free(root);
	git_libgit2_shutdown();
	return error < 0 ? 1 : 0;
}
