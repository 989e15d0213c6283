// The leg does the SIP of one side; deciding what to send is the bridge's job.
#include "sip/bridge/call_leg.hpp"

#include <cstring>

#include <sofia-sip/msg.h>
#include <sofia-sip/nua.h>
#include <sofia-sip/nua_tag.h>
#include <sofia-sip/sip_header.h>
#include <sofia-sip/sip_protos.h>
#include <sofia-sip/sip_status.h>
#include <sofia-sip/sip_tag.h>
#include <sofia-sip/url.h>

#include "sip/stack/sip_addresses.hpp"
#include "sip/stack/status_phrase.hpp"

namespace ff::sip {
namespace {

constexpr const char* sdp_type = "application/sdp";

bool is_challenge(int status) {
    return status == 401 || status == 407;
}

}  // namespace

std::string sdp_of(const sip_t* sip) {
    if (sip == nullptr || sip->sip_payload == nullptr || sip->sip_payload->pl_len == 0) return {};
    if (sip->sip_content_type != nullptr && sip->sip_content_type->c_type != nullptr &&
        std::string_view(sip->sip_content_type->c_type) != sdp_type)
        return {};
    return std::string(sip->sip_payload->pl_data, sip->sip_payload->pl_len);
}

int call_state_of(const NuaEvent& event) {
    int state = nua_callstate_init;
    if (event.tags != nullptr) tl_gets(event.tags, NUTAG_CALLSTATE_REF(state), TAG_END());
    return state;
}

CallLeg::CallLeg(nua_handle_t* handle, Side side, bool incoming)
    : handle_(handle), side_(side), incoming_(incoming) {}

CallLeg::~CallLeg() {
    if (update_request_ != nullptr) msg_destroy(update_request_);
    if (handle_ != nullptr) {
        nua_handle_bind(handle_, nullptr);
        nua_handle_destroy(handle_);
    }
}

void CallLeg::invite(const std::string& sdp, const std::string& extra_headers) {
    challenges_answered_ = 0;
    const std::string body = sdp.empty() ? std::string() : origin_.stamp(sdp);
    // Offerless: the phone's 200 carries the offer and our ACK must carry the answer, so no automatic ACK.
    nua_invite(handle_, NUTAG_AUTOACK(!body.empty()),
               TAG_IF(!body.empty(), SIPTAG_CONTENT_TYPE_STR(sdp_type)),
               TAG_IF(!body.empty(), SIPTAG_PAYLOAD_STR(body.c_str())),
               TAG_IF(!extra_headers.empty(), SIPTAG_HEADER_STR(extra_headers.c_str())), TAG_END());
}

void CallLeg::ack(const std::string& sdp) {
    const std::string body = origin_.stamp(sdp);
    nua_ack(handle_, SIPTAG_CONTENT_TYPE_STR(sdp_type), SIPTAG_PAYLOAD_STR(body.c_str()), TAG_END());
}

void CallLeg::refer(const std::string& target_uri) {
    challenges_answered_ = 0;
    nua_refer(handle_, SIPTAG_REFER_TO_STR(target_uri.c_str()), TAG_END());
}

std::string CallLeg::escaped_replaces() const {
    su_home_t home[1] = {SU_HOME_INIT(home)};
    std::string escaped;
    sip_replaces_t* replaces = nua_handle_make_replaces(handle_, home, 0);
    const char* value = replaces != nullptr ? sip_header_as_string(home, reinterpret_cast<sip_header_t*>(replaces)) : nullptr;
    if (value != nullptr) {
        static constexpr char reserved[] = ";=@?&%";  // those a URI header's value must not carry bare
        escaped.resize(static_cast<std::size_t>(url_esclen(value, reserved)) + 1);
        url_escape(escaped.data(), value, reserved);
        escaped.resize(std::strlen(escaped.c_str()));
    }
    su_home_deinit(home);
    return escaped;
}

void CallLeg::probe() {
    nua_options(handle_, TAG_END());
}

void CallLeg::respond(int status, const std::string& sdp) {
    const std::string body = sdp.empty() ? std::string() : origin_.stamp(sdp);
    nua_respond(handle_, status, static_phrase(status), TAG_IF(!body.empty(), SIPTAG_CONTENT_TYPE_STR(sdp_type)),
                TAG_IF(!body.empty(), SIPTAG_PAYLOAD_STR(body.c_str())), TAG_END());
    if (status >= 200 && status < 300) answered_ = true;
}

void CallLeg::take_update(msg_t* request) {
    if (update_request_ != nullptr) msg_destroy(update_request_);
    update_request_ = request != nullptr ? msg_ref_create(request) : nullptr;
}

bool CallLeg::update_has_offer() const {
    return update_request_ != nullptr && !sdp_of(sip_object(update_request_)).empty();
}

void CallLeg::respond_update(int status, const std::string& sdp) {
    if (update_request_ == nullptr) return;
    const std::string body = sdp.empty() ? std::string() : origin_.stamp(sdp);
    // NUTAG_WITH picks the UPDATE among the leg's open requests (without it NUA answers the INVITE).
    nua_respond(handle_, status, static_phrase(status), NUTAG_WITH(update_request_),
                TAG_IF(!body.empty(), SIPTAG_CONTENT_TYPE_STR(sdp_type)),
                TAG_IF(!body.empty(), SIPTAG_PAYLOAD_STR(body.c_str())), TAG_END());
    msg_destroy(update_request_);
    update_request_ = nullptr;
}

void CallLeg::hang_up(int refusal) {
    if (terminated_ || hung_up_) return;
    hung_up_ = true;
    if (answered_) {
        nua_bye(handle_, TAG_END());
    } else if (incoming_) {
        nua_respond(handle_, refusal, static_phrase(refusal), TAG_END());
    } else {
        nua_cancel(handle_, TAG_END());
    }
}

void CallLeg::redirect(const std::string& uri) {
    if (terminated_ || hung_up_ || answered_ || !incoming_) return;
    hung_up_ = true;
    nua_respond(handle_, SIP_302_MOVED_TEMPORARILY, SIPTAG_CONTACT_STR(uri.c_str()), TAG_END());
}

bool CallLeg::absorb(const NuaEvent& event) {
    if (event.event == nua_i_state) {
        const int state = call_state_of(event);
        if (state == nua_callstate_ready) answered_ = true;
        if (state == nua_callstate_terminated) terminated_ = true;
        return false;
    }
    if (event.event == nua_i_bye || event.event == nua_i_cancel) hung_up_ = true;  // the far end ended it
    if (event.sip != nullptr) {
        if (auto sdp = sdp_of(event.sip); !sdp.empty()) {
            remote_sdp_changed_ = sdp != remote_sdp_;
            remote_sdp_ = std::move(sdp);
        }
    }
    if ((event.event == nua_r_invite || event.event == nua_r_refer) && is_challenge(event.status))
        return answer_challenge(event);
    if (event.event == nua_r_invite && event.status >= 200 && event.status < 300) answered_ = true;
    return false;
}

bool CallLeg::answer_challenge(const NuaEvent& event) {
    if (!credentials_ || challenges_answered_ > 0 || event.sip == nullptr) return false;
    const msg_auth_t* header =
        event.status == 407 ? event.sip->sip_proxy_authenticate : event.sip->sip_www_authenticate;
    const char* realm = header ? msg_params_find(header->au_params, "realm=") : nullptr;
    if (realm == nullptr) return false;
    ++challenges_answered_;
    const std::string credentials = digest_credentials(realm, *credentials_);
    nua_authenticate(handle_, NUTAG_AUTH(credentials.c_str()), TAG_END());
    return true;
}

}  // namespace ff::sip
