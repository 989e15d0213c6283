// Opening the PostgreSQL database: the connection and the migrations.
#include "store/postgres/postgres_storage.hpp"

#include "store/postgres/postgres_schema.hpp"

namespace ff::store::postgres {

calls::Result<std::unique_ptr<PostgresStorage>> PostgresStorage::open(const std::string& conninfo) {
    auto connection = Connection::open(conninfo);
    if (!connection) return connection.error();
    if (auto status = migrate(connection.value()); !status) {
        return calls::make_error(status.error().code, "PostgreSQL database: " + status.error().message);
    }
    return std::unique_ptr<PostgresStorage>(new PostgresStorage(std::move(connection).value()));
}

}  // namespace ff::store::postgres
