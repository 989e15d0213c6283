// Placeholder until the wiring lands.
#include "app/service.hpp"

namespace ff::app {

int run_service(int, char**, const CallControlFactory&) { return 0; }

}  // namespace ff::app
