// The socket.io-client bundle: served with a validator, 304 on a match, 404 JSON when not installed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "realtime/client_bundle.hpp"

using namespace ff;
using namespace ff::realtime;
namespace beast_http = boost::beast::http;

namespace {

struct BundleDir {
    std::filesystem::path path;
    BundleDir() {
        char pattern[] = "/tmp/ff-bundle-XXXXXX";
        path = mkdtemp(pattern);
        std::ofstream(path / "socket.io.js") << "/* client */ var io = 1;";
        std::ofstream(path / "socket.io.min.js.map") << "{\"version\":3}";
    }
    ~BundleDir() { std::filesystem::remove_all(path); }
};

http::Request get(const std::string& target) {
    return http::Request{beast_http::verb::get, target, 11};
}

}  // namespace

TEST(ClientBundle, recognises_the_bundle_names_only) {
    EXPECT_TRUE(ClientBundle::is_bundle_path("/socket.io/socket.io.js"));
    EXPECT_TRUE(ClientBundle::is_bundle_path("/socket.io/socket.io.min.js.map"));
    EXPECT_TRUE(ClientBundle::is_bundle_path("/socket.io/socket.io.esm.min.js"));
    EXPECT_FALSE(ClientBundle::is_bundle_path("/socket.io/"));
    EXPECT_FALSE(ClientBundle::is_bundle_path("/socket.io/../etc/passwd"));
    EXPECT_FALSE(ClientBundle::is_bundle_path("/socket.io.js"));
}

TEST(ClientBundle, serves_file_with_etag_and_cache_control) {
    BundleDir dir;
    ClientBundle bundle(dir.path.string());
    const auto response = bundle.serve("/socket.io/socket.io.js", get("/socket.io/socket.io.js"));
    EXPECT_EQ(response.result(), beast_http::status::ok);
    EXPECT_EQ(response.body(), "/* client */ var io = 1;");
    EXPECT_EQ(response[beast_http::field::content_type], "application/javascript; charset=utf-8");
    EXPECT_EQ(response[beast_http::field::cache_control], "public, max-age=0");
    EXPECT_EQ(response[beast_http::field::etag].substr(0, 3), "W/\"");
    const auto map = bundle.serve("/socket.io/socket.io.min.js.map", get("/socket.io/socket.io.min.js.map"));
    EXPECT_EQ(map[beast_http::field::content_type], "application/json; charset=utf-8");
}

TEST(ClientBundle, matching_if_none_match_gets_304) {
    BundleDir dir;
    ClientBundle bundle(dir.path.string());
    const auto first = bundle.serve("/socket.io/socket.io.js", get("/socket.io/socket.io.js"));
    auto again = get("/socket.io/socket.io.js");
    again.set(beast_http::field::if_none_match, first[beast_http::field::etag]);
    const auto second = bundle.serve("/socket.io/socket.io.js", again);
    EXPECT_EQ(second.result(), beast_http::status::not_modified);
    EXPECT_TRUE(second.body().empty());
}

TEST(ClientBundle, missing_file_or_folder_is_404_json) {
    BundleDir dir;
    ClientBundle bundle(dir.path.string());
    const auto missing = bundle.serve("/socket.io/socket.io.min.js", get("/socket.io/socket.io.min.js"));
    EXPECT_EQ(missing.result(), beast_http::status::not_found);
    EXPECT_NE(missing.body().find("\"code\":\"NOT_FOUND\""), std::string::npos);
    ClientBundle none("");
    EXPECT_EQ(none.serve("/socket.io/socket.io.js", get("/socket.io/socket.io.js")).result(),
              beast_http::status::not_found);
}
