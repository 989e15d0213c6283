#include "api/recording_file.hpp"

#include <filesystem>
#include <fstream>

#include "http/byte_range.hpp"
#include "recordings/recording_files.hpp"

namespace ff::api {

calls::Result<calls::RecordingBytes> read_recording_bytes(const std::string& recording_dir, const std::string& call_id,
                                                          std::string_view range_header) {
    const auto file = recordings::recording_file(recording_dir, call_id);
    std::error_code error;
    const auto size = file ? std::filesystem::file_size(*file, error) : 0;
    std::ifstream in;
    if (file && !error) in.open(*file, std::ios::binary);
    if (!file || error || !in)
        return calls::make_error(calls::ErrorCode::not_found,
                                 "call " + call_id + ": its recording's file is gone (RECORDING_RETENTION_DAYS deletes old ones)");
    const http::ByteRange range = http::parse_byte_range(range_header, size);
    if (range.kind == http::ByteRange::Kind::unsatisfiable)
        return calls::RecordingBytes{416, "bytes */" + std::to_string(size), {}};
    const bool partial = range.kind == http::ByteRange::Kind::partial;
    const std::uint64_t first = partial ? range.first : 0;
    const std::uint64_t length = partial ? range.last - range.first + 1 : size;
    calls::RecordingBytes bytes{partial ? 206 : 200, {}, std::string(length, '\0')};
    in.seekg(static_cast<std::streamoff>(first));
    if (length > 0 && !in.read(bytes.body.data(), static_cast<std::streamsize>(length)))
        return calls::make_error(calls::ErrorCode::internal, "call " + call_id + ": its recording's file could not be read");
    if (partial)
        bytes.content_range = "bytes " + std::to_string(range.first) + "-" + std::to_string(range.last) + "/" + std::to_string(size);
    return bytes;
}

}  // namespace ff::api
