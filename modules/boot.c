/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <string.h>
#include "hardctl/ctx.h"
#include "hardctl/file.h"
#include "boot.h"

/* The links that start a service, as a glob before and after its name. */
static const struct {
	const char *before, *after;
} start_links[] = {
    {"/etc/systemd/system/*.wants/", ".service"},
    {"/etc/systemd/system/*.wants/", ".socket"},
    {"/etc/rc[2345].d/S[0-9][0-9]", ""},
    {"/etc/rc.d/rc[2345].d/S[0-9][0-9]", ""},
};

/* xinetd starts a service of /etc/xinetd.d unless it says `disable = yes`. */
static int xinetd(struct hc_strlist *where, struct hc_ctx *ctx,
		  const char *name)
{
	struct hc_strlist services = HC_STRLIST_INIT;
	struct hc_buf path = HC_BUF_INIT, node = HC_BUF_INIT;
	struct hc_file *file;
	int error;

	if ((error = hc_buf_printf(&path, "/etc/xinetd.d/%s", name)) < 0 ||
	    (error = hc_ctx_file(&file, ctx, path.ptr, "Xinetd.lns",
				 HC_FILE_OPTIONAL)) < 0 ||
	    file == NULL ||
	    (error = hc_file_match(&services, file, "service")) < 0)
		goto out;
	for (size_t i = 0; i < services.n && error == 0; i++) {
		const char *disable;

		hc_buf_clear(&node);
		if ((error = hc_buf_printf(&node, "%s/disable",
					   services.v[i])) < 0 ||
		    (error = hc_file_get(&disable, file, node.ptr)) < 0)
			break;
		if (disable == NULL || strcmp(disable, "yes") != 0) {
			error = hc_strlist_push(where, path.ptr);
			break;
		}
	}
out:
	hc_buf_release(&path);
	hc_buf_release(&node);
	hc_strlist_release(&services);
	return error;
}

/* inetd starts what /etc/inetd.conf lists; a disabled line is a comment. */
static int inetd(struct hc_strlist *where, struct hc_ctx *ctx, const char *name)
{
	struct hc_strlist services = HC_STRLIST_INIT;
	struct hc_file *file;
	int error;

	if ((error = hc_ctx_file(&file, ctx, "/etc/inetd.conf", "Inetd.lns",
				 HC_FILE_OPTIONAL)) < 0 ||
	    file == NULL ||
	    (error = hc_file_match(&services, file, "service")) < 0)
		goto out;
	for (size_t i = 0; i < services.n && error == 0; i++) {
		const char *service;

		if ((error = hc_file_get(&service, file, services.v[i])) == 0 &&
		    service && strcmp(service, name) == 0) {
			error = hc_strlist_push(where, file->path);
			break;
		}
	}
out:
	hc_strlist_release(&services);
	return error;
}

int boot_enabled(struct hc_strlist *where, struct hc_ctx *ctx, const char *name)
{
	struct hc_buf pattern = HC_BUF_INIT;
	int error = 0;

	if (name[0] == '\0' ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz"
			 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@._-") !=
		strlen(name)) {
		hc_error_set("'%s' is not a service name", name);
		return HC_EINVALID;
	}
	for (size_t i = 0;
	     i < sizeof(start_links) / sizeof(start_links[0]) && error == 0;
	     i++) {
		hc_buf_clear(&pattern);
		if ((error = hc_buf_printf(&pattern, "%s%s%s",
					   start_links[i].before, name,
					   start_links[i].after)) == 0)
			error = hc_ctx_glob(where, ctx, pattern.ptr);
	}
	hc_buf_release(&pattern);
	if (error == 0)
		error = xinetd(where, ctx, name);
	return error ? error : inetd(where, ctx, name);
}
