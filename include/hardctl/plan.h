/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A plan: what a command will change, file by file and rule by rule.
 * Dry-run prints it, apply hands it to the installer, and the store
 * commits one step per rule, so what is shown is what is written.
 */
#ifndef HARDCTL_PLAN_H
#define HARDCTL_PLAN_H

#include <stdbool.h>
#include <sys/types.h>
#include "buf.h"
#include "state.h"

struct hc_rule;

/** A file the plan changes, before and after the whole plan. */
struct hc_plan_file {
	char *path; /* inside ROOT */
	struct hc_file_state before;
	struct hc_file_state after;
	char *lens; /* the Augeas lens it is read with, or NULL (none, or not
		       known) */
};

/** One rule's change to one file. */
struct hc_plan_step {
	const struct hc_rule *rule; /* NULL: not a rule's (a rollback) */
	size_t file;                /* index into files */
	struct hc_file_state after; /* the file after this step */
};

struct hc_plan {
	struct hc_plan_file *files;
	size_t nfiles;
	struct hc_plan_step *steps;
	size_t nsteps;
};

void hc_plan_init(struct hc_plan *plan);
void hc_plan_release(struct hc_plan *plan);

/**
 * Record that RULE changed PATH from BEFORE to AFTER.  The first step
 * on a path adds it to the plan's files with BEFORE; later steps on it
 * update its final state.  0 or HC_ERROR.
 */
int hc_plan_add(struct hc_plan *plan, const struct hc_rule *rule,
		const char *path, const struct hc_file_state *before,
		const struct hc_file_state *after);

/**
 * Record that PATH (a file of the plan) is read with LENS (NULL:
 * none), so that the store can say how to undo a change to it without
 * the profile that made it.  0 or HC_ERROR; nothing for a path the plan
 * does not change.
 */
int hc_plan_set_lens(struct hc_plan *plan, const char *path, const char *lens);

/**
 * Drop the steps from NSTEPS on and the files from NFILES on (those
 * only the dropped steps added), and set every file left to the state
 * its last remaining step leaves it: what the plan was before a rule
 * whose steps are dropped.  0 or HC_ERROR.
 */
int hc_plan_truncate(struct hc_plan *plan, size_t nsteps, size_t nfiles);

/** The state of a step's file before that step. */
const struct hc_file_state *hc_plan_step_before(const struct hc_plan *plan,
						size_t step);

/** Sort the plan's files by path (steps keep their order). */
void hc_plan_sort_files(struct hc_plan *plan);

bool hc_plan_empty(const struct hc_plan *plan);

#endif
