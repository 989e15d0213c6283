// The storage suites run once per backend: a fresh SQLite file, or a fresh database on the test server.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <ostream>
#include <string>

#include "calls/result.hpp"
#include "store/storage.hpp"
#include "support/postgres_server.hpp"
#include "support/temp_dir.hpp"

namespace ff::testing {

enum class Backend { sqlite, postgres };

// Test names end in /sqlite or /postgres, and failures name the backend the same way.
inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
    return info.param == Backend::sqlite ? "sqlite" : "postgres";
}

inline void PrintTo(Backend backend, std::ostream* out) {
    *out << (backend == Backend::sqlite ? "sqlite" : "postgres");
}

// A DATABASE_URL for a storage nobody used yet.
inline calls::Result<std::string> fresh_storage_url(Backend backend, const TempDir& dir) {
    if (backend == Backend::sqlite) return "sqlite:" + (dir.path() / "calls.db").string();
    return PostgresServer::instance().fresh_database_url();
}

// A storage suite's fixture: before each case, a fresh storage of the case's backend, opened and migrated.
class FreshStorage : public ::testing::TestWithParam<Backend> {
  protected:
    void SetUp() override {
        auto url = fresh_storage_url(GetParam(), dir_);
        ASSERT_TRUE(url) << url.error().message;
        auto opened = store::open_storage(url.value());
        ASSERT_TRUE(opened) << opened.error().message;
        storage = std::move(opened).value();
    }

    TempDir dir_;
    std::unique_ptr<store::Storage> storage;
};

}  // namespace ff::testing

#define FF_STORAGE_BACKENDS(suite)                                                                           \
    INSTANTIATE_TEST_SUITE_P(                                                                                \
        Backend, suite, ::testing::Values(::ff::testing::Backend::sqlite, ::ff::testing::Backend::postgres), \
        ::ff::testing::backend_name)
