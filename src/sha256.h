/*
 * SHA-256, for keys that no crafted input can share (sha256.c).
 */
#ifndef VMAPVIEW_SHA256_H
#define VMAPVIEW_SHA256_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t	h[8];
	uint64_t	len;
	unsigned char	buf[64];
	size_t		nbuf;
};

void	sha256_init(struct sha256 *);
void	sha256_add(struct sha256 *, const void *, size_t);
void	sha256_field(struct sha256 *, const void *, size_t);
void	sha256_hex(struct sha256 *, char [65]);

#endif
