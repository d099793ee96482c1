/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The oldconf store (see hardctl/store.h): opening and creating it,
 * its lock, and the checks of its directory.
 */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "hardctl/fault.h"
#include "hardctl/sign.h"
#include "store_int.h"

int hc_store_git_fail(const char *what)
{
	const git_error *e = git_error_last();

	hc_error_set("%s: %s", what,
		     e && e->message ? e->message : "unknown libgit2 error");
	return HC_ERROR;
}

/*
 * A read of the store failed.  If an object is missing or corrupt, the
 * store is damaged: say so, and how to find out more, as HC_EUNSAFE.
 */
int hc_store_read_fail(const struct hc_store *store, const char *what)
{
	const git_error *e = git_error_last();
	bool damaged =
	    e && (e->klass == GIT_ERROR_ODB || e->klass == GIT_ERROR_OBJECT ||
		  e->klass == GIT_ERROR_ZLIB);

	hc_store_git_fail(what);
	if (!damaged)
		return HC_ERROR;
	hc_error_set(
	    "the oldconf store %s is damaged (%s: %s); nothing was changed: "
	    "'git --git-dir=%s fsck' shows what is wrong; restore the store "
	    "from a backup before hardctl changes anything again",
	    store->path, what, e->message ? e->message : "", store->path);
	return hc_error_set_code(HC_EUNSAFE);
}

const char *hc_store_path(const struct hc_store *store)
{
	return store->path;
}

/* Create every directory above PATH (0755), not PATH itself. */
static int mkparents(const char *path)
{
	char *copy = hc_strdup(path);
	int error = 0;

	if (copy == NULL)
		return HC_ERROR;
	for (char *p = copy + 1; *p && error == 0; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
			hc_error_set_os(copy, "cannot create directory");
			error = HC_ERROR;
		}
		*p = '/';
	}
	free(copy);
	return error;
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove the tree at PATH, links not followed. */
static void rmtree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Sweep the temporaries of killed creations beside PATH ("PATH.tmp-*"):
 * those whose maker is gone (its lock on the directory went with it).
 */
static void sweep_temporaries(const char *path)
{
	const char *slash = strrchr(path, '/');
	char parent[4096], name[4096], prefix[512];
	struct dirent *de;
	DIR *dp;

	if (slash == NULL || snprintf(prefix, sizeof(prefix), "%s.tmp-",
				      slash + 1) >= (int)sizeof(prefix))
		return;
	snprintf(parent, sizeof(parent), "%.*s", (int)(slash - path), path);
	if ((dp = opendir(parent[0] ? parent : "/")) == NULL)
		return;
	while ((de = readdir(dp)) != NULL) {
		struct stat st;
		int fd;

		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0 ||
		    snprintf(name, sizeof(name), "%s/%s", parent, de->d_name) >=
			(int)sizeof(name) ||
		    lstat(name, &st) < 0 || !S_ISDIR(st.st_mode) ||
		    st.st_uid != geteuid())
			continue;
		fd =
		    open(name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0)
			rmtree(name);
		if (fd >= 0)
			close(fd);
	}
	closedir(dp);
}

/*
 * Make the store at PATH whole or not at all: a repository is made in a
 * private temporary beside it (locked while it is made, so that only a
 * dead maker's temporary is swept) and renamed into place.
 */
