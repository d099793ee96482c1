/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Compiled regular expressions kept for the life of the process (see
 * hardctl/regcache.h).
 *
 * Augeas compiles a lens's regular expressions with glibc's
 * re_compile_pattern() the first time a parse or a render uses them,
 * and frees every one of them (regfree(), from lens_release()) after
 * each aug_text_retrieve(): a file that is parsed, rendered and parsed
 * again pays its lens's compile three times, and compiling is most of
 * what Augeas costs.  This unit is linked into the programs themselves
 * (not into the core library, whose archive members are pulled in only
 * for the symbols hardctl's own code uses), where the two functions it
 * defines take precedence over glibc's for every library the program
 * loads:
 *   re_compile_pattern  answers a pattern it compiled before under the
 *                       same syntax bits with that compile's automaton;
 *   regfree             leaves such an automaton alone (a fastmap or
 *                       translate table the caller attached goes, as
 *                       glibc frees it).
 * The automaton of a pattern depends on nothing but the pattern, the
 * syntax bits and the buffer's translate table; only buffers without a
 * translate table or fastmap are kept (Augeas's are zeroed), and glibc's
 * matcher only reads an automaton (its cache of DFA states grows as it
 * matches, the same states for every buffer of that pattern).  Anything
 * else is glibc's as before: a buffer this unit did not fill is freed by
 * glibc's regfree(), and POSIX regcomp() never comes through here.
 */
#include <dlfcn.h>
#include <regex.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hardctl/regcache.h"

struct entry {
	char *pattern;
	size_t len;
	reg_syntax_t syntax;
	struct re_pattern_buffer re; /* as glibc left it compiled */
};

/* Open addressing, linear probing, at most half full. */
struct table {
	struct entry **v;
	size_t cap;
	size_t n;
};

typedef const char *(*compile_fn)(const char *, size_t,
				  struct re_pattern_buffer *);
typedef void (*free_fn)(regex_t *);

static struct table by_pattern; /* by pattern and syntax */
static struct table by_dfa;     /* the same entries, by automaton */
static struct hc_regcache_stats stats;
static bool disabled;

static size_t hash_bytes(const char *p, size_t n, reg_syntax_t syntax)
{
	uint64_t h = 14695981039346656037ULL ^ (uint64_t)syntax;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * 1099511628211ULL;
	return (size_t)h;
}

static size_t hash_ptr(const void *p)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ULL;

	return (size_t)(h >> 17);
}

static size_t entry_hash(const struct table *t, const struct entry *e)
{
	return t == &by_dfa ? hash_ptr(e->re.buffer)
			    : hash_bytes(e->pattern, e->len, e->syntax);
}

static void place(struct table *t, struct entry *e)
{
	size_t i = entry_hash(t, e) & (t->cap - 1);

	while (t->v[i])
		i = (i + 1) & (t->cap - 1);
	t->v[i] = e;
	t->n++;
}

/* Room for one more in T; false if memory ran out (nothing changed). */
static bool reserve(struct table *t)
{
	struct entry **old = t->v;
	size_t oldcap = t->cap;
	size_t cap = oldcap ? oldcap * 2 : 256;

	if ((t->n + 1) * 2 <= t->cap)
		return true;
	if ((t->v = calloc(cap, sizeof(struct entry *))) == NULL) {
		t->v = old;
		return false;
	}
	t->cap = cap;
	t->n = 0;
	for (size_t i = 0; i < oldcap; i++)
		if (old[i])
			place(t, old[i]);
	free(old);
	return true;
}

static struct entry *find_pattern(const char *p, size_t n, reg_syntax_t syntax)
{
	if (by_pattern.cap == 0)
		return NULL;
	for (size_t i = hash_bytes(p, n, syntax) & (by_pattern.cap - 1);
	     by_pattern.v[i]; i = (i + 1) & (by_pattern.cap - 1)) {
		struct entry *e = by_pattern.v[i];

		if (e->len == n && e->syntax == syntax &&
		    memcmp(e->pattern, p, n) == 0)
			return e;
	}
	return NULL;
}

static bool kept(const void *dfa)
{
	if (dfa == NULL || by_dfa.cap == 0)
		return false;
	for (size_t i = hash_ptr(dfa) & (by_dfa.cap - 1); by_dfa.v[i];
	     i = (i + 1) & (by_dfa.cap - 1))
		if (by_dfa.v[i]->re.buffer == dfa)
			return true;
	return false;
}

/* Keep B, just compiled from P; nothing is kept if memory runs out. */
static void keep(const char *p, size_t n, const struct re_pattern_buffer *b)
{
	struct entry *e;

	if (!reserve(&by_pattern) || !reserve(&by_dfa) ||
	    (e = calloc(1, sizeof(*e))) == NULL)
		return;
	if ((e->pattern = malloc(n ? n : 1)) == NULL) {
		free(e);
		return;
	}
	memcpy(e->pattern, p, n);
	e->len = n;
	e->syntax = re_syntax_options;
	e->re = *b;
	place(&by_pattern, e);
	place(&by_dfa, e);
}

static compile_fn real_compile(void)
{
	static compile_fn fn;

	if (fn == NULL)
		*(void **)&fn = dlsym(RTLD_NEXT, "re_compile_pattern");
	return fn;
}

static free_fn real_free(void)
{
	static free_fn fn;

	if (fn == NULL)
		*(void **)&fn = dlsym(RTLD_NEXT, "regfree");
	return fn;
}

const char *re_compile_pattern(const char *pattern, size_t length,
			       struct re_pattern_buffer *buffer)
{
	compile_fn compile = real_compile();
	const struct entry *e;
	const char *error;

	if (compile == NULL)
		return "regular expressions are not available";
	/* A kept automaton is never compiled over. */
	if (kept(buffer->buffer)) {
		buffer->buffer = NULL;
		buffer->allocated = 0;
	}
	if (disabled || buffer->translate || buffer->fastmap)
		return compile(pattern, length, buffer);
	if ((e = find_pattern(pattern, length, re_syntax_options))) {
		if (buffer->buffer)
			real_free()(buffer);
		*buffer = e->re;
		stats.hits++;
		return NULL;
	}
	stats.misses++;
	if ((error = compile(pattern, length, buffer)) == NULL)
		keep(pattern, length, buffer);
	return error;
}

void regfree(regex_t *preg)
{
	free_fn release;

	if (preg && kept(preg->buffer)) {
		/*
		 * The automaton stays; a fastmap or translate table is the
		 * caller's own (kept entries have neither), freed as glibc
		 * frees them.
		 */
		free(preg->fastmap);
		free(preg->translate);
		preg->fastmap = NULL;
		preg->translate = NULL;
		preg->buffer = NULL;
		preg->allocated = 0;
		preg->used = 0;
		return;
	}
	if ((release = real_free()))
		release(preg);
}

void hc_regcache_disable(bool off)
{
	disabled = off;
}

void hc_regcache_stats(struct hc_regcache_stats *out)
{
	*out = stats;
	out->kept = by_pattern.n;
}
