/*
 * A keyed hash for what a trace or a kernel file names (ids, printed
 * messages): SipHash-1-3 under a key drawn from the system at the first
 * use, so that no input can be made whose keys all fall in one bucket
 * of a table: an attacker who does not know the key cannot aim.
 */
#include <sys/random.h>

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "keyhash.h"

static uint64_t		 k0, k1;
static pthread_once_t	 keyonce = PTHREAD_ONCE_INIT;
static int		 keydrawn;	/* k0 and k1 are set */

/* The key: from getrandom, or, without it, from what changes most. */
static void
drawkey(void)
{
	uint64_t k[2];
	struct timespec ts;

	if (getrandom(k, sizeof k, GRND_NONBLOCK) != (ssize_t)sizeof k) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		k[0] = (uint64_t)ts.tv_nsec * 0x9e3779b97f4a7c15ull ^
		    (uint64_t)(uintptr_t)&k;
		k[1] = (uint64_t)ts.tv_sec * 0xc2b2ae3d27d4eb4full ^
		    (uint64_t)getpid();
	}
	k0 = k[0];
	k1 = k[1];
	__atomic_store_n(&keydrawn, 1, __ATOMIC_RELEASE);
}

/* The key drawn, once, by whichever thread asks first. */
static inline void
needkey(void)
{
	if (!__atomic_load_n(&keydrawn, __ATOMIC_ACQUIRE))
		pthread_once(&keyonce, drawkey);
}

#define ROTL(x, b)	(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND do {							\
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0;			\
		v0 = ROTL(v0, 32);					\
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;			\
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;			\
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2;			\
		v2 = ROTL(v2, 32);					\
	} while (0)

/* n bytes at s (n is 4 or 8), least significant first. */
static inline uint64_t
leword(const unsigned char *s, size_t n)
{
	uint64_t m;
	uint32_t h;

	if (n == 8)
		memcpy(&m, s, 8);
	else {
		memcpy(&h, s, 4);
		m = h;
	}
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	m = n == 8 ? __builtin_bswap64(m) : __builtin_bswap32((uint32_t)m);
#endif
	return m;
}

/*
 * k bytes at s (k <= 8), least significant first: from four or eight
 * at once, two loads that may overlap, where there are four.
 */
static inline uint64_t
lebytes(const unsigned char *s, size_t k)
{
	uint64_t m;

	if (k == 8)
		return leword(s, 8);
	if (k >= 4)
		return leword(s, 4) | leword(s + k - 4, 4) << 8 * (k - 4);
	for (m = 0; k > 0; k--)
		m = m << 8 | s[k - 1];
	return m;
}

/*
 * SipHash-c-d of the len bytes at p under the key (a, b): c rounds a
 * word, d at the end.
 */
static inline __attribute__((always_inline)) uint64_t
siphash(int c, int d, uint64_t a, uint64_t b, const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t v0, v1, v2, v3, m, last;
	size_t i, left;
	int r;

	v0 = a ^ 0x736f6d6570736575ull;
	v1 = b ^ 0x646f72616e646f6dull;
	v2 = a ^ 0x6c7967656e657261ull;
	v3 = b ^ 0x7465646279746573ull;
	for (i = 0; i + 8 <= len; i += 8) {
		m = lebytes(s + i, 8);
		v3 ^= m;
		for (r = 0; r < c; r++)
			SIPROUND;
		v0 ^= m;
	}
	left = len - i;
	last = (uint64_t)len << 56 | lebytes(s + i, left);
	v3 ^= last;
	for (r = 0; r < c; r++)
		SIPROUND;
	v0 ^= last;
	v2 ^= 0xff;
	for (r = 0; r < d; r++)
		SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* SipHash-1-3, the one the tables use. */
uint64_t
siphash13(uint64_t a, uint64_t b, const void *p, size_t len)
{
	return siphash(1, 3, a, b, p, len);
}

/* SipHash-2-4, the paper's: for the tests to hold the rounds to it. */
uint64_t
siphash24(uint64_t a, uint64_t b, const void *p, size_t len)
{
	return siphash(2, 4, a, b, p, len);
}

/* The hash of the string s under this run's key. */
uint32_t
keyhash(const char *s)
{
	return keyhashn(s, strlen(s));
}

/*
 * A key for a multiply-shift hash of numbers from outside: a word to
 * mix in, and an odd multiplier, both from this run's key.
 */
void
keymult(uint64_t *x, uint64_t *m)
{
	needkey();
	*x = siphash13(k0, k1, "x", 1);
	*m = siphash13(k0, k1, "m", 1) | 1;
}

/* The hash of the len bytes at p under this run's key. */
uint32_t
keyhashn(const void *p, size_t len)
{
	uint64_t h;

	needkey();
	h = siphash(1, 3, k0, k1, p, len);
	return (uint32_t)(h ^ (h >> 32));
}
