// The copy goes settings check, calls, tokens, settings: the one refusal comes before any write, and the
// settings, which the service acts on at start-up, land last.
#include "store/log_copy.hpp"

#include <algorithm>

namespace ff::store {
namespace {

// Names what differs but never the values: the users carry PBX passwords.
calls::Status check_settings(Storage& source, Storage& destination, const LogCopyOptions& options) {
    if (options.overwrite_settings) return calls::Done{};
    const auto source_pbx = source.load_pbx_settings();
    if (!source_pbx) return source_pbx.error();
    const auto destination_pbx = destination.load_pbx_settings();
    if (!destination_pbx) return destination_pbx.error();
    const auto source_users = source.load_sip_users();
    if (!source_users) return source_users.error();
    const auto destination_users = destination.load_sip_users();
    if (!destination_users) return destination_users.error();
    std::string differing;
    if (*source_pbx && *destination_pbx && **source_pbx != **destination_pbx) differing = "PBX settings";
    if (*source_users && *destination_users && **source_users != **destination_users)
        differing += differing.empty() ? "PBX users" : " and PBX users";
    if (differing.empty()) return calls::Done{};
    return calls::make_error(
        calls::ErrorCode::conflict,
        "the destination already has different " + differing +
            "; nothing was copied (--overwrite-settings replaces them with the source's)");
}

calls::Status copy_calls(Storage& source, Storage& destination, const LogCopyOptions& options,
                         LogCopyReport& report, const std::function<void(const LogCopyReport&)>& progress) {
    std::string after;
    for (;;) {
        auto batch = source.calls_after(after, std::max(options.batch_size, 1));
        if (!batch) return calls::make_error(batch.error().code, "reading calls: " + batch.error().message);
        if (batch.value().empty()) return calls::Done{};
        auto written = destination.import_calls(batch.value());
        if (!written) {
            return calls::make_error(written.error().code,
                                     "writing calls after \"" + after +
                                         "\" (that batch was rolled back): " + written.error().message);
        }
        report.copied.calls += written.value().calls;
        report.copied.orders += written.value().orders;
        report.copied.notes += written.value().notes;
        report.calls_skipped += static_cast<std::int64_t>(batch.value().size()) - written.value().calls;
        after = batch.value().back().id;
        if (progress) progress(report);
    }
}

calls::Status copy_tokens(Storage& source, Storage& destination, LogCopyReport& report) {
    const auto present = destination.list_tokens();
    if (!present) return present.error();
    const auto tokens = source.list_tokens();
    if (!tokens) return tokens.error();
    for (const TokenRecord& token : tokens.value()) {
        const bool there = std::any_of(present->begin(), present->end(), [&token](const TokenRecord& other) {
            return other.id == token.id || other.hash == token.hash;
        });
        if (there) {
            ++report.tokens_skipped;
            continue;
        }
        if (auto status = destination.insert_token(token); !status)
            return calls::make_error(status.error().code, "writing tokens: " + status.error().message);
        ++report.tokens_copied;
    }
    return calls::Done{};
}

calls::Status copy_settings(Storage& source, Storage& destination, LogCopyReport& report) {
    const auto source_pbx = source.load_pbx_settings();
    if (!source_pbx) return source_pbx.error();
    if (source_pbx.value()) {
        const auto destination_pbx = destination.load_pbx_settings();
        if (!destination_pbx) return destination_pbx.error();
        if (destination_pbx.value() == source_pbx.value()) {
            report.settings_already_there = true;
        } else if (auto status = destination.save_pbx_settings(*source_pbx.value()); !status) {
            return calls::make_error(status.error().code, "writing PBX settings: " + status.error().message);
        } else {
            report.settings_copied = true;
        }
    }
    const auto source_users = source.load_sip_users();
    if (!source_users) return source_users.error();
    if (source_users.value()) {
        const auto destination_users = destination.load_sip_users();
        if (!destination_users) return destination_users.error();
        if (destination_users.value() == source_users.value()) {
            report.settings_already_there = true;
        } else if (auto status = destination.save_sip_users(*source_users.value()); !status) {
            return calls::make_error(status.error().code, "writing PBX users: " + status.error().message);
        } else {
            report.settings_copied = true;
        }
    }
    return calls::Done{};
}

}  // namespace

calls::Result<LogCopyReport> copy_log(Storage& source, Storage& destination, const LogCopyOptions& options,
                                      const std::function<void(const LogCopyReport&)>& progress) {
    LogCopyReport report;
    if (auto status = check_settings(source, destination, options); !status) return status.error();
    if (auto status = copy_calls(source, destination, options, report, progress); !status)
        return status.error();
    if (auto status = copy_tokens(source, destination, report); !status) return status.error();
    if (auto status = copy_settings(source, destination, report); !status) return status.error();
    return report;
}

std::string describe(const LogCopyReport& report) {
    std::string text = "copied " + std::to_string(report.copied.calls) + " calls (" +
                       std::to_string(report.copied.orders) + " orders, " +
                       std::to_string(report.copied.notes) + " notes), " +
                       std::to_string(report.tokens_copied) +
                       " tokens, settings: " + (report.settings_copied ? "yes" : "no");
    const std::int64_t skipped = report.calls_skipped + report.tokens_skipped;
    text += "; skipped " + std::to_string(skipped) + " already present";
    if (skipped > 0 || report.settings_already_there) {
        text += " (" + std::to_string(report.calls_skipped) + " calls, " +
                std::to_string(report.tokens_skipped) + " tokens" +
                (report.settings_already_there ? ", settings" : "") + ")";
    }
    return text;
}

}  // namespace ff::store
