/*
 * tests/craftids: a trace on standard input to standard output with
 * every id made to collide: each gains four letters or digits, chosen
 * so that the ids' FNV-1a hashes share their low 17 bits (the hash the
 * id table once used, unkeyed).  The same id becomes the same new id,
 * so the trace means what it meant.  For tests/ids.sh and
 * bench/adversarial: a table keyed by an unkeyed hash of such ids
 * probes linearly on every lookup.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define LOW	((1u << 17) - 1)
#define PRIME	16777619u
#define TARGET	0x1234u

static const char alnum[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

static uint32_t
fnvstep(uint32_t h, int c)
{
	return (h ^ (unsigned char)c) * PRIME;
}

/* The inverse of PRIME modulo 2^32 (it is odd), by Newton's steps. */
static uint32_t
inverse(void)
{
	uint32_t x;
	int i;

	for (x = PRIME, i = 0; i < 5; i++)
		x *= 2 - PRIME * x;
	return x;
}

/* id, then four characters that put its hash's low bits on TARGET. */
static int
craft(const char *id, size_t n, char *out)
{
	uint32_t h, h1, h2, h3, want;
	const char *a, *b, *c;
	int last;
	size_t k;

	for (h = 2166136261u, k = 0; k < n; k++)
		h = fnvstep(h, id[k]);
	/* the last step: (h3 ^ c4) * PRIME = TARGET in the low 17 bits */
	want = (TARGET * inverse()) & LOW;
	for (a = alnum; *a; a++) {
		h1 = fnvstep(h, *a);
		for (b = alnum; *b; b++) {
			h2 = fnvstep(h1, *b);
			for (c = alnum; *c; c++) {
				h3 = fnvstep(h2, *c);
				if (((h3 ^ want) & LOW & ~0xffu) != 0)
					continue;
				last = (h3 ^ want) & 0xff;
				if (last == 0 || strchr(alnum, last) == NULL)
					continue;
				memcpy(out, id, n);
				out[n] = *a;
				out[n + 1] = *b;
				out[n + 2] = *c;
				out[n + 3] = last;
				out[n + 4] = '\0';
				return 0;
			}
		}
	}
	return -1;
}

int
main(void)
{
	char line[65536], out[65536 + 64], id[256], made[512];
	const char *p, *q;
	size_t n, o;

	while (fgets(line, sizeof line, stdin) != NULL) {
		o = 0;
		for (p = line; (q = strstr(p, "id: ")) != NULL;) {
			q += 4;
			for (n = 0; q[n] != '\0' && strchr(alnum, q[n]) != NULL &&
			    n < sizeof id - 1; n++)
				;
			memcpy(out + o, p, q - p);
			o += q - p;
			if (n == 0 || craft(q, n, made) < 0) {
				p = q;
				continue;
			}
			memcpy(out + o, made, strlen(made));
			o += strlen(made);
			p = q + n;
		}
		memcpy(out + o, p, strlen(p) + 1);
		fputs(out, stdout);
	}
	return ferror(stdout) ? 1 : 0;
}