static int create_store(const char *path)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;
	char tmp[4200], parent[4096];
	const char *slash;
	mode_t mask;
	int fd = -1, pfd, dfd, error = 0;

	if ((error = mkparents(path)) < 0)
		return error;
	/*
	 * Makers take turns on the parent's lock until their temporary is
	 * locked: a sweep never takes one that is made but not yet locked.
	 */
	slash = strrchr(path, '/');
	snprintf(parent, sizeof(parent), "%.*s",
		 slash && slash != path ? (int)(slash - path) : 1,
		 slash && slash != path ? path : "/");
	if ((pfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    flock(pfd, LOCK_EX) < 0) {
		hc_error_set_os(parent, "cannot create the store");
		if (pfd >= 0)
			close(pfd);
		return HC_ERROR;
	}
	sweep_temporaries(path);
	snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path);
	if (mkdtemp(tmp) == NULL) {
		hc_error_set_os(tmp, "cannot create the store");
		close(pfd);
		return HC_ERROR;
	}
	if ((fd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) <
		0 ||
	    flock(fd, LOCK_EX) < 0) {
		hc_error_set_os(tmp, "cannot create the store");
		error = HC_ERROR;
		close(pfd);
		goto out;
	}
	close(pfd); /* drops the parent's lock */
	git_repository_init_options_init(&opts,
					 GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_NO_REINIT;
	opts.mode = GIT_REPOSITORY_INIT_SHARED_UMASK;
	opts.initial_head = "main";
	opts.description = "hardctl oldconf store: configuration files as they "
			   "were and became";
	mask = umask(077);
	if (git_repository_init_ext(&repo, tmp, &opts) < 0)
		error = hc_store_git_fail("cannot create the oldconf store");
	umask(mask);
	git_repository_free(repo);
	/* A point to be killed at only: a made repository does not fail here.
	 */
	if (error == 0)
		(void)hc_fault("store.init", 0);
	if (error == 0 && rename(tmp, path) < 0) {
		/* Another hardctl made it meanwhile: that one is the store. */
		if (errno != EEXIST && errno != ENOTEMPTY) {
			hc_error_set_os(path, "cannot create the store");
			error = HC_ERROR;
		}
	} else if (error == 0) {
		if ((dfd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >=
		    0) {
			fsync(dfd);
			close(dfd);
		}
		*tmp = '\0';
	}
out:
	if (*tmp)
		rmtree(tmp);
	if (fd >= 0)
		close(fd);
	return error;
}

/* The settings libgit2 writes in a store's config, the only ones allowed. */
static bool config_key_known(const char *key, size_t len)
{
	static const char *const known[] = {
	    "bare",     "repositoryformatversion",
	    "filemode", "logallrefupdates",
	    "symlinks", "ignorecase",
	    NULL};

	for (size_t i = 0; known[i]; i++)
		if (strlen(known[i]) == len &&
		    strncasecmp(known[i], key, len) == 0)
			return true;
	return false;
}

/* Whether LINE (LEN bytes, no newline) of a store's config is allowed. */
static bool config_line_ok(const char *line, size_t len)
{
	size_t key;

	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t' ||
			   line[len - 1] == '\r'))
		len--;
	if (len == 0 || *line == '#' || *line == ';')
		return true;
	if (*line == '[')
		return len == 6 && strncasecmp(line, "[core]", 6) == 0;
	key = strcspn(line, " \t=");
	return key < len && config_key_known(line, key);
}

/*
 * The store's git config holds only what libgit2 wrote there: a planted
 * one could include a file out of ROOT ([include] path), which libgit2
 * reads and names in its errors, or change how objects are written.
 */
static int check_config(const char *path)
{
	struct hc_buf text = HC_BUF_INIT;
	unsigned int lineno = 1;
	int error, fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0) {
		hc_error_set_os(path, "cannot check the oldconf store");
		return HC_EUNSAFE;
	}
	error = hc_buf_read_fd(&text, fd, 65536, path);
	close(fd);
	for (size_t at = 0; error == 0 && at < text.size; lineno++) {
		const char *nl = memchr(text.ptr + at, '\n', text.size - at);
		size_t len = nl ? (size_t)(nl - text.ptr) - at : text.size - at;

		if (!config_line_ok(text.ptr + at, len)) {
			hc_error_set_at(
			    path, lineno,
			    "the oldconf store's git config holds a setting "
			    "hardctl did not write: refused (a store shipped "
			    "in "
			    "an image could make libgit2 read files out of "
			    "ROOT); move the store away");
			error = HC_EUNSAFE;
		}
		at += len + 1;
	}
	hc_buf_release(&text);
	return error < 0 ? HC_EUNSAFE : 0;
}

/* What walk_one() found wrong, for check_tree(). */
static struct {
	int error;
	uid_t uid;
	bool in_flux; /* the refusal may be another hardctl's write */
} walk_state;

static int walk_one(const char *path, const struct stat *st, int flag,
		    struct FTW *ftw)
{
	struct stat again;

