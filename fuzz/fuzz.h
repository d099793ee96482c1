/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What every fuzz target defines: libFuzzer's entry points.  Built with
 * clang -fsanitize=fuzzer (cmake -DHARDCTL_FUZZ=ON, scripts/fuzz) they
 * fuzz; built otherwise they are linked with driver.c, which replays the
 * corpus in tests/fuzz/ once, as a regression test every build runs.
 */
#ifndef HARDCTL_FUZZ_H
#define HARDCTL_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken property: report it and abort, so the fuzzer keeps the input. */
#define FUZZ_ASSERT(cond)                                                      \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__,     \
				#cond);                                        \
			abort();                                               \
		}                                                              \
	} while (0)

#endif
