// What each step of the connection check tells the admin, in Russian: what was found, and when something
// failed, what to do about it.
#include <fmt/format.h>

#include "config/service_config.hpp"
#include "sip/diagnosis/connection_check.hpp"

namespace ff::sip {
namespace {

using calls::CheckStep;
using calls::StepStatus;

std::string where(const LineConfig& pbx) {
    return fmt::format("{}:{} по {}", pbx.server, pbx.port, config::to_string(pbx.transport));
}

std::string seconds(std::chrono::milliseconds waited) {
    return fmt::format("{:.1f} с", static_cast<double>(waited.count()) / 1000.0);
}

std::string account_title(const config::SipUser& user) {
    return fmt::format("Учётная запись {} (доб. {})", user.username, user.extension);
}

}  // namespace

namespace check_text {

CheckStep name_step(const std::string& server, const ServerLookup& lookup, std::chrono::milliseconds waited) {
    CheckStep step;
    step.step = "name";
    step.title = "Адрес сервера";
    step.address = lookup.address;
    switch (lookup.outcome) {
        case ServerLookup::Outcome::literal:
            step.status = StepStatus::ok;
            step.outcome = "resolved";
            step.message = fmt::format("Указан IP-адрес {}: имя разрешать не нужно.", lookup.address);
            break;
        case ServerLookup::Outcome::resolved:
            step.status = StepStatus::ok;
            step.outcome = "resolved";
            step.message = fmt::format("Имя {} разрешается в адрес {}.", server, lookup.address);
            break;
        case ServerLookup::Outcome::not_found:
            step.status = StepStatus::failed;
            step.outcome = "not_resolved";
            step.message = fmt::format(
                "Имя «{}» не найдено в DNS. Проверьте адрес сервера (нет ли опечатки) или укажите IP-адрес "
                "АТС.",
                server);
            break;
        case ServerLookup::Outcome::timed_out:
            step.status = StepStatus::failed;
            step.outcome = "not_resolved";
            step.message = fmt::format(
                "DNS не ответил за {} на запрос имени «{}». Проверьте настройки DNS этого сервера или "
                "укажите "
                "IP-адрес АТС.",
                seconds(waited), server);
            break;
    }
    return step;
}

CheckStep transport_answered(const LineConfig& pbx, int rtt_ms, int status) {
    CheckStep step;
    step.step = "transport";
    step.title = "Связь с АТС";
    step.status = StepStatus::ok;
    step.outcome = "answered";
    step.rtt_ms = rtt_ms;
    step.sip_status = status;
    step.message =
        fmt::format("АТС {} ответила на SIP OPTIONS за {} мс (ответ {}).", where(pbx), rtt_ms, status);
    return step;
}

CheckStep transport_silent(const LineConfig& pbx, const std::string& stack_phrase,
                           std::chrono::milliseconds waited) {
    CheckStep step;
    step.step = "transport";
    step.title = "Связь с АТС";
    step.status = StepStatus::failed;
    step.outcome = "no_answer";
    const std::string why = stack_phrase.empty() ? fmt::format("нет ответа за {}", seconds(waited))
                                                 : fmt::format("нет ответа ({})", stack_phrase);
    step.message = fmt::format(
        "АТС {}: {}. Проверьте адрес, порт и транспорт (UDP, TCP или TLS), что АТС запущена и что межсетевой "
        "экран пропускает SIP.",
        where(pbx), why);
    return step;
}

CheckStep account_step(const LineConfig& account, const TrialResult& result,
                       std::chrono::milliseconds waited) {
    CheckStep step;
    step.step = "account";
    step.title = account_title(account.user);
    step.extension = account.user.extension;
    step.username = account.user.username;
    step.sip_status = result.sip_status;
    const std::string answer = result.sip_status
                                   ? fmt::format("ответ {} {}", *result.sip_status, result.phrase)
                                   : std::string("ответа нет");
    switch (result.outcome) {
        case TrialResult::Outcome::accepted:
            step.status = StepStatus::ok;
            step.outcome = "accepted";
            step.message = fmt::format("АТС приняла регистрацию {} (доб. {}); пробная регистрация снята.",
                                       account.user.username, account.user.extension);
            return step;
        case TrialResult::Outcome::wrong_password:
            step.outcome = "wrong_password";
            step.message = fmt::format(
                "Неверный пароль: АТС не приняла пароль учётной записи {} ({}). Введите пароль, который "
                "выдал "
                "администратор АТС для этого абонента.",
                account.user.username, answer);
            break;
        case TrialResult::Outcome::unknown_user:
            step.outcome = "unknown_user";
            step.message = fmt::format(
                "Пользователь {} не найден на АТС ({}). Проверьте логин АТС или заведите этого абонента на "
                "АТС.",
                account.user.username, answer);
            break;
        case TrialResult::Outcome::no_answer:
            step.outcome = "no_answer";
            step.message = fmt::format(
                "АТС не ответила на регистрацию {} за {}{}. Повторите проверку; если повторится, проверьте "
                "журнал АТС.",
                account.user.username, seconds(waited),
                result.phrase.empty() ? std::string() : " (" + result.phrase + ")");
            break;
        case TrialResult::Outcome::refused:
            step.outcome = "refused";
            step.message = fmt::format("АТС отклонила регистрацию {} ({}). Обратитесь к администратору АТС.",
                                       account.user.username, answer);
            break;
    }
    step.status = StepStatus::failed;
    return step;
}

CheckStep skipped(std::string step_name, std::string title, const config::SipUser* account) {
    CheckStep step;
    step.step = std::move(step_name);
    step.status = StepStatus::skipped;
    step.outcome = "skipped";
    if (account) {
        step.title = account_title(*account);
        step.extension = account->extension;
        step.username = account->username;
    } else {
        step.title = title.empty() ? "Связь с АТС" : std::move(title);
    }
    step.message = "Не проверялось: сначала исправьте ошибку в предыдущем шаге.";
    return step;
}

}  // namespace check_text

calls::ConnectionReport report_without_server(calls::CheckStep name_step,
                                              const std::vector<config::SipUser>& accounts) {
    calls::ConnectionReport report;
    report.steps.push_back(std::move(name_step));
    report.steps.push_back(check_text::skipped("transport", {}, nullptr));
    for (const auto& account : accounts) report.steps.push_back(check_text::skipped("account", {}, &account));
    return report;
}

}  // namespace ff::sip
