// Pages from WEB_DIR: index for "/", right content types, nothing outside the directory.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "api/static_files.hpp"

using namespace ff::api;
namespace fs = std::filesystem;

namespace {

class WebDir : public ::testing::Test {
  protected:
    void SetUp() override {
        root_ = fs::temp_directory_path() / ("ff-web-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(root_ / "web" / "admin");
        write(root_ / "web" / "index.html", "<h1>console</h1>");
        write(root_ / "web" / "admin" / "settings.html", "<h1>settings</h1>");
        write(root_ / "web" / "app.js", "1");
        write(root_ / "web" / ".env", "SECRET=1");
        write(root_ / "secret.txt", "outside");
        fs::create_symlink(root_ / "secret.txt", root_ / "web" / "link.txt");
    }
    void TearDown() override { fs::remove_all(root_); }
    static void write(const fs::path& file, const std::string& text) { std::ofstream(file) << text; }
    fs::path web() const { return root_ / "web"; }

    fs::path root_;
};

}  // namespace

TEST_F(WebDir, root_serves_index_html) {
    const auto response = serve_static(web(), "/", false);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->body(), "<h1>console</h1>");
    EXPECT_EQ((*response)[boost::beast::http::field::content_type], "text/html; charset=utf-8");
}

TEST_F(WebDir, admin_page_and_assets_have_their_types) {
    const auto page = serve_static(web(), "/admin/settings.html", false);
    ASSERT_TRUE(page);
    EXPECT_EQ(page->body(), "<h1>settings</h1>");
    const auto script = serve_static(web(), "/app.js", false);
    ASSERT_TRUE(script);
    EXPECT_EQ((*script)[boost::beast::http::field::content_type], "text/javascript; charset=utf-8");
}

TEST_F(WebDir, traversal_hidden_files_and_links_out_are_refused) {
    EXPECT_FALSE(serve_static(web(), "/../secret.txt", false));
    EXPECT_FALSE(serve_static(web(), "/admin/../../secret.txt", false));
    EXPECT_FALSE(serve_static(web(), "/.env", false));
    EXPECT_FALSE(serve_static(web(), "/link.txt", false));
    EXPECT_FALSE(serve_static(web(), "/admin\\..\\..\\secret.txt", false));
    EXPECT_FALSE(serve_static(web(), "/missing.html", false));
    EXPECT_FALSE(serve_static(web(), "relative", false));
}

TEST(ApiStaticTypes, unknown_extensions_are_octet_stream) {
    EXPECT_EQ(content_type_for("a.css"), "text/css; charset=utf-8");
    EXPECT_EQ(content_type_for("a.svg"), "image/svg+xml");
    EXPECT_EQ(content_type_for("a.bin"), "application/octet-stream");
}