	if ((flag == FTW_NS || flag == FTW_DNR) && lstat(path, &again) < 0 &&
	    errno == ENOENT) {
		/* Gone meanwhile: a lock or marker another hardctl dropped. */
		return 0;
	} else if (flag == FTW_NS || flag == FTW_DNR) {
		hc_error_set_os(path, "cannot check the oldconf store");
		walk_state.error = HC_EUNSAFE;
	} else if (flag == FTW_SL || flag == FTW_SLN) {
		hc_error_set_at(
		    path, 0,
		    "the oldconf store holds a symlink: refused (a store "
		    "shipped in an image could lead writes out of ROOT); move "
		    "the "
		    "store away, or remove it with its .key if it is not "
		    "yours");
		walk_state.error = HC_EUNSAFE;
	} else if (st->st_uid != walk_state.uid) {
		hc_error_set_at(
		    path, 0,
		    "in the oldconf store, belongs to uid %u, not to you: "
		    "refused (a store shipped in an image, or changed by "
		    "another "
		    "user); move the store away, or chown it back after "
		    "checking it",
		    (unsigned int)st->st_uid);
		walk_state.error = HC_EUNSAFE;
	} else if (ftw->level == 1 &&
		   strcmp(path + ftw->base, "commondir") == 0) {
		/* libgit2 would take its refs and objects from where it points.
		 */
		hc_error_set_at(
		    path, 0,
		    "the oldconf store names another git directory: refused "
		    "(a store shipped in an image could lead writes out of "
		    "ROOT)");
		walk_state.error = HC_EUNSAFE;
	} else if (ftw->level == 3 &&
		   strcmp(path + ftw->base, "alternates") == 0) {
		hc_error_set_at(
		    path, 0,
		    "the oldconf store borrows objects from elsewhere: "
		    "refused; a store keeps its own history");
		walk_state.error = HC_EUNSAFE;
	} else if (flag == FTW_F && !S_ISREG(st->st_mode)) {
		hc_error_set_at(
		    path, 0,
		    "in the oldconf store, is not a regular file: refused");
		walk_state.error = HC_EUNSAFE;
	} else if (flag == FTW_F && st->st_nlink > 1) {
		/* A write through it would land elsewhere, out of ROOT maybe.
		 */
		hc_error_set_at(path, 0,
				"in the oldconf store, is a hard link (%lu "
				"names): refused (a store shipped in an image "
				"could lead writes out of ROOT)",
				(unsigned long)st->st_nlink);
		walk_state.error = HC_EUNSAFE;
		/* libgit2 renames by link() then unlink(). */
		walk_state.in_flux = true;
	} else if (flag == FTW_F && ftw->level == 1 &&
		   strcmp(path + ftw->base, "config") == 0 &&
		   check_config(path) < 0) {
		walk_state.error = HC_EUNSAFE;
	} else if (flag == FTW_D && (st->st_mode & 077) &&
		   chmod(path, st->st_mode & 0700) < 0) {
		/* git's objects are 0444: only private directories keep them
		 * private. */
		hc_error_set_os(path,
				"cannot make the store's directory private");
		walk_state.error = HC_ERROR;
	}
	return walk_state.error;
}

