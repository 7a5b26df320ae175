// crossing.hpp - sending a value to another process as bytes, and refusing at compile time
// the types whose bytes mean nothing there.
//
// Python refuses to pickle a lock ("cannot pickle '_thread.RLock' object"); C++ refuses
// nothing: memcpy of any object through a pipe compiles, and the other process gets a mutex
// that may say "locked" forever, and pointers into an address space it does not have.
// cb::send_record / cb::receive_record are the checked way: they accept only types that
// satisfy cb::crosses_process_boundary, and everything else fails to compile with a message
// saying what to do instead.
//
// What the check can see: a type crosses when it is trivially copyable and copyable (no mutex,
// atomic, thread, std::string, container or smart pointer inside: they have deleted or
// non-trivial copies), standard layout, and not itself a pointer. What it cannot see: a raw pointer
// member inside an otherwise plain struct (C++20 cannot list a struct's members). Keep pointers out
// of records; send indices or offsets instead.
//
// Both functions block until every byte is written or read, retrying short transfers and
// EINTR. Not thread-safe per descriptor: one writer and one reader at a time, as with any pipe.
#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <optional>
#include <type_traits>

namespace cb {

// True when T's bytes can be sent to another process and mean the same there.
//
// Copy-constructible is checked on its own because gcc and clang (without CWG 1734) call a
// type whose copy and move operations are all deleted "trivially copyable": std::mutex, and
// any struct holding one, would otherwise pass. A type that cannot even be copied within a
// process cannot be byte-copied into another.
template <class T>
inline constexpr bool crosses_process_boundary =
    (std::is_trivially_copyable_v<T> && std::is_copy_constructible_v<T> &&
     std::is_standard_layout_v<T> && !std::is_pointer_v<T> && !std::is_member_pointer_v<T>);

namespace detail {
template <class T>
constexpr void require_crossing() {
  static_assert(crosses_process_boundary<T>,
                "cb::send_record/receive_record: this type cannot cross a process boundary. "
                "Its bytes hold state that means nothing in another process (a mutex, a thread, "
                "a pointer, a std::string or a container). Copy the plain data it carries into a "
                "trivially copyable record struct and send that; rebuild the object on the "
                "other side.");
}
}  // namespace detail

// Writes the bytes of `value` to fd. Returns false when the descriptor fails or closes.
template <class T>
bool send_record(int fd, const T& value) {
  detail::require_crossing<T>();
  const auto* bytes = reinterpret_cast<const unsigned char*>(&value);
  std::size_t done = 0;
  while (done < sizeof(T)) {
    const ssize_t n = ::write(fd, bytes + done, sizeof(T) - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads one T from fd. Returns nothing at end of file or on error, including a record cut
// short by the writer's exit.
template <class T>
std::optional<T> receive_record(int fd) {
  detail::require_crossing<T>();
  T value;
  auto* bytes = reinterpret_cast<unsigned char*>(&value);
  std::size_t done = 0;
  while (done < sizeof(T)) {
    const ssize_t n = ::read(fd, bytes + done, sizeof(T) - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    done += static_cast<std::size_t>(n);
  }
  return value;
}

}  // namespace cb
