// What /health reports of each server the service depends on (database, Redis): a probe per dependency.
#pragma once

#include <functional>
#include <string>

namespace ff::api {

struct DependencyStatus {
    std::string name;    // "database", "redis"
    bool ok = true;      // false while the dependency is away; /health then says "degraded"
    std::string detail;  // what is wrong and what the service does meanwhile; never a secret
};

// Called on an HTTP thread for every /health request: must be quick and thread-safe (read a cached state).
using DependencyProbe = std::function<DependencyStatus()>;

}  // namespace ff::api
