// PLACEHOLDER until the registrar lands: refuses every REGISTER, authenticates nobody.
#include "sip/device_registrar.hpp"

#include <sofia-sip/sip_status.h>

namespace ff::sip {

struct DeviceRegistrar::Impl {
    nua_t* nua;
};

DeviceRegistrar::DeviceRegistrar(nua_t* nua, su_root_t*, RegistrarOptions, FindUser, OnDevices)
    : impl_(std::make_unique<Impl>(Impl{nua})) {}
DeviceRegistrar::~DeviceRegistrar() = default;

void DeviceRegistrar::on_register(const NuaEvent& event) {
    nua_respond(event.handle, SIP_501_NOT_IMPLEMENTED, NUTAG_WITH_THIS(impl_->nua), TAG_END());
}

std::optional<std::string> DeviceRegistrar::authenticate(const NuaEvent& event) {
    nua_respond(event.handle, SIP_403_FORBIDDEN, NUTAG_WITH_THIS(impl_->nua), TAG_END());
    return std::nullopt;
}

std::vector<DeviceContact> DeviceRegistrar::contacts(const std::string&) const { return {}; }
void DeviceRegistrar::reconcile() {}

}  // namespace ff::sip
