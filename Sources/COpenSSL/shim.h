#ifndef CONFIRMATIONKIT_COPENSSL_SHIM_H
#define CONFIRMATIONKIT_COPENSSL_SHIM_H
/* The one-shot SHA256/RIPEMD160 functions are deprecated in OpenSSL 3.0 but remain
   exported and avoid the per-call algorithm fetch of EVP_Digest; silence the notice. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/ripemd.h>
#include <openssl/err.h>
#endif
