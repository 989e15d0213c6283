// The call as the service models it: parties, direction, state, times and what the CRM linked to it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ff::calls {

using Clock = std::chrono::system_clock;
using TimePoint = std::chrono::time_point<Clock, std::chrono::milliseconds>;

inline TimePoint now_ms() { return std::chrono::time_point_cast<std::chrono::milliseconds>(Clock::now()); }

enum class CallStatus { ringing, answered, held, transferred, ended };
enum class EndReason { none, completed, missed, busy, rejected, failed, cancelled, transferred };
enum class Direction { inbound, outbound };

std::string_view to_string(CallStatus status);
std::string_view to_string(EndReason reason);
std::string_view to_string(Direction direction);
std::optional<CallStatus> parse_call_status(std::string_view text);
std::optional<EndReason> parse_end_reason(std::string_view text);
std::optional<Direction> parse_direction(std::string_view text);

struct Customer {
    std::string id;
    std::string name;
    std::string phone;  // E.164 where it parses
};

struct OrderLink {
    std::string order_id;
    TimePoint linked_at;
};

struct Note {
    std::int64_t id = 0;
    std::string text;
    std::string author;  // token name of whoever wrote it
    TimePoint created_at;
};

// One operator's turn with a call: from when the call reached them until it left them, by a transfer or by
// its end. A call handled by several operators (transfers) has a turn for each, in order.
struct OperatorTurn {
    std::string extension;
    TimePoint from{};
    std::optional<TimePoint> answered_at;  // when this operator took the call: their talk time starts
    std::optional<TimePoint> until;        // when the call left them; absent while they have it
    std::string transferred_to;            // the extension or number they transferred the call to, if they did

    // This operator's talk time in whole seconds (to `at` while the turn is still open).
    std::int64_t talk_seconds(TimePoint at) const;
};

// What rtpengine relayed in one direction of an anchored call.
struct MediaFlow {
    std::uint64_t packets = 0;              // RTP packets the sending side delivered to rtpengine
    std::optional<std::uint64_t> lost;      // packets lost on the way, from the receiver's RTCP reports
    std::optional<double> jitter_ms;        // average jitter the receiver reported, from RTCP

    bool operator==(const MediaFlow&) const = default;
};

// The call's audio as rtpengine saw it when the call ended; absent for calls whose media it did not anchor.
struct MediaReport {
    MediaFlow customer_to_operator;
    MediaFlow operator_to_customer;
    bool one_way = false;   // answered, and exactly one direction carried no audio ("no audio" complaints)
    bool no_audio = false;  // answered, and neither direction carried any audio

    // Sets one_way and no_audio from the counters; a call never answered has no audio to miss.
    void assess(bool answered);
    bool operator==(const MediaReport&) const = default;
};

// RECORDING=all or on-demand: the call's audio kept as one stereo file (customer left, operator right). While
// the call is up it is being recorded (or paused, on demand); after its end the capture is turned into the
// file, which then is ready, or failed with the reason, never silently missing.
enum class RecordingStatus { recording, paused, processing, ready, failed };

std::string_view to_string(RecordingStatus status);
std::optional<RecordingStatus> parse_recording_status(std::string_view text);

struct Recording {
    RecordingStatus status = RecordingStatus::recording;
    std::int64_t duration_ms = 0;  // ready: the file's length
    std::uint64_t bytes = 0;       // ready: the file's size
    std::string reason;            // failed: why there is no file
    std::string instance;          // with several instances: the one that keeps the file (empty: alone)

    bool operator==(const Recording&) const = default;
};

// An attended transfer under way: the operator talks with `target` (or it still rings) while the customer
// holds; completing it joins the customer and the target, cancelling it brings the operator back.
struct Consultation {
    std::string target;                    // the extension or number consulted
    TimePoint since{};                     // when it was called
    std::optional<TimePoint> answered_at;  // when it picked up: the operator and the target talk

    bool operator==(const Consultation&) const = default;
};

// An SMS to the customer after the call (SMS_MISSED_TEXT, SMS_ORDER_TEXT) and what came of it.
struct SmsMessage {
    std::string kind;  // "missed": after a missed call; "order": after a call that produced an order
    std::string phone;
    std::string text;
    TimePoint at{};
    std::string status;  // "sending", "sent", "failed", "skipped"
    std::string detail;  // the gateway's refusal, or why none was sent; "" once sent

    bool operator==(const SmsMessage&) const = default;
};

struct Call {
    std::string id;           // UUID, the API's callId
    std::string sip_call_id;  // Call-ID of the PBX leg, empty until SIP knows it
    Direction direction = Direction::inbound;
    std::string from;       // E.164 number or internal extension
    std::string to;         // E.164 number or internal extension
    std::string extension;  // operator extension that handles the call now
    CallStatus status = CallStatus::ringing;
    EndReason end_reason = EndReason::none;
    TimePoint start_time{};
    std::optional<TimePoint> answer_time;
    std::optional<TimePoint> end_time;
    std::string transfer_target;  // set once a transfer was requested
    // Inbound: which of the centre's numbers the customer dialled, as the PBX passed it (DIALLED_NUMBER_ORDER),
    // that number's name (DIALLED_NAMES: a brand or a restaurant), and what the caller chose in the PBX's IVR
    // (IVR_HEADER); each "" when unknown.
    std::string dialled_number;
    std::string dialled_name;
    std::string ivr_choice;
    // ivr_choice holds keys the caller pressed while waiting (MEDIA=rtpengine), not a choice the PBX passed:
    // only then do further keys add to it. Kept by the owning instance only (not in the JSON nor the log).
    bool ivr_choice_pressed = false;
    std::optional<Customer> customer;
    std::vector<OrderLink> orders;
    std::vector<Note> notes;
    std::vector<OperatorTurn> operators;  // who had the call, in order; the last turn is `extension`'s
    // A queue rings these members at once for the call (ringall) while it stays the queue's; empty otherwise.
    std::vector<std::string> offered_to;
    std::optional<Consultation> consultation;  // an attended transfer under way (status transferred)
    std::optional<MediaReport> media;     // MEDIA=rtpengine: what each direction carried, read at the end
    std::optional<Recording> recording;   // absent: the call was never recorded
    std::vector<SmsMessage> sms;           // SMS_GATEWAY_URL: the SMS sent to the customer after the call

    bool is_active() const { return status != CallStatus::ended; }
    // The customer's side of the call: the caller of an inbound call, the callee of an outbound one.
    const std::string& remote_number() const { return direction == Direction::inbound ? from : to; }
    // Talk time in whole seconds: from answer to end (or to `at` while the call is still up).
    std::int64_t talk_seconds(TimePoint at) const;
    // The turn of the operator who has the call now. A call that has an extension but no turn yet (just
    // created, or read from an older log) gets its first one, from the call's start; nullptr when no
    // operator has the call.
    OperatorTurn* current_turn();
};

}  // namespace ff::calls
