/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drift (see hardctl/drift.h).
 */
#include <string.h>
#include "hardctl/drift.h"
#include "hardctl/hash.h"
#include "hardctl/root.h"
#include "hardctl/state.h"
#include "hardctl/store.h"

int hc_drift_compare(struct hc_drift *d, bool *drifted, struct hc_root *root,
		     const struct hc_manifest_entry *e)
{
	struct hc_file_state now = {0};
	int error;

	memset(d, 0, sizeof(*d));
	d->path = e->path;
	*drifted = false;
	if ((error = hc_root_state(&now, root, e->path)) < 0)
		goto out;
	if (!now.exists) {
		*drifted = e->exists;
		d->change = "deleted";
		goto out;
	}
	d->now.exists = true;
	d->now.link = now.link;
	d->now.mode = now.mode;
	d->now.uid = now.uid;
	d->now.gid = now.gid;
	if ((error = hc_sha256(&d->now.sha, hc_buf_cstr(&now.data),
			       now.data.size)) < 0)
		goto out;
	if (!e->exists) {
		*drifted = true;
		d->change = "created";
		goto out;
	}
	d->change = "modified";
	d->content = d->now.link != e->link ||
		     memcmp(&d->now.sha, &e->sha, sizeof(e->sha)) != 0;
	d->mode = !e->link && d->now.mode != e->mode;
	d->owner = d->now.uid != e->uid || d->now.gid != e->gid;
	*drifted = d->content || d->mode || d->owner;
out:
	hc_buf_release(&now.data);
	return error;
}

/* Mark F drifted if a file its rule changed in transaction TXN changed since.
 */
static int mark_one(struct hc_finding *f, struct hc_root *root,
		    const struct hc_manifest *m)
{
	struct hc_buf note = HC_BUF_INIT;
	int error = 0;

	for (size_t i = 0; i < m->n && error == 0; i++) {
		unsigned int txn = hc_manifest_owner(&m->v[i], f->rule->id);
		struct hc_drift d;
		bool drifted;

		if (txn == 0)
			continue;
		if ((error = hc_drift_compare(&d, &drifted, root, &m->v[i])) <
		    0) {
			/* Unreadable now: check itself reports it; no drift
			 * claimed. */
			hc_error_clear();
			error = 0;
			continue;
		}
		if (!drifted)
			continue;
		hc_buf_clear(&note);
		if ((error = hc_buf_printf(
			 &note,
			 "%s by hand since transaction %u applied the rule",
			 d.change, txn)) == 0 &&
		    (error = hc_finding_evidence(f, m->v[i].path, 0, note.ptr,
						 NULL)) == 0)
			f->status = HC_STATUS_DRIFTED;
	}
	hc_buf_release(&note);
	return error;
}

int hc_drift_mark(struct hc_findings *findings, struct hc_root *root,
		  const char *store_path)
{
	struct hc_manifest m = {0};
	int error = hc_store_state_read(&m, store_path);

	if (error == HC_ENOTFOUND) {
		hc_error_clear();
		return 0;
	}
	for (size_t i = 0; i < findings->n && error == 0; i++)
		if (findings->v[i].status == HC_STATUS_FAIL)
			error = mark_one(&findings->v[i], root, &m);
	hc_manifest_release(&m);
	return error;
}