/* Sleep MS milliseconds (less if a signal comes). */
static void nap(unsigned int ms)
{
	struct timespec ts = {(time_t)(ms / 1000),
			      (long)(ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Whether another hardctl holds the lock of the store at PATH. */
static bool store_busy(const char *path)
{
	char lock[4096];
	bool busy;
	int fd;

	snprintf(lock, sizeof(lock), "%s/%s", path, LOCK_NAME);
	if ((fd = open(lock, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)) <
	    0)
		return false;
	busy = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}

/*
 * Everything in the store is the caller's own: no symlink, nothing of
 * another owner, no FIFO or device; directories are made private.
 *
 * A caller that holds the lock sees the store at rest.  One that does
 * not (check, status, log) may meet another hardctl's write half done:
 * a lock file or marker gone under the walk, or an object or ref that
 * libgit2 is renaming by link() and unlink(), for a moment two names.
 * While the lock is held elsewhere such a refusal is looked at again
 * after a pause, for a second at most; a link that stays is refused.
 */
static int check_tree(const char *path, bool locked)
{
	int tries = 0, done;

	for (;;) {
		walk_state.error = 0;
		walk_state.uid = geteuid();
		walk_state.in_flux = false;
		done = nftw(path, walk_one, 16, FTW_PHYS);
		if (done < 0 && walk_state.error == 0 && errno == ENOENT &&
		    ++tries < 3)
			continue;
		if (done == 0 || locked || !walk_state.in_flux ||
		    ++tries >= 50 || !store_busy(path))
			break;
		hc_error_clear();
		nap(20);
	}
	if (done < 0 && walk_state.error == 0) {
		hc_error_set_os(path, "cannot check the oldconf store");
		return HC_ERROR;
	}
	return walk_state.error < 0 ? hc_error_set_code(walk_state.error) : 0;
}

/* The store holds copies of security files: only its owner may enter. */
static int check_dir(const char *path)
{
	struct stat st;

	if (lstat(path, &st) < 0) {
		int code = errno == ENOENT ? HC_ENOTFOUND : HC_ERROR;

		hc_error_set_os(path, "cannot open the oldconf store");
		return hc_error_set_code(code);
	}
	if (!S_ISDIR(st.st_mode)) {
		hc_error_set_at(path, 0,
				"the oldconf store is not a directory");
		return hc_error_set_code(HC_EUNSAFE);
	}
	if (st.st_uid != geteuid()) {
		hc_error_set_at(
		    path, 0,
		    "the oldconf store belongs to uid %u, not to you: refused",
		    (unsigned int)st.st_uid);
		return hc_error_set_code(HC_EUNSAFE);
	}
	if (st.st_mode & 077) {
		hc_error_set_at(
		    path, 0,
		    "the oldconf store is open to group or others (mode %04o): "
		    "refused; chmod 700 it after checking who read it",
		    (unsigned int)(st.st_mode & 07777));
		return hc_error_set_code(HC_EUNSAFE);
	}
	return 0;
}

/* Whether the lock file at PATH, as ST, is a plain file of the caller's. */
static bool lock_file_sound(const struct stat *st)
{
	return S_ISREG(st->st_mode) && st->st_uid == geteuid() &&
	       st->st_nlink == 1;
}

static int unsound_lock(const char *path)
{
	hc_error_set_at(path, 0,
			"the oldconf store's lock is not a plain file of "
			"yours: refused (a store shipped in an image could "
			"lead writes out of ROOT); move the store away");
	return hc_error_set_code(HC_EUNSAFE);
}

static int lock_store(struct hc_store *store, unsigned int wait_ms)
{
	char path[4096];
	struct stat st;
	unsigned int waited = 0;

	snprintf(path, sizeof(path), "%s/%s", store->path, LOCK_NAME);
	/*
	 * Taken before the store's walk, so checked here as the walk would:
	 * a device or FIFO is not even opened, a link is not followed.
	 */
	if (lstat(path, &st) == 0 && !lock_file_sound(&st))
		return unsound_lock(path);
	store->lock_fd = open(
	    path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0600);
	if (store->lock_fd < 0 && errno == ELOOP)
		return unsound_lock(path);
	if (store->lock_fd < 0) {
		hc_error_set_os(path, "cannot open the lock");
		return HC_ERROR;
	}
	if (fstat(store->lock_fd, &st) < 0 || !lock_file_sound(&st))
		return unsound_lock(path);
	while (flock(store->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			hc_error_set_os(path, "cannot take the lock");
			return HC_ERROR;
		}
		if (waited >= wait_ms) {
			if (wait_ms)
				hc_error_set_at(path, 0,
						"another hardctl is still "
						"changing this system "
						"after %u.%03u s of waiting; "
						"try again when it is done",
						wait_ms / 1000, wait_ms % 1000);
			else
				hc_error_set_at(path, 0,
						"another hardctl is changing "
						"this system; try "
						"again when it is done (--wait "
						"SECONDS waits for it)");
			return hc_error_set_code(HC_ELOCKED);
		}
		nap(50);
		waited += 50;
	}
	return 0;
}

/* Whether DIR holds nothing but hardctl's lock: a store may be made there. */
static bool empty_dir(const char *path)
{
	DIR *dp = opendir(path);
	struct dirent *de;
	bool empty = true;

	if (dp == NULL)
		return false;
	while ((de = readdir(dp)) != NULL && empty)
		empty = strcmp(de->d_name, ".") == 0 ||
			strcmp(de->d_name, "..") == 0 ||
			strcmp(de->d_name, LOCK_NAME) == 0;
	closedir(dp);
	return empty;
}

static int open_repo(struct hc_store *store, unsigned int flags)
{
	git_repository_init_options opts;
	mode_t mask;
	int r;

	r = git_repository_open_ext(
	    &store->repo, store->path,
	    GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_BARE, NULL);
	if (r == 0) {
		if (!git_repository_is_bare(store->repo)) {
			hc_error_set_at(
			    store->path, 0,
			    "not an oldconf store (not a bare repository)");
			return hc_error_set_code(HC_EUNSAFE);
		}
		return 0;
	}
	if (r != GIT_ENOTFOUND)
		return hc_store_git_fail(store->path);
	if (!empty_dir(store->path)) {
		hc_error_set_at(store->path, 0,
				"not an oldconf store, and not empty: refused");
		return hc_error_set_code(HC_EUNSAFE);
	}
	if (!(flags & HC_STORE_CREATE)) {
		hc_error_set_at(
		    store->path, 0,
		    "no oldconf store here: nothing was applied yet");
		return hc_error_set_code(HC_ENOTFOUND);
	}
	git_repository_init_options_init(&opts,
					 GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_NO_REINIT;
	opts.mode = GIT_REPOSITORY_INIT_SHARED_UMASK;
	opts.initial_head = "main";
	opts.description = "hardctl oldconf store: configuration files as they "
			   "were and became";
	mask = umask(077);
	r = git_repository_init_ext(&store->repo, store->path, &opts);
	umask(mask);
	if (r < 0)
		return hc_store_git_fail("cannot create the oldconf store");
	return 0;
}

int hc_store_reopen(struct hc_store *store)
{
	git_repository *repo = NULL;

	if (git_repository_open_ext(&repo, store->path,
				    GIT_REPOSITORY_OPEN_NO_SEARCH |
					GIT_REPOSITORY_OPEN_BARE,
				    NULL) < 0)
		return hc_store_git_fail("cannot open the oldconf store again");
	git_repository_free(store->repo);
	store->repo = repo;
	store->staged = NULL; /* it went with the old object database */
	return 0;
}

int hc_store_open(struct hc_store **out, const char *path, unsigned int flags)
{
	return hc_store_open_wait(out, path, flags, 0);
}

int hc_store_open_wait(struct hc_store **out, const char *path,
		       unsigned int flags, unsigned int wait_ms)
{
	struct hc_store *store;
	int error;

	*out = NULL;
	if ((store = calloc(1, sizeof(*store))) == NULL)
		return hc_error_oom();
	store->lock_fd = -1;
	if ((store->path = hc_strdup(path)) == NULL) {
		error = HC_ERROR;
		goto fail;
	}
	error = check_dir(path);
	if (error == HC_ENOTFOUND && (flags & HC_STORE_CREATE)) {
		hc_error_clear();
		if ((error = create_store(path)) == 0)
			error = check_dir(path);
	} else if (error == HC_ENOTFOUND) {
		hc_error_set_at(
		    path, 0, "no oldconf store here: nothing was applied yet");
	}
	/* Locked first: a writer walks a store no other writer changes. */
	if (error < 0 ||
	    ((flags & HC_STORE_LOCK) &&
	     (error = lock_store(store, wait_ms)) < 0) ||
	    (error = check_tree(path, flags & HC_STORE_LOCK)) < 0 ||
	    (error = open_repo(store, flags)) < 0)
		goto fail;
	*out = store;
	return 0;
fail:
	hc_store_free(store);
	return error;
}

void hc_store_free(struct hc_store *store)
{
	if (store == NULL)
		return;
	git_repository_free(store->repo);
	hc_signer_free(store->signer);
	if (store->lock_fd >= 0)
		close(store->lock_fd);
	free(store->path);
	free(store);
}

int hc_store_main_head(git_oid *out, bool *exists, struct hc_store *store)
{
	int r = git_reference_name_to_id(out, store->repo, MAIN_REF);

	*exists = r == 0;
	if (r == 0 || r == GIT_ENOTFOUND)
		return 0;
	return hc_store_git_fail("cannot read the store's main branch");
}
