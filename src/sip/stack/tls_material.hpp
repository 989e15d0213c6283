// The certificate settings as Sofia-SIP's tport wants them: one directory holding agent.pem (private key
// and certificate chain) and cafile.pem, private to the service and gone as soon as the stack has read it.
#pragma once

#include <memory>
#include <string>

#include "calls/result.hpp"

namespace ff::sip {

struct TlsFiles {
    std::string certificate;  // SIP_TLS_CERT: PEM certificate, possibly followed by its chain
    std::string key;          // SIP_TLS_KEY: PEM private key, not encrypted
    std::string ca;           // SIP_TLS_CA: PEM CA certificates for the PBX; empty: the PBX is not verified

    bool configured() const { return !certificate.empty(); }
    bool verify_peer() const { return !ca.empty(); }
};

// A mode 0700 directory under $TMPDIR (or /tmp), removed with everything in it by the destructor.
class TlsDirectory {
  public:
    explicit TlsDirectory(std::string path) : path_(std::move(path)) {}
    ~TlsDirectory();
    TlsDirectory(const TlsDirectory&) = delete;
    TlsDirectory& operator=(const TlsDirectory&) = delete;
    const std::string& path() const { return path_; }

  private:
    std::string path_;
};

// Checks the files (PEM, the key belongs to the certificate, the CA file holds certificates) and writes
// them where Sofia looks for them. Errors name the variable and what is wrong with its file; neither the
// key nor any part of it ever appears in an error.
calls::Result<std::unique_ptr<TlsDirectory>> prepare_tls_directory(const TlsFiles& files);

}  // namespace ff::sip
