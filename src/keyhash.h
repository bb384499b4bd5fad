/*
 * keyhash.c: a keyed hash for strings that come from outside.
 */
#ifndef VMAPVIEW_KEYHASH_H
#define VMAPVIEW_KEYHASH_H

#include <stddef.h>
#include <stdint.h>

uint64_t	siphash13(uint64_t, uint64_t, const void *, size_t);
uint64_t	siphash24(uint64_t, uint64_t, const void *, size_t);
uint32_t	keyhash(const char *);
uint32_t	keyhashn(const void *, size_t);
void		keymult(uint64_t *, uint64_t *);

#endif
