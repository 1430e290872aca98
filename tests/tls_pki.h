#pragma once
// A private PKI made in the test with OpenSSL: a CA and a server certificate for 127.0.0.1 signed
// by it (PEM files in a directory), an unrelated CA nobody trusts, and a server SSL_CTX for them.
// Shared by the https tests of both HTTP clients.

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

namespace bench {
namespace test_tls {

namespace fs = std::filesystem;

using KeyPtr = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using CertPtr = std::unique_ptr<X509, decltype(&X509_free)>;

inline void Check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("openssl: ") + what);
}

inline void AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  Check(ext != nullptr && X509_add_ext(cert, ext, -1) == 1, value);
  X509_EXTENSION_free(ext);
}

// A CA certificate (issuer == nullptr: self-signed) or a server certificate for 127.0.0.1.
inline CertPtr MakeCertificate(EVP_PKEY* key, const char* common_name, X509* issuer, EVP_PKEY* issuer_key, long serial) {
  CertPtr cert(X509_new(), X509_free);
  X509* x = cert.get();
  Check(X509_set_version(x, 2) == 1, "version");
  ASN1_INTEGER_set(X509_get_serialNumber(x), serial);
  X509_gmtime_adj(X509_getm_notBefore(x), -3600);
  X509_gmtime_adj(X509_getm_notAfter(x), 86400);
  Check(X509_set_pubkey(x, key) == 1, "pubkey");
  X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(common_name), -1, -1, 0);
  X509* signer = issuer != nullptr ? issuer : x;
  X509_set_issuer_name(x, X509_get_subject_name(signer));
  AddExtension(x, signer, NID_subject_key_identifier, "hash");
  if (issuer == nullptr) {
    AddExtension(x, signer, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(x, signer, NID_key_usage, "critical,keyCertSign,cRLSign");
  } else {
    AddExtension(x, signer, NID_authority_key_identifier, "keyid");
    AddExtension(x, signer, NID_basic_constraints, "critical,CA:FALSE");
    AddExtension(x, signer, NID_key_usage, "critical,digitalSignature");
    AddExtension(x, signer, NID_ext_key_usage, "serverAuth");
    AddExtension(x, signer, NID_subject_alt_name, "IP:127.0.0.1");
  }
  Check(X509_sign(x, issuer_key != nullptr ? issuer_key : key, EVP_sha256()) > 0, "sign");
  return cert;
}

inline void WritePem(const fs::path& path, X509* cert, EVP_PKEY* key) {
  FILE* f = std::fopen(path.c_str(), "w");
  Check(f != nullptr, "open");
  const bool ok = cert != nullptr ? PEM_write_X509(f, cert) == 1
                                  : PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr) == 1;
  std::fclose(f);
  Check(ok, "write pem");
}

// A CA and a server certificate for 127.0.0.1 signed by it: <name>-ca.pem, <name>.pem, <name>.key.
struct IssuedCertificate {
  IssuedCertificate(const fs::path& dir, const std::string& name)
      : ca(dir / (name + "-ca.pem")), cert(dir / (name + ".pem")), key(dir / (name + ".key")) {
    KeyPtr ca_key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    KeyPtr server_key(EVP_EC_gen("P-256"), EVP_PKEY_free);
    Check(ca_key && server_key, "keygen");
    CertPtr ca_cert = MakeCertificate(ca_key.get(), ("bench test CA " + name).c_str(), nullptr, nullptr, 1);
    CertPtr server_cert = MakeCertificate(server_key.get(), "127.0.0.1", ca_cert.get(), ca_key.get(), 2);
    WritePem(ca, ca_cert.get(), nullptr);
    WritePem(cert, server_cert.get(), nullptr);
    WritePem(key, nullptr, server_key.get());
  }
  fs::path ca, cert, key;
};

// The private CA the tests trust (--ca-cert) and an unrelated one nobody trusts.
struct TestPki {
  explicit TestPki(const fs::path& dir) : trusted(dir, "server"), rogue(dir, "rogue"), ca(trusted.ca) {}
  IssuedCertificate trusted, rogue;
  fs::path ca;
};

inline SSL_CTX* ServerContext(const IssuedCertificate& c) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  Check(ctx != nullptr, "SSL_CTX_new");
  Check(SSL_CTX_use_certificate_chain_file(ctx, c.cert.c_str()) == 1, "certificate");
  Check(SSL_CTX_use_PrivateKey_file(ctx, c.key.c_str(), SSL_FILETYPE_PEM) == 1, "private key");
  return ctx;
}

}  // namespace test_tls
}  // namespace bench
