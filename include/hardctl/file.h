/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A file under ROOT as hardctl holds it: the bytes read, their SHA-256,
 * the Augeas tree parsed from them, and the bytes rendered after the
 * rules run so far.  Modules reach a file through hc_ctx_file() and
 * edit its tree only through the helpers below, which keep the file's
 * "dirty" mark so the core renders exactly the files a rule changed.
 *
 * A file asked for with no lens is not parsed: its bytes (or, for a
 * symlink, its target) and status are all there is, for the rules whose
 * object is the path itself (a systemd unit masked by a link).
 *
 * Node paths given to the helpers are either relative to the file's
 * tree ("PermitRootLogin", "Match[1]/Settings") or absolute paths
 * returned by hc_file_match() on the same file.
 */
#ifndef HARDCTL_FILE_H
#define HARDCTL_FILE_H

#include <stdbool.h>
#include <sys/stat.h>
#include "buf.h"
#include "hash.h"

struct hc_aug;
struct hc_aug_children;
struct hc_ctx;
struct hc_file;
struct hc_file_index;
struct hc_file_memo;

/**
 * A check of a file's rendered bytes before anything is installed, set
 * by the module that knows the format (sshd -t for sshd_config).  DATA
 * is what would be written to PATH; CTX holds every other file as the
 * plan leaves it; SCRATCH is an empty private
 * directory the validator may use, removed afterwards.  Returns 0, or
 * HC_EUNSAFE with the last error saying what is wrong: the transaction
 * is refused.
 */
typedef int (*hc_file_validator)(struct hc_ctx *ctx, const struct hc_file *file,
				 const struct hc_buf *data,
				 const char *scratch);

/**
 * A validation started by an hc_file_validator_start and not yet
 * answered.  FINISH waits for its verdict, given as a validator gives
 * it; ABANDON ends it unheard.  The caller calls exactly one of them,
 * which frees DATA.
 */
struct hc_file_job {
	int (*finish)(struct hc_file_job *job);
	void (*abandon)(struct hc_file_job *job);
	void *data;
};

/**
 * A validator in two halves, for one that runs a program (sshd -t): it
 * does what needs CTX, starts the program and returns, and the caller
 * does its own work while the program runs.  Arguments as the
 * validator's; SCRATCH is kept until the job is finished or abandoned.
 * Returns 0 with *JOB started, 0 with JOB->finish NULL when there is
 * nothing to wait for (the verdict is a pass), or a validator's error.
 */
typedef int (*hc_file_validator_start)(struct hc_file_job *job,
				       struct hc_ctx *ctx,
				       const struct hc_file *file,
				       const struct hc_buf *data,
				       const char *scratch);

struct hc_file {
	char *path;    /* inside ROOT: "/etc/ssh/sshd_config" */
	char *display; /* as the host sees it, for messages */
	const char *lens;
	char tree[32]; /* its Augeas tree: "/hc/0/3" */
	bool exists;
	struct stat st;     /* when it exists */
	struct hc_buf orig; /* the bytes read */
	struct hc_sha256 orig_sha;
	struct hc_buf cur; /* the bytes after the rules run so far */
	bool dirty;        /* tree edited since cur was rendered */
	bool created;      /* absent, and a rule has written to it */
	bool removed;      /* a rule removes it */
	bool link; /* read as a symlink (lens NULL only): orig is its target */
	bool as_link;      /* the plan makes it a symlink: cur is its target */
	bool tree_as_read; /* the tree is orig's parse, never edited */
	unsigned int shares; /* contexts holding it besides the first */
	/*
	 * The mode and owner the plan gives it: at first those it has, or
	 * for a file hardctl creates 0644 and the owner of its directory.
	 */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	/*
	 * NULL, or a lens tried first to render the file: it reads the
	 * same text into the same tree as LENS, costs less, and renders
	 * what it can carry as LENS does (hardctl_sshd_dropin.aug).
	 */
	const char *render_lens;
	hc_file_validator validate; /* NULL: nothing to run before install */
	hc_file_validator_start validate_start; /* NULL, or VALIDATE halved */
	/*
	 * NULL, or asked by the engine after each rule that changed the
	 * file (DATA its bytes then, SCRATCH NULL): HC_EUNSAFE when the
	 * file is not hardctl's to edit (authselect's), which refuses
	 * that rule alone.
	 */
	hc_file_validator may_edit;
	struct hc_aug *aug;
	struct hc_file_index *index;       /* file.c's, see there */
	struct hc_file_index *index_aside; /* another tree's, for its return */
	size_t index_debt;         /* lookups without it since dropped */
	struct hc_file_memo *memo; /* file.c's tables, see there */
};

/**
 * The value of NODE: *value is NULL when the node does not exist or has
 * no value.  Returns 0, or HC_ERROR when NODE matches several nodes.
 */
int hc_file_get(const char **value, struct hc_file *file, const char *node);

