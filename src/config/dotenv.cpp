// The .env reader: strict enough to report a typo with its line, lenient about spacing and comments.
#include "config/dotenv.hpp"

#include <fstream>
#include <sstream>
#include <system_error>

#include <unistd.h>  // environ: the process environment

namespace ff::config {
namespace {

bool is_blank(char c) {
    return c == ' ' || c == '\t';
}
bool is_key_start(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_key_char(char c) {
    return is_key_start(c) || (c >= '0' && c <= '9');
}

std::string_view trim(std::string_view text) {
    while (!text.empty() && is_blank(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_blank(text.back())) text.remove_suffix(1);
    return text;
}

// What may follow a closing quote: nothing, blanks, or a comment.
bool only_comment_left(std::string_view rest) {
    rest = trim(rest);
    return rest.empty() || rest.front() == '#';
}

struct ParsedValue {
    std::string value;
    std::string error;  // empty when the value parsed
};

ParsedValue parse_single_quoted(std::string_view rest) {
    const auto close = rest.find('\'', 1);
    if (close == std::string_view::npos) return {{}, "unterminated single-quoted value"};
    if (!only_comment_left(rest.substr(close + 1))) return {{}, "unexpected text after the closing quote"};
    return {std::string(rest.substr(1, close - 1)), {}};
}

ParsedValue parse_double_quoted(std::string_view rest) {
    std::string value;
    for (std::size_t i = 1; i < rest.size(); ++i) {
        const char c = rest[i];
        if (c == '"') {
            if (!only_comment_left(rest.substr(i + 1)))
                return {{}, "unexpected text after the closing quote"};
            return {value, {}};
        }
        if (c == '\\' && i + 1 < rest.size()) {
            const char next = rest[++i];
            switch (next) {
                case 'n':
                    value.push_back('\n');
                    break;
                case 'r':
                    value.push_back('\r');
                    break;
                case 't':
                    value.push_back('\t');
                    break;
                case '"':
                    value.push_back('"');
                    break;
                case '\\':
                    value.push_back('\\');
                    break;
                default:  // an unknown escape stays as written, so Windows paths survive
                    value.push_back('\\');
                    value.push_back(next);
            }
            continue;
        }
        value.push_back(c);
    }
    return {{}, "unterminated double-quoted value"};
}

ParsedValue parse_unquoted(std::string_view rest) {
    // A '#' starts a comment only after a blank, so "pass#1" keeps its '#'.
    for (std::size_t i = 0; i < rest.size(); ++i) {
        if (rest[i] == '#' && (i == 0 || is_blank(rest[i - 1]))) {
            rest = rest.substr(0, i);
            break;
        }
    }
    return {std::string(trim(rest)), {}};
}

}  // namespace

DotenvResult parse_dotenv(std::string_view text) {
    DotenvResult result;
    result.found = true;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 BOM from Windows editors
    int line_number = 0;
    std::size_t position = 0;
    while (position <= text.size()) {
        ++line_number;
        const auto end = text.find('\n', position);
        std::string_view line =
            text.substr(position, end == std::string_view::npos ? text.npos : end - position);
        position = end == std::string_view::npos ? text.size() + 1 : end + 1;
        if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
        line = trim(line);
        if (line.empty() || line.front() == '#') continue;
        if (line.starts_with("export") && line.size() > 6 && is_blank(line[6])) line = trim(line.substr(6));

        std::size_t key_end = 0;
        while (key_end < line.size() && is_key_char(line[key_end])) ++key_end;
        const std::string_view key = line.substr(0, key_end);
        std::string_view rest = trim(line.substr(key_end));
        if (key.empty() || !is_key_start(key.front())) {
            result.errors.push_back({line_number, "expected KEY=VALUE with a key of letters, digits and _"});
        } else if (rest.empty() || rest.front() != '=') {
            result.errors.push_back({line_number, "expected '=' after " + std::string(key)});
        } else {
            rest = trim(rest.substr(1));
            ParsedValue parsed = rest.starts_with('\'')  ? parse_single_quoted(rest)
                                 : rest.starts_with('"') ? parse_double_quoted(rest)
                                                         : parse_unquoted(rest);
            if (parsed.error.empty()) {
                result.values[std::string(key)] = std::move(parsed.value);
            } else {
                result.errors.push_back({line_number, std::string(key) + ": " + parsed.error});
            }
        }
    }
    return result;
}

DotenvResult read_dotenv_file(const std::filesystem::path& path) {
    std::error_code error;
    if (!std::filesystem::exists(path, error)) return DotenvResult{};
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        DotenvResult result;
        result.found = true;
        result.errors.push_back({0, "cannot read the file"});
        return result;
    }
    std::ostringstream contents;
    contents << file.rdbuf();
    return parse_dotenv(contents.str());
}

std::map<std::string, std::string> process_environment() {
    std::map<std::string, std::string> values;
    for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const auto equals = text.find('=');
        if (equals == std::string_view::npos || equals == 0) continue;
        values.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
    }
    return values;
}

std::map<std::string, std::string> merge_environment(const std::map<std::string, std::string>& dotenv,
                                                     const std::map<std::string, std::string>& process) {
    std::map<std::string, std::string> merged = dotenv;
    for (const auto& [key, value] : process) merged[key] = value;
    return merged;
}

std::string format_dotenv_errors(const std::filesystem::path& path, const std::vector<DotenvError>& errors) {
    std::string text;
    for (const auto& error : errors) {
        text += path.string();
        if (error.line > 0) text += ":" + std::to_string(error.line);
        text += ": " + error.message + "\n";
    }
    return text;
}

}  // namespace ff::config
