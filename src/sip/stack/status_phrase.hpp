#pragma once

namespace ff::sip {

// The reason phrase to hand to nua_respond() for `status`. NUA keeps the phrase pointer until its own
// loop sends the response, after the event (or string) a phrase came from is gone, so only phrases
// with static storage are safe: Sofia's table, or a generic one for the status class.
const char* static_phrase(int status);

}  // namespace ff::sip
