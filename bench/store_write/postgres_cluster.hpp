// A throwaway PostgreSQL 15 cluster for the write-latency benchmark: initdb and pg_ctl in a temporary
// directory, listening on 127.0.0.1 only, stopped and removed when the object goes away.
#pragma once

#include <string>

#include "calls/result.hpp"

namespace ff::bench {

// Unlike the unit tests' server, fsync stays on: the benchmark measures what a production server pays
// for a durable commit. As root, the cluster belongs to the "postgres" system user (PostgreSQL refuses root).
class PostgresCluster {
  public:
    PostgresCluster() = default;
    ~PostgresCluster();

    PostgresCluster(const PostgresCluster&) = delete;
    PostgresCluster& operator=(const PostgresCluster&) = delete;

    // Binaries from /usr/lib/postgresql/15/bin unless FF_POSTGRES_BIN names another directory.
    calls::Status start();

    // A new, empty database as a postgresql:// URL.
    calls::Result<std::string> create_database(const std::string& name);

  private:
    void stop();

    std::string directory_;
    std::string bin_;
    int port_ = 0;
    bool running_ = false;
};

}  // namespace ff::bench
