/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * File states (see hardctl/state.h).
 */
#include "hardctl/state.h"

int hc_file_state_copy(struct hc_file_state *dst,
		       const struct hc_file_state *src)
{
	dst->exists = src->exists;
	dst->link = src->link;
	dst->mode = src->mode;
	dst->uid = src->uid;
	dst->gid = src->gid;
	dst->acl = src->acl;
	return hc_buf_set(&dst->data, src->data.ptr, src->data.size);
}

bool hc_file_state_same_data(const struct hc_file_state *a,
			     const struct hc_file_state *b)
{
	if (a->exists != b->exists)
		return false;
	return !a->exists ||
	       (a->link == b->link && hc_buf_equal(&a->data, &b->data));
}

bool hc_file_state_equal(const struct hc_file_state *a,
			 const struct hc_file_state *b)
{
	if (!hc_file_state_same_data(a, b))
		return false;
	return !a->exists || (a->uid == b->uid && a->gid == b->gid &&
			      (a->link || a->mode == b->mode));
}
