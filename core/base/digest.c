/*
 * digest.c - SHA-256 digests of rule files and data, through nettle.
 */
#include "base.h"

#include <nettle/sha2.h>

_Static_assert(sizeof(struct sha256_ctx) <= sizeof(((er_sha256 *)0)->state),
               "er_sha256 too small for nettle's context");

void er_sha256_init(er_sha256 *h)
{
    sha256_init((struct sha256_ctx *)(void *)h->state);
}

void er_sha256_update(er_sha256 *h, const void *data, size_t len)
{
    sha256_update((struct sha256_ctx *)(void *)h->state, len,
                  (const uint8_t *)data);
}

void er_sha256_hex(er_sha256 *h, char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    uint8_t raw[SHA256_DIGEST_SIZE];
    sha256_digest((struct sha256_ctx *)(void *)h->state, sizeof raw, raw);
    for (size_t i = 0; i < sizeof raw; i++) {
        hex[2 * i] = digits[raw[i] >> 4];
        hex[2 * i + 1] = digits[raw[i] & 15];
    }
    hex[64] = '\0';
}

void er_sha256_of(const void *data, size_t len, char hex[65])
{
    er_sha256 h;
    er_sha256_init(&h);
    er_sha256_update(&h, data, len);
    er_sha256_hex(&h, hex);
}
