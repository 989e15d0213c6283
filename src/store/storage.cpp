// open_storage: picks the backend that DATABASE_URL names.
#include "store/storage.hpp"

#include "store/database_url.hpp"
#include "store/postgres/postgres_storage.hpp"
#include "store/sqlite/sqlite_storage.hpp"

namespace ff::store {

calls::Result<std::unique_ptr<Storage>> open_storage(const std::string& database_url) {
    auto location = parse_database_url(database_url);
    if (!location) return location.error();
    switch (location->backend) {
        case DatabaseLocation::Backend::sqlite: {
            auto storage = sqlite::SqliteStorage::open(location->path);
            if (!storage) return storage.error();
            return std::unique_ptr<Storage>(std::move(storage).value());
        }
        case DatabaseLocation::Backend::postgres: {
            auto storage = postgres::PostgresStorage::open(location->conninfo);
            if (!storage) return storage.error();
            return std::unique_ptr<Storage>(std::move(storage).value());
        }
    }
    return calls::make_error(calls::ErrorCode::internal, "unknown storage backend");
}

}  // namespace ff::store
