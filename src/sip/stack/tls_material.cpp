// Sofia-SIP's tport reads TLS material only from files with fixed names in one directory (TPTAG_CERTIFICATE):
// agent.pem with the key and the certificate, cafile.pem with the CAs (without it no TLS transport at all).
// The admin's files are checked here with OpenSSL so that a wrong file stops the start with its variable
// named, instead of the TLS transport silently missing.
#include "sip/stack/tls_material.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

namespace ff::sip {
namespace {

struct BioDeleter {
    void operator()(BIO* bio) const { BIO_free(bio); }
};
struct X509Deleter {
    void operator()(X509* certificate) const { X509_free(certificate); }
};
struct KeyDeleter {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;
using Certificate = std::unique_ptr<X509, X509Deleter>;
using Key = std::unique_ptr<EVP_PKEY, KeyDeleter>;

// Holds a file's text and wipes it when done (it may be a private key).
class Secret {
  public:
    ~Secret() {
        if (!text.empty()) OPENSSL_cleanse(text.data(), text.size());
    }
    std::string text;
};

calls::Error file_error(const std::string& variable, const std::string& path, const std::string& problem) {
    return calls::make_error(calls::ErrorCode::invalid_argument, variable + " (" + path + "): " + problem);
}

calls::Status read_file(const std::string& variable, const std::string& path, Secret& into) {
    std::ifstream stream(path, std::ios::binary);
    if (!stream) return file_error(variable, path, std::string("cannot be read: ") + std::strerror(errno));
    std::ostringstream text;
    text << stream.rdbuf();
    into.text = text.str();
    return calls::Done{};
}

Bio memory_bio(const std::string& text) {
    return Bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Every PEM certificate in the text, in order.
std::vector<Certificate> certificates_in(const std::string& text) {
    std::vector<Certificate> found;
    const Bio bio = memory_bio(text);
    while (X509* certificate = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
        found.emplace_back(certificate);
    ERR_clear_error();  // the end of the text reads as an error
    return found;
}

// A key protected by a passphrase cannot be used: there is no one to type it in.
int refuse_passphrase(char*, int, int, void*) {
    return -1;
}

calls::Status write_private_file(const std::string& path, const std::string& first,
                                 const std::string& second) {
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return calls::make_error(calls::ErrorCode::internal,
                                 "cannot write " + path + ": " + std::strerror(errno));
    bool ok = true;
    for (const std::string* part : {&first, &second}) {
        std::size_t written = 0;
        while (ok && written < part->size()) {
            const auto n = ::write(fd, part->data() + written, part->size() - written);
            if (n < 0 && errno == EINTR) continue;
            ok = n > 0;
            if (ok) written += static_cast<std::size_t>(n);
        }
    }
    const int error = errno;
    ::close(fd);
    if (!ok)
        return calls::make_error(calls::ErrorCode::internal,
                                 "cannot write " + path + ": " + std::strerror(error));
    return calls::Done{};
}

std::string with_newline(std::string text) {
    if (!text.empty() && text.back() != '\n') text.push_back('\n');
    return text;
}

}  // namespace

TlsDirectory::~TlsDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
}

calls::Result<std::unique_ptr<TlsDirectory>> prepare_tls_directory(const TlsFiles& files) {
    Secret certificate_text;
    Secret key_text;
    Secret ca_text;
    if (auto read = read_file("SIP_TLS_CERT", files.certificate, certificate_text); !read)
        return read.error();
    if (auto read = read_file("SIP_TLS_KEY", files.key, key_text); !read) return read.error();
    if (files.verify_peer()) {
        if (auto read = read_file("SIP_TLS_CA", files.ca, ca_text); !read) return read.error();
    }

    const auto chain = certificates_in(certificate_text.text);
    if (chain.empty())
        return file_error("SIP_TLS_CERT", files.certificate,
                          "no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)");
    const Bio key_bio = memory_bio(key_text.text);
    const Key key(PEM_read_bio_PrivateKey(key_bio.get(), nullptr, &refuse_passphrase, nullptr));
    ERR_clear_error();
    if (!key) {
        const bool encrypted = key_text.text.find("ENCRYPTED") != std::string::npos;
        return file_error("SIP_TLS_KEY", files.key,
                          encrypted ? "the private key is protected by a passphrase; give it without one"
                                    : "no PEM private key in it (expected -----BEGIN PRIVATE KEY-----)");
    }
    if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
        ERR_clear_error();
        return file_error("SIP_TLS_KEY", files.key,
                          "this private key does not belong to the certificate in SIP_TLS_CERT");
    }
    if (files.verify_peer() && certificates_in(ca_text.text).empty())
        return file_error("SIP_TLS_CA", files.ca, "no PEM certificate in it (expected CA certificates)");

    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/pjsip-service-tls-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr)  // mkdtemp creates it with mode 0700
        return calls::make_error(calls::ErrorCode::internal,
                                 "cannot create a private directory for the TLS certificate in " +
                                     pattern.substr(0, pattern.rfind('/')) + ": " + std::strerror(errno));
    auto directory = std::make_unique<TlsDirectory>(pattern);
    const std::string certificate = with_newline(certificate_text.text);
    Secret agent;  // Sofia reads the key and then the certificate from this one file
    agent.text = with_newline(key_text.text);
    if (auto written = write_private_file(directory->path() + "/agent.pem", agent.text, certificate);
        !written)
        return written.error();
    // Without SIP_TLS_CA the PBX is not verified, but Sofia still wants a CA file: the own chain serves.
    const std::string ca = files.verify_peer() ? with_newline(ca_text.text) : certificate;
    if (auto written = write_private_file(directory->path() + "/cafile.pem", ca, ""); !written)
        return written.error();
    return directory;
}

}  // namespace ff::sip
