// Reading a `.env` file: KEY=VALUE lines, comments, quotes; values are taken literally (no expansion).
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ff::config {

struct DotenvError {
    int line = 0;  // 1-based; 0 when the file itself could not be read
    std::string message;
};

struct DotenvResult {
    bool found = false;  // false when there is no such file (not an error: .env is optional)
    std::map<std::string, std::string> values;
    std::vector<DotenvError> errors;
};

// Parses the text of a .env file. Rules: blank lines and lines starting with `#` are skipped;
// `export ` before the key is allowed; the key is [A-Za-z_][A-Za-z0-9_]*; an unquoted value ends at
// ` #` (a comment) and is trimmed; '…' is literal; "…" understands \n \r \t \" \\. A later key wins.
DotenvResult parse_dotenv(std::string_view text);

// Reads and parses `path`; a missing file gives found=false and no error.
DotenvResult read_dotenv_file(const std::filesystem::path& path);

// The process environment (environ) as a map.
std::map<std::string, std::string> process_environment();

// The effective environment: .env values, then the process environment on top (it wins).
std::map<std::string, std::string> merge_environment(const std::map<std::string, std::string>& dotenv,
                                                     const std::map<std::string, std::string>& process);

// "line 3: <message>", one per line, for start-up errors.
std::string format_dotenv_errors(const std::filesystem::path& path, const std::vector<DotenvError>& errors);

}  // namespace ff::config