/**
 * A copy of the value of NODE's child NAME in *out (caller frees); NULL
 * when it has none.  0 or HC_ERROR.
 */
int hc_file_child(char **out, struct hc_file *file, const char *node,
		  const char *name);

/**
 * Set NODE's value, creating it (at the end of its parent) if needed.
 * Setting the value it already has changes nothing and leaves the file
 * clean.  0 or HC_ERROR.
 */
int hc_file_set(struct hc_file *file, const char *node, const char *value);

/**
 * The label and value of each node at the top of FILE's tree, in the
 * order hc_file_match(FILE, "*") gives their paths, into KIDS (see
 * hc_aug_children(); hc_aug_child_path() names one).  Release KIDS with
 * hc_aug_children_release().  0 or HC_ERROR.
 */
int hc_file_children(struct hc_aug_children *kids, struct hc_file *file);

/** Append the absolute paths of the nodes PATTERN matches to OUT. */
int hc_file_match(struct hc_strlist *out, struct hc_file *file,
		  const char *pattern);

/**
 * How many nodes PATTERN matches, or HC_ERROR: no path is built, where
 * hc_file_match() counts each node's siblings to name it.
 */
int hc_file_count(struct hc_file *file, const char *pattern);

/**
 * A tree read as a table in one pass, whatever its size: a node found by
 * path costs a walk of its siblings, so reading N entries one by one
 * costs N squared.  The rows are the entries of the top level that hold
 * each of FIELDS exactly once, FIELDS[0] being the child every entry
 * starts with (Passwd's, Shadow's and Group's "password"); LIST, unless
 * NULL, names a child an entry may hold many times (Group's "user"),
 * whose values come in list[] with the row of each.  Every string
 * points into the tree: valid until the tree changes.
 */
struct hc_file_table {
	size_t n, nfields;
	const char **label; /* n */
	const char **value; /* n * nfields, row by row; NULL for no value */
	size_t *child;      /* n: each row's place among the top-level nodes */
	const char **list;
	size_t *list_row;
	size_t nlist;
};

/** Read FILE's tree as a table (see above). 0 or HC_ERROR. */
int hc_file_table(struct hc_file_table *out, struct hc_file *file,
		  const char *const *fields, size_t nfields, const char *list);

void hc_file_table_release(struct hc_file_table *table);

/* An edit of a table: set FIELD of row ROW to VALUE. */
struct hc_file_edit {
	size_t row;
	const char *field;
	const char *value;
};

/**
 * Make the N edits of TABLE, read from FILE whose top level has not
 * changed since: in one walk of the tree when they come in the order of
 * their rows, where a path for each would cost N squared.  A field an
 * entry lacks is added at its end; a value it already holds changes
 * nothing.  0 or HC_ERROR.
 */
int hc_file_table_set(struct hc_file *file, const struct hc_file_table *table,
		      const struct hc_file_edit *edits, size_t n);

/**
 * The line each row of TABLE starts on in FILE as read (0 for an entry
 * added since), into LINES[0..table->n), in one walk.  0 or HC_ERROR.
 */
int hc_file_table_lines(unsigned int *lines, struct hc_file *file,
			const struct hc_file_table *table);

/** Insert a node LABEL before (or after) NODE. 0 or HC_ERROR. */
int hc_file_insert(struct hc_file *file, const char *node, const char *label,
		   bool before);

/**
 * Give NODE the label LABEL: insert a node under a scratch label no
 * other node has, fill it, then rename it to the label its lens wants.
 * 0 or HC_ERROR.
 */
int hc_file_rename(struct hc_file *file, const char *node, const char *label);

/** Remove NODE and its children; removing nothing is not an error. */
int hc_file_rm(struct hc_file *file, const char *node);

/** NODE's label; NULL if the node does not exist. */
const char *hc_file_label(struct hc_file *file, const char *node);

/** The line NODE starts on in the file as read; 0 for a node added since. */
unsigned int hc_file_line(struct hc_file *file, const char *node);

/**
 * Have the plan give the file permission bits MODE, or owner UID:GID.
 * 0, or HC_EINVALID for bits outside 07777.
 */
int hc_file_set_mode(struct hc_file *file, mode_t mode);
int hc_file_set_owner(struct hc_file *file, uid_t uid, gid_t gid);

/**
 * Make the path a symlink to TARGET (a file asked for with no lens:
 * links have no syntax).  0, or HC_EINVALID for a parsed file.
 */
int hc_file_set_link(struct hc_file *file, const char *target);

/** Have the plan remove the file. */
int hc_file_remove(struct hc_file *file);

/** Whether the file exists on disk or a rule has created it in memory. */
bool hc_file_present(const struct hc_file *file);

/** Render the tree into file->cur if it is dirty. 0 or HC_ERROR. */
int hc_file_render(struct hc_file *file);

void hc_file_free(struct hc_file *file);

#endif
