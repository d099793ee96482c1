/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Plans (see hardctl/plan.h).
 */
#include <stdlib.h>
#include <string.h>
#include "hardctl/plan.h"

void hc_plan_init(struct hc_plan *plan)
{
	memset(plan, 0, sizeof(*plan));
}

void hc_plan_release(struct hc_plan *plan)
{
	for (size_t i = 0; i < plan->nfiles; i++) {
		free(plan->files[i].path);
		hc_buf_release(&plan->files[i].before);
		hc_buf_release(&plan->files[i].after);
	}
	for (size_t i = 0; i < plan->nsteps; i++)
		hc_buf_release(&plan->steps[i].after);
	free(plan->files);
	free(plan->steps);
	hc_plan_init(plan);
}

static int find_or_add_file(size_t *out, struct hc_plan *plan, const char *path,
			    bool existed, const struct hc_buf *before)
{
	struct hc_plan_file *files, *f;

	for (size_t i = 0; i < plan->nfiles; i++) {
		if (strcmp(plan->files[i].path, path) == 0) {
			*out = i;
			return 0;
		}
	}
	files = reallocarray(plan->files, plan->nfiles + 1, sizeof(*files));
	if (files == NULL)
		return hc_error_oom();
	plan->files = files;
	f = &files[plan->nfiles];
	memset(f, 0, sizeof(*f));
	f->existed = existed;
	if ((f->path = hc_strdup(path)) == NULL ||
	    hc_buf_set(&f->before, before->ptr, before->size) < 0) {
		free(f->path);
		hc_buf_release(&f->before);
		return HC_ERROR;
	}
	*out = plan->nfiles++;
	return 0;
}

int hc_plan_add(struct hc_plan *plan, const struct hc_rule *rule,
		const char *path, bool existed, const struct hc_buf *before,
		const struct hc_buf *after, mode_t mode, uid_t uid, gid_t gid)
{
	struct hc_plan_step *steps, *s;
	struct hc_plan_file *f;
	size_t fi = 0;
	int error;

	if ((error = find_or_add_file(&fi, plan, path, existed, before)) < 0)
		return error;
	steps = reallocarray(plan->steps, plan->nsteps + 1, sizeof(*steps));
	if (steps == NULL)
		return hc_error_oom();
	plan->steps = steps;
	s = &steps[plan->nsteps];
	memset(s, 0, sizeof(*s));
	s->rule = rule;
	s->file = fi;
	f = &plan->files[fi];
	if ((error = hc_buf_set(&s->after, after->ptr, after->size)) < 0 ||
	    (error = hc_buf_set(&f->after, after->ptr, after->size)) < 0) {
		hc_buf_release(&s->after);
		return error;
	}
	f->mode = mode;
	f->uid = uid;
	f->gid = gid;
	plan->nsteps++;
	return 0;
}

const struct hc_buf *hc_plan_step_before(const struct hc_plan *plan,
					 size_t step)
{
	size_t file = plan->steps[step].file;

	while (step-- > 0)
		if (plan->steps[step].file == file)
			return &plan->steps[step].after;
	return &plan->files[file].before;
}

bool hc_plan_empty(const struct hc_plan *plan)
{
	return plan->nsteps == 0;
}
