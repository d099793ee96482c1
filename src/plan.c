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
		free(plan->files[i].lens);
		hc_buf_release(&plan->files[i].before.data);
		hc_buf_release(&plan->files[i].after.data);
	}
	for (size_t i = 0; i < plan->nsteps; i++)
		hc_buf_release(&plan->steps[i].after.data);
	free(plan->files);
	free(plan->steps);
	hc_plan_init(plan);
}

static int find_or_add_file(size_t *out, struct hc_plan *plan, const char *path,
			    const struct hc_file_state *before)
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
	if ((f->path = hc_strdup(path)) == NULL ||
	    hc_file_state_copy(&f->before, before) < 0) {
		free(f->path);
		hc_buf_release(&f->before.data);
		return HC_ERROR;
	}
	*out = plan->nfiles++;
	return 0;
}

int hc_plan_add(struct hc_plan *plan, const struct hc_rule *rule,
		const char *path, const struct hc_file_state *before,
		const struct hc_file_state *after)
{
	struct hc_plan_step *steps, *s;
	size_t fi = 0;
	int error;

	if ((error = find_or_add_file(&fi, plan, path, before)) < 0)
		return error;
	steps = reallocarray(plan->steps, plan->nsteps + 1, sizeof(*steps));
	if (steps == NULL)
		return hc_error_oom();
	plan->steps = steps;
	s = &steps[plan->nsteps];
	memset(s, 0, sizeof(*s));
	s->rule = rule;
	s->file = fi;
	if ((error = hc_file_state_copy(&s->after, after)) < 0 ||
	    (error = hc_file_state_copy(&plan->files[fi].after, after)) < 0) {
		hc_buf_release(&s->after.data);
		return error;
	}
	plan->nsteps++;
	return 0;
}

const struct hc_file_state *hc_plan_step_before(const struct hc_plan *plan,
						size_t step)
{
	size_t file = plan->steps[step].file;

	while (step-- > 0)
		if (plan->steps[step].file == file)
			return &plan->steps[step].after;
	return &plan->files[file].before;
}

void hc_plan_sort_files(struct hc_plan *plan)
{
	/* Insertion sort: plans hold a few files, and steps index them. */
	for (size_t i = 1; i < plan->nfiles; i++) {
		for (size_t j = i; j > 0 && strcmp(plan->files[j - 1].path,
						   plan->files[j].path) > 0;
		     j--) {
			struct hc_plan_file tmp = plan->files[j];

			plan->files[j] = plan->files[j - 1];
			plan->files[j - 1] = tmp;
			for (size_t s = 0; s < plan->nsteps; s++) {
				if (plan->steps[s].file == j)
					plan->steps[s].file = j - 1;
				else if (plan->steps[s].file == j - 1)
					plan->steps[s].file = j;
			}
		}
	}
}

bool hc_plan_empty(const struct hc_plan *plan)
{
	return plan->nsteps == 0;
}

int hc_plan_set_lens(struct hc_plan *plan, const char *path, const char *lens)
{
	for (size_t i = 0; i < plan->nfiles; i++) {
		char *copy;

		if (strcmp(plan->files[i].path, path) != 0)
			continue;
		if (lens && (copy = hc_strdup(lens)) == NULL)
			return HC_ERROR;
		free(plan->files[i].lens);
		plan->files[i].lens = lens ? copy : NULL;
		return 0;
	}
	return 0;
}

int hc_plan_truncate(struct hc_plan *plan, size_t nsteps, size_t nfiles)
{
	for (size_t i = nsteps; i < plan->nsteps; i++)
		hc_buf_release(&plan->steps[i].after.data);
	plan->nsteps = nsteps < plan->nsteps ? nsteps : plan->nsteps;
	for (size_t i = nfiles; i < plan->nfiles; i++) {
		free(plan->files[i].path);
		free(plan->files[i].lens);
		hc_buf_release(&plan->files[i].before.data);
		hc_buf_release(&plan->files[i].after.data);
	}
	plan->nfiles = nfiles < plan->nfiles ? nfiles : plan->nfiles;
	/* Each file's final state: its last step's, or its first "before". */
	for (size_t f = 0; f < plan->nfiles; f++) {
		const struct hc_file_state *last = &plan->files[f].before;

		for (size_t i = 0; i < plan->nsteps; i++)
			if (plan->steps[i].file == f)
				last = &plan->steps[i].after;
		if (hc_file_state_copy(&plan->files[f].after, last) < 0)
			return HC_ERROR;
	}
	return 0;
}
