#ifndef GRAFT_CCRYPTO_SHIM_H
#define GRAFT_CCRYPTO_SHIM_H
// OpenSSL's libcrypto (3.x, Debian libssl-dev): its EVP digest API gives SHA-256 with the
// machine's SHA extensions, for the model fingerprint in the feature cache's provenance.
#include <openssl/evp.h>
#endif
